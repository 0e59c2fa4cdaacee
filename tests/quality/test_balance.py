"""Balance report: examples, share and answer length per segment, with skews flagged."""

import pytest

from tests.quality.helpers import convo, records
from workbench.core.quality import QualityCancelled, balance_report


def _data():
    datas, tags = [], []
    for i in range(100):
        tier = "gold" if i < 20 else "silver" if i < 99 else "bronze"
        answer = "x" * (300 if tier == "gold" else 100)
        datas.append(convo(f"q{i}", answer, more=("and?", "y" * 100) if i % 2 else None))
        tags.append([f"tier:{tier}"] + (["topic:billing"] if i % 3 == 0 else []))
    datas.append(convo("untagged", "z" * 100))
    tags.append([])
    return datas, tags


def test_segments_of_a_prefix_with_lengths_and_flags():
    datas, tags = _data()
    report = balance_report(records(datas, tags), by="tier")
    by = {s.segment: s for s in report.segments}
    assert [s.segment for s in report.segments] == ["silver", "gold", "bronze", "(untagged)"]
    gold = by["gold"]
    assert gold.tag == "tier:gold" and gold.examples == 20 and gold.share == pytest.approx(20 / 101)
    assert gold.replies == 30 and gold.avg_chars == pytest.approx((20 * 300 + 10 * 100) / 30)
    assert gold.median_chars == 300 and gold.avg_turns == pytest.approx(3.0)
    assert any("longer than average" in f for f in gold.flags)
    assert by["bronze"].flags and "few examples" in by["bronze"].flags[-1]
    assert by["(untagged)"].tag is None
    assert not by["silver"].flags
    assert report.overall.examples == 101 and {s.segment for s in report.flagged} == {"gold", "bronze", "(untagged)"}
    assert report.to_json()["segments"][0]["segment"] == "silver"


def test_every_tag_is_a_segment_without_a_prefix_and_tokens_are_counted():
    datas, tags = _data()
    report = balance_report(records(datas, tags), counter=lambda t: len(t) // 4)
    by = {s.segment: s for s in report.segments}
    assert {"tier:gold", "topic:billing", "(untagged)"} <= set(by)
    assert by["topic:billing"].examples == 34
    assert by["tier:gold"].avg_tokens == pytest.approx(by["tier:gold"].avg_chars / 4)
    assert balance_report(records(datas, tags)).overall.avg_tokens is None


def test_bad_factor_and_cancel():
    datas, tags = _data()
    with pytest.raises(ValueError):
        balance_report(records(datas, tags), length_factor=1.0)
    with pytest.raises(QualityCancelled):
        balance_report(records(datas, tags), cancel=lambda: True)
