"""One ticket's comments -> alternating customer/agent messages.

Per comment: internal notes, automated comments (triggers, automations, auto-replies) and voice
call records are dropped; the text is the plain body (HTML converted only when there is none),
cleaned of quoted history and signatures. Then consecutive comments from the same side are
merged, leading agent messages are dropped (the conversation starts with the customer), and
trailing customer messages are dropped (it ends on an agent reply).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.cleaning import clean_message, html_to_text, is_thanks_only
from workbench.core.importers.zendesk_options import Settings
from workbench.core.importers.zendesk_people import TicketParties, norm_id

# Comment-level reasons (the report's "Removed messages").
INTERNAL_NOTE = "internal note"
AUTOMATED = "automated message (trigger, automation or auto-reply)"
VOICE = "phone call record"
EMPTY = "empty comment (no text)"
EMPTY_AFTER_CLEANING = "nothing left after removing quoted text and signature"
LEADING_AGENT = "agent message before the customer's first message"
TRAILING_THANKS = "customer thank-you after the last agent reply"
TRAILING_UNANSWERED = "customer message after the last agent reply (unanswered)"

# Ticket-level reasons decided here.
NO_COMMENTS = "no comments in the export"
NO_CUSTOMER = "no customer message"
NO_REPLY = "no public agent reply"

_AUTOMATED_RELS = frozenset({"trigger", "automation"})
_AUTOMATED_VIA = frozenset({"rule", "trigger", "automation"})
_AUTO_GENERATED_FLAG = 4  # Zendesk comment metadata flag: the email was auto-generated


@dataclass(slots=True)
class Conversation:
    messages: list[dict[str, str]]
    comment_ids: list[Any]
    dropped: list[tuple[str, Any]] = field(default_factory=list)  # (reason, comment id)


def _has_auto_flag(metadata: dict[str, Any]) -> bool:
    flags = metadata.get("flags")
    if flags and isinstance(flags, list) and (_AUTO_GENERATED_FLAG in flags or "4" in flags):
        return True
    system = metadata.get("system")
    if system and isinstance(system, dict) and "flags" in system:
        return _has_auto_flag({"flags": system["flags"]})
    return False


def is_automated(comment: dict[str, Any]) -> bool:
    """Written by a trigger or automation, or flagged as an auto-generated email."""
    via = comment.get("via")
    if via.__class__ is dict:  # (exact-type checks: this runs for every comment of an import)
        channel = via.get("channel")
        if channel.__class__ is str and channel in _AUTOMATED_VIA:
            return True
        source = via.get("source")
        if source.__class__ is dict:
            rel = source.get("rel")
            if rel.__class__ is str and rel in _AUTOMATED_RELS:
                return True
    elif isinstance(via, str) and via.lower() in _AUTOMATED_VIA:
        return True
    metadata = comment.get("metadata")
    return metadata.__class__ is dict and _has_auto_flag(metadata)


def comment_text(comment: dict[str, Any]) -> str:
    text = comment.get("plain_body") or comment.get("body")
    if isinstance(text, str) and text:
        return text
    html = comment.get("html_body")
    if isinstance(html, str) and html:
        return html_to_text(html)
    return ""


def build_conversation(
    comments: list[Any], parties: TicketParties, settings: Settings
) -> tuple[Conversation | None, str | None]:
    """The conversation, or (None, ticket-level reason) when there is nothing to train on."""
    if not comments:
        return None, NO_COMMENTS
    dropped: list[tuple[str, Any]] = []
    turns: list[tuple[str, list[str], list[Any]]] = []  # (role, texts, comment ids)
    saw_customer = False
    remove_quoted = settings.remove_quoted
    remove_signatures = settings.remove_signatures
    is_customer = parties.is_customer
    last_role = None
    # This loop runs for every comment of an import: checks are inlined and ordered by how
    # often they decide (most comments are public, typed, plain-text "Comment"s).
    for comment in comments:
        if comment.__class__ is not dict and not isinstance(comment, dict):
            continue
        cid = comment.get("id")
        kind = comment.get("type")
        if kind is not None and kind != "Comment":
            if kind == "VoiceComment":
                dropped.append((VOICE, cid))
            continue
        public = comment.get("public", True)
        if public is not True and (public is False or public in (0, "false", "False")):
            dropped.append((INTERNAL_NOTE, cid))
            continue
        if is_automated(comment):
            dropped.append((AUTOMATED, cid))
            continue
        text = comment.get("plain_body") or comment.get("body")
        if not text or text.__class__ is not str:
            text = comment_text(comment)
        if not text or text.isspace():
            dropped.append((EMPTY, cid))
            continue
        author = comment.get("author_id")
        if author.__class__ is not int:
            author = norm_id(author)
        customer = is_customer(author)
        signature = None if customer or not remove_signatures else parties.signature(author)
        text = clean_message(
            text, signature=signature, remove_quoted=remove_quoted, remove_signatures=remove_signatures
        )
        if not text:
            dropped.append((EMPTY_AFTER_CLEANING, cid))
            continue
        role = "user" if customer else "assistant"
        if customer:
            saw_customer = True
        if role is last_role:
            turns[-1][1].append(text)
            turns[-1][2].append(cid)
        else:
            turns.append((role, [text], [cid]))
            last_role = role

    start = 0
    while start < len(turns) and turns[start][0] == "assistant":
        dropped.extend((LEADING_AGENT, cid) for cid in turns[start][2])
        start += 1
    end = len(turns)
    if end > start and turns[end - 1][0] == "user":
        _, texts, ids = turns[end - 1]
        for text, cid in zip(texts, ids, strict=True):
            dropped.append((TRAILING_THANKS if is_thanks_only(text) else TRAILING_UNANSWERED, cid))
        end -= 1
    kept = turns[start:end]
    if not kept:
        return None, (NO_REPLY if saw_customer else NO_CUSTOMER)
    exchanges = (len(kept) + 1) // 2
    if exchanges < settings.min_exchanges:
        return None, f"fewer than {settings.min_exchanges} exchanges"
    messages = [{"role": role, "content": "\n\n".join(texts)} for role, texts, _ in kept]
    ids = [cid for _, _, cids in kept for cid in cids]
    return Conversation(messages, ids, dropped), None
