"""PII settings: custom patterns with plain errors, the phone region, persistence in the workspace."""

import locale
import re

import pytest

from workbench.core.pii import PatternError, PiiSettings, default_region, load_settings, save_settings
from workbench.core.pii.settings import META_KEY, check_region
from workbench.core.store import Workspace


@pytest.mark.parametrize("name,regex,says", [
    ("order number", "ORD-(\\d+", "not a valid regular expression: missing ), unterminated subpattern at character 5"),
    ("order number", "[0-9", "not a valid regular expression"),
    ("order number", "\\d*", "matches empty text"),
    ("order number", "", "is empty"),
    ("", "ORD-\\d+", "Give the pattern a name"),
    ("order/number", "ORD-\\d+", "may only use letters"),
    ("Email", "x+", "already used (placeholder [EMAIL])"),
    ("x" * 41, "x+", "too long"),
])
def test_custom_pattern_errors_are_plain_sentences(name, regex, says):
    with pytest.raises(PatternError) as info:
        PiiSettings(region="US").with_pattern(name, regex)
    assert says in str(info.value)


def test_two_patterns_cannot_share_a_placeholder():
    settings = PiiSettings(region="US").with_pattern("order number", r"ORD-\d+")
    with pytest.raises(PatternError, match=re.escape("[ORDER_NUMBER]")):
        settings.with_pattern("Order_Number", r"X\d+")


def test_region_check_and_default_from_the_locale(monkeypatch):
    assert check_region(" gb ") == "GB"
    with pytest.raises(ValueError, match="two letters"):
        check_region("Britain")
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("de_DE", "UTF-8"))
    assert default_region() == "DE"
    monkeypatch.setattr(locale, "getlocale", lambda *a: (None, None))
    assert default_region() == "US"
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("C", "UTF-8"))
    assert default_region() == "US"


def test_settings_round_trip_through_the_workspace(tmp_path):
    settings = (PiiSettings(kinds=frozenset({"email", "phone", "name"}), region="GB", names=("Carla Moreno",),
                            numbered=True, allowed=("support@acme.example",))
                .with_pattern("order number", r"ORD-\d{6}"))
    with Workspace.open(tmp_path / "w.ftw") as ws:
        assert load_settings(ws).kinds == PiiSettings().kinds  # nothing saved yet: defaults
        save_settings(ws, settings)
        assert ws.undo_label() is None  # settings are not an edit of the data
    with Workspace.open(tmp_path / "w.ftw") as ws:
        assert load_settings(ws) == settings


def test_damaged_stored_settings_fall_back_to_defaults(tmp_path):
    with Workspace.open(tmp_path / "w.ftw") as ws:
        ws.set_meta(META_KEY, "{not json")
        assert load_settings(ws) == PiiSettings(region=load_settings(ws).region)
        ws.set_meta(META_KEY, '{"kinds": ["email", "bogus"], "region": "XX", "numbered": true,'
                              ' "patterns": [{"name": "bad", "regex": "("}, {"name": "ok", "regex": "OK-\\\\d+"}]}')
        loaded = load_settings(ws)
        assert loaded.kinds == frozenset({"email"}) and loaded.numbered
        assert [p.name for p in loaded.patterns] == ["ok"]
        assert loaded.region == default_region()
