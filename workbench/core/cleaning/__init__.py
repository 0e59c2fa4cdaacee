"""Text cleaning for helpdesk messages: one small module per job, stdlib only.

``clean_message`` is the pipeline importers use; the single steps are exported for reuse and
tests.
"""

from workbench.core.cleaning.html_text import html_to_text
from workbench.core.cleaning.pipeline import clean_message
from workbench.core.cleaning.quoted_email import history_start, strip_quoted
from workbench.core.cleaning.signature import (
    strip_delimited_signature,
    strip_known_signature,
    strip_mobile_footer,
    strip_signature,
)
from workbench.core.cleaning.thanks import is_thanks_only
from workbench.core.cleaning.whitespace import normalize_whitespace

__all__ = [
    "clean_message",
    "history_start",
    "html_to_text",
    "is_thanks_only",
    "normalize_whitespace",
    "strip_delimited_signature",
    "strip_known_signature",
    "strip_mobile_footer",
    "strip_quoted",
    "strip_signature",
]
