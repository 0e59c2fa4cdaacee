"""HTML comment bodies become readable plain text."""

from hypothesis import given
from hypothesis import strategies as st

from workbench.core.cleaning import html_to_text


def test_paragraphs_breaks_and_lists():
    html = "<p>Hello Dan,</p><p>Two things:<br>first line<br/>second line</p><ul><li>one</li><li>two</li></ul><p>Bye</p>"
    assert html_to_text(html) == "Hello Dan,\n\nTwo things:\nfirst line\nsecond line\n\n- one\n- two\n\nBye"


def test_entities_decoded():
    assert html_to_text("<p>Fish &amp; chips &lt;3 &euro;5&nbsp;each &#8211; ok</p>") == "Fish & chips <3 €5 each – ok"


def test_script_and_style_dropped():
    html = "<style>p{color:red}</style><p>Visible</p><script>alert('x')</script><p>Also visible</p>"
    assert html_to_text(html) == "Visible\n\nAlso visible"


def test_inline_whitespace_collapsed_like_a_browser():
    assert html_to_text("<div>  lots   of\n   space <b>bold</b>\tword </div>") == "lots of space bold word"


def test_pre_keeps_its_lines():
    assert html_to_text("<p>Run:</p><pre>cd app\n  make run</pre>") == "Run:\n\ncd app\n  make run"


def test_hidden_link_target_kept():
    out = html_to_text('<p>Download it <a href="https://acme.example/dl">here</a> or at <a href="https://acme.example">https://acme.example</a></p>')
    assert out == "Download it here (https://acme.example/dl) or at https://acme.example"


def test_blockquote_becomes_quoted_lines():
    assert html_to_text("<p>Yes.</p><blockquote><p>Old question</p><p>More</p></blockquote>") == (
        "Yes.\n\n> Old question\n\n> More"
    )


def test_table_cells_on_one_line():
    assert html_to_text("<table><tr><td>Plan</td><td>Pro</td></tr><tr><td>Seats</td><td>5</td></tr></table>") == (
        "Plan Pro\nSeats 5"
    )


def test_zendesk_comment_wrapper():
    html = '<div class="zd-comment" dir="auto"><p dir="auto">Hi!</p></div>'
    assert html_to_text(html) == "Hi!"


def test_plain_text_passes_through():
    assert html_to_text("Just text, 1 < 2 &amp; done") == "Just text, 1 < 2 & done"


def test_broken_html_does_not_crash():
    assert html_to_text("<p>Unclosed <b>bold<div>and <i>more") == "Unclosed bold\nand more"


@given(st.text())
def test_never_raises(text):
    assert isinstance(html_to_text(text), str)


def test_block_soup_and_nested_lists():
    assert html_to_text("<div><div>a</div></div><div>b</div>") == "a\nb"
    assert html_to_text("<div>x<br></div><div>y</div>") == "x\ny"
    assert html_to_text("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>") == "- a\n\n- b\n\n- c"
    assert html_to_text("<b>a</b> <i>b</i>") == "a b"


def test_repeated_breaks_keep_at_most_one_blank_line():
    assert html_to_text("a<br><br><br><br>b") == "a\n\nb"
    assert html_to_text("<div>a<br><br></div><div>b</div>") == "a\n\nb"


def test_control_characters_in_text_cannot_break_the_layout():
    assert html_to_text("<p>a\x05b\x01c</p><p>d</p>") == "abc\n\nd"
