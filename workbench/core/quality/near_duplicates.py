"""Near-duplicate groups: conversations whose word shingles overlap by at least a threshold.

Similarity is the Jaccard index of the sets of ``shingle``-word sequences of the normalised
conversation (case, punctuation and whitespace folded), system prompt left out: a long prompt
shared by every example would otherwise make every short conversation a near duplicate. 0.85 with 2-word shingles catches a
conversation with a few words changed, a greeting added or a typo fixed, and not two different
answers that share boilerplate. MinHash + LSH finds the candidates; each is verified exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord
from workbench.core.quality.groups import DuplicateGroup, choose_keeper
from workbench.core.quality.minhash import cluster
from workbench.core.quality.scan import Scan, scan

DEFAULT_THRESHOLD = 0.85
DEFAULT_SHINGLE = 2


def near_groups(s: Scan, threshold: float, keep: str, *, include_copies: bool = False,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> list[DuplicateGroup]:
    """Near-duplicate groups over the exact classes of a scan. Each class is represented by the
    example it would keep, or (``include_copies``) by all its members."""
    assert s.corpus is not None, "scan with a shingle size to look for near duplicates"
    clusters = cluster(s.corpus, threshold, cancel=cancel, progress=progress)
    out = []
    for texts in clusters.groups:
        reps: dict[int, int] = {}  # example index -> corpus text index
        for t in texts:
            members_of_class = s.classes[s.class_of_text[t]]
            chosen = members_of_class if include_copies else [choose_keeper(members_of_class, s.chars, keep)]
            reps.update(dict.fromkeys(chosen, t))
        members = sorted(reps)
        keeper = choose_keeper(members, s.chars, keep)
        similarity = {s.ids[m]: round(clusters.jaccard(reps[keeper], reps[m]), 4) for m in members}
        out.append(DuplicateGroup(kind="near", keep=s.ids[keeper], remove=tuple(s.ids[m] for m in members if m != keeper),
                                  similarity=similarity, preview=s.previews[keeper]))
    if include_copies:  # exact copies with no other near neighbour are near duplicates too
        clustered = {s.class_of_text[t] for texts in clusters.groups for t in texts}
        for key, members in s.classes.items():
            if len(members) > 1 and key not in clustered:
                keeper = choose_keeper(members, s.chars, keep)
                out.append(DuplicateGroup(kind="near", keep=s.ids[keeper],
                                          remove=tuple(s.ids[m] for m in members if m != keeper),
                                          similarity={s.ids[m]: 1.0 for m in members}, preview=s.previews[keeper]))
    return sort_groups(out)


def sort_groups(groups: list[DuplicateGroup]) -> list[DuplicateGroup]:
    """Biggest groups first (they matter most), then in display order of their keeper."""
    return sorted(groups, key=lambda g: (-len(g.members), min(g.members)))


def find_near_duplicates(records: Iterable[QualityRecord], *, threshold: float = DEFAULT_THRESHOLD,
                         ignore_system: bool = False, keep: str = "first", shingle: int = DEFAULT_SHINGLE,
                         progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> list[DuplicateGroup]:
    """Near-duplicate groups, exact copies included (similarity 1.0). ``duplicates.find_duplicates``
    reports exact groups separately and lists each exact class once here."""
    total = len(records) if hasattr(records, "__len__") else 0
    s = scan(records, ignore_system=ignore_system, shingle=shingle, progress=progress, cancel=cancel, total=total)
    return near_groups(s, threshold, keep, include_copies=True, cancel=cancel)
