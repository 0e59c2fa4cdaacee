"""What every quality check shares: the record it reads, progress and cancel callables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ProgressFn = Callable[[int, int], None]  # (done, total); total 0 = unknown
CancelFn = Callable[[], bool]  # returns True once the user pressed Cancel


class QualityCancelled(Exception):
    """The user cancelled a scan; nothing was changed. (The UI reports *Cancelled names as cancelled.)"""


def check_cancel(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise QualityCancelled()


@dataclass(frozen=True)
class QualityRecord:
    """One example as the checks see it. ``id``: the workspace example id, or the JSONL line number."""

    id: int
    data: dict[str, Any]
    tags: tuple[str, ...] = ()
    split: str = "train"
