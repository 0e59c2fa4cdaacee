"""Zendesk importer: ticket history -> chat training examples (one per solved ticket).

Inputs (see ``sniff``): Admin Center's JSON export (NDJSON, streamed line by line), saved API
responses (single files or a folder dump: users/comments/audits/ratings pages are read first,
then tickets), and the flat exports without conversations (admin CSV, legacy API export).

Conversion, per ticket:
- ticket filters, each counted in the report with its reason: deleted (always), status,
  excluded tags, channel, created-at date range, satisfaction ("good" only, if asked);
- comments: internal notes, automated comments (``via.channel == "rule"``, ``via.source.rel``
  trigger/automation, metadata flag 4 = auto-generated) and phone call records are dropped;
  the customer is the requester or any end-user, everyone else is an agent (zendesk_people);
  text is ``plain_body``/``body``, HTML converted only when neither exists; quoted email history,
  signatures (the agent's own Zendesk signature, exact but whitespace-tolerant; "-- " blocks;
  mobile footers) and untidy whitespace are removed; consecutive comments from the same side
  are merged with a blank line;
- the conversation starts at the customer's first message (earlier agent messages, e.g. an
  outbound first contact, are dropped and counted) and ends on an agent reply (trailing
  customer messages are dropped: thank-yous and unanswered follow-ups, counted separately);
- it must then hold ``min_exchanges`` customer->agent exchanges (at least one, always).

Comment drops are reported for produced conversations only; a dropped ticket is reported once,
with the ticket-level reason. Users passed alongside tickets (users export, users pages) are used
for roles and signatures; users alone are an error that names the export to choose instead.

Flat exports produce nothing by default (no conversations to learn from) and say so in a note;
see zendesk_flat for ``include_csv_description``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.gc_pause import collector_paused
from workbench.core.importers.base import (
    CancelFn,
    ImportedExample,
    ImportFailed,
    ImportReport,
    ProgressFn,
    check_cancel,
)
from workbench.core.importers.zendesk_api import ApiDump
from workbench.core.importers.zendesk_conversation import NO_COMMENTS, build_conversation
from workbench.core.importers.zendesk_files import (
    ByteProgress,
    file_size,
    first_json_line,
    iter_ndjson,
    load_json_document,
)
from workbench.core.importers.zendesk_flat import CSV_FORMAT, LEGACY_FORMAT, iter_csv, iter_legacy
from workbench.core.importers.zendesk_options import (
    DEFAULT_EXCLUDED_TAGS,
    DEFAULT_STATUSES,
    Settings,
    ZendeskOptions,
)
from workbench.core.importers.zendesk_people import People, TicketParties, norm_id
from workbench.core.importers.zendesk_sniff import (
    ADMIN_CSV,
    ADMIN_JSON,
    API_JSON,
    folder_files,
    looks_like_ticket,
    looks_like_user,
    read_head,
    sniff,
)
from workbench.core.importers.zendesk_tickets import drop_reason, imported_example

__all__ = [
    "DEFAULT_EXCLUDED_TAGS",
    "DEFAULT_STATUSES",
    "FORMATS",
    "ZendeskOptions",
    "run",
    "sniff",
]

ADMIN_JSON_FORMAT = "zendesk/admin_json"
API_FORMAT = "zendesk/api_json"
FORMATS = (ADMIN_JSON, API_JSON, ADMIN_CSV)
_CANCEL_EVERY = 64

USERS_EXPORT = "This looks like a users export, not tickets."
USERS_HINT = (
    "In Zendesk Admin Center > Account > Tools > Reports > Export, choose the tickets export (JSON) and "
    "import that file."
)
NOT_ZENDESK = "This is not a Zendesk ticket export this importer recognises."
NOT_ZENDESK_HINT = (
    "Choose the JSON export from Admin Center > Account > Tools > Reports > Export, or a folder of saved "
    "API responses (tickets with their comments or audits)."
)
NO_COMMENTS_NOTE = (
    "Some saved API tickets came without comments. Save each ticket's comments "
    "(/api/v2/tickets/{id}/comments) or audits next to the tickets, or use the admin JSON export."
)


@dataclass
class _Plan:
    """The input files sorted by role: side data is read before any ticket is converted."""

    ticket_ndjson: list[Path] = field(default_factory=list)
    user_ndjson: list[Path] = field(default_factory=list)
    api: list[tuple[Path, bool]] = field(default_factory=list)  # (file, named explicitly)
    csv: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)

    def files(self) -> list[Path]:
        return [*self.user_ndjson, *(p for p, _ in self.api), *self.ticket_ndjson, *self.csv]


def _is_empty(path: Path) -> bool:
    return not read_head(path).strip()


def _classify(path: Path, explicit: bool, plan: _Plan) -> None:
    kind = sniff(path)
    if kind == ADMIN_JSON:
        first = first_json_line(path)
        if looks_like_user(first):
            plan.user_ndjson.append(path)
        elif first is None or looks_like_ticket(first):
            plan.ticket_ndjson.append(path)  # an unparsable first line fails with its line number later
        elif explicit:
            raise ImportFailed(NOT_ZENDESK, file=path, line=1, hint=NOT_ZENDESK_HINT)
        else:
            plan.skipped.append(path)
    elif kind == API_JSON:
        plan.api.append((path, explicit))
    elif kind == ADMIN_CSV:
        plan.csv.append(path)
    elif explicit:
        if _is_empty(path):
            raise ImportFailed("The file is empty.", file=path, hint="Export the tickets again from Zendesk.")
        raise ImportFailed(NOT_ZENDESK, file=path, hint=NOT_ZENDESK_HINT)
    else:
        plan.skipped.append(path)


def _plan(paths: Iterable[str | Path]) -> _Plan:
    plan = _Plan()
    given = [Path(p) for p in paths]
    if not given:
        raise ImportFailed("No files were chosen.")
    for path in given:
        if path.is_dir():
            for child in folder_files(path):
                _classify(child, explicit=False, plan=plan)
        elif path.exists():
            _classify(path, explicit=True, plan=plan)
        else:
            raise ImportFailed("The file does not exist.", file=path)
    return plan


class _Ticker:
    """Checks for Cancel every few tickets (a call per ticket would cost more than it saves)."""

    __slots__ = ("cancel", "count")

    def __init__(self, cancel: CancelFn | None) -> None:
        self.cancel = cancel
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        if self.count % _CANCEL_EVERY == 0:
            check_cancel(self.cancel)


def _convert(
    ticket: dict[str, Any],
    comments: Any,
    people: People,
    settings: Settings,
    report: ImportReport,
    source: dict[str, Any],
    rating: str | None,
) -> ImportedExample | None:
    report.items_read += 1
    reason = drop_reason(ticket, settings, rating)
    conversation = None
    if reason is None:
        if not isinstance(comments, list):
            comments = []
        parties = TicketParties(ticket, people)
        conversation, reason = build_conversation(comments, parties, settings)
    if conversation is None:
        report.drop(reason or NO_COMMENTS, ticket.get("id"))
        return None
    for why, comment_id in conversation.dropped:
        report.drop_comment(why, comment_id)
    source["comment_ids"] = conversation.comment_ids
    name = parties.requester_name()
    if name:
        source["customer_names"] = [name]  # PII detection finds this person in the conversation
    report.produced += 1
    return imported_example(ticket, conversation.messages, settings, source)


def _ndjson_tickets(
    path: Path, people: People, dump: ApiDump, settings: Settings, report: ImportReport,
    tracker: ByteProgress, tick: _Ticker, seen: set[Any] | None,
) -> Iterator[ImportedExample]:
    """Stream one admin export. ``seen`` collects ticket ids only when saved API pages could hold
    the same tickets again (so memory does not grow with the export otherwise)."""
    file_name = str(path)
    ratings = dump.ratings
    for line, obj in iter_ndjson(path, tracker):
        tick()
        if obj.__class__ is not dict or "comments" not in obj and not looks_like_ticket(obj):
            if looks_like_user(obj):
                raise ImportFailed(USERS_EXPORT, file=path, line=line, hint=USERS_HINT)
            raise ImportFailed("This line is not a ticket.", file=path, line=line, hint=NOT_ZENDESK_HINT)
        tid = obj.get("id")
        key = norm_id(tid)
        if seen is not None:
            seen.add(key)
        comments = obj.get("comments")
        if comments is None:  # a ticket export without comments, paired with saved comment pages
            comments = dump.ticket_comments(key, obj)
        source = {"file": file_name, "ticket_id": tid, "line": line, "format": ADMIN_JSON_FORMAT}
        item = _convert(obj, comments, people, settings, report, source, ratings.get(key) if ratings else None)
        if item is not None:
            yield item


def _api_tickets(
    dump: ApiDump, people: People, settings: Settings, report: ImportReport, tick: _Ticker, seen: set[Any]
) -> Iterator[ImportedExample]:
    before = report.dropped[NO_COMMENTS].count if NO_COMMENTS in report.dropped else 0
    for ticket, comments, path in dump.iter_tickets(skip=seen):
        tick()
        tid = ticket.get("id")
        source = {"file": str(path), "ticket_id": tid, "format": API_FORMAT}
        item = _convert(ticket, comments, people, settings, report, source, dump.ratings.get(norm_id(tid)))
        if item is not None:
            yield item
    if NO_COMMENTS in report.dropped and report.dropped[NO_COMMENTS].count > before:
        report.note(NO_COMMENTS_NOTE)


def _source_format(plan: _Plan, dump: ApiDump) -> str:
    found = []
    if plan.ticket_ndjson:
        found.append(ADMIN_JSON_FORMAT)
    if dump.tickets or dump.comments:
        found.append(API_FORMAT)
    if dump.flat_docs:
        found.append(LEGACY_FORMAT)
    if plan.csv:
        found.append(CSV_FORMAT)
    return " + ".join(found)


def run(
    paths: Iterable[str | Path],
    options: ZendeskOptions | None,
    report: ImportReport,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Iterator[ImportedExample]:
    """Yield one example per kept ticket from files and/or folders; fills ``report``."""
    with collector_paused():
        yield from _run(paths, options, report, progress, cancel)


def _run(
    paths: Iterable[str | Path],
    options: ZendeskOptions | None,
    report: ImportReport,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> Iterator[ImportedExample]:
    settings = Settings.from_options(options)
    report.item_name = "tickets"
    check_cancel(cancel)
    plan = _plan(paths)
    files = plan.files()
    report.files.extend(str(p) for p in files)
    tracker = ByteProgress(progress, sum(file_size(p) for p in files) or 1)
    tick = _Ticker(cancel)
    people = People()
    dump = ApiDump(people)

    for path in plan.user_ndjson:
        for _, obj in iter_ndjson(path, tracker):
            tick()
            people.add(obj)
    for path, explicit in plan.api:
        check_cancel(cancel)
        doc = load_json_document(path)
        tracker.add(file_size(path))
        if not dump.add_document(doc, path):
            if explicit:
                raise ImportFailed(NOT_ZENDESK, file=path, hint=NOT_ZENDESK_HINT)
            plan.skipped.append(path)
        del doc
    for path in plan.skipped:
        report.note(f"Skipped {path.name}: not a Zendesk tickets, comments, audits or users file.")
    if not plan.ticket_ndjson and not plan.csv and not dump.has_ticket_data():
        users_file = next(iter([*plan.user_ndjson, *dump.user_files]), None)
        if users_file is not None:
            raise ImportFailed(USERS_EXPORT, file=users_file, hint=USERS_HINT)
        raise ImportFailed("No Zendesk tickets were found in the chosen files.", hint=NOT_ZENDESK_HINT)
    report.source_format = _source_format(plan, dump)

    seen: set[Any] | None = set() if (dump.tickets or dump.comments or dump.rebuilt) else None
    for path in plan.ticket_ndjson:
        check_cancel(cancel)
        yield from _ndjson_tickets(path, people, dump, settings, report, tracker, tick, seen)
    yield from _api_tickets(dump, people, settings, report, tick, seen or set())
    for doc, path in dump.flat_docs:
        yield from iter_legacy(doc, path, settings, report, tick)
    for path in plan.csv:
        check_cancel(cancel)
        yield from iter_csv(path, settings, report, tracker, tick)
    tracker.finish()
