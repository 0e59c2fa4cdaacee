"""Recognise Zendesk exports cheaply (the first 64 KB only).

Three formats are told apart:

- ``admin_json``: Admin Center's JSON export, NDJSON with one ticket per line and the comments
  embedded (a users export in the same form is recognised too, so the importer can say what it is);
- ``api_json``: a saved API response, pretty-printed or not: an object with ``tickets``,
  ``comments``, ``audits``, ``users``, ``ticket_events``, ``satisfaction_ratings`` or the legacy
  export's ``results`` (plus page keys like ``next_page``/``end_time``/``after_cursor``), a
  single ``{"ticket": ...}``, or a plain JSON list of tickets; a folder of such files is a dump;
- ``admin_csv``: Admin Center's CSV export (first column "Summation column", or Zendesk's ticket
  column labels "Id", "Subject", "Status", "Requester", ...).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

ADMIN_JSON = "admin_json"
API_JSON = "api_json"
ADMIN_CSV = "admin_csv"

HEAD_BYTES = 64 * 1024
DATA_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".csv"})
_MAX_FOLDER_FILES_SNIFFED = 200

COLLECTION_KEYS = frozenset(
    {"tickets", "ticket", "comments", "audits", "users", "user", "ticket_events", "satisfaction_ratings", "results"}
)
PAGE_KEYS = frozenset(
    {"next_page", "previous_page", "count", "end_time", "after_cursor", "before_cursor", "end_of_stream",
     "meta", "links", "after_url", "before_url", "field_headers", "options"}
)
_TICKET_KEYS = frozenset({"subject", "comments", "requester_id", "requester", "status", "description", "raw_subject"})
_USER_ROLES = frozenset({"end-user", "agent", "admin"})
# Column labels of Zendesk's ticket CSV export (the same labels as the legacy export's field_headers).
CSV_LABELS = frozenset(
    {"Id", "Requester", "Requester id", "Requester email", "Requester domain", "Submitter", "Assignee",
     "Group", "Subject", "Tags", "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at",
     "Solved at", "Satisfaction Score", "Organization", "Brand", "Replies", "Reopens", "Description"}
)

_FIRST_KEY = re.compile(r'\{\s*"([^"\\]{1,64})"\s*:')
_TICKET_MARKERS = (re.compile(r'"subject"\s*:'), re.compile(r'"(?:comments|requester_id|requester|status)"\s*:'))
_USER_MARKER = re.compile(r'"role"\s*:\s*"(?:end-user|agent|admin)"')


def looks_like_ticket(obj: Any) -> bool:
    return isinstance(obj, dict) and len(_TICKET_KEYS.intersection(obj)) >= 2


def looks_like_user(obj: Any) -> bool:
    """A Zendesk user: has a role or an email, and none of a ticket's subject/comments."""
    if not isinstance(obj, dict) or "subject" in obj or "comments" in obj:
        return False
    role = obj.get("role")
    return (isinstance(role, str) and role.lower() in _USER_ROLES) or ("email" in obj and "name" in obj)


def read_head(path: Path, size: int = HEAD_BYTES) -> str:
    with path.open("rb") as fh:
        raw = fh.read(size)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Recognised so the importer can explain the encoding, rather than "not Zendesk".
        return raw[: len(raw) // 2 * 2].decode("utf-16", errors="replace").lstrip("\ufeff")
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def sniff(path: Path) -> str | None:
    """``"admin_json"``, ``"api_json"``, ``"admin_csv"`` or None (not a Zendesk export)."""
    path = Path(path)
    try:
        if path.is_dir():
            return _sniff_folder(path)
        head = read_head(path)
    except OSError:
        return None
    text = head.lstrip()
    if not text:
        return None
    if text[0] == "{":
        return _sniff_object(text)
    if text[0] == "[":
        return _sniff_array(text, complete=path.stat().st_size <= HEAD_BYTES)
    return _sniff_csv(text)


def folder_files(folder: Path) -> list[Path]:
    """The data files of a folder dump, in a stable order (hidden files skipped)."""
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _sniff_folder(folder: Path) -> str | None:
    for path in folder_files(folder)[:_MAX_FOLDER_FILES_SNIFFED]:
        if sniff(path) is not None:
            return API_JSON
    return None


def _sniff_object(text: str) -> str | None:
    first_line, newline, _ = text.partition("\n")
    try:
        obj = json.loads(first_line)
    except ValueError:
        obj = None
    if isinstance(obj, dict):
        if COLLECTION_KEYS.intersection(obj) and not looks_like_ticket(obj):
            return API_JSON
        if looks_like_ticket(obj) or looks_like_user(obj):
            return ADMIN_JSON  # NDJSON: a complete object on the first line
        return None
    # The first line is not a complete object: pretty-printed JSON, or an NDJSON line over 64 KB.
    match = _FIRST_KEY.match(text)
    if match is None:
        return None
    if match.group(1) in COLLECTION_KEYS or match.group(1) in PAGE_KEYS:
        return API_JSON
    ticketish = all(m.search(text) for m in _TICKET_MARKERS) or bool(_USER_MARKER.search(text))
    if not ticketish:
        return None
    pretty = first_line.strip() == "{"
    return API_JSON if pretty else ADMIN_JSON


def _sniff_array(text: str, complete: bool) -> str | None:
    if complete:
        try:
            items = json.loads(text)
        except ValueError:
            return None
        first = items[0] if isinstance(items, list) and items else None
        return API_JSON if looks_like_ticket(first) or looks_like_user(first) else None
    if all(m.search(text) for m in _TICKET_MARKERS) or _USER_MARKER.search(text):
        return API_JSON
    return None


def csv_header(text: str) -> list[str]:
    first_line = text.split("\n", 1)[0].rstrip("\r")
    for delimiter in (",", ";", "\t"):
        try:
            row = next(csv.reader([first_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(row) > 2:
            return [cell.strip() for cell in row]
    return []


def _sniff_csv(text: str) -> str | None:
    header = csv_header(text)
    if not header:
        return None
    if header[0] == "Summation column":
        return ADMIN_CSV
    labels = set(header)
    if {"Id", "Subject", "Status"} <= labels and len(labels & CSV_LABELS) >= 5:
        return ADMIN_CSV
    return None
