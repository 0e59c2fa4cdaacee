"""Crash safety: an edit reported as done survives the process being killed (SIGKILL) mid-stream."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from workbench.core.store.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
ACKNOWLEDGED = 200

WRITER = textwrap.dedent(
    """
    import sys
    from workbench.core.store.workspace import NewExample, Workspace

    ws = Workspace.open(sys.argv[1])
    for n in range(1_000_000):
        obj = {"messages": [{"role": "user", "content": f"question {n}"},
                            {"role": "assistant", "content": f"answer {n}"}]}
        (example_id,) = ws.add_examples([NewExample(obj, source={"n": n}, tags=[f"t{n % 3}"])])
        if n % 2:  # every other step is also an update of an earlier example
            ws.update_example(example_id, {**obj, "metadata": {"edited": n}})
        print(example_id, n, flush=True)  # only after the edit has returned, i.e. after COMMIT
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_acknowledged_edits_survive_sigkill(tmp_path):
    path = tmp_path / "crash.ftw"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    acknowledged: dict[int, int] = {}
    with (tmp_path / "stderr.txt").open("w") as err, subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, stderr=err, text=True, env=env
    ) as proc:
        try:
            while len(acknowledged) < ACKNOWLEDGED:
                line = proc.stdout.readline()
                if not line:
                    break
                example_id, n = map(int, line.split())
                acknowledged[example_id] = n
        finally:
            proc.send_signal(signal.SIGKILL)  # mid-stream: the writer is busy with its next edits
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "stderr.txt").read_text()
    assert len(acknowledged) == ACKNOWLEDGED, (tmp_path / "stderr.txt").read_text()

    with Workspace.open(path, create=False) as ws:
        live = set(ws.ids())
        for example_id, n in acknowledged.items():
            assert example_id in live
            rec = ws.get(example_id)
            assert rec.data["messages"][0]["content"] == f"question {n}"
            assert rec.data.get("metadata") == ({"edited": n} if n % 2 else None)
            assert rec.source == {"n": n}
            assert rec.tags == [f"t{n % 3}"]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
