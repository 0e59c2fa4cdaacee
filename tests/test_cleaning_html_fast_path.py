"""The regex fast path for simple HTML gives exactly what html.parser gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.cleaning import html_text
from workbench.core.cleaning.html_text import html_to_text

TAGS = ["p", "br", "div", "span", "strong", "b", "em", "i", "u", "h2", "P", "BR", "Div"]
TEXT = st.lists(st.sampled_from(list("abc XYZ\n\t  .,;&é") + ["&amp;", "&lt;", "&nbsp;", "&#39;"]),
                max_size=12).map("".join)


def _piece(draw):
    kind = draw(st.integers(0, 3))
    tag = draw(st.sampled_from(TAGS))
    if kind == 0:
        return draw(TEXT)
    if kind == 1:
        return f"<{tag}>"
    if kind == 2:
        return f"</{tag}>"
    style = draw(st.sampled_from(["", ' style="color:red"', " class='x y'", " id=z"]))
    return f"<{tag}{style}{draw(st.sampled_from(['', '/']))}>"


@st.composite
def simple_html(draw):
    return "".join(_piece(draw) for _ in range(draw(st.integers(1, 25))))


def _parser(html: str) -> str:
    parser = html_text._TextExtractor()
    parser.feed(html)
    parser.close()
    return html_text.normalize_whitespace(parser.text())


@settings(max_examples=400, deadline=None)
@given(simple_html())
def test_fast_path_equals_parser(html):
    if html_text._TAG.search(html):
        assert html_to_text(html) == _parser(html)


def test_rich_html_uses_the_parser():
    assert html_text._simple_parts("<p>see <a href='https://x.example'>here</a></p>") is None
    assert html_text._simple_parts("<blockquote>old</blockquote>") is None
    assert html_text._simple_parts("<p>Hi<br>there</p>") is not None
