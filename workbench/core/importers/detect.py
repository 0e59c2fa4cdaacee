"""Which importer a chosen file or folder needs: "csv", "excel", "jsonl" or "zendesk".

Decided by extension first (what the user sees) and content second (what the file is), so a
renamed workbook or a Zendesk export saved as .csv still finds the right importer, and a file no
importer can read fails here with a sentence instead of deep inside an importer.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from workbench.core.formats import Kind, detect_kind
from workbench.core.importers import tabular_sniff as sniff
from workbench.core.importers.base import ImportFailed
from workbench.core.jsonl import MAX_LINE_BYTES

TEXT_TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
ACCEPTED = (
    "Fine-Tune Workbench imports CSV or TSV files (.csv, .tsv, .txt), Excel workbooks (.xlsx, .xls), "
    "JSONL training files (.jsonl), and Zendesk ticket exports (.json or .csv, or the folder of an API export)."
)
_NAMES = {
    "csv": "a CSV file",
    "excel": "an Excel workbook",
    "jsonl": "a JSONL training file",
    "zendesk": "a Zendesk export",
    "users": "a Zendesk users export",
}
_USERS_HINT = (
    "Export the tickets instead: in Zendesk Admin Center, Account > Tools > Reports > Export, "
    "choose the tickets (JSON or CSV), not the users."
)


def detect_format(paths: list[Path]) -> str:
    if not paths:
        raise ImportFailed("no file was chosen.", hint=ACCEPTED)
    found = {Path(p): _detect_one(Path(p)) for p in paths}
    kinds = set(found.values())
    if kinds == {"users"}:
        raise ImportFailed("this looks like a users export, not tickets.", file=next(iter(found)), hint=_USERS_HINT)
    if kinds == {"users", "zendesk"}:
        return "zendesk"  # users chosen next to tickets: the Zendesk importer uses them to tell agents apart
    if len(kinds) > 1:
        listed = "; ".join(f"{p.name} is {_NAMES[k]}" for p, k in found.items())
        raise ImportFailed(f"the chosen files are of different kinds ({listed}).", hint="Import one kind at a time.")
    return kinds.pop()


def _detect_one(path: Path) -> str:
    if not path.exists():
        raise ImportFailed("the file or folder does not exist.", file=path)
    if path.is_dir():
        return _detect_folder(path)
    head = sniff.read_head(path)
    if not head:
        raise ImportFailed("the file is empty.", file=path, hint="Choose the export that contains the data.")
    suffix = path.suffix.lower()
    kind = sniff.container_kind(head)
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if kind is not None and suffix in TEXT_TABLE_SUFFIXES:
        return "excel"  # a workbook saved under a .csv name: the tabular importer opens it by content
    if kind == "zip":
        raise ImportFailed(
            "this is a zip archive.",
            file=path,
            hint="Unzip it first, then choose the file inside (or, for a Zendesk API export, the folder).",
        )
    if suffix in TEXT_TABLE_SUFFIXES:
        sniff.check_text(path, head)
        return "zendesk" if _zendesk_sniff(path) else "csv"
    if suffix in JSON_SUFFIXES:
        return _detect_json(path, head)
    if b"\x00" in head:
        raise ImportFailed("this is not a file Fine-Tune Workbench can import.", file=path, hint=ACCEPTED)
    raise ImportFailed(f"files named '{path.suffix or path.name}' cannot be imported.", file=path, hint=ACCEPTED)


def _detect_folder(path: Path) -> str:
    try:
        has_json = any(p.suffix.lower() == ".json" for p in path.rglob("*") if p.is_file())
    except OSError as exc:
        raise ImportFailed(f"the folder cannot be read ({exc.strerror or exc}).", file=path) from None
    if has_json:
        return "zendesk"
    raise ImportFailed(
        "this folder has no .json files, so it is not a Zendesk API export.",
        file=path,
        hint="Choose the file to import itself. " + ACCEPTED,
    )


def _detect_json(path: Path, head: bytes) -> str:
    sniff.check_text(path, head)
    first = _first_object(path)
    if _is_users_export(first) or (first is None and _starts_with_users_key(head)):
        return "users"  # refused unless tickets were chosen with it (see detect_format)
    if _zendesk_sniff(path):
        return "zendesk"
    if isinstance(first, dict) and detect_kind(first) is not Kind.UNKNOWN:
        return "jsonl"
    if not isinstance(first, dict) and path.suffix.lower() != ".json":
        return "jsonl"  # a broken training file: the JSONL importer names the exact line and problem
    if first is None and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise ImportFailed(
            "this is one JSON list, not JSON Lines, and not a Zendesk export.",
            file=path,
            hint="Training files have one example object per line (JSONL); save the list that way and import it again.",
        )
    keys = ", ".join(f"'{k}'" for k in list(first)[:6]) if isinstance(first, dict) else ""
    raise ImportFailed(
        "this JSON is neither a training file nor a Zendesk export"
        + (f" (its first object has the keys {keys})." if keys else "."),
        file=path,
        hint="A training file has one example per line with 'messages' (chat), 'prompt' and 'completion' "
        "(legacy) or 'input' and 'preferred_output' (preference). From Zendesk, export the tickets as JSON or CSV.",
    )


def _first_object(path: Path) -> Any:
    """The first non-blank line parsed as JSON, or None when it is not JSON on its own."""
    try:
        with path.open("rb") as fh:
            while raw := fh.readline(MAX_LINE_BYTES):
                if raw.strip():
                    break
    except OSError as exc:
        raise ImportFailed(f"the file cannot be read ({exc.strerror or exc}).", file=path) from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def _is_users_export(obj: Any) -> bool:
    if isinstance(obj, dict) and isinstance(obj.get("users"), list) and "tickets" not in obj:
        return bool(obj["users"]) and _is_users_export(obj["users"][0])
    return (
        isinstance(obj, dict)
        and "email" in obj
        and "role" in obj
        and not ({"subject", "messages", "description"} & obj.keys())
    )


def _starts_with_users_key(head: bytes) -> bool:
    """A pretty-printed API page of users: '{\\n  "users": [' (tickets pages start with "tickets")."""
    text = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text.startswith("{") and text[1:].lstrip().startswith('"users"')


def _zendesk_sniff(path: Path) -> str | None:
    # Imported here so detection works while (or without) the Zendesk importer being in place.
    try:
        from workbench.core.importers.zendesk import sniff as zendesk_sniff
    except ImportError:
        return None
    try:
        return zendesk_sniff(path)
    except (OSError, ValueError):  # a sniffer stumbling on odd bytes means "not Zendesk", not a crash
        return None
