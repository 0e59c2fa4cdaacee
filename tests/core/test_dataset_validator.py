"""Dataset-level validation kept current incrementally (one example re-checked, never a re-scan)."""

from __future__ import annotations

import json
import random

import pytest

from tests.core.builders import chat, dpo, legacy, write_jsonl
from workbench.core.pricing import ModelSpec, resolve_model
from workbench.core.tokens import TokenCounter
from workbench.core.validation import dataset as dataset_mod
from workbench.core.validation.dataset import DatasetValidator
from workbench.core.validation.file_report import scan_file, validate_file
from workbench.core.validation.issues import Severity


def _filled(n: int, **kw) -> DatasetValidator:
    v = DatasetValidator(**kw)
    for i in range(n):
        v.put(i, chat(i), line=i + 1)
    return v


def _codes(issues):
    return [i.code for i in issues]


@pytest.mark.parametrize(
    ("n", "codes", "severity"),
    [
        (0, ["empty_dataset"], Severity.ERROR),
        (1, ["too_few_examples"], Severity.ERROR),
        (9, ["too_few_examples"], Severity.ERROR),
        (10, ["few_examples"], Severity.WARNING),
        (49, ["few_examples"], Severity.WARNING),
        (50, [], None),
    ],
)
def test_dataset_size_thresholds(n, codes, severity):
    issues = _filled(n).dataset_issues()
    assert _codes(issues) == codes
    if issues:
        assert issues[0].severity is severity
        assert issues[0].line is None
        if n:
            assert f"has {n} examples" in issues[0].message


def test_exact_duplicates_are_a_warning_naming_the_copies():
    v = _filled(60)
    v.put(100, chat(3), line=61)
    v.put(101, chat(3), line=62)
    v.put(102, chat(7), line=63)
    (dup,) = [i for i in v.dataset_issues(locate=lambda k: k + 1 if k < 100 else k - 39) if i.code == "duplicate_examples"]
    assert dup.severity is Severity.WARNING
    assert "copies of other examples: 3" in dup.message
    assert "(lines 61, 62, 63)" in dup.message
    assert sorted(map(sorted, v.duplicate_groups())) == [[3, 100, 101], [7, 102]]


def test_same_example_with_keys_in_another_order_is_a_duplicate():
    v = _filled(60)
    a = chat(1)
    v.put("copy", {"messages": [{"content": m["content"], "role": m["role"]} for m in a["messages"]]})
    assert "duplicate_examples" in _codes(v.dataset_issues())


def test_mixed_formats_is_an_error_that_counts_each_format():
    v = _filled(55)
    for i in range(3):
        v.put(f"l{i}", legacy(i))
    v.put("d", dpo())
    (mixed,) = [i for i in v.dataset_issues() if i.code == "mixed_formats"]
    assert mixed.severity is Severity.ERROR
    assert "55 chat" in mixed.message and "3 prompt/completion (legacy)" in mixed.message
    assert "1 preference (DPO)" in mixed.message
    assert v.kind_counts() == {"chat": 55, "legacy": 3, "dpo": 1}


def test_editing_a_duplicate_away_removes_the_warning():
    v = _filled(60)
    v.put(5, chat(3))  # example 5 becomes a copy of example 3
    assert "duplicate_examples" in _codes(v.dataset_issues())
    v.put(5, chat(500))  # edited again: unique
    assert "duplicate_examples" not in _codes(v.dataset_issues())
    assert v.duplicate_groups() == []


def test_removing_a_duplicate_removes_the_warning():
    v = _filled(60)
    v.put("copy", chat(3))
    v.remove(3)
    assert "duplicate_examples" not in _codes(v.dataset_issues())
    v.remove("never there")  # removing an unknown key changes nothing
    assert len(v) == 60


def test_removing_examples_below_ten_gives_too_few_examples():
    v = _filled(12)
    assert _codes(v.dataset_issues()) == ["few_examples"]
    for key in (0, 1, 2):
        v.remove(key)
    assert len(v) == 9
    assert _codes(v.dataset_issues()) == ["too_few_examples"]


