"""Masking, scrubbing, the Secret wrapper and the log filter: a key never shows in text."""

from __future__ import annotations

import io
import logging
import pickle

import pytest

from tests.providers.conftest import AZURE_KEY, OPENAI_KEY
from workbench.core.redact import (
    RedactingFilter,
    Secret,
    install_log_redaction,
    looks_like_key,
    mask,
    scrub,
)


@pytest.mark.parametrize(("key", "shown"), [
    ("sk-proj-abcdefghijklmnopqrstuvwxyz", "sk-...wxyz"),
    ("sk-abcdefghijklmnopqrstuvwxyz1234", "sk-...1234"),
    (AZURE_KEY, "...4a8c"),
    ("gsk_abcdefghijklmnop9876", "gsk_...9876"),
    ("  sk-proj-abcdefghijklmnopqrstuvwxyz\n", "sk-...wxyz"),
    ("short-key", "****"),
    ("", ""),
    (None, ""),
])
def test_mask_shows_the_first_dash_group_and_the_last_four(key, shown):
    assert mask(key) == shown


def test_mask_of_a_long_unbroken_prefix_shows_no_prefix():
    assert mask("abcdefghijkl-mnopqrstuvwxyz") == "...wxyz"


def test_secret_never_shows_its_value():
    secret = Secret(OPENAI_KEY, source="keyring")
    for text in (repr(secret), str(secret), f"{secret}", f"{secret:>30}", "%s" % secret, repr([secret])):  # noqa: UP031 (logging formats with %)
        assert OPENAI_KEY not in text
        assert "...wxyz" in text
    assert secret.reveal() == OPENAI_KEY
    assert secret.source == "keyring"
    assert secret == OPENAI_KEY and secret == Secret(OPENAI_KEY) and secret != "sk-other"
    assert bool(Secret("")) is False


def test_secret_cannot_be_pickled():
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret(OPENAI_KEY))


def test_scrub_masks_given_secrets_and_key_shaped_text():
    other = "zz-custom-token-value-1234567"
    text = (f"sent {OPENAI_KEY} and {other}; header Authorization: Bearer abc.def.ghi-123456 "
            f"and api-key: {AZURE_KEY}, also sk-live-ABCDEFGHIJKLMNOPQRSTUV")
    out = scrub(text, other, None)
    for raw in (OPENAI_KEY, other, "abc.def.ghi-123456", AZURE_KEY, "sk-live-ABCDEFGHIJKLMNOPQRSTUV"):
        assert raw not in out
    assert "sk-...wxyz" in out and "Bearer ...3456" in out


def test_scrub_knows_every_secret_created_so_far():
    odd = "Q7w8e9r0t1y2u3i4o5p6-azure-like"
    Secret(odd)
    assert odd not in scrub(f"the server echoed {odd} back")


def test_scrub_leaves_ordinary_text_and_short_placeholders_alone():
    Secret("EMPTY")  # vLLM's customary placeholder key must not mangle text
    text = "EMPTY response on line 3 of skeleton-file; risk-free"
    assert scrub(text) == text
    assert scrub("") == ""


def test_looks_like_key():
    assert looks_like_key(f"org {OPENAI_KEY}")
    assert not looks_like_key("org-12345")


def _logger_with_handler(name: str) -> tuple[logging.Logger, io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, stream, handler


def test_log_filter_masks_keys_in_messages_arguments_and_tracebacks():
    logger, stream, handler = _logger_with_handler("test.redact.direct")
    handler.addFilter(RedactingFilter([AZURE_KEY]))
    logger.info("key is %s", OPENAI_KEY)
    logger.warning("azure key %r", AZURE_KEY)
    try:
        raise RuntimeError(f"boom with {OPENAI_KEY}")
    except RuntimeError:
        logger.exception("failed")
    logger.info("stack", stack_info=True, extra={"k": 1})
    out = stream.getvalue()
    assert OPENAI_KEY not in out and AZURE_KEY not in out
    assert "key is sk-...wxyz" in out and "RuntimeError: boom with sk-...wxyz" in out


def test_installed_on_the_root_logger_it_masks_records_from_child_loggers():
    root = logging.getLogger("test.redact.root")  # stands in for the root logger
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.handlers, root.propagate = [handler], False
    root.setLevel(logging.DEBUG)
    filter_ = install_log_redaction(root)
    assert filter_ in handler.filters and filter_ in root.filters
    assert install_log_redaction(root, filter_) is filter_ and handler.filters.count(filter_) == 1
    filter_.add("custom-secret-value-42")
    logging.getLogger("test.redact.root.providers.client").error(
        "request failed: Authorization: Bearer %s custom-secret-value-42", OPENAI_KEY)
    out = stream.getvalue()
    assert OPENAI_KEY not in out and "custom-secret-value-42" not in out
    assert "request failed" in out


def test_a_bad_format_string_is_left_to_logging():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d", ("not a number",), None)
    assert RedactingFilter().filter(record) is True
