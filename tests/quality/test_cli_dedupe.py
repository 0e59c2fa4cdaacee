"""`workbench dedupe`: reports, a clean JSONL copy, removing from a workspace, bad input."""

import json

from tests.quality.helpers import add, convo, text, write_jsonl
from workbench.cli import main
from workbench.core.store import Workspace


def _datas():
    answer = text(2, 40)
    edited = answer.replace(answer.split()[3], "changed", 1)
    macro = "Please reset your password with the link on the sign-in page. " + text(9, 20)
    return ([convo(text(1, 10), answer), convo(text(1, 10).upper(), answer), convo(text(1, 10), edited)]
            + [convo(text(100 + i, 10), text(200 + i, 30)) for i in range(5)]
            + [convo(text(300 + i, 10), macro) for i in range(5)])


def test_report_lists_groups_and_canned_answers_and_exits_1(tmp_path, capsys):
    path = write_jsonl(tmp_path / "train.jsonl", _datas())
    assert main(["dedupe", str(path)]) == 1
    out = capsys.readouterr().out
    assert "13 examples; 1 exact-duplicate groups (1 to remove), 1 near-duplicate groups (1 to remove)" in out
    assert "keep line 1, remove 2:" in out
    assert "keep line 1, remove 3 (0.9" in out
    assert "5 questions, 5 uses" in out and "lines 9, 10, 11, 12, 13" in out
    assert "run again with -o OUT.jsonl" in out


def test_json_output_and_exact_only(tmp_path, capsys):
    path = write_jsonl(tmp_path / "train.jsonl", _datas())
    assert main(["dedupe", str(path), "--json", "--exact-only"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ids"] == "line numbers" and data["threshold"] is None and data["near"] == []
    assert [(g["keep"], g["remove"]) for g in data["exact"]] == [(1, [2])]
    assert data["canned"][0]["example_ids"] == [9, 10, 11, 12, 13]


def test_output_file_keeps_the_lines_as_written(tmp_path, capsys):
    path = write_jsonl(tmp_path / "train.jsonl", _datas())
    out = tmp_path / "clean.jsonl"
    assert main(["dedupe", str(path), "-o", str(out), "--threshold", "0.8"]) == 0
    source_lines = path.read_text("utf-8").splitlines()
    assert out.read_text("utf-8").splitlines() == [source_lines[0]] + source_lines[3:]
    assert "Wrote 11 examples" in capsys.readouterr().out
    assert main(["dedupe", str(out)]) == 0
    assert "No duplicates." in capsys.readouterr().out


def test_apply_to_a_workspace_is_one_undo_step(tmp_path, capsys):
    target = tmp_path / "project.ftw"
    with Workspace.open(target) as ws:
        ids = add(ws, _datas())
    assert main(["dedupe", str(target), "--apply"]) == 0
    assert "Removed 2 duplicates" in capsys.readouterr().out
    with Workspace.open(target) as ws:
        assert ws.count() == 11 and ids[1] not in ws.ids() and ids[2] not in ws.ids()
        assert ws.undo() == "Remove 2 duplicates"
        assert ws.count() == 13


def test_bad_input_and_usage_exit_2_with_a_message(tmp_path, capsys):
    cut = tmp_path / "cut.jsonl"
    cut.write_text(json.dumps(convo("a", "b")) + '\n{"messages": [{"role": "user", "content": "hel\n', "utf-8")
    assert main(["dedupe", str(cut)]) == 2
    err = capsys.readouterr().err
    assert f"{cut}, line 2" in err and "cut off" in err and "Traceback" not in err
    assert main(["dedupe", str(tmp_path / "missing.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["dedupe", str(tmp_path / "missing.ftw")]) == 2
    assert "does not exist" in capsys.readouterr().err
    good = write_jsonl(tmp_path / "good.jsonl", _datas())
    assert main(["dedupe", str(good), "--apply"]) == 2
    assert "-o OUT.jsonl" in capsys.readouterr().err
    assert main(["dedupe", str(good), "--threshold", "2"]) == 2
    assert main(["dedupe", str(good), "-o", str(good)]) == 2
    (tmp_path / "w.ftw").write_text("not a workspace", "utf-8")
    assert main(["dedupe", str(tmp_path / "w.ftw")]) == 2
    assert "not a Fine-Tune Workbench workspace" in capsys.readouterr().err
    assert not (tmp_path / "clean.jsonl").exists()
