"""`workbench validate / estimate / convert`: readable reports, --json, exit codes 0/1/2, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.builders import chat, legacy, write_jsonl
from workbench import __version__
from workbench.cli import main
from workbench.core.pricing import default_price_list

REPO = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def good(tmp_path):
    return write_jsonl(tmp_path / "good.jsonl", [chat(i) for i in range(60)])


@pytest.fixture
def few(tmp_path):
    return write_jsonl(tmp_path / "few.jsonl", [chat(i) for i in range(5)])


# --- validate ---------------------------------------------------------------------------------------


def test_validate_a_good_file_exits_0_with_a_readable_report(capsys, good):
    code, out, _ = run(capsys, "validate", good)
    assert code == 0
    assert f"{good}: 60 examples, 0 errors, 0 warnings" in out
    assert "ready to upload" in out
    assert "Tokens (o200k_base)" in out


def test_validate_with_errors_exits_1_and_says_what_to_do(capsys, few):
    code, out, _ = run(capsys, "validate", few)
    assert code == 1
    assert "[too_few_examples] The dataset has 5 examples; fine-tuning needs at least 10." in out
    assert "What to do:" in out


def test_validate_warnings_only_exits_0(capsys, tmp_path):
    p = write_jsonl(tmp_path / "t.jsonl", [chat(i) for i in range(20)])
    code, out, _ = run(capsys, "validate", p)
    assert code == 0
    assert "[few_examples]" in out and "No errors" in out


def test_validate_json_output(capsys, tmp_path):
    p = tmp_path / "t.jsonl"
    write_jsonl(p, [chat(i) for i in range(12)])
    with p.open("a", encoding="utf-8") as fh:
        fh.write('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "x", "weight": 2}]}\n')
        fh.write("\n")
    code, out, _ = run(capsys, "validate", p, "--json", "--model", "gpt-4.1-mini")
    assert code == 1
    report = json.loads(out)
    assert report["examples"] == 13
    assert report["model"] == "gpt-4.1-mini-2025-04-14"
    (weight,) = [e for e in report["errors"] if e["code"] == "invalid_weight"]
    assert weight["line"] == 13 and weight["severity"] == "error" and weight["message_index"] == 2
    assert weight["field"] == "weight" and weight["message"].startswith("Line 13, message 2") and weight["fix"]
    assert {w["code"] for w in report["warnings"]} == {"blank_line", "few_examples"}
    assert all(w["severity"] == "warning" for w in report["warnings"])
    assert report["stats"]["kinds"] == {"chat": 13}
    assert report["stats"]["errors"] == 1 and report["stats"]["warnings"] == 2
    assert report["stats"]["tokens"]["encoding"] == "o200k_base"


def test_validate_with_a_validation_file_reports_overlap(capsys, good, tmp_path):
    val = write_jsonl(tmp_path / "val.jsonl", [chat(3), chat(1000)])
    code, out, _ = run(capsys, "validate", good, "--validation-file", val, "--json")
    report = json.loads(out)
    assert [w["code"] for w in report["warnings"] if w["code"] == "train_validation_overlap"] == ["train_validation_overlap"]


def test_validate_token_limit_for_the_model(capsys, tmp_path):
    long = {"messages": [{"role": "user", "content": " apple" * 5000}, {"role": "assistant", "content": "ok"}]}
    p = write_jsonl(tmp_path / "t.jsonl", [long] + [chat(i) for i in range(60)])
    code, out, _ = run(capsys, "validate", p, "--model", "gpt-3.5-turbo-0613")
    assert code == 0  # a warning: OpenAI truncates
    assert "[too_many_tokens] Line 1 has 5,0" in out and "OpenAI truncates it to the first 4,096" in out


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_validate_unreadable_input_exits_2(capsys, tmp_path, kind):
    path = tmp_path / "missing.jsonl" if kind == "missing" else tmp_path
    code, out, err = run(capsys, "validate", path)
    assert code == 2
    assert str(path) in err and err.startswith("workbench: ")
    code, out, _ = run(capsys, "validate", path, "--json")
    assert code == 2 and "error" in json.loads(out)


def test_validate_unreadable_validation_file_exits_2(capsys, good, tmp_path):
    code, _, err = run(capsys, "validate", good, "--validation-file", tmp_path / "nope.jsonl")
    assert code == 2 and "does not exist" in err


def test_unknown_model_exits_2_and_lists_known_models(capsys, good):
    code, _, err = run(capsys, "validate", good, "--model", "gpt-17")
    assert code == 2
    assert "'gpt-17'" in err and "gpt-4.1-mini-2025-04-14" in err


BAD_INPUTS = {
    "not UTF-8": ('{"messages": [{"role": "user", "content": "café"}]}\n'.encode("latin-1"), "invalid_utf8"),
    "not JSON": (b"customer,question,answer\n1,where,here\n", "invalid_json"),
    "truncated last line": (json.dumps(chat(1)).encode() + b"\n" + json.dumps(chat(2)).encode()[:-3], "invalid_json"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not_text"),
    "empty": (b"", "empty_dataset"),
    "JSON array on one line": (json.dumps([chat(1), chat(2)]).encode(), "data_type"),
    "pretty-printed JSON array": (json.dumps([chat(1), chat(2)], indent=2).encode(), "invalid_json"),
    "UTF-16": (json.dumps(chat(1)).encode("utf-16"), "not_text"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_a_finding_never_a_traceback(capsys, tmp_path, name):
    data, code_expected = BAD_INPUTS[name]
    p = tmp_path / "bad.jsonl"
    p.write_bytes(data)
    code, out, _ = run(capsys, "validate", p)
    assert code == 1
    assert f"[{code_expected}]" in out
    code, out, _ = run(capsys, "validate", p, "--json")
    assert code == 1
    assert code_expected in {e["code"] for e in json.loads(out)["errors"]}


def test_a_10_mb_line_is_reported_as_over_long(capsys, tmp_path):
    p = tmp_path / "huge.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        fh.write('{"messages": [{"role": "user", "content": "' + "x" * (10 * 1024 * 1024) + '"}]}\n')
        for i in range(12):
            fh.write(json.dumps(chat(i)) + "\n")
    code, out, _ = run(capsys, "validate", p, "--json")
    assert code == 1
    report = json.loads(out)
    (long,) = [e for e in report["errors"] if e["code"] == "line_too_long"]
    assert long["line"] == 1 and "10.0 MB" in long["message"]
    assert report["examples"] == 12  # the lines after it are still read


def test_a_lone_utf16_surrogate_escape_does_not_crash(capsys, tmp_path):
    # "\\ud83d" is half of an emoji, as left behind by tools that cut text in the middle of a character.
    p = tmp_path / "t.jsonl"
    p.write_text("".join(json.dumps(chat(i)) + "\n" for i in range(12))
                 + '{"messages": [{"role": "user", "content": "Thanks \\ud83d"}, {"role": "assistant", "content": "ok"}]}\n')
    code, _, _ = run(capsys, "validate", p)
    assert code in (0, 1)


# --- estimate ---------------------------------------------------------------------------------------


def test_estimate_one_model(capsys, good):
    code, out, _ = run(capsys, "estimate", good, "--model", "gpt-4o-mini")
    assert code == 0
    assert f"{good}: 60 examples" in out
    row = [line for line in out.splitlines() if line.startswith("gpt-4o-mini-2024-07-18")]
    assert len(row) == 1 and "3 (auto)" in row[0]
    assert "Prices checked on" in out and "validation files are not billed" in out


def test_estimate_all_models_is_a_table(capsys, good):
    code, out, _ = run(capsys, "estimate", good, "--model", "all")
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("model"))
    assert "billed tokens" in header and "cost (USD)" in header
    for name in default_price_list().models:
        assert any(line.startswith(name + " ") for line in lines), name


def test_estimate_json_with_fixed_and_auto_epochs(capsys, good):
    code, out, _ = run(capsys, "estimate", good, "--model", "gpt-4.1-mini", "--epochs", "2", "--json")
    assert code == 0
    fixed = json.loads(out)
    (e,) = fixed["estimates"]
    assert e["model"] == "gpt-4.1-mini-2025-04-14" and e["examples"] == 60
    assert e["epochs"] == 2 and e["epochs_auto"] is False
    assert e["billed_tokens"] == e["tokens"] * 2
    assert e["cost_usd"] == round(e["billed_tokens"] / 1_000_000 * 5.0, 4)
    assert fixed["prices_checked"] == default_price_list().checked
    code, out, _ = run(capsys, "estimate", good, "--model", "gpt-4.1-mini", "--epochs", "auto", "--json")
    (auto,) = json.loads(out)["estimates"]
    assert auto["epochs"] == 3 and auto["epochs_auto"] is True and auto["billed_tokens"] == e["tokens"] * 3


@pytest.mark.parametrize("epochs", ["0", "51", "two", "1.5"])
def test_estimate_rejects_bad_epochs(capsys, good, epochs):
    code, _, err = run(capsys, "estimate", good, "--model", "gpt-4o-mini", "--epochs", epochs)
    assert code == 2 and "--epochs" in err


def test_estimate_unreadable_file_exits_2_and_unknown_model_too(capsys, tmp_path, good):
    code, _, err = run(capsys, "estimate", tmp_path / "nope.jsonl", "--model", "gpt-4o-mini")
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "estimate", good, "--model", "nonsense")
    assert code == 2


def test_estimate_mentions_lines_it_could_not_count(capsys, tmp_path):
    p = write_jsonl(tmp_path / "t.jsonl", [chat(i) for i in range(3)])
    with p.open("a") as fh:
        fh.write("{oops\n")
    code, out, _ = run(capsys, "estimate", p, "--model", "gpt-4o-mini")
    assert code == 0
    assert "Not counted: 1 lines" in out and "lines 4" in out


# --- convert ----------------------------------------------------------------------------------------


def test_convert_legacy_to_chat(capsys, tmp_path):
    src = tmp_path / "legacy.jsonl"
    objs = [legacy(i) for i in range(3)] + [chat(9)]
    write_jsonl(src, objs, dumps=lambda o: json.dumps(o, indent=None))
    with src.open("a") as fh:
        fh.write("\n")  # a blank line is dropped, not an error
    out_path = tmp_path / "chat.jsonl"
    code, out, _ = run(capsys, "convert", src, "-o", out_path, "--system-prompt", "You are Acme support.")
    assert code == 0
    assert "Wrote 4 examples" in out and "3 converted" in out
    text = out_path.read_text("utf-8")
    lines = text.splitlines()
    assert len(lines) == 4 and text.endswith("\n")
    first = json.loads(lines[0])
    assert first == {"messages": [{"role": "system", "content": "You are Acme support."},
                                  {"role": "user", "content": "Customer: where is order 0?\nAgent:"},
                                  {"role": "assistant", "content": "It ships tomorrow (0)."}]}
    assert lines[0] == json.dumps(first, ensure_ascii=False, separators=(",", ":"))  # normalised: compact
    assert json.loads(lines[3]) == chat(9)  # chat examples pass through unchanged


def test_convert_writes_nothing_when_a_line_is_unreadable(capsys, tmp_path):
    src = tmp_path / "legacy.jsonl"
    write_jsonl(src, [legacy(i) for i in range(3)])
    with src.open("a") as fh:
        fh.write('{"prompt": "cut off\n')
        fh.write(json.dumps(legacy(9)) + "\n")
    out_path = tmp_path / "chat.jsonl"
    code, _, err = run(capsys, "convert", src, "-o", out_path)
    assert code == 1
    assert "Line 4" in err and "nothing was written" in err
    assert not out_path.exists()
    assert os.listdir(tmp_path) == ["legacy.jsonl"]  # no temporary file left behind either


def test_convert_does_not_touch_an_existing_output_on_failure(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\x00\x01binary")
    out_path = tmp_path / "out.jsonl"
    out_path.write_text("keep me\n")
    code, _, _ = run(capsys, "convert", src, "-o", out_path)
    assert code == 1
    assert out_path.read_text() == "keep me\n"


def test_convert_unreadable_input_or_output_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "convert", tmp_path / "nope.jsonl", "-o", tmp_path / "out.jsonl")
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "out.jsonl").exists()
    src = write_jsonl(tmp_path / "in.jsonl", [legacy(1)])
    code, _, err = run(capsys, "convert", src, "-o", tmp_path / "no" / "such" / "dir.jsonl")
    assert code == 2 and "cannot write" in err


def test_convert_a_lone_surrogate_escape_is_not_a_traceback(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"prompt": "Danke \\ud83d", "completion": " Gern"}\n')
    out_path = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "convert", src, "-o", out_path)
    if code == 0:
        assert json.loads(out_path.read_text("utf-8"))["messages"][0]["content"] == "Danke \ud83d"
    else:
        assert not out_path.exists()


# --- the program ------------------------------------------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"Fine-Tune Workbench {__version__}"


def test_a_bad_command_line_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["validate"])
    assert exit_.value.code == 2
    assert "file" in capsys.readouterr().err


def test_python_dash_m_workbench_runs_as_a_program(tmp_path, good):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "workbench", "validate", str(good), "--json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["examples"] == 60
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe{\x00")
    done = subprocess.run([sys.executable, "-m", "workbench", "validate", str(bad)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "workbench", "--version"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and __version__ in done.stdout
