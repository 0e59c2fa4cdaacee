"""`workbench import`: end to end through the CLI, into JSONL files and into workspaces."""

import json
from pathlib import Path

from workbench.cli import main
from workbench.core.store import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"


def _csv(tmp_path) -> Path:
    path = tmp_path / "faq.csv"
    path.write_text("Question;Answer;Topic\nHow do I export?;Use File > Export.;export\nRefund?;Within 14 days.;billing\n"
                    "Broken row;;misc\n", encoding="cp1252")
    return path


def test_csv_to_jsonl_with_report(tmp_path, capsys):
    out, report = tmp_path / "train.jsonl", tmp_path / "report.json"
    code = main(["import", str(_csv(tmp_path)), "-o", str(out), "--system-prompt", "You answer {Topic} questions.",
                 "--report", str(report)])
    assert code == 0
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert lines[0]["messages"][0] == {"role": "system", "content": "You answer export questions."}
    assert len(lines) == 2
    data = json.loads(report.read_text("utf-8"))
    assert data["dropped"]["empty agent reply"]["count"] == 1
    assert "empty agent reply: 1" in capsys.readouterr().out


def test_explicit_mapping_and_a_wrong_one(tmp_path, capsys):
    src = _csv(tmp_path)
    assert main(["import", str(src), "-o", str(tmp_path / "a.jsonl"), "--map", "customer=Question,agent=Answer"]) == 0
    assert main(["import", str(src), "-o", str(tmp_path / "b.jsonl"), "--map", "customer=Question,agent=Nope"]) == 2
    err = capsys.readouterr().err
    assert "Nope" in err and "Nothing was imported" in err
    assert not (tmp_path / "b.jsonl").exists()
    assert main(["import", str(src), "-o", str(tmp_path / "c.jsonl"), "--map", "customer"]) == 2


def test_zendesk_export_into_a_workspace_is_one_undo_step(tmp_path):
    target = tmp_path / "project.ftw"
    assert main(["import", str(FIXTURES / "admin_export.ndjson"), "-o", str(target), "--status", "solved,closed"]) == 0
    with Workspace.open(target) as ws:
        n = ws.count()
        assert n > 0
        record = next(ws.iter_records())
        assert record.source["ticket_id"] and record.source["file"].endswith("admin_export.ndjson")
        assert ws.undo_label() == f"Import {n:,} conversations"
        ws.undo()
        assert ws.count() == 0


def test_users_export_fails_plainly_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    assert main(["import", str(FIXTURES / "users_export.ndjson"), "-o", str(out)]) == 2
    assert "users export" in capsys.readouterr().err
    assert not out.exists()


def test_export_without_conversations_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    assert main(["import", str(FIXTURES / "admin_export.csv"), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "no conversations" in captured.out
    assert "was not written" in captured.err
    assert not out.exists()
