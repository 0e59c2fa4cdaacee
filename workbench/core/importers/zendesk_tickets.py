"""Ticket-level fields and filters, for API/admin-export tickets and flat (CSV/legacy) rows alike.

Each filter returns the reason text the import report shows ("status open (not selected)"), or
None when the ticket passes. Reasons carry at most a small, fixed vocabulary of values (status,
tag, channel) so the report groups them into a few lines.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workbench.core.formats import chat_example
from workbench.core.importers.base import ImportedExample
from workbench.core.importers.zendesk_options import Settings

DELETED = "deleted ticket"
STATUS_UNKNOWN = "status unknown (the export has no ticket record; allow any status to keep it)"
NOT_GOOD = "satisfaction not rated good"
NO_DATE = "no creation date (a date range is set)"

# Display labels of the legacy export / admin CSV "Via" column -> API via.channel values.
_VIA_LABELS = {
    "web form": "web",
    "web widget": "web_widget",
    "web service": "api",
    "email": "email",
    "mail": "email",
    "chat": "chat",
    "messaging": "native_messaging",
    "phone call (incoming)": "voice",
    "phone call (outgoing)": "voice",
    "voicemail": "voice",
    "text": "sms",
    "twitter": "twitter",
    "facebook post": "facebook",
    "facebook private message": "facebook",
    "mobile sdk": "mobile_sdk",
    "closed ticket": "closed_ticket",
    "ticket sharing": "ticket_sharing",
    "rule": "rule",
}


def ticket_tags(ticket: dict[str, Any]) -> list[str]:
    tags = ticket.get("tags")
    if tags.__class__ is list:
        return [t for t in tags if t.__class__ is str or isinstance(t, str)]
    if isinstance(tags, str):  # flat exports: space-separated
        return tags.split()
    return []


def ticket_channel(ticket: dict[str, Any]) -> str | None:
    via = ticket.get("via")
    if isinstance(via, dict):
        channel = via.get("channel")
        return channel.lower() if isinstance(channel, str) else None
    if isinstance(via, str) and via:
        label = via.strip().lower()
        return _VIA_LABELS.get(label, label.replace(" ", "_"))
    return None


def ticket_date(ticket: dict[str, Any]) -> date | None:
    created = ticket.get("created_at")
    if not isinstance(created, str) or len(created) < 10:
        return None
    try:
        # "2012-09-06T20:17:09Z" (API) and "2012-09-06 12:18:55 -0800" (legacy/CSV) both start
        # with the calendar date; that date, as written, is what the range compares.
        return date.fromisoformat(created[:10])
    except ValueError:
        return None


def ticket_score(ticket: dict[str, Any], fallback: str | None = None) -> str | None:
    rating = ticket.get("satisfaction_rating")
    score: Any = None
    if isinstance(rating, dict):
        score = rating.get("score")
    elif isinstance(rating, str):
        score = rating
    if score is None:
        score = ticket.get("satisfaction_score")  # legacy export / CSV: "Good", "Not Offered", ...
    if score is None:
        score = fallback
    return score.strip().lower() if isinstance(score, str) else None


def ticket_brand(ticket: dict[str, Any]) -> str:
    brand = ticket.get("brand")
    if isinstance(brand, dict) and isinstance(brand.get("name"), str):
        return brand["name"]
    name = ticket.get("brand_name")
    return name if isinstance(name, str) else ""


def drop_reason(ticket: dict[str, Any], settings: Settings, rating: str | None = None) -> str | None:
    """Why this ticket is not imported, or None. ``rating`` comes from satisfaction_ratings pages."""
    status = ticket.get("status")
    if status.__class__ is not str or status not in settings.statuses:  # fast path: "solved" as is
        status = status.strip().lower() if isinstance(status, str) and status.strip() else None
    if status == "deleted":
        return DELETED
    if settings.statuses:
        if status is None:
            return STATUS_UNKNOWN
        if status not in settings.statuses:
            return f"status {status} (not selected)"
    if settings.excluded_tags:
        excluded = settings.excluded_tags
        for tag in ticket_tags(ticket):
            if tag in excluded or tag.lower() in excluded:
                return f"tag {tag.lower()} (excluded)"
    if settings.channels:
        channel = ticket_channel(ticket)
        if channel not in settings.channels:
            return f"channel {channel or 'unknown'} (not selected)"
    if settings.date_from is not None or settings.date_to is not None:
        created = ticket_date(ticket)
        if created is None:
            return NO_DATE
        if settings.date_from is not None and created < settings.date_from:
            return f"created before {settings.date_from.isoformat()}"
        if settings.date_to is not None and created > settings.date_to:
            return f"created after {settings.date_to.isoformat()}"
    if settings.csat_good:
        score = ticket_score(ticket, rating)
        if score is None or not score.startswith("good"):
            return NOT_GOOD
    return None


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def system_prompt_for(template: str | None, ticket: dict[str, Any]) -> str | None:
    """The system prompt with {subject}, {ticket_id}, {tags}, {brand} filled in."""
    if not template:
        return None
    if "{" not in template:
        return template
    subject = ticket.get("subject")
    fields = _KeepUnknown(
        subject=subject if isinstance(subject, str) else "",
        ticket_id="" if ticket.get("id") is None else ticket.get("id"),
        tags=", ".join(ticket_tags(ticket)),
        brand=ticket_brand(ticket),
    )
    try:
        return template.format_map(fields)
    except (ValueError, IndexError, AttributeError, KeyError, TypeError):
        return template  # not a template after all (a stray "{"): use it as written


def imported_example(
    ticket: dict[str, Any], messages: list[dict[str, str]], settings: Settings, source: dict[str, Any]
) -> ImportedExample:
    """The training example (with optional system prompt), its provenance and the ticket's tags."""
    example = chat_example(messages, system_prompt=system_prompt_for(settings.system_prompt, ticket))
    return ImportedExample(example=example, source=source, tags=ticket_tags(ticket))
