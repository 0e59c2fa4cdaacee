"""HTML -> readable plain text with the standard library's ``html.parser``.

Used only when a comment has no plain-text body. Block elements become line breaks, list items
get a "- " bullet, entities are decoded, script/style are dropped, and ``<blockquote>`` content is
prefixed with "> " so the quoted-email cleaner removes it like any other quoted reply.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from workbench.core.cleaning.whitespace import normalize_whitespace

_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "blockquote", "hr"})
_LINE = frozenset(
    {"div", "li", "tr", "dd", "dt", "section", "article", "header", "footer", "address", "figure", "dl"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TAG = re.compile(r"<[a-zA-Z/!]")


# Markers written between text fragments while parsing and resolved per line afterwards (cheaper
# than assembling lines in every callback; html.parser already dominates the cost).
_QUOTE_IN, _QUOTE_OUT, _PRE_IN, _PRE_OUT = "\x01", "\x02", "\x03", "\x04"
_LINE_END, _PARAGRAPH_END, _BREAK = "\x05", "\x06", "\x07"  # </div>-like, </p>-like, <br>
_BREAKS = frozenset({_LINE_END, _PARAGRAPH_END, _BREAK})
_MARKERS = str.maketrans("", "", _QUOTE_IN + _QUOTE_OUT + _PRE_IN + _PRE_OUT)
_CONTROL = str.maketrans("", "", "".join(map(chr, range(8))))  # so input cannot fake a marker
# A run of breaks collapses: "</li><li>" ends one line, not two; "<br></div>" too. Only <br>s add
# up ("a<br><br>b" keeps its blank line).
_BREAK_RUN = re.compile("[\x05-\x07]+")


def _resolve_breaks(run: re.Match[str]) -> str:
    text = run.group()
    least = 2 if _PARAGRAPH_END in text else 1 if _LINE_END in text else 0
    return "\n" * max(least, text.count(_BREAK))


def _block_start(tag: str) -> str | None:
    """The break a start tag makes (shared by the parser and the fast path)."""
    if tag == "br":
        return _BREAK
    if tag in _PARAGRAPH:
        return _PARAGRAPH_END
    if tag in _LINE:
        return _LINE_END
    return None


def _block_end(tag: str) -> str | None:
    if tag in _PARAGRAPH:
        return _PARAGRAPH_END
    if tag in _LINE:
        return _LINE_END
    return None


def _add_text(parts: list[str], data: str) -> None:
    """Text outside <pre>: whitespace folds to one space, and none at all between blocks."""
    if data.isspace():
        if not parts or parts[-1] in _BREAKS:
            return
        data = " "
    elif "\n" in data or "\t" in data or "  " in data or "\r" in data or "\f" in data:
        data = _SPACES.sub(" ", data)
    parts.append(data)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        out = self.parts.append
        block = _block_start(tag)
        if block:
            out(block)
        if tag == "li":
            out("- ")
        elif tag == "blockquote":
            out(_QUOTE_IN)
        elif tag == "pre":
            self._pre += 1
            out(_PRE_IN)
        elif tag == "a":
            self._href = dict(attrs).get("href")
            self._link_text = []
        elif tag in ("td", "th"):
            out(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        out = self.parts.append
        if tag == "a":
            self._end_link()
        elif tag == "blockquote":
            out(_PARAGRAPH_END + _QUOTE_OUT)
        elif tag == "pre":
            out(_PARAGRAPH_END + _PRE_OUT)
            self._pre = max(0, self._pre - 1)
        elif block := _block_end(tag):
            out(block)

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        if min(data) < "\x08":
            data = data.translate(_CONTROL)
        if self._href is not None:
            self._link_text.append(data)
        if self._pre:
            self.parts.append(data)
        else:
            _add_text(self.parts, data)

    def _end_link(self) -> None:
        # Keep the address of a link whose text hides it ("click here"): the reply is useless
        # without it. Plain links ("https://x.com" shown as itself) are not repeated.
        href, text = self._href, "".join(self._link_text).strip()
        self._href = None
        if href and href.startswith(("http://", "https://")) and text and text not in href:
            self.parts.append(f" ({href})")

    def text(self) -> str:
        raw = _BREAK_RUN.sub(_resolve_breaks, "".join(self.parts))
        if _QUOTE_IN not in raw and _PRE_IN not in raw:
            return "\n".join([line.strip() for line in raw.split("\n")])
        lines = []
        depth = pre = 0
        for line in raw.split("\n"):
            if _QUOTE_IN in line or _QUOTE_OUT in line or _PRE_IN in line or _PRE_OUT in line:
                depth += line.count(_QUOTE_IN) - line.count(_QUOTE_OUT)
                pre += line.count(_PRE_IN) - line.count(_PRE_OUT)
                line = line.translate(_MARKERS)
            line = line.rstrip() if pre > 0 else line.strip()
            if line and depth > 0:
                line = "> " * depth + line
            lines.append(line)
        return "\n".join(lines)


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment (a Zendesk ``html_body``)."""
    if not _TAG.search(html):
        # Not actually HTML: still decode entities the way a browser would.
        return normalize_whitespace(unescape(html))
    parts = _simple_parts(html)
    if parts is None:
        parser = _TextExtractor()
        parser.feed(html)
        parser.close()
        return normalize_whitespace(parser.text())
    raw = _BREAK_RUN.sub(_resolve_breaks, "".join(parts))
    return normalize_whitespace("\n".join([line.strip() for line in raw.split("\n")]))


# Most agent replies are plain paragraphs, breaks and inline formatting. For those, a regex walk
# produces exactly the parser's output at a fraction of html.parser's cost; anything richer
# (quotes, lists, links, tables, pre, scripts, comments, odd attributes) goes to the parser.
_RICH = re.compile(r"<(?:[!?]|/?(?:script|style|head|title|template|noscript|blockquote|pre|a|li|td|th|"
                   r"textarea|xmp|plaintext)\b)", re.IGNORECASE)
_SIMPLE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s[^<>]*?)?)(/?)>")


def _simple_parts(html: str) -> list[str] | None:
    if _RICH.search(html) or "\x00" in html:
        return None
    parts: list[str] = []
    out = parts.append
    pos = 0
    for m in _SIMPLE_TAG.finditer(html):
        attrs = m.group(3)
        if attrs and (attrs.count('"') % 2 or attrs.count("'") % 2):
            return None  # a '>' may sit inside a quoted attribute: let the parser decide
        if m.start() > pos and not _simple_data(parts, html[pos:m.start()]):
            return None
        pos = m.end()
        tag = m.group(2).lower()
        block = _block_end(tag) if m.group(1) else _block_start(tag)
        if block:
            out(block)
    if pos < len(html) and not _simple_data(parts, html[pos:]):
        return None
    return parts


def _simple_data(parts: list[str], data: str) -> bool:
    """The parser's handle_data for text between simple tags; False when the text is not plain."""
    if "<" in data:
        return False  # a stray '<' (e.g. an unclosed tag): the parser's rules decide
    if "&" in data:
        data = unescape(data)
    if not data:
        return True
    if min(data) < "\x08":
        data = data.translate(_CONTROL)
    _add_text(parts, data)
    return True
