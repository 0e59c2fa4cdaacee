"""Copying a JSONL file's lines, as written, into one or more output files by line number.

Lines are copied byte for byte (only a leading byte-order mark and blank lines are dropped), so
deduplicating or splitting a file never re-serialises an example. Outputs are written atomically:
if anything fails, no output file is left half-written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from workbench.core.atomic import atomic_writer
from workbench.core.jsonl import open_binary

_BOM = b"\xef\xbb\xbf"


def copy_lines(source: str | Path, outputs: dict[str, Path], route: Callable[[int], str | None]) -> dict[str, int]:
    """Writes each non-blank line of ``source`` to ``outputs[route(line number)]`` (None: drop it).
    Returns the lines written per output. Line numbers count from 1, blank lines included, as
    ``workbench.core.jsonl.iter_lines`` numbers them."""
    written = dict.fromkeys(outputs, 0)
    with contextlib.ExitStack() as stack:
        handles = {name: stack.enter_context(atomic_writer(path, "wb")) for name, path in outputs.items()}
        with open_binary(source) as fh:
            for number, raw in enumerate(fh, 1):
                if number == 1 and raw.startswith(_BOM):
                    raw = raw[len(_BOM):]
                if not raw.strip():
                    continue
                name = route(number)
                if name is None:
                    continue
                handles[name].write(raw if raw.endswith(b"\n") else raw + b"\n")
                written[name] += 1
    return written
