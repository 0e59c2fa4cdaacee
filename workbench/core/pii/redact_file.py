"""Redacting a JSONL file into a new one (the CLI's ``pii redact IN -o OUT``).

Streamed: each line is scanned and written at once. The output replaces OUT only if every line
of IN was readable: a line that is not JSON could hold personal data the scan never saw, so
nothing is written and the lines are named instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.pii.engine import Detector
from workbench.core.pii.placeholders import redact_example
from workbench.core.pii.scanner import MAX_PROBLEM_LINES, findings_in, iter_objects
from workbench.core.pii.settings import PiiSettings


class UnreadableLines(Exception):
    """Some lines are not JSON examples; ``lines`` holds the first line numbers, ``count`` all."""

    def __init__(self, path: Path, lines: list[int], count: int) -> None:
        self.lines, self.count = lines, count
        shown = ", ".join(map(str, lines))
        super().__init__(f"{path}: {count:,} lines cannot be read (lines {shown}); nothing was written. "
                         "Run 'workbench validate' on the file to see why, fix them and run again.")


@dataclass
class FileRedaction:
    examples: int = 0  # examples read
    changed: int = 0  # examples with at least one replacement
    counts: dict[str, int] = field(default_factory=dict)  # placeholder label -> replacements


def redact_jsonl(source: str | Path, output: str | Path, settings: PiiSettings, *,
                 progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> FileRedaction:
    """Write ``source`` to ``output`` with every finding replaced. Raises ``FileReadError``,
    ``UnreadableLines``, ``InterruptedError`` (cancelled) or ``OSError`` (cannot write)."""
    from workbench.core.atomic import atomic_writer
    from workbench.core.formats import dumps

    source, output = Path(source), Path(output)
    detector = Detector(settings)
    total = max(1, source.stat().st_size) if source.is_file() else 1
    result = FileRedaction()
    counts: Counter[str] = Counter()
    bad: list[int] = []
    read = [0]

    def unreadable(number: int) -> None:
        bad.append(number)

    with atomic_writer(output) as fh:
        for number, obj in iter_objects(source, read, unreadable):
            result.examples += 1
            if result.examples % 256 == 0:
                if cancel is not None and cancel():
                    raise InterruptedError("redaction cancelled")
                if progress is not None:
                    progress(read[0], total)
            if bad:
                continue  # keep reading to name every bad line; nothing will be written
            findings = findings_in(number, obj, detector)
            if findings:
                obj, replaced, _ = redact_example(obj, findings, numbered=settings.numbered)
                if replaced:
                    result.changed += 1
                    counts.update(replaced)
            fh.write(dumps(obj) + "\n")
        if bad:
            raise UnreadableLines(source, bad[:MAX_PROBLEM_LINES], len(bad))
    result.counts = dict(sorted(counts.items()))
    return result
