"""Canned answers: the same (or nearly the same) agent reply given to many different questions.

A model trained on them learns to paste the macro whatever is asked. Replies are compared as
templates (numbers folded, so "order 1234 shipped" and "order 98 shipped" are one wording), first
word for word, then by word-shingle Jaccard for small edits (a name, a typo). A cluster is flagged
when it answers at least ``min_uses`` distinct questions; the same question with the same reply
is a duplicate conversation, which the duplicate check reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord, check_cancel
from workbench.core.quality.minhash import ShingleCorpus, cluster
from workbench.core.quality.text import normalise, replies_with_questions, template_words

DEFAULT_MIN_USES = 5
DEFAULT_THRESHOLD = 0.8
SHOWN_CHARS = 300
_TICK = 500


@dataclass(frozen=True)
class CannedAnswer:
    reply: str  # the most used wording (shortened to SHOWN_CHARS)
    uses: int  # assistant replies in the cluster
    questions: int  # distinct user questions it answered
    wordings: int  # distinct wordings (1 = always word for word)
    example_ids: tuple[int, ...]  # the examples using it, in display order

    def to_json(self) -> dict[str, Any]:
        return {"reply": self.reply, "uses": self.uses, "questions": self.questions, "wordings": self.wordings,
                "example_ids": list(self.example_ids)}


@dataclass
class _Wording:
    text: str
    uses: int = 0
    examples: dict[int, None] = field(default_factory=dict)
    questions: set[bytes] = field(default_factory=set)


def find_canned_answers(records: Iterable[QualityRecord], *, min_uses: int = DEFAULT_MIN_USES,
                        threshold: float | None = DEFAULT_THRESHOLD, min_words: int = 3, shingle: int = 2,
                        progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> list[CannedAnswer]:
    """Clusters answering >= ``min_uses`` distinct questions, most questions first.
    ``threshold`` None: word-for-word (after normalising) only."""
    if min_uses < 2:
        raise ValueError("min_uses must be at least 2")
    total = len(records) if hasattr(records, "__len__") else 0
    wordings: dict[str, _Wording] = {}
    order: dict[int, int] = {}  # example id -> position in the scan (display order)
    for n, record in enumerate(records):
        order[record.id] = n
        if n % _TICK == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(n, 2 * total)
        for question, reply in replies_with_questions(record.data):
            words = template_words(reply)
            if len(words) < min_words:
                continue
            key = " ".join(words)
            w = wordings.get(key)
            if w is None:
                w = wordings[key] = _Wording(_shorten(reply))
            w.uses += 1
            w.examples[record.id] = None
            w.questions.add(hashlib.blake2b(normalise(question).encode("utf-8", "surrogatepass"), digest_size=8).digest())
    keys = list(wordings)
    families: list[list[int]] = []
    if threshold is not None:
        corpus = ShingleCorpus(shingle)
        for key in keys:
            corpus.add(key.split())
        families = cluster(corpus, threshold, cancel=cancel).groups
    grouped = {i for f in families for i in f}
    families += [[i] for i in range(len(keys)) if i not in grouped]
    out = []
    for family in families:
        members = [wordings[keys[i]] for i in family]
        questions = set().union(*(m.questions for m in members))
        if len(questions) < min_uses:
            continue
        examples: dict[int, None] = {}
        for m in members:
            examples.update(m.examples)
        top = max(members, key=lambda m: m.uses)
        out.append(CannedAnswer(reply=top.text, uses=sum(m.uses for m in members), questions=len(questions),
                                wordings=len(members), example_ids=tuple(sorted(examples, key=order.__getitem__))))
    if progress is not None:
        progress(2 * total, 2 * total)
    return sorted(out, key=lambda c: (-c.questions, -c.uses, order[c.example_ids[0]]))


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"
