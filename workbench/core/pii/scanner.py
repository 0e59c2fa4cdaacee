"""Scanning examples for personal data: over any stream of examples, a JSONL file or a workspace.

Streams: one example in memory at a time, plus the findings (small: a few per example with PII).
``progress(done, total)`` is called every few hundred examples and ``cancel()`` polled as often;
a cancelled scan raises ``InterruptedError`` like the other long-running core operations.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.gc_pause import collector_paused
from workbench.core.pii.engine import Detector
from workbench.core.pii.finding import CONTEXT_CHARS, Finding
from workbench.core.pii.settings import PiiSettings, load_settings
from workbench.core.pii.texts import plain_chat_texts, texts_and_places

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
REPORT_EVERY = 256  # examples between progress calls and cancel checks
PROVENANCE_NAMES = "customer_names"  # key in an example's source dict (see importers/zendesk.py)
MAX_PROBLEM_LINES = 20


@dataclass
class ScanResult:
    """What a scan found. ``findings`` is in example order (empty when only counting)."""

    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # kind -> findings
    examples: int = 0  # examples scanned
    examples_with_pii: int = 0
    unreadable_lines: list[int] = field(default_factory=list)  # JSONL lines that are not JSON (first few)
    unreadable: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_example(self) -> dict[int, list[Finding]]:
        out: dict[int, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.example_id, []).append(f)
        return out


def names_from_source(source: Any) -> list[str]:
    """The customer names an import recorded in an example's provenance."""
    if isinstance(source, dict):
        names = source.get(PROVENANCE_NAMES)
        if isinstance(names, list):
            return [n for n in names if isinstance(n, str) and n.strip()]
    return []


def findings_in(example_id: int, example: dict[str, Any], detector: Detector,
                names: Sequence[str] = ()) -> list[Finding]:
    """Every finding in one example, with context for the review."""
    texts, places = texts_and_places(example)
    return _findings(example_id, texts, places, detector.scan(texts, names))


def _findings(example_id: int, texts: list[str], places: list[tuple[int, int | None, str]] | None,
              hits: list[tuple[int, int, int, str]], messages: list | None = None) -> list[Finding]:
    """``places`` for each text, or None for a plain chat example (text i is ``messages[i]``)."""
    out: list[Finding] = []
    append = out.append
    last = -1
    text, message, part, role = "", 0, None, ""
    for i, start, end, kind in hits:
        if i != last:  # hits are sorted by text: look the text's place up once
            last, text = i, texts[i]
            if places is None:
                message, part, role = i, None, messages[i].get("role")
                if role.__class__ is not str:
                    role = ""
            else:
                message, part, role = places[i]
        before = start - CONTEXT_CHARS
        append(Finding(example_id, message, part, role, start, end, kind, text[start:end],
                       text[before if before > 0 else 0:start], text[end:end + CONTEXT_CHARS]))
    return out


def scan_examples(items: Iterable[tuple[int, dict[str, Any], Sequence[str]]], settings: PiiSettings, *,
                  total: int = 0, keep_findings: bool = True, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None, result: ScanResult | None = None) -> ScanResult:
    """Scan ``(example id, example, known names)`` items. ``keep_findings=False`` only counts."""
    detector = Detector(settings)
    result = result or ScanResult()
    counts = result.counts
    done = 0
    with collector_paused():
        for example_id, example, names in items:
            done += 1
            if done % REPORT_EVERY == 0:
                if cancel is not None and cancel():
                    raise InterruptedError("PII scan cancelled")
                if progress is not None:
                    progress(done, total)
            texts = plain_chat_texts(example)
            places = None
            if texts is None:
                texts, places = texts_and_places(example)
            hits = detector.scan(texts, names)
            if not hits:
                continue
            result.examples_with_pii += 1
            counts.update([h[3] for h in hits])
            if keep_findings:
                result.findings += _findings(example_id, texts, places, hits, example.get("messages"))
    result.examples += done
    if progress is not None:
        progress(done, total or done)
    return result


def _workspace_items(ws, splits: Sequence[str] | None) -> Iterator[tuple[int, dict[str, Any], list[str]]]:
    for split in splits or (None,):
        for record in ws.iter_records(split):
            yield record.id, record.data, names_from_source(record.source)


def scan_workspace(ws, settings: PiiSettings | None = None, *, keep_findings: bool = True,
                   progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                   splits: Sequence[str] | None = None) -> ScanResult:
    """Scan the live examples of a workspace (``splits``: only those; names: the settings' list +
    each example's import)."""
    settings = settings or load_settings(ws)
    total = sum(ws.count(s) for s in splits) if splits else ws.count()
    return scan_examples(_workspace_items(ws, splits), settings, total=total, keep_findings=keep_findings,
                         progress=progress, cancel=cancel)


UPLOADED_SPLITS = ("train", "validation")  # test and excluded examples never leave the machine


def unredacted_pii_summary(ws, settings: PiiSettings | None = None, *, progress: ProgressFn | None = None,
                           cancel: CancelFn | None = None,
                           splits: Sequence[str] | None = UPLOADED_SPLITS) -> dict[str, int]:
    """Findings per kind still in what an upload would send (empty when clean): the warning
    before an upload. ``splits=None`` scans every split."""
    result = scan_workspace(ws, settings, keep_findings=False, progress=progress, cancel=cancel, splits=splits)
    return dict(result.counts)


def scan_jsonl(path: str | Path, settings: PiiSettings, *, keep_findings: bool = True,
               progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> ScanResult:
    """Scan a JSONL file; example ids are line numbers. Lines that are not JSON are counted, not
    scanned. ``FileReadError`` when the file cannot be read at all."""
    result = ScanResult()
    size = max(1, _size(path))
    read = [0]

    def unreadable(number: int) -> None:
        result.unreadable += 1
        if len(result.unreadable_lines) < MAX_PROBLEM_LINES:
            result.unreadable_lines.append(number)

    def items() -> Iterator[tuple[int, dict[str, Any], Sequence[str]]]:
        for number, obj in iter_objects(path, read, unreadable):
            yield number, obj, ()

    byte_progress = None if progress is None else (lambda _done, _total: progress(read[0], size))
    return scan_examples(items(), settings, keep_findings=keep_findings, progress=byte_progress,
                         cancel=cancel, result=result)


def iter_objects(path: str | Path, read: list[int] | None = None,
                 unreadable: Callable[[int], None] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, example) for each JSON object line; other non-blank lines go to ``unreadable``.

    Leaner than ``jsonl.iter_lines`` (no per-line digest or issue objects): a scan only needs the
    objects, and ``workbench validate`` explains bad lines. ``FileReadError`` if unreadable."""
    from workbench.core.jsonl import FileReadError, open_binary

    with open_binary(path) as fh:
        try:
            for number, raw in enumerate(fh, 1):
                if read is not None:
                    read[0] += len(raw)
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    obj = json.loads(raw.decode("utf-8"))
                except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
                    if raw.strip() and unreadable is not None:
                        unreadable(number)
                    continue
                if obj.__class__ is dict:
                    yield number, obj
                elif unreadable is not None:
                    unreadable(number)
        except OSError as exc:
            raise FileReadError(f"{path} could not be read to the end: {exc.strerror or exc}.") from exc


def _size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
