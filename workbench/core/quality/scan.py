"""One pass over the examples collecting what the duplicate checks need, and no more.

Per example it keeps the id, a hash of the normalised conversation (exact duplicates share it),
the assistant text length (for the "longest" keeper) and a short preview; only the first example
of each exact-duplicate class goes into the shingle corpus (its text without the system prompt),
so near-duplicate detection never compares copies of the same text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord, check_cancel
from workbench.core.quality.minhash import ShingleCorpus
from workbench.core.quality.text import iter_messages, normalise, preview

_TICK = 500
_SYSTEM_ROLES = ("system", "developer")


@dataclass
class Scan:
    ids: list[int] = field(default_factory=list)
    chars: list[int] = field(default_factory=list)  # assistant characters per example
    previews: list[str] = field(default_factory=list)
    classes: dict[bytes, list[int]] = field(default_factory=dict)  # exact key -> example indexes
    corpus: ShingleCorpus | None = None
    class_of_text: list[bytes] = field(default_factory=list)  # corpus text index -> exact key


def scan(records: Iterable[QualityRecord], *, ignore_system: bool, shingle: int | None,
         progress: ProgressFn | None = None, cancel: CancelFn | None = None, total: int = 0) -> Scan:
    """``shingle``: words per shingle for the near-duplicate corpus, or None for exact only."""
    out = Scan(corpus=ShingleCorpus(shingle) if shingle else None)
    for n, record in enumerate(records):
        if n % _TICK == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(n, total)
        parts: list[str] = []
        chars = 0
        for role, text in iter_messages(record.data, ignore_system=ignore_system):
            norm = normalise(text)
            parts.append(f"{role}\x1f{norm}")
            if role == "assistant":
                chars += len(text)
        key = hashlib.blake2b("\x1e".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        index = len(out.ids)
        out.ids.append(record.id)
        out.chars.append(chars)
        out.previews.append(preview(record.data))
        members = out.classes.get(key)
        if members is not None:
            members.append(index)
            continue
        out.classes[key] = [index]
        if out.corpus is not None:
            # Without the system prompt: one shared by every example would make every short
            # conversation look alike.
            out.corpus.add(" ".join(norm for role, norm in (p.split("\x1f", 1) for p in parts)
                                    if role not in _SYSTEM_ROLES).split())
            out.class_of_text.append(key)
    if progress is not None:
        progress(len(out.ids), max(total, len(out.ids)))
    return out
