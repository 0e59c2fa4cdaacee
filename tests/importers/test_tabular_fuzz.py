"""Whatever bytes a .csv holds, the importer ends in examples or a plain ImportFailed, never a traceback."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.importers import tabular
from workbench.core.importers.base import ImportFailed, ImportReport

_CSVISH = st.text(alphabet=st.sampled_from(list(',;\t|"\n\r xyé\ufeff\x00{}')), max_size=200)
_CONTENT = st.one_of(
    st.binary(max_size=300),
    _CSVISH.map(lambda t: t.encode("utf-8")),
    _CSVISH.map(lambda t: ("id,q,a,n\n" + t).encode("utf-8")),
    _CSVISH.map(lambda t: ("id;q;a;n\n" + t).encode("utf-16")),
    st.binary(max_size=200).map(lambda b: b"id,q,a,n\n" + b),
)
_OPTIONS = st.sampled_from(
    [
        tabular.TabularOptions(),
        tabular.TabularOptions(mapping=tabular.ColumnMapping(customer="q", agent="a")),
        tabular.TabularOptions(
            mapping=tabular.ColumnMapping(customer="q", agent="a", conversation_id="id", order="n", tags="n"),
            system_prompt="{q} {",
        ),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=_CONTENT, options=_OPTIONS)
def test_run_and_preview_fail_only_with_import_failed(content, options):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(content)
        with contextlib.suppress(ImportFailed):
            tabular.preview(path)
        report = ImportReport()
        try:
            items = list(tabular.run([path], options, report))
        except ImportFailed as exc:
            assert str(exc)
        else:
            assert report.produced == len(items)
            for item in items:
                assert item.example["messages"][-1]["role"] == "assistant"