def test_put_checks_only_the_changed_example(monkeypatch):
    calls = []
    real = dataset_mod.check_example

    def spy(obj, *args, **kwargs):
        calls.append(obj)
        return real(obj, *args, **kwargs)

    monkeypatch.setattr(dataset_mod, "check_example", spy)
    v = _filled(200)
    assert len(calls) == 200
    calls.clear()
    v.put(17, chat(3))
    assert calls == [chat(3)]
    calls.clear()
    v.dataset_issues()
    v.remove(18)
    v.dataset_issues()
    assert calls == []


def test_error_and_warning_totals_follow_edits():
    v = _filled(50)
    assert (v.errors, v.warnings) == (0, 0)
    bad = {"messages": [{"role": "user", "content": "x"}]}  # no assistant: 1 error
    facts = v.put(3, bad)
    assert facts.status == "error" and facts.errors == 1
    assert (v.errors, v.warnings) == (1, 0)
    v.put(3, chat(3))
    assert (v.errors, v.warnings) == (0, 0)
    v.put(4, {**chat(4), "extra": 1})  # unknown key: warning
    assert (v.errors, v.warnings) == (0, 1)
    assert v.facts(4).status == "warning"
    v.remove(4)
    assert (v.errors, v.warnings) == (0, 0)


def _state(v: DatasetValidator):
    return (
        # (the order of equally common formats in the mixed_formats message may differ; the rest may not)
        sorted((i.code, i.severity.value, i.message if i.code != "mixed_formats" else "")
               for i in v.dataset_issues() if i.code != "duplicate_examples"),
        sorted(sorted(map(str, g)) for g in v.duplicate_groups()),
        v.kind_counts(),
        v.errors,
        v.warnings,
        len(v),
    )


def test_incremental_state_equals_a_fresh_scan_after_random_edits():
    rng = random.Random(1234)
    pool = [chat(i % 7) for i in range(7)] + [legacy(1), dpo(1), {"messages": []}, {"x": 1}, [1], {**chat(1), "k": 1}]
    v = DatasetValidator()
    current: dict[int, object] = {}
    for _ in range(400):
        key = rng.randrange(30)
        if rng.random() < 0.25:
            v.remove(key)
            current.pop(key, None)
        else:
            obj = rng.choice(pool)
            v.put(key, obj)
            current[key] = obj
        fresh = DatasetValidator()
        for k, obj in current.items():
            fresh.put(k, obj)
        assert _state(v) == _state(fresh)


def test_overlap_between_training_and_validation():
    train = _filled(60)
    val = DatasetValidator()
    val.put(1, chat(100), line=1)
    val.put(2, chat(5), line=2)  # also in training
    val.put(3, chat(7), line=3)  # also in training
    (issue,) = val.overlap_with(train)
    assert issue.code == "train_validation_overlap" and issue.severity is Severity.WARNING
    assert "2 validation examples" in issue.message and "(validation lines 2, 3)" in issue.message
    val.remove(2)
    val.remove(3)
    assert val.overlap_with(train) == []


TINY = ModelSpec(name="tiny-model", encoding="o200k_base", training_limit=20, methods=("supervised", "dpo"),
                 training=1.0, input=None, cached_input=None, output=None)


def test_token_limit_exceeded_says_by_how_much_and_that_openai_truncates():
    counter = TokenCounter("o200k_base")
    v = DatasetValidator(spec=TINY, counter=counter)
    long = {"messages": [{"role": "user", "content": "word " * 40}, {"role": "assistant", "content": "ok"}]}
    facts = v.put(1, long, line=4)
    tokens = counter.count(long)
    assert tokens > 20 and facts.tokens == tokens
    (issue,) = [i for i in facts.issues if i.code == "too_many_tokens"]
    assert issue.line == 4
    assert f"{tokens:,} tokens, {tokens - 20:,} more than the 20 tiny-model trains on" in issue.message
    assert "OpenAI truncates it to the first 20" in issue.message
    short = v.put(2, {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]})
    assert "too_many_tokens" not in _codes(short.issues)


