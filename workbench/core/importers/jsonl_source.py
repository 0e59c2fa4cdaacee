"""JSONL import (chat, legacy prompt/completion, DPO): every example taken exactly as written.

Validation is the workspace's job; this importer only refuses what it cannot carry over at all
(a line that is not JSON, not an object, not text), and it refuses the whole file on the first
such line, because an import either completes or changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.formats import Kind, detect_kind, legacy_to_chat
from workbench.core.importers.base import (
    CancelFn,
    ImportedExample,
    ImportFailed,
    ImportReport,
    ProgressFn,
    check_cancel,
)
from workbench.core.jsonl import FileReadError, Line, iter_lines

_TICK = 256
_JSON_TYPES = {list: "list", str: "string", int: "number", float: "number", bool: "true/false"}


@dataclass
class JsonlOptions:
    convert_legacy: bool = False  # prompt/completion -> chat (formats.legacy_to_chat)
    system_prompt: str | None = None  # the system message of converted legacy examples only


def run(
    paths: Iterable[str | Path],
    options: JsonlOptions,
    report: ImportReport,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Iterator[ImportedExample]:
    paths = [Path(p) for p in paths]
    report.source_format = "jsonl"
    report.item_name = "lines"
    total = sum(_size(p) for p in paths)
    done = 0
    converted = 0
    for path in paths:
        check_cancel(cancel)
        if str(path) not in report.files:  # the runner may have listed them already
            report.files.append(str(path))
        examples_before = report.produced
        for line in _lines(path):
            done += line.size
            if line.number % _TICK == 0:
                check_cancel(cancel)
                if progress is not None:
                    progress(min(done, total), total)
            obj = _object(path, line, report)
            if obj is None:
                continue
            report.items_read += 1
            if options.convert_legacy and detect_kind(obj) is Kind.LEGACY:
                obj = legacy_to_chat(obj, options.system_prompt or None)
                converted += 1
            report.produced += 1
            yield ImportedExample(example=obj, source={"file": str(path), "line": line.number, "format": "jsonl"})
        if report.produced == examples_before:
            raise ImportFailed(
                "the file has no examples" + (" (only blank lines)." if report.dropped else "."),
                file=path,
                hint="Choose a JSONL file with one training example per line.",
            )
    if progress is not None:
        progress(total, total)
    if converted:
        report.note(f"Converted {converted:,} prompt/completion examples to chat.")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # iter_lines says precisely what is wrong with the path


def _lines(path: Path) -> Iterator[Line]:
    try:
        yield from iter_lines(path)
    except FileReadError as exc:  # its message already names the file
        failed = ImportFailed(str(exc))
        failed.file = str(path)
        raise failed from None


def _object(path: Path, line: Line, report: ImportReport) -> dict | None:
    """The line's example, or None for a line to skip; raises for a line that cannot be imported."""
    for issue in line.issues:
        if issue.code == "bom":
            report.note(f"{path.name} starts with a byte-order mark; it was ignored.")
        elif issue.code == "blank_line":
            report.drop("blank line", f"line {line.number}")
            return None
        elif issue.code == "not_text":
            raise ImportFailed(issue.message, file=path, hint=issue.fix)
        else:
            raise ImportFailed(_without_where(issue.message, line.number), file=path, line=line.number, hint=_fix(path))
    if not line.ok:  # cannot happen with the issues above, but never yield a half-read line
        raise ImportFailed("the line cannot be read.", file=path, line=line.number, hint=_fix(path))
    if not isinstance(line.obj, dict):
        found = "null" if line.obj is None else _JSON_TYPES.get(type(line.obj), type(line.obj).__name__)
        raise ImportFailed(
            f"the line is a JSON {found}, but each line must be one example object {{...}}.",
            file=path,
            line=line.number,
            hint=_fix(path),
        )
    return line.obj


def _without_where(message: str, number: int) -> str:
    """'Line 7 is not valid JSON' -> 'the line is not valid JSON' (ImportFailed adds 'line 7')."""
    prefix = f"Line {number}"
    return "the line" + message[len(prefix):] if message.startswith(prefix) else message


def _fix(path: Path) -> str:
    shown = f'"{path}"' if " " in str(path) else str(path)
    return f"Fix the line or run `workbench validate {shown}` to see every problem."
