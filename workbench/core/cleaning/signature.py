"""Remove signatures from the end of a message.

A model trained on replies that end in "Jane Doe | Support Lead | +1 555 0100" learns to sign
every answer as Jane. Three kinds are removed, always only at the end of the text:

- a *known* signature (the agent's Zendesk ``signature`` field): matched word for word but
  tolerant of any whitespace differences (editors re-wrap lines, add NBSPs, drop blank lines),
  with Zendesk placeholders such as ``{{agent.name}}`` matching whatever they rendered to;
- the conventional "-- " delimiter line and everything after it;
- mobile mail footers ("Sent from my iPhone", "Get Outlook for Android").

Each check starts with a cheap test on the end of the text, because an import runs them on
every comment and most comments have no signature at all.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.core.cleaning.whitespace import unify_newlines

_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")
_PLACEHOLDER_TOKEN = "\x00"
# "-- " on its own line is the RFC 3676 delimiter. A bare "--" (the trailing space is often lost)
# counts only when few lines follow, so a "--" used as a separator in running text survives.
_DELIMITER = re.compile(r"^--[ \t]?$", re.MULTILINE)
_MAX_LINES_AFTER_BARE_DELIMITER = 8
_MOBILE_FOOTER = re.compile(
    r"(?:\n|^)[ \t]*(?:Sent from my [^\n]{1,40}|Sent from (?:Mail|Outlook|Yahoo Mail|Gmail)[^\n]{0,40}"
    r"|Get Outlook for [^\n]{1,30}|Von meinem [^\n]{1,40} gesendet|Envoyé de mon [^\n]{1,40}"
    r"|Enviado desde mi [^\n]{1,40})[ \t]*\s*\Z",
    re.IGNORECASE,
)
_FOOTER_TAIL = 120  # longer than any footer the pattern accepts
# How every line this module may cut starts (delimiter, footers); see cleaning.pipeline.
LINE_START_HINT = r"--|[Ss]ent\b|[Gg]et\b|[Vv]on\b|[Ee]nvoy|[Ee]nviado\b"


@lru_cache(maxsize=512)
def _signature_pattern(signature: str) -> tuple[re.Pattern[str], str] | None:
    """The signature as a whitespace-tolerant pattern anchored at the end, and its last word."""
    words = _PLACEHOLDER.sub(f" {_PLACEHOLDER_TOKEN} ", signature).split()
    if not words:
        return None
    parts = [r"[^\n]{1,80}?" if w == _PLACEHOLDER_TOKEN else re.escape(w) for w in words]
    last = "" if words[-1] == _PLACEHOLDER_TOKEN else words[-1]
    return re.compile(r"\s+".join(parts) + r"\s*\Z"), last


def strip_known_signature(text: str, signature: str | None) -> str:
    """Remove ``signature`` if the text ends with it (whitespace differences ignored)."""
    if not signature:
        return text
    compiled = _signature_pattern(signature)
    if compiled is None:
        return text
    pattern, last_word = compiled
    trimmed = text.rstrip()
    if last_word and not trimmed.endswith(last_word):
        return text  # fast path: the text does not even end like the signature
    # Fast path for the usual case, the signature pasted verbatim: no regex needed.
    exact = signature.strip()
    if trimmed.endswith(exact):
        start = len(trimmed) - len(exact)
        if start == 0 or trimmed[start - 1].isspace():
            return trimmed[:start].rstrip()
    # Only the tail can hold the signature; searching it alone keeps long messages cheap.
    pos = max(0, len(text) - 3 * len(signature) - 200)
    while (match := pattern.search(text, pos)) is not None:
        start = match.start()
        # The signature must start a word, so "Jane" does not cut the end off "Mary-Jane".
        if start == 0 or text[start - 1].isspace():
            return text[:start].rstrip()
        pos = start + 1
    return text


def _strip_delimited(text: str) -> str:
    if "\n--" not in text and not text.startswith("--"):
        return text
    for match in _DELIMITER.finditer(text):
        if match.group() == "--":
            after = text[match.end() :].split("\n")
            if sum(1 for line in after if line.strip()) > _MAX_LINES_AFTER_BARE_DELIMITER:
                continue
        return text[: match.start()].rstrip()
    return text


def strip_delimited_signature(text: str) -> str:
    """Remove a "-- " signature block (the delimiter line and everything after it)."""
    return _strip_delimited(unify_newlines(text))


def strip_mobile_footer(text: str) -> str:
    """Remove a trailing "Sent from my iPhone"-style footer."""
    tail = text[-_FOOTER_TAIL - 40 :].lower()
    if not (  # unrolled: a generator here costs more than all five substring checks
        "sent from" in tail or "get outlook" in tail or "von meinem" in tail
        or "envoyé de" in tail or "enviado desde" in tail
    ):
        return text
    match = _MOBILE_FOOTER.search(text, max(0, len(text.rstrip()) - _FOOTER_TAIL))
    return text if match is None else text[: match.start()].rstrip()


def strip_signature_lf(text: str, signature: str | None = None) -> str:
    """``strip_signature`` for text whose line ends are already LF (the pipeline's case)."""
    text = strip_mobile_footer(text)
    if signature:
        text = strip_known_signature(text, signature)
    return _strip_delimited(text)


def strip_signature(text: str, signature: str | None = None) -> str:
    """Remove the known signature (if given), a "-- " block and a mobile footer from the end."""
    return strip_signature_lf(unify_newlines(text), signature)
