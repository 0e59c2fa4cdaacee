"""`workbench split`: files per split, a workspace in one undo step, the counts table, bad input."""

import json

from tests.quality.helpers import add, convo, text, write_jsonl
from workbench.cli import main
from workbench.core.store import Workspace


def _datas(n=100):
    return [{**convo(text(i, 8), text(1000 + i, 12)), "metadata": {"tier": "gold" if i % 5 == 0 else "silver"}}
            for i in range(n)]


def test_jsonl_is_split_into_files_stratified_and_reproducibly(tmp_path, capsys):
    path = write_jsonl(tmp_path / "support.jsonl", _datas())
    out = tmp_path / "out"
    assert main(["split", str(path), "--ratios", "80/10/10", "--stratify-by", "tier", "--seed", "7", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "100 examples split 80/10/10 (seed 7, stratified by tier)" in printed
    assert "gold" in printed and "total" in printed
    files = {s: (out / f"support.{s}.jsonl").read_text("utf-8").splitlines() for s in ("train", "validation", "test")}
    assert [len(v) for v in files.values()] == [80, 10, 10]
    assert sorted(sum(files.values(), [])) == sorted(path.read_text("utf-8").splitlines())
    gold_in_test = sum(json.loads(line)["metadata"]["tier"] == "gold" for line in files["test"])
    assert gold_in_test == 2
    # Same seed, rows in another order: the same examples in each file.
    shuffled = write_jsonl(tmp_path / "support2.jsonl", list(reversed(_datas())))
    assert main(["split", str(shuffled), "--stratify-by", "tier", "--seed", "7", "-o", str(out)]) == 0
    again = {s: (out / f"support2.{s}.jsonl").read_text("utf-8").splitlines() for s in ("train", "validation", "test")}
    assert {s: sorted(v) for s, v in again.items()} == {s: sorted(v) for s, v in files.items()}


def test_without_output_only_the_table_and_json(tmp_path, capsys):
    path = write_jsonl(tmp_path / "support.jsonl", _datas(40))
    assert main(["split", str(path), "--ratios", "90/10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"train": 36, "validation": 4, "test": 0} and data["written"] == {}
    assert main(["split", str(path), "--stratify-by", "region"]) == 0
    assert "no example has a tag matching 'region'" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == [path]


def test_a_workspace_gets_its_splits_in_one_undo_step(tmp_path, capsys):
    target = tmp_path / "project.ftw"
    with Workspace.open(target) as ws:
        add(ws, _datas(50), tags=[[f"tier:{'gold' if i % 5 == 0 else 'silver'}"] for i in range(50)])
    assert main(["split", str(target), "--stratify-by", "tier", "--dry-run"]) == 0
    assert "Dry run" in capsys.readouterr().out
    with Workspace.open(target) as ws:
        assert ws.count("train") == 50
    assert main(["split", str(target), "--ratios", "60/20/20", "--stratify-by", "tier"]) == 0
    assert "(one undo step)" in capsys.readouterr().out
    with Workspace.open(target) as ws:
        assert (ws.count("train"), ws.count("validation"), ws.count("test")) == (30, 10, 10)
        assert ws.undo().startswith("Split 50 examples 60/20/20")
        assert ws.count("train") == 50


def test_bad_usage_and_input_exit_2(tmp_path, capsys):
    path = write_jsonl(tmp_path / "support.jsonl", _datas(10))
    assert main(["split", str(path), "--ratios", "80/30"]) == 2
    assert "add up to 100" in capsys.readouterr().err
    assert main(["split", str(path), "--dry-run"]) == 2
    assert main(["split", str(tmp_path / "p.ftw"), "-o", str(tmp_path)]) == 2
    assert main(["split", str(tmp_path / "missing.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err
    cut = tmp_path / "cut.jsonl"
    cut.write_text('{"messages": []}\n{"messages": [\n', "utf-8")
    assert main(["split", str(cut), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["split", str(path), "-o", str(path)]) == 2
    assert "is a file" in capsys.readouterr().err
