"""Reading Zendesk export files: whole JSON documents, NDJSON line by line, CSV lines.

Every problem becomes an ``ImportFailed`` that names the file and line and says what to do, so
the user never sees a bare ``JSONDecodeError``. Text is UTF-8, with or without a BOM (Zendesk
writes UTF-8; a BOM appears once someone re-saves the file in an editor).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.importers.base import ImportFailed, ProgressFn

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_PROGRESS_STEP = 256 * 1024

REDOWNLOAD_HINT = "The download may have been cut off: export or download the file again."
ENCODING_HINT = (
    "Zendesk exports are UTF-8; if the file was opened and re-saved in another program, "
    "export it again from Zendesk (or save it as UTF-8) and import that copy."
)
EMPTY_HINT = "Export the tickets again from Zendesk and choose the new file."


class ByteProgress:
    """Reports bytes done to a ProgressFn, at most every 256 KB (the UI repaints on each call)."""

    __slots__ = ("fn", "total", "done", "_reported")

    def __init__(self, fn: ProgressFn | None, total: int) -> None:
        self.fn = fn
        self.total = total
        self.done = 0
        self._reported = 0

    def add(self, n: int) -> None:
        self.done += n
        if self.fn is not None and self.done - self._reported >= _PROGRESS_STEP:
            self._reported = self.done
            self.fn(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.fn is not None:
            self.fn(self.total, self.total)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed("The file does not exist.", file=path) from exc
    except OSError as exc:
        raise ImportFailed(f"The file cannot be read ({exc.strerror or exc}).", file=path) from exc


def _check_not_utf16(head: bytes, path: Path) -> None:
    if head.startswith(_UTF16_BOMS):
        raise ImportFailed("The file is UTF-16 text, not UTF-8.", file=path, line=1, hint=ENCODING_HINT)


def _encoding_error(path: Path, data: bytes, exc: UnicodeDecodeError, first_line: int = 1) -> ImportFailed:
    line = first_line + data.count(b"\n", 0, exc.start)
    bad = data[exc.start : exc.start + 1].hex()
    return ImportFailed(f"The text is not UTF-8 (byte 0x{bad} cannot be read).", file=path, line=line, hint=ENCODING_HINT)


def decode(path: Path, data: bytes) -> str:
    """UTF-8, then UTF-8 with a BOM; anything else is an ImportFailed naming the line."""
    _check_not_utf16(data[:2], path)
    try:
        return data.decode("utf-8-sig" if data.startswith(_BOM) else "utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, data, exc) from exc


def load_json_document(path: Path) -> Any:
    """A whole JSON file (an API response), with errors naming the line."""
    data = _read_bytes(path)
    if not data.strip():
        raise ImportFailed("The file is empty.", file=path, hint=EMPTY_HINT)
    text = decode(path, data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"This is not valid JSON ({exc.msg} at column {exc.colno}).", file=path, line=exc.lineno, hint=REDOWNLOAD_HINT
        ) from exc


def iter_ndjson(path: Path, progress: ByteProgress) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line, reading one line at a time."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ImportFailed(f"The file cannot be read ({exc.strerror or exc}).", file=path) from exc
    # The C scanner directly: json.loads adds two regex calls and a Python frame per line.
    scan = json.decoder.JSONDecoder().scan_once
    with fh:
        number = 0
        seen_content = False
        pending = 0  # bytes not yet reported: one progress call per 64 lines, not per line
        for raw in fh:
            number += 1
            pending += len(raw)
            if number & 63 == 0:
                progress.add(pending)
                pending = 0
            if number == 1:
                _check_not_utf16(raw[:2], path)
                if raw.startswith(_BOM):
                    raw = raw[3:]
            try:
                # A strict UTF-8 decode, then str parsing: json.loads(bytes) decodes with the
                # 'surrogatepass' handler, which misses CPython's fast UTF-8 path.
                text = raw.decode("utf-8")
                try:
                    obj, end = scan(text, 0)
                except StopIteration:  # not a JSON value at the start of the line
                    obj, end = json.loads(text), 0  # raises the usual error with its position
                if end and not (end == len(text) or text[end:].isspace()):
                    json.loads(text)  # trailing data: let json report it
            except UnicodeDecodeError as exc:
                raise _encoding_error(path, raw, exc, first_line=number) from exc
            except ValueError as exc:
                if not raw.strip():
                    continue
                msg = getattr(exc, "msg", str(exc))
                raise ImportFailed(
                    f"This line is not complete JSON ({msg}).", file=path, line=number, hint=REDOWNLOAD_HINT
                ) from exc
            seen_content = True
            yield number, obj
        progress.add(pending)
    if not seen_content:
        raise ImportFailed("The file is empty.", file=path, hint=EMPTY_HINT)


def iter_text_lines(path: Path, progress: ByteProgress) -> Iterator[str]:
    """Decoded lines (with their newline) for the csv module, failing with the line number."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ImportFailed(f"The file cannot be read ({exc.strerror or exc}).", file=path) from exc
    with fh:
        for number, raw in enumerate(fh, start=1):
            progress.add(len(raw))
            if number == 1:
                _check_not_utf16(raw[:2], path)
                if raw.startswith(_BOM):
                    raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _encoding_error(path, raw, exc, first_line=number) from exc


def first_json_line(path: Path) -> Any:
    """The first non-blank line of an NDJSON file, parsed (None when it does not parse)."""
    try:
        with path.open("rb") as fh:
            for raw in fh:
                if raw.strip():
                    return json.loads(raw.removeprefix(_BOM))
    except (OSError, ValueError):
        return None
    return None


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
