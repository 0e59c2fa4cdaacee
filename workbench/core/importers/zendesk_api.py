"""Assemble tickets from saved API responses (a folder dump, or loose page files).

Pages are added in any order; tickets are converted only once every page is in, because a
ticket's comments, audits, users and ratings live in other files. A ticket saved more than once
(incremental exports) counts once, in its latest state (``updated_at``). Understood documents:

- ``{"tickets": [...]}`` (list/search/incremental exports, cursor or time based), ``{"ticket": {}}``,
  a plain JSON list of tickets, ``{"results": [...]}`` from the search API;
- ``{"comments": [...]}`` (GET /tickets/{id}/comments; the ticket id comes from the comments,
  the page links, or the file name such as ``ticket-123-comments.json``);
- ``{"audits": [...]}`` (``Comment`` events, plus ``Create``/``Change`` events that rebuild the
  ticket's status, tags, subject and requester when no ticket record was saved);
- ``{"ticket_events": [...]}`` (incremental export with ``include=comment_events``);
- ``{"users": [...]}`` pages and side-loads anywhere; ``{"satisfaction_ratings": [...]}``;
- the legacy flat export (``results`` + ``field_headers``), kept aside for zendesk_flat.

Everything is held in memory (comments must meet their tickets); the admin NDJSON export is the
streaming path for large histories.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.importers.base import ImportFailed
from workbench.core.importers.zendesk_people import People, norm_id
from workbench.core.importers.zendesk_sniff import looks_like_ticket, looks_like_user

_TICKET_IN_URL = re.compile(r"/tickets/(\d+)/(?:comments|audits)")
_TICKET_IN_NAME = re.compile(r"tickets?[-_ ]?(\d+)", re.IGNORECASE)
_TICKET_FIELDS = frozenset(
    {"status", "tags", "subject", "requester_id", "assignee_id", "submitter_id", "priority", "type", "brand_id"}
)


class ApiDump:
    def __init__(self, people: People) -> None:
        self.people = people
        self.tickets: dict[Any, tuple[dict[str, Any], Path]] = {}  # id -> (ticket, file); last seen wins
        self.comments: dict[Any, dict[Any, dict[str, Any]]] = {}  # ticket id -> comment id -> comment
        self.comment_files: dict[Any, Path] = {}
        self.rebuilt: dict[Any, dict[str, Any]] = {}  # ticket fields rebuilt from audit events
        self.rebuilt_files: dict[Any, Path] = {}
        self.ratings: dict[Any, str] = {}
        self.flat_docs: list[tuple[dict[str, Any], Path]] = []  # legacy flat exports
        self.user_files: list[Path] = []  # documents holding users and no tickets

    # --- adding documents --------------------------------------------------------------------

    def add_document(self, doc: Any, path: Path) -> bool:
        """Take in one saved response; False when it holds nothing this importer understands."""
        if isinstance(doc, list):
            return self._add_list(doc, path)
        if not isinstance(doc, dict):
            return False
        if isinstance(doc.get("results"), list) and (
            "field_headers" in doc or any(isinstance(r, dict) and "req_name" in r for r in doc["results"][:5])
        ):
            self.flat_docs.append((doc, path))
            return True
        understood = False
        ticketish = False
        if "users" in doc:
            self.people.add_many(doc["users"])
            understood = True
        if isinstance(doc.get("user"), dict):
            self.people.add(doc["user"])
            understood = True
        if isinstance(doc.get("tickets"), list):
            for ticket in doc["tickets"]:
                self._add_ticket(ticket, path)
            understood = ticketish = True
        if isinstance(doc.get("ticket"), dict):
            self._add_ticket(doc["ticket"], path)
            understood = ticketish = True
        if isinstance(doc.get("results"), list):  # search API: mixed result types
            for item in doc["results"]:
                kind = item.get("result_type") if isinstance(item, dict) else None
                if kind == "ticket" or (kind is None and looks_like_ticket(item)):
                    self._add_ticket(item, path)
                    ticketish = True
                elif kind == "user":
                    self.people.add(item)
            understood = True
        if isinstance(doc.get("comments"), list):
            self._add_comments(doc, path)
            understood = ticketish = True
        if isinstance(doc.get("audits"), list):
            for audit in doc["audits"]:
                self._add_audit(audit, path, events_key="events", type_key="type")
            understood = ticketish = True
        if isinstance(doc.get("ticket_events"), list):
            for event in doc["ticket_events"]:
                self._add_audit(event, path, events_key="child_events", type_key="event_type")
            understood = ticketish = True
        if isinstance(doc.get("satisfaction_ratings"), list):
            for rating in doc["satisfaction_ratings"]:
                if isinstance(rating, dict) and isinstance(rating.get("score"), str):
                    self.ratings[norm_id(rating.get("ticket_id"))] = rating["score"]
            understood = True
        if not understood and looks_like_ticket(doc):
            self._add_ticket(doc, path)
            understood = ticketish = True
        if understood and not ticketish and ("users" in doc or "user" in doc):
            self.user_files.append(path)
        return understood

    def _add_list(self, items: list[Any], path: Path) -> bool:
        first = next((i for i in items if isinstance(i, dict)), None)
        if first is None:
            return False
        if looks_like_user(first):
            self.people.add_many(items)
            self.user_files.append(path)
            return True
        if looks_like_ticket(first):
            for ticket in items:
                self._add_ticket(ticket, path)
            return True
        return False

    def _add_ticket(self, ticket: Any, path: Path) -> None:
        if not isinstance(ticket, dict):
            return
        tid = norm_id(ticket.get("id"))
        held = self.tickets.get(tid)
        # Incremental exports repeat a ticket each time it changes: keep its latest state.
        if held is not None and str(held[0].get("updated_at") or "") > str(ticket.get("updated_at") or ""):
            return
        self.tickets[tid] = (ticket, path)

    def _comments_ticket_id(self, doc: dict[str, Any], path: Path) -> Any:
        links = doc.get("links") if isinstance(doc.get("links"), dict) else {}
        for url in (doc.get("next_page"), doc.get("previous_page"), links.get("next"), links.get("prev")):
            if isinstance(url, str):
                match = _TICKET_IN_URL.search(url)
                if match:
                    return int(match.group(1))
        match = _TICKET_IN_NAME.search(path.name) or _TICKET_IN_NAME.search(path.parent.name)
        if match:
            return int(match.group(1))
        raise ImportFailed(
            "These comments do not say which ticket they belong to.",
            file=path,
            hint="Name the file after its ticket, e.g. ticket-123-comments.json, or save the ticket audits instead.",
        )

    def _add_comments(self, doc: dict[str, Any], path: Path) -> None:
        page_ticket: Any = None
        for comment in doc["comments"]:
            if not isinstance(comment, dict):
                continue
            tid = norm_id(comment.get("ticket_id"))
            if tid is None:
                if page_ticket is None:
                    page_ticket = self._comments_ticket_id(doc, path)
                tid = page_ticket
            self._store_comment(tid, comment, path)

    def _store_comment(self, tid: Any, comment: dict[str, Any], path: Path) -> None:
        bucket = self.comments.setdefault(tid, {})
        cid = norm_id(comment.get("id"))
        bucket[cid if cid is not None else ("pos", len(bucket))] = comment  # same id twice: one comment
        self.comment_files.setdefault(tid, path)

    def _add_audit(self, audit: Any, path: Path, *, events_key: str, type_key: str) -> None:
        if not isinstance(audit, dict):
            return
        tid = norm_id(audit.get("ticket_id"))
        events = audit.get(events_key)
        if tid is None or not isinstance(events, list):
            return
        fields = self.rebuilt.setdefault(tid, {})
        self.rebuilt_files.setdefault(tid, path)
        if "created_at" not in fields and audit.get("created_at"):
            fields["created_at"] = audit["created_at"]
            if audit.get("via") is not None:
                fields["via"] = audit["via"]
        for event in events:
            if not isinstance(event, dict):
                continue
            kind = event.get(type_key)
            if kind == "Comment" or kind == "VoiceComment":
                self._store_comment(tid, _audit_comment(audit, event, kind), path)
            elif kind in ("Create", "Change"):
                name = event.get("field_name")
                if name.__class__ is str and name in _TICKET_FIELDS:
                    fields[name] = event.get("value")

    # --- reading tickets back ----------------------------------------------------------------

    def has_ticket_data(self) -> bool:
        return bool(self.tickets or self.comments or self.flat_docs)

    def ticket_comments(self, tid: Any, ticket: dict[str, Any]) -> list[Any]:
        embedded = ticket.get("comments")
        if isinstance(embedded, list):
            return embedded
        bucket = self.comments.get(tid)
        if not bucket:
            return []
        found = list(bucket.values())
        if all(isinstance(c.get("created_at"), str) for c in found):
            found.sort(key=lambda c: c["created_at"])  # stable: same-second comments keep page order
        return found

    def iter_tickets(self, skip: set[Any]) -> Iterator[tuple[dict[str, Any], list[Any], Path]]:
        """(ticket, comments, file) for saved tickets, then tickets known only from comments/audits."""
        for tid, (ticket, path) in self.tickets.items():
            if tid in skip:
                continue
            yield ticket, self.ticket_comments(tid, ticket), path
        for tid in dict.fromkeys([*self.comments, *self.rebuilt]):
            if tid in self.tickets or tid in skip:
                continue
            ticket = {"id": tid, **self.rebuilt.get(tid, {})}
            yield ticket, self.ticket_comments(tid, ticket), self.comment_files.get(tid) or self.rebuilt_files[tid]


def _audit_comment(audit: dict[str, Any], event: dict[str, Any], kind: str) -> dict[str, Any]:
    """An audit's Comment event in the shape of a comment from the comments API."""
    return {
        "id": event.get("id"),
        "type": kind,
        "author_id": event.get("author_id", audit.get("author_id", audit.get("updater_id"))),
        "body": event.get("body"),
        "html_body": event.get("html_body"),
        "plain_body": event.get("plain_body"),
        "public": event.get("public", True),
        "via": event.get("via") or audit.get("via"),
        "metadata": event.get("metadata") or audit.get("metadata"),
        "created_at": event.get("created_at") or audit.get("created_at"),
    }
