"""What the user chooses for a Zendesk import, and its normalised form used while importing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Tickets that are never support conversations worth learning from: spam, tickets merged into
# another one (their conversation lives on in the target ticket), and test tickets.
DEFAULT_EXCLUDED_TAGS = frozenset({"spam", "closed_by_merge", "merged", "test", "test_ticket", "zendesk_test"})
DEFAULT_STATUSES = frozenset({"solved", "closed"})


@dataclass
class ZendeskOptions:
    # Ticket statuses to keep (case-insensitive; "Solved" from legacy exports matches "solved").
    # Empty or None keeps every status. Deleted tickets are always dropped.
    statuses: set[str] | None = field(default_factory=lambda: set(DEFAULT_STATUSES))
    csat: str = "any"  # "any", or "good": only tickets whose satisfaction rating is good
    # Customer message followed by an agent reply, counted after merging. Values below 1 count as
    # 1: a conversation always ends on an agent reply.
    min_exchanges: int = 1
    excluded_tags: set[str] = field(default_factory=lambda: set(DEFAULT_EXCLUDED_TAGS))
    date_from: date | None = None  # inclusive, on the ticket's created_at (calendar date as written)
    date_to: date | None = None  # inclusive
    channels: set[str] | None = None  # via.channel values to keep ("email", "web", "api", ...); None = all
    # System message for every example. May use {subject}, {ticket_id}, {tags} and {brand};
    # unknown {names} are left as written.
    system_prompt: str | None = None
    # Flat exports (admin CSV, legacy API export) have no conversations. When set, each ticket's
    # subject (+ description, when the export has one) becomes a lone customer message, so replies
    # can be written by hand in the editor.
    include_csv_description: bool = False
    remove_signatures: bool = True
    remove_quoted: bool = True


def _as_date(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True, slots=True)
class Settings:
    """ZendeskOptions normalised once per import (lower-cased sets, parsed dates)."""

    statuses: frozenset[str]
    csat_good: bool
    min_exchanges: int
    excluded_tags: frozenset[str]
    date_from: date | None
    date_to: date | None
    channels: frozenset[str]
    system_prompt: str | None
    include_flat: bool
    remove_signatures: bool
    remove_quoted: bool

    @classmethod
    def from_options(cls, options: ZendeskOptions | None) -> Settings:
        o = options or ZendeskOptions()
        csat = (o.csat or "any").strip().lower()
        if csat not in ("any", "good"):
            raise ValueError(f'csat must be "any" or "good", not {o.csat!r}')
        return cls(
            statuses=frozenset(s.strip().lower() for s in (o.statuses or ()) if s and s.strip()),
            csat_good=csat == "good",
            min_exchanges=max(1, int(o.min_exchanges or 1)),
            excluded_tags=frozenset(t.strip().lower() for t in (o.excluded_tags or ()) if t and t.strip()),
            date_from=_as_date(o.date_from),
            date_to=_as_date(o.date_to),
            channels=frozenset(c.strip().lower() for c in (o.channels or ()) if c and c.strip()),
            system_prompt=o.system_prompt or None,
            include_flat=bool(o.include_csv_description),
            remove_signatures=bool(o.remove_signatures),
            remove_quoted=bool(o.remove_quoted),
        )
