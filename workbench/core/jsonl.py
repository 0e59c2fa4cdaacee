"""Streaming, defensive JSONL reading: one (line number, object | None, problems) per line.

Never raises on bad content: BOMs, non-UTF-8 bytes, binary files, blank lines, over-long lines
and invalid JSON all become Issues with the line (and column) where they happen. Only the file
being unreadable (missing, a directory, permission) raises ``FileReadError``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from workbench.core.validation.issues import Issue, make_issue

MAX_LINE_BYTES = 8 * 1024 * 1024
_CHUNK = 1024 * 1024
_BOM = b"\xef\xbb\xbf"


class FileReadError(Exception):
    """The file cannot be opened or read at all (the CLI exits 2 on this)."""


@dataclass
class Line:
    number: int
    obj: Any = None
    ok: bool = False  # obj was parsed
    issues: list[Issue] = field(default_factory=list)
    size: int = 0  # bytes, for progress
    digest: str | None = None  # hash of the line's text: identical lines are exact duplicates


def _human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def open_binary(path: str | Path) -> BinaryIO:
    p = Path(path)
    try:
        if p.is_dir():
            raise FileReadError(f"{p} is a folder, not a file.")
        return p.open("rb")
    except FileNotFoundError as exc:
        raise FileReadError(f"{p} does not exist.") from exc
    except PermissionError as exc:
        raise FileReadError(f"You may not read {p} (permission denied).") from exc
    except OSError as exc:
        raise FileReadError(f"{p} cannot be read: {exc.strerror or exc}.") from exc


def iter_lines(path: str | Path) -> Iterator[Line]:
    with open_binary(path) as fh:
        try:
            yield from _iter_lines(fh)
        except OSError as exc:  # e.g. the disk went away mid-read
            raise FileReadError(f"{path} could not be read to the end: {exc.strerror or exc}.") from exc


def _iter_lines(fh: BinaryIO) -> Iterator[Line]:
    head = fh.read(8192)
    nul = head.find(b"\x00")
    if nul >= 0:
        yield Line(number=1, issues=[make_issue("not_text", line=1, offset=nul)], size=len(head))
        return
    fh.seek(0)
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size = len(raw)
            while True:  # skip the rest of this line without holding it in memory
                rest = fh.readline(_CHUNK)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield Line(
                number,
                issues=[make_issue("line_too_long", line=number, size=_human_size(size), limit=_human_size(MAX_LINE_BYTES))],
                size=size,
            )
            continue
        yield parse_line(number, raw)


def parse_line(number: int, raw: bytes) -> Line:
    # Hot path (every line of a 50,000-example file): no copies of the text unless a problem needs them.
    line = Line(number, size=len(raw))
    if number == 1 and raw.startswith(_BOM):
        line.issues.append(make_issue("bom", line=1))
        raw = raw[len(_BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line.issues.append(make_issue("invalid_utf8", line=number, byte=raw[exc.start], column=exc.start + 1))
        return line
    if not text or text.isspace():
        line.issues.append(make_issue("blank_line", line=number))
        return line
    try:
        line.obj = json.loads(text)
        line.ok = True
    except json.JSONDecodeError:
        _explain_json_error(line, text.rstrip("\r\n"))  # columns of this line, not the next
        return line
    except RecursionError:
        line.issues.append(make_issue("invalid_json", line=number, reason="nested too deeply", column=1))
        return line
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        line.issues.append(make_issue("invalid_json", line=number, reason=str(exc), column=1))
        return line
    if b"\\u" in raw and (b"\\ud" in raw or b"\\uD" in raw) and not _encodable(line.obj):
        line.ok, line.obj = False, None
        line.issues.append(make_issue("invalid_json", line=number, column=1,
                                      reason="it contains half of a UTF-16 surrogate pair (a broken emoji escape)"))
        return line
    end = len(raw)
    while end and raw[end - 1] in b" \t\r\n":
        end -= 1
    start = 0
    while start < end and raw[start] in b" \t":
        start += 1
    line.digest = hashlib.blake2b(memoryview(raw)[start:end], digest_size=16).hexdigest()
    return line


def _explain_json_error(line: Line, text: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        reason = exc.msg
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            reason += " — the line ends too early (was it cut off?)"
        line.issues.append(make_issue("invalid_json", line=line.number, reason=reason, column=exc.colno))
    except ValueError as exc:  # pragma: no cover - the first parse already failed on this text
        line.issues.append(make_issue("invalid_json", line=line.number, reason=str(exc), column=1))


def _encodable(obj: Any) -> bool:
    """Lone surrogates (``"\\ud83d"``) parse as JSON but cannot be written as UTF-8."""
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
