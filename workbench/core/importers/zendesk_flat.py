"""Flat ticket exports without conversations: the admin CSV export and the legacy API export.

Both hold ticket fields (subject, status, tags, satisfaction, ...) but not one comment, so they
cannot yield a customer/agent conversation. Decision: by default nothing is produced, every
ticket is accounted for in the report (filtered out, or "no conversation in this export"), and a
note tells the user which export to use instead. With ``include_csv_description`` each ticket
that passes the filters becomes a lone customer message (subject, plus the description when the
export has that column) so replies can be written by hand in the editor; such examples fail
validation until they have an assistant reply, and a note says so.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workbench.core.importers.base import ImportedExample, ImportFailed, ImportReport
from workbench.core.importers.zendesk_files import ByteProgress, iter_text_lines
from workbench.core.importers.zendesk_options import Settings
from workbench.core.importers.zendesk_tickets import drop_reason, imported_example

CSV_FORMAT = "zendesk/admin_csv"
LEGACY_FORMAT = "zendesk/legacy_export"
NO_CONVERSATION = "no conversation in this export (ticket fields only)"
NO_TEXT = "no subject or description"
_GET_JSON = (
    "Export 'JSON' from Admin Center > Account > Tools > Reports > Export (or use the API's ticket "
    "comments) and import that instead."
)
CSV_NOTE = "This is Zendesk's admin CSV export, which contains ticket fields but no conversations. " + _GET_JSON
LEGACY_NOTE = (
    "This is Zendesk's legacy ticket export (/api/v2/exports/tickets), which contains ticket fields but "
    "no conversations. " + _GET_JSON
)
INCLUDED_NOTE = (
    "Tickets from the {what} were imported as a customer message without a reply ({text}). Write the "
    "agent's reply to each in the editor: until then they are not complete training examples and fail "
    "validation."
)

# Column labels (admin CSV) and legacy export keys -> the ticket keys the filters read.
_CSV_COLUMNS = {
    "Id": "id", "Subject": "subject", "Description": "description", "Status": "status", "Tags": "tags",
    "Via": "via", "Created at": "created_at", "Satisfaction Score": "satisfaction_score", "Brand": "brand_name",
    "Requester id": "requester_id",
}
_LEGACY_KEYS = {
    "id": "id", "subject": "subject", "description": "description", "status": "status", "current_tags": "tags",
    "via": "via", "created_at": "created_at", "satisfaction_score": "satisfaction_score",
    "brand_name": "brand_name", "req_id": "requester_id",
}


def _text(ticket: dict[str, Any]) -> str:
    parts = [ticket.get("subject"), ticket.get("description")]
    return "\n\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


def convert_flat(
    ticket: dict[str, Any], settings: Settings, report: ImportReport, source: dict[str, Any]
) -> ImportedExample | None:
    report.items_read += 1
    tid = ticket.get("id")
    reason = drop_reason(ticket, settings)
    if reason is None and not settings.include_flat:
        reason = NO_CONVERSATION
    text = _text(ticket) if reason is None else ""
    if reason is None and not text:
        reason = NO_TEXT
    if reason is not None:
        report.drop(reason, tid)
        return None
    report.produced += 1
    return imported_example(ticket, [{"role": "user", "content": text}], settings, source)


def _note(report: ImportReport, settings: Settings, note: str, what: str, has_description: bool) -> None:
    report.note(note)
    if settings.include_flat:
        text = "subject and description" if has_description else "subject only: this export has no description"
        report.note(INCLUDED_NOTE.format(what=what, text=text))


def iter_csv(
    path: Path, settings: Settings, report: ImportReport, progress: ByteProgress, tick: Callable[[], None]
) -> Iterator[ImportedExample]:
    reader = csv.reader(iter_text_lines(path, progress))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed("The file is empty.", file=path) from None
    except csv.Error as exc:
        raise ImportFailed(f"The CSV header cannot be read ({exc}).", file=path, line=1) from exc
    columns = [(i, _CSV_COLUMNS[h.strip()]) for i, h in enumerate(header) if h.strip() in _CSV_COLUMNS]
    _note(report, settings, CSV_NOTE, "admin CSV export", any(k == "description" for _, k in columns))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFailed(f"This CSV row cannot be read ({exc}).", file=path, line=reader.line_num) from exc
        tick()
        ticket = {key: row[i] for i, key in columns if i < len(row)}
        if not ticket.get("id"):
            continue  # blank or summary rows
        source = {"file": str(path), "ticket_id": ticket["id"], "row": reader.line_num, "format": CSV_FORMAT}
        item = convert_flat(ticket, settings, report, source)
        if item is not None:
            yield item


def iter_legacy(
    doc: dict[str, Any], path: Path, settings: Settings, report: ImportReport, tick: Callable[[], None]
) -> Iterator[ImportedExample]:
    rows = [r for r in doc.get("results", []) if isinstance(r, dict)]
    _note(report, settings, LEGACY_NOTE, "legacy ticket export", any("description" in r for r in rows[:50]))
    for index, row in enumerate(rows):
        tick()
        ticket = {key: row[k] for k, key in _LEGACY_KEYS.items() if k in row}
        source = {"file": str(path), "ticket_id": ticket.get("id"), "row": index, "format": LEGACY_FORMAT}
        item = convert_flat(ticket, settings, report, source)
        if item is not None:
            yield item
