"""Whitespace normalisation."""

from hypothesis import given
from hypothesis import strategies as st

from workbench.core.cleaning import normalize_whitespace


def test_trailing_spaces_and_line_endings():
    assert normalize_whitespace("a  \r\nb\t\rc") == "a\nb\nc"


def test_blank_line_runs_collapse_to_one():
    assert normalize_whitespace("a\n\n\n\n\nb\n \n \t\nc") == "a\n\nb\n\nc"


def test_nbsp_and_invisible_characters():
    assert normalize_whitespace("a\u00a0b\u202fc\u200bd\ufeff") == "a b cd"


def test_trim_but_keep_indentation_inside():
    assert normalize_whitespace("\n\n  code:\n    x = 1\n\n") == "code:\n    x = 1"


def test_untouched_text_is_returned_as_is():
    text = "Hello,\n\nAll good."
    assert normalize_whitespace(text) == text


@given(st.text())
def test_idempotent(text):
    once = normalize_whitespace(text)
    assert normalize_whitespace(once) == once
    assert "\n\n\n" not in once and "\r" not in once and "\u00a0" not in once
