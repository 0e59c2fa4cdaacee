"""`workbench pii scan|redact` on JSONL files and workspaces."""

import json

from tests.pii.helpers import chat
from workbench.cli import main
from workbench.core.pii import read_log
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample

RAW = ("carla@example.com", "415) 555-0132", "4111 1111 1111 1111")


def _jsonl(path, *examples):
    path.write_text("".join(json.dumps(e) + "\n" for e in examples), encoding="utf-8")
    return path


def _pii_file(tmp_path):
    return _jsonl(tmp_path / "train.jsonl",
                  chat("Mail carla@example.com or call (415) 555-0132.", "Done."),
                  chat("How do I export?", "Settings > Export."),
                  chat("Card 4111 1111 1111 1111 failed, order ORD-123456.", "Refunded."))


def test_scan_counts_and_lists_masked_findings(tmp_path, capsys):
    assert main(["pii", "scan", str(_pii_file(tmp_path)), "--region", "US"]) == 1
    out = capsys.readouterr().out
    assert "3 examples, 2 with personal data" in out
    assert "Email addresses" in out and "Phone numbers" in out and "Payment card numbers" in out
    assert "line 1, message 2 (user): [EMAIL]" in out and "c***@e***.com" in out and "**** **** **** 1111" in out
    assert not any(v in out for v in RAW)


def test_scan_json_and_a_clean_file(tmp_path, capsys):
    assert main(["pii", "scan", str(_pii_file(tmp_path)), "--json", "--pattern", "order=ORD-\\d{6}"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"email": 1, "phone": 1, "card": 1, "order": 1}
    assert {f["placeholder"] for f in data["findings"]} == {"[EMAIL]", "[PHONE]", "[CARD]", "[ORDER]"}
    assert not any(v in json.dumps(data) for v in RAW)
    clean = _jsonl(tmp_path / "clean.jsonl", chat("How do I export?", "Settings > Export."))
    assert main(["pii", "scan", str(clean)]) == 0
    assert "No personal data found." in capsys.readouterr().out


def test_scan_options_are_checked(tmp_path, capsys):
    src = str(_pii_file(tmp_path))
    assert main(["pii", "scan", src, "--kinds", "email,ssn"]) == 2
    assert "'ssn' is not a kind" in capsys.readouterr().err
    assert main(["pii", "scan", src, "--pattern", "order=ORD-(\\d+"]) == 2
    assert "not a valid regular expression" in capsys.readouterr().err
    assert main(["pii", "scan", src, "--pattern", "ORD-\\d+"]) == 2
    assert "NAME=REGEX" in capsys.readouterr().err
    assert main(["pii", "scan", src, "--region", "Narnia"]) == 2
    assert main(["pii", "scan", str(tmp_path / "missing.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["pii", "scan", src, "--kinds", "email"]) == 1


def test_unreadable_lines_are_reported_not_scanned(tmp_path, capsys):
    src = tmp_path / "bad.jsonl"
    src.write_text(json.dumps(chat("hello", "hi")) + "\n{not json\n\n", encoding="utf-8")
    assert main(["pii", "scan", str(src)]) == 1
    assert "1 lines could not be read and were not scanned (lines 2)" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["pii", "redact", str(src), "-o", str(out)]) == 1
    assert "lines 2" in capsys.readouterr().err and not out.exists()


def test_redact_a_file_with_numbering_and_names(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("Carla Moreno\n", encoding="utf-8")
    src = _jsonl(tmp_path / "in.jsonl", chat("I'm Carla, carla@example.com / carla@example.com", "Hi Carla!"))
    out = tmp_path / "out.jsonl"
    assert main(["pii", "redact", str(src), "-o", str(out), "--numbered", "--names", str(names)]) == 0
    assert "1 had personal data replaced: 2 EMAIL, 2 NAME" in capsys.readouterr().out
    redacted = json.loads(out.read_text("utf-8"))
    assert redacted["messages"][1]["content"] == "I'm [NAME_1], [EMAIL_1] / [EMAIL_1]"
    assert redacted["messages"][2]["content"] == "Hi [NAME_1]!"
    assert main(["pii", "redact", str(src)]) == 2
    assert "needs -o" in capsys.readouterr().err


def test_redact_a_workspace_in_place_as_one_undo_step(tmp_path, capsys):
    path = tmp_path / "project.ftw"
    with Workspace.open(path) as ws:
        ws.add_examples([NewExample(chat("Mail carla@example.com", "Thanks Carla"),
                                    source={"customer_names": ["Carla Moreno"]}),
                         NewExample(chat("No PII here", "ok"))], label="Import")
    assert main(["pii", "scan", str(path)]) == 1
    assert "example 1, message 2 (user): [EMAIL]" in capsys.readouterr().out
    assert main(["pii", "redact", str(path), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert main(["pii", "redact", str(path)]) == 0
    assert "replaced 2 values in 1 examples: 1 EMAIL, 1 NAME" in capsys.readouterr().out
    with Workspace.open(path) as ws:
        assert ws.get(1).data["messages"][1]["content"] == "Mail [EMAIL]"
        assert read_log(ws)[0].counts == {"EMAIL": 1, "NAME": 1}
        assert ws.undo() == "Redact personal data"
        assert ws.get(1).data["messages"][1]["content"] == "Mail carla@example.com"
    assert main(["pii", "redact", str(path)]) == 0
    assert main(["pii", "redact", str(path)]) == 0
    assert "no personal data found" in capsys.readouterr().out


def test_a_file_that_is_not_a_workspace(tmp_path, capsys):
    fake = tmp_path / "fake.ftw"
    fake.write_text("hello", encoding="utf-8")
    assert main(["pii", "scan", str(fake)]) == 2
    assert "not a Fine-Tune Workbench workspace" in capsys.readouterr().err
    assert main(["pii", "scan", str(tmp_path / "none.ftw")]) == 2
