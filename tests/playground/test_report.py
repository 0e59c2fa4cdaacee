"""The evaluation report: numbers per model, CSV and a self-contained, escaped HTML page."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest

from workbench.core.playground.answer import FAILED, Answer, ChatSettings, ChatTarget
from workbench.core.playground.evaluation import EvalItem, EvalPlan, EvalRating
from workbench.core.playground.report import build_report
from workbench.core.playground.report_export import CSV_COLUMNS, report_csv, report_html, write_report
from workbench.core.playground.stats import wilson_interval


def _plan():
    items = [EvalItem(i, ({"role": "system", "content": "Be kind."},
                          {"role": "user", "content": f"Question {i} <b>&</b>?"}), f"Ref {i}", 100 + i)
             for i in range(4)]
    targets = [ChatTarget("gpt-4o-mini", profile="OpenAI"),
               ChatTarget("ft:gpt-4o-mini-2024-07-18:acme::x", profile="OpenAI", label="<script>alert(1)</script>")]
    return EvalPlan(targets=targets, items=items, settings=ChatSettings(temperature=0.2), seed=1, name="Support v2")


def _answers():
    found = {}
    for i in range(4):
        found[(i, 0)] = Answer(f"base {i}", ttft=0.1 * (i + 1), total_time=1.0 + i, tokens_in=10, tokens_out=20,
                               cost=0.001)
        found[(i, 1)] = Answer(f"tuned {i} <img src=x>", ttft=0.2, total_time=2.0, tokens_in=12, tokens_out=8,
                               estimated=i == 0, cost=None if i == 3 else 0.002)
    found[(3, 0)] = Answer("half", status=FAILED, error="The connection broke off <midway>.", total_time=0.5)
    return found


def _ratings(plan):
    verdict_for_tuned = {0: "win", 1: "win", 2: "tie", 3: "both_bad"}
    out = []
    for p in plan.pairings():
        kind = verdict_for_tuned[p.item]
        verdict = kind if kind in ("tie", "both_bad") else ("A" if p.first == 1 else "B")
        out.append(EvalRating(p.item, p.first, p.second, verdict))
    return out


def test_the_report_has_each_models_record_tokens_cost_and_latency():
    plan = _plan()
    report = build_report(plan, _answers(), _ratings(plan))
    base, tuned = report.models
    assert (tuned.record.wins, tuned.record.losses, tuned.record.ties, tuned.record.both_bad) == (2, 0, 1, 1)
    assert (base.record.wins, base.record.losses, base.record.ties, base.record.both_bad) == (0, 2, 1, 1)
    assert tuned.win_rate == pytest.approx(2.5 / 3) and tuned.interval == wilson_interval(2.5, 3)
    assert base.answers == 3 and base.failed == 1 and base.missing == 0
    assert (base.tokens_in, base.tokens_out) == (30, 60)  # the failed answer has no counts
    assert base.cost == pytest.approx(0.003) and base.cost_complete is False
    assert tuned.cost == pytest.approx(0.006) and tuned.cost_complete is False and tuned.tokens_estimated
    assert base.latency_p50 == pytest.approx(2.0) and base.latency_p95 == pytest.approx(2.9)
    assert report.rated == report.pairings == 4 and report.complete
    assert report.rows[3].verdicts[0][1] == "both_bad"


def test_an_unrated_pair_and_a_missing_answer_show_as_such():
    plan = _plan()
    answers = _answers()
    del answers[(2, 1)]
    report = build_report(plan, answers, _ratings(plan)[:2])
    assert report.rated == 2 and not report.complete
    assert report.models[1].missing == 1
    assert report.rows[2].answers[1] is None and report.rows[2].verdicts[0][1] is None


def test_csv_has_one_row_per_model():
    plan = _plan()
    text = report_csv(build_report(plan, _answers(), _ratings(plan)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["model"] for r in rows] == ["gpt-4o-mini", "ft:gpt-4o-mini-2024-07-18:acme::x"]
    tuned = rows[1]
    assert tuned["name"] == "<script>alert(1)</script>" and tuned["service"] == "OpenAI"
    assert (tuned["wins"], tuned["losses"], tuned["ties"], tuned["both_bad"]) == ("2", "0", "1", "1")
    assert float(tuned["win_rate"]) == pytest.approx(2.5 / 3, abs=1e-4)
    low, high = wilson_interval(2.5, 3)
    assert float(tuned["ci95_low"]) == pytest.approx(low, abs=1e-4) and float(tuned["ci95_high"]) == pytest.approx(high, abs=1e-4)
    assert rows[0]["failed"] == "1" and rows[0]["cost_complete"] == "no"
    assert report_csv(build_report(plan, _answers(), []), presentation=True).splitlines()[1].split(",")[2] == ""


def test_a_formula_looking_name_cannot_run_in_a_spreadsheet():
    plan = _plan()
    plan.targets[0] = ChatTarget("gpt-4o-mini", label="=HYPERLINK(\"x\")")
    rows = list(csv.DictReader(io.StringIO(report_csv(build_report(plan, _answers(), [])))))
    assert rows[0]["name"] == "'=HYPERLINK(\"x\")"


class _Tags(HTMLParser):
    """Every tag with its attributes, and the text of <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.css = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css += data


def test_the_html_page_is_self_contained_and_escapes_every_text():
    plan = _plan()
    page = report_html(build_report(plan, _answers(), _ratings(plan)))
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "<img" not in page  # from the data, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "tuned 0 &lt;img src=x&gt;" in page
    assert "Question 0 &lt;b&gt;&amp;&lt;/b&gt;?" in page and "broke off &lt;midway&gt;" in page
    parsed = _Tags()
    parsed.feed(page)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "img", "link", "iframe", "object", "embed", "a"}  # loads nothing
    assert not any(k in ("src", "href") or k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert "url(" not in parsed.css and "@import" not in parsed.css
    assert "83%" in page and "half the ties" in page and "Support v2" in page
    assert "workspace id 100" in page and "<td>OpenAI</td>" in page


def test_presentation_mode_hides_services_and_ids(tmp_path):
    plan = _plan()
    report = build_report(plan, _answers(), _ratings(plan))
    page = report_html(report, presentation=True)
    assert "workspace id" not in page and "<td>OpenAI</td>" not in page and "Service" not in page
    html_path = write_report(report, tmp_path / "report.html")
    csv_path = write_report(report, tmp_path / "report.CSV")
    assert html_path.read_text("utf-8") == report_html(report)
    assert csv_path.read_bytes().decode("utf-8") == report_csv(report)
