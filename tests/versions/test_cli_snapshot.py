"""`workbench snapshot create|list|diff` through the real entry point."""

from __future__ import annotations

import json

import pytest

from tests.versions.conftest import chat
from workbench.cli import main
from workbench.core.store import Workspace
from workbench.core.store.ledger import Ledger
from workbench.core.store.workspace import NewExample
from workbench.core.versions import get_version


@pytest.fixture
def path(ws):
    """The workspace file (the fixture's connection stays open, as the app's would)."""
    return str(ws.path)


def test_create_then_list(path, capsys, ws):
    assert main(["snapshot", "create", path, "--name", "Before cleanup", "--note", "raw import"]) == 0
    out = capsys.readouterr().out
    assert "Created version 'Before cleanup' (#1)" in out and "10 examples" in out
    assert main(["snapshot", "create", path]) == 0
    out = capsys.readouterr().out
    assert "Created version 'Version 2 — " in out and "same examples as 'Before cleanup' (#1)" in out
    Ledger(ws).new_job(base_model="gpt-4o-mini", submission_tag="wb-1", provider_job_id="ftjob-7", version_id=1)

    assert main(["snapshot", "list", path]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["#", "NAME", "CREATED", "EXAMPLES", "JOBS"]
    assert lines[2].startswith("2 ") and lines[3].startswith("1 ")  # newest first
    assert "Before cleanup" in lines[3] and "ftjob-7" in lines[3] and lines[2].rstrip().endswith("-")

    assert main(["snapshot", "list", path, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows][1] == "Before cleanup"
    assert rows[1]["note"] == "raw import" and rows[1]["examples"] == 10 and rows[1]["jobs"] == ["ftjob-7"]


def test_a_taken_name_is_refused(path, capsys):
    assert main(["snapshot", "create", path, "--name", "v1"]) == 0
    capsys.readouterr()
    assert main(["snapshot", "create", path, "--name", "v1"]) == 2
    assert "workbench: A version named 'v1' already exists" in capsys.readouterr().err


def test_list_without_versions(path, capsys):
    assert main(["snapshot", "list", path]) == 0
    assert "has no versions yet. Make one with: workbench snapshot create" in capsys.readouterr().out
    assert main(["snapshot", "list", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_diff_against_now_and_between_versions(path, capsys, ws):
    main(["snapshot", "create", path, "--name", "before"])
    ws.update_example(2, chat(1, "A much better answer."))
    ws.set_split([3], "test")
    ws.add_tag([4], "refund")
    ws.delete_examples([5])
    ws.add_examples([NewExample(chat(77))])
    capsys.readouterr()

    assert main(["snapshot", "diff", path, "before"]) == 0
    out = capsys.readouterr().out
    assert "'before' → 'current': 1 added, 1 removed, 3 changed, 6 unchanged." in out
    assert "#2  text: message 2 (assistant) edited" in out
    assert "#3  split train → test" in out and "#4  tags +refund" in out
    assert "Added: #11" in out and "Removed: #5" in out

    main(["snapshot", "create", path, "--name", "after"])
    capsys.readouterr()
    assert main(["snapshot", "diff", path, "1", "#2", "--show", "1"]) == 0  # by number
    out = capsys.readouterr().out
    assert "'before' → 'after'" in out and "Changed (first 1):" in out and "#3 " not in out

    assert main(["snapshot", "diff", path, "before", "after", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["added"], data["removed"], data["changed"], data["unchanged"]) == (1, 1, 3, 6)
    assert data["added_ids"] == [11] and data["removed_ids"] == [5]
    change = {c["id"]: c for c in data["changes"]}
    assert change[3]["fields"] == ["split"] and change[3]["before"]["split"] == "train"
    assert change[3]["after"]["split"] == "test" and change[4]["after"]["tags"] == ["refund"]

    assert main(["snapshot", "diff", path, "after", "current"]) == 0
    assert "Same examples, splits and tags." in capsys.readouterr().out


def test_an_unknown_version_lists_the_known_ones(path, capsys):
    main(["snapshot", "create", path, "--name", "alpha"])
    capsys.readouterr()
    assert main(["snapshot", "diff", path, "beta"]) == 2
    err = capsys.readouterr().err
    assert "No version 'beta'" in err and "Known versions: 'alpha'" in err and "Traceback" not in err


def test_files_that_are_not_workspaces(tmp_path, capsys):
    assert main(["snapshot", "list", str(tmp_path / "missing.ftw")]) == 2
    assert "missing.ftw does not exist" in capsys.readouterr().err
    text = tmp_path / "notes.ftw"
    text.write_text("not a database at all, just some words that are long enough\n" * 20, "utf-8")
    assert main(["snapshot", "create", str(text)]) == 2
    assert "is not a Fine-Tune Workbench workspace" in capsys.readouterr().err
    assert main(["snapshot", "list", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_bad_show_value(path, capsys):
    main(["snapshot", "create", path, "--name", "v"])
    capsys.readouterr()
    assert main(["snapshot", "diff", path, "v", "--show", "-1"]) == 2
    assert "--show must be 0 or more" in capsys.readouterr().err


def test_a_version_made_from_the_command_line_is_seen_by_the_app(path, ws):
    main(["snapshot", "create", path, "--name", "from the shell"])
    with Workspace.open(path) as other:
        assert get_version(other, "from the shell").examples == 10
    assert get_version(ws, "from the shell").examples == 10
