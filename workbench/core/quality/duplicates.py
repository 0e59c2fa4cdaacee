"""Exact and near duplicates in one pass, and removing them as one undo step.

Exact means equal after normalising case, punctuation and whitespace (optionally ignoring the
system prompt, which is often the same everywhere or changed between exports). Near duplicates
are looked for among one example per exact class, so a group never lists copies twice; the
examples a group suggests removing are soft-deleted by ``remove_duplicates``, undoable in one step.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord, check_cancel
from workbench.core.quality.groups import DuplicateGroup, DuplicateReport, choose_keeper
from workbench.core.quality.near_duplicates import (
    DEFAULT_SHINGLE,
    DEFAULT_THRESHOLD,
    near_groups,
    sort_groups,
)
from workbench.core.quality.scan import Scan, scan


def find_duplicates(records: Iterable[QualityRecord], *, threshold: float = DEFAULT_THRESHOLD,
                    exact_only: bool = False, ignore_system: bool = False, keep: str = "first",
                    shingle: int = DEFAULT_SHINGLE, progress: ProgressFn | None = None,
                    cancel: CancelFn | None = None) -> DuplicateReport:
    """Exact groups, then near-duplicate groups (unless ``exact_only``). ``progress`` goes from 0 to
    the number of examples while reading, then to twice that while comparing."""
    choose_keeper([0], [0], keep)  # a wrong policy fails before the scan, not after it
    if not exact_only and not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be above 0 and at most 1 (e.g. 0.85)")
    total = len(records) if hasattr(records, "__len__") else 0
    s = scan(records, ignore_system=ignore_system, shingle=None if exact_only else shingle,
             progress=progress, cancel=cancel, total=2 * total)
    n = len(s.ids)
    report = DuplicateReport(examples=n, exact=exact_groups(s, keep), threshold=None if exact_only else threshold)
    if not exact_only:
        def compare_progress(done: int, steps: int) -> None:
            if progress is not None and steps:
                progress(n + n * done // steps, 2 * n)

        report.near = near_groups(s, threshold, keep, progress=compare_progress, cancel=cancel)
    if progress is not None:
        progress(2 * n, 2 * n)
    return report


def exact_groups(s: Scan, keep: str) -> list[DuplicateGroup]:
    out = []
    for members in s.classes.values():
        if len(members) < 2:
            continue
        keeper = choose_keeper(members, s.chars, keep)
        out.append(DuplicateGroup(kind="exact", keep=s.ids[keeper],
                                  remove=tuple(s.ids[m] for m in members if m != keeper),
                                  similarity={s.ids[m]: 1.0 for m in members}, preview=s.previews[keeper]))
    return sort_groups(out)


def find_exact_duplicates(records: Iterable[QualityRecord], *, ignore_system: bool = False, keep: str = "first",
                          progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> list[DuplicateGroup]:
    return find_duplicates(records, exact_only=True, ignore_system=ignore_system, keep=keep,
                           progress=progress, cancel=cancel).exact


def removal_ids(groups_or_ids: Iterable[DuplicateGroup | int]) -> list[int]:
    """The example ids to remove: each group's ``remove``, or the ids themselves; order kept, once each."""
    ids: dict[int, None] = {}
    for item in groups_or_ids:
        if isinstance(item, DuplicateGroup):
            ids.update(dict.fromkeys(item.remove))
        else:
            ids[int(item)] = None
    return list(ids)


def remove_duplicates(ws, groups_or_ids: Iterable[DuplicateGroup | int], label: str | None = None,
                      cancel: CancelFn | None = None) -> int:
    """Soft-deletes the examples the groups mark for removal (or the given ids) as ONE undo step.
    Returns how many were removed (examples already deleted are not counted)."""
    ids = removal_ids(groups_or_ids)
    check_cancel(cancel)
    live = set(ws.ids())
    ids = [i for i in ids if i in live]
    if not ids:
        return 0
    label = label or f"Remove {len(ids):,} duplicate{'s' if len(ids) != 1 else ''}"
    with ws.batch(label):
        ws.delete_examples(ids, label)
    return len(ids)
