"""Replacing findings with typed placeholders: ``[EMAIL]``, or numbered ``[EMAIL_1]``, ``[EMAIL_2]``.

Numbering is per example (one conversation): the same value gets the same number wherever it
appears in it ("carla@x.com" and "Carla@X.com" are one address; "+44 20 7946 0958" and
"020 7946 0958" one phone; "Carla" and "Carla Moreno" one person), so the model still learns that
the agent wrote back to the address the customer gave. Numbers continue after placeholders an
earlier redaction left in the example.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from workbench.core.pii.finding import Finding, normalise
from workbench.core.pii.kinds import NAME, label, placeholder
from workbench.core.pii.texts import Where, texts_and_places, with_texts


def _person_key(kind: str, value: str) -> str:
    if kind == NAME:
        parts = value.split()
        return parts[0].casefold() if parts else ""
    return normalise(kind, value)


def _existing_numbers(texts: Iterable[str]) -> Counter[str]:
    """Highest number already used per placeholder label, e.g. {"EMAIL": 2} after [EMAIL_2]."""
    top: Counter[str] = Counter()
    for text in texts:
        if "[" not in text:
            continue
        for m in re.finditer(r"\[([A-Z0-9_]+?)_(\d+)\]", text):
            top[m.group(1)] = max(top[m.group(1)], int(m.group(2)))
    return top


def placeholders_for(findings: Sequence[Finding], *, numbered: bool = False,
                     texts: Iterable[str] = ()) -> dict[tuple, str]:
    """What each finding of ONE example becomes, by ``Finding.key`` (for the review: "[EMAIL_2]").
    ``texts``: the example's texts, so numbers continue after placeholders already there."""
    ordered = sorted(findings, key=_place)
    return {f.key: text for f, text in zip(ordered, _assign(ordered, numbered, texts), strict=True)}


def _place(f: Finding) -> tuple[int, int, int]:
    return (f.message_index, -1 if f.part_index is None else f.part_index, f.start)


def _assign(ordered: Sequence[Finding], numbered: bool, texts: Iterable[str]) -> list[str]:
    """Placeholders for findings in text order: same person/value -> same number."""
    if not numbered:
        return [placeholder(f.kind) for f in ordered]
    used = _existing_numbers(texts)
    numbers: dict[tuple[str, str], int] = {}
    out = []
    for f in ordered:
        key = (label(f.kind), _person_key(f.kind, f.value))
        if key not in numbers:
            used[key[0]] += 1
            numbers[key] = used[key[0]]
        out.append(placeholder(f.kind, numbers[key]))
    return out


def redact_example(example: dict[str, Any], findings: Sequence[Finding], *,
                   numbered: bool = False) -> tuple[dict[str, Any], Counter[str], int]:
    """(redacted copy, replacements per placeholder label, findings skipped).

    A finding is skipped when the text at its place is no longer its value (the example was
    edited after the scan); overlapping findings keep the first. ``example`` is not changed (the
    copy shares the messages that had nothing to replace with it).
    """
    texts, places = texts_and_places(example)
    slots = {(message, part): text for text, (message, part, _role) in zip(texts, places, strict=True)}
    usable: list[Finding] = []
    skipped = 0
    for f in sorted(findings, key=_place):
        text = slots.get((f.message_index, f.part_index))
        prev = usable[-1] if usable else None
        overlaps = prev is not None and (prev.message_index, prev.part_index) == (f.message_index, f.part_index) \
            and f.start < prev.end
        if text is None or text[f.start:f.end] != f.value or overlaps:
            skipped += 1
            continue
        usable.append(f)
    if not usable:
        return example, Counter(), skipped
    replacement = _assign(usable, numbered, slots.values())
    counts = Counter(label(f.kind) for f in usable)
    new_texts: dict[Where, str] = {}
    by_place: dict[Where, list[int]] = {}
    for n, f in enumerate(usable):
        by_place.setdefault((f.message_index, f.part_index), []).append(n)
    for where, ns in by_place.items():
        text = slots[where]
        for n in reversed(ns):  # from the end, so earlier offsets stay right
            f = usable[n]
            text = text[:f.start] + replacement[n] + text[f.end:]
        new_texts[where] = text
    return with_texts(example, new_texts), counts, skipped