def test_real_model_limit_gpt_35_turbo_0613():
    spec = resolve_model("gpt-3.5-turbo-0613")
    v = DatasetValidator(spec=spec, counter=TokenCounter.for_model("gpt-3.5-turbo-0613"))
    long = {"messages": [{"role": "user", "content": " apple" * 5000}, {"role": "assistant", "content": "ok"}]}
    facts = v.put(1, long)
    (issue,) = [i for i in facts.issues if i.code == "too_many_tokens"]
    assert "4,096" in issue.message and f"{facts.tokens - 4096:,} more" in issue.message


@pytest.mark.parametrize(
    ("model", "obj", "mismatch"),
    [
        ("babbage-002", chat(), True),
        ("babbage-002", legacy(), False),
        ("gpt-4o-mini", legacy(), True),
        ("gpt-3.5-turbo", dpo(), True),  # no preference tuning
        ("gpt-4.1-mini", dpo(), False),
        ("gpt-4.1-mini", chat(), False),
    ],
)
def test_format_must_suit_the_model(model, obj, mismatch):
    v = DatasetValidator(spec=resolve_model(model))
    facts = v.put(1, obj, line=1)
    assert ("format_model_mismatch" in _codes(facts.issues)) is mismatch


def test_scan_file_combines_line_example_and_dataset_findings(tmp_path):
    p = tmp_path / "train.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for i in range(12):
            fh.write(json.dumps(chat(i)) + "\n")
        fh.write("\n")  # line 13: blank
        fh.write('{"messages": [{"role": "user", "content": "x"}]}\n')  # line 14: no assistant
        fh.write("{not json\n")  # line 15
        fh.write(json.dumps(chat(2)) + "\n")  # line 16: duplicate of line 3
    report = scan_file(p)
    assert report.examples == 14
    by_code = {i.code: i for i in report.issues}
    assert by_code["blank_line"].line == 13
    assert by_code["example_missing_assistant_message"].line == 14
    assert by_code["invalid_json"].line == 15
    assert "(lines 16)" in by_code["duplicate_examples"].message
    assert "few_examples" in by_code
    assert {i.code for i in report.errors} == {"example_missing_assistant_message", "invalid_json"}
    js = report.to_json()
    assert js["examples"] == 14
    assert {e["code"] for e in js["errors"]} == {"example_missing_assistant_message", "invalid_json"}
    assert all("line" in e for e in js["errors"])


def test_validate_file_reports_overlap_and_names_the_validation_file(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", [chat(i) for i in range(60)])
    val = write_jsonl(tmp_path / "val.jsonl", [chat(200), chat(4), {"messages": []}])
    report = validate_file(train, model="gpt-4o-mini", validation_file=val)
    (overlap,) = [i for i in report.issues if i.code == "train_validation_overlap"]
    assert "1 validation examples" in overlap.message and "(validation lines 2)" in overlap.message
    (bad,) = [i for i in report.issues if i.code == "missing_messages_list"]
    assert bad.message.startswith("[val.jsonl] Line 3")


def test_scan_file_reports_progress_and_token_stats(tmp_path):
    p = write_jsonl(tmp_path / "t.jsonl", [chat(i) for i in range(60)])
    seen = []
    report = scan_file(p, counter=TokenCounter("o200k_base"), progress=lambda done, total: seen.append((done, total)))
    size = p.stat().st_size
    assert seen[-1] == (size, size)
    counts = report.validator.token_counts()
    stats = report.stats()["tokens"]
    assert stats["total"] == sum(counts) and stats["min"] == min(counts) and stats["max"] == max(counts)
    assert stats["encoding"] == "o200k_base"


def test_a_lone_utf16_surrogate_is_checked_not_a_crash():
    # json.loads accepts "\ud83d" (half an emoji, as left by tools that cut text mid-character).
    obj = json.loads('{"messages": [{"role": "user", "content": "Thanks \\ud83d"}, {"role": "assistant", "content": "ok"}]}')
    v = DatasetValidator(spec=resolve_model("gpt-4o-mini"), counter=TokenCounter("o200k_base"))
    v.put(1, obj)
    assert len(v) == 1
