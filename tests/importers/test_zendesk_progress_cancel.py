"""Progress reports bytes and reaches the total; Cancel stops the import."""

import json
from pathlib import Path

import pytest

from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportCancelled, ImportReport

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"
EXPORT = FIXTURES / "admin_export.ndjson"


@pytest.fixture
def big_export(tmp_path) -> Path:
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(40):
            for line in lines:
                ticket = json.loads(line)
                ticket["id"] = ticket["id"] * 1000 + n
                fh.write(json.dumps(ticket) + "\n")
    return path


def test_progress_is_monotonic_and_ends_at_total(big_export):
    calls = []
    items = list(zendesk.run([big_export], None, ImportReport(), progress=lambda d, t: calls.append((d, t))))
    assert items
    total = big_export.stat().st_size
    assert len(calls) > 2
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1] == (total, total)


def test_cancel_raises_import_cancelled(big_export):
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(ImportCancelled):
        list(zendesk.run([big_export], None, ImportReport(), cancel=cancel))


def test_cancel_before_start(big_export):
    with pytest.raises(ImportCancelled):
        next(zendesk.run([big_export], None, ImportReport(), cancel=lambda: True))


def test_folder_progress_counts_every_file():
    calls = []
    list(zendesk.run([FIXTURES / "api_dump"], None, ImportReport(), progress=lambda d, t: calls.append((d, t))))
    assert calls[-1][0] == calls[-1][1]
