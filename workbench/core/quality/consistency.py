"""Consistency: the many ways agents greet and sign off, and standardising them in one undo step.

``find_variants`` lists every greeting and sign-off found in assistant replies as *variants*
(one per phrase as written, names set aside), clustered with rapidfuzz into *families* of
spellings of the same phrase ("Best regards" / "best reagrds" / "Best Regards"). Families are
sorted by use, so "Best regards" (800) / "Kind regards" (600) / "Cheers" (50) shows the spread.
``standardise`` rewrites the chosen families' spans — only those spans — to one replacement, in
which ``{name}`` stands for the name the original used ("Best regards,\\n{name}").
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord, check_cancel
from workbench.core.quality.phrases import KINDS, PhraseSpan, fill, find_span

DEFAULT_SIMILARITY = 85  # rapidfuzz ratio (0-100) for two variants to be spellings of one phrase
_TICK = 500


@dataclass(frozen=True)
class Variant:
    kind: str  # "greeting" | "sign-off"
    key: str  # normalised phrase as written: what standardise matches
    text: str  # its most common form, names as {name} ("Best regards,\n{name}")
    count: int  # assistant replies using it
    example_ids: tuple[int, ...]


@dataclass(frozen=True)
class VariantFamily:
    kind: str
    label: str  # the most used variant's form
    variants: tuple[Variant, ...]  # most used first

    @property
    def count(self) -> int:
        return sum(v.count for v in self.variants)

    @property
    def keys(self) -> frozenset[tuple[str, str]]:
        return frozenset((v.kind, v.key) for v in self.variants)

    @property
    def example_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(i for v in self.variants for i in v.example_ids))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "count": self.count,
                "variants": [{"key": v.key, "text": v.text, "count": v.count, "example_ids": list(v.example_ids)}
                             for v in self.variants]}


@dataclass
class ConsistencyReport:
    examples: int
    replies: int  # assistant replies scanned
    families: list[VariantFamily] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[VariantFamily]:
        return [f for f in self.families if f.kind == kind]

    def to_json(self) -> dict[str, Any]:
        return {"examples": self.examples, "replies": self.replies, "families": [f.to_json() for f in self.families]}


def assistant_texts(data: dict[str, Any]) -> Iterator[tuple[dict, str]]:
    """(message, text) of every assistant message whose content is a string: what is scanned and
    rewritten (chat messages; a DPO example's input messages and both outputs)."""
    lists: list[Any] = [data.get("messages")]
    if isinstance(data.get("input"), dict):
        lists.append(data["input"].get("messages"))
    lists += [data.get("preferred_output"), data.get("non_preferred_output")]
    for msgs in lists:
        if not isinstance(msgs, list):
            continue
        for msg in msgs:
            if isinstance(msg, dict) and msg.get("role") == "assistant" and isinstance(msg.get("content"), str):
                yield msg, msg["content"]


def find_variants(records: Iterable[QualityRecord], *, kinds: Iterable[str] = KINDS,
                  similarity: int = DEFAULT_SIMILARITY, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> ConsistencyReport:
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"kinds must be among {KINDS}, not {sorted(unknown)[0]!r}")
    total = len(records) if hasattr(records, "__len__") else 0
    counts: Counter[tuple[str, str]] = Counter()
    forms: dict[tuple[str, str], Counter[str]] = {}
    examples: dict[tuple[str, str], dict[int, None]] = {}
    n = replies = 0
    for n, record in enumerate(records, 1):
        if n % _TICK == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(n, total)
        for _msg, text in assistant_texts(record.data):
            replies += 1
            for kind in kinds:
                span = find_span(text, kind)
                if span is None:
                    continue
                ident = (kind, span.key)
                counts[ident] += 1
                forms.setdefault(ident, Counter())[span.form] += 1
                examples.setdefault(ident, {})[record.id] = None
    variants = [Variant(kind, key, forms[(kind, key)].most_common(1)[0][0], c, tuple(examples[(kind, key)]))
                for (kind, key), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    report = ConsistencyReport(examples=n, replies=replies)
    for kind in kinds:
        report.families += _families([v for v in variants if v.kind == kind], similarity)
    report.families.sort(key=lambda f: (KINDS.index(f.kind), -f.count, f.label))
    if progress is not None:
        progress(n, max(total, n))
    return report


def _families(variants: list[Variant], similarity: int) -> list[VariantFamily]:
    """Leader clustering, most used first: a variant joins the first family whose leader it resembles."""
    leaders: list[tuple[str, list[Variant]]] = []
    for v in variants:
        for key, members in leaders:
            if fuzz.ratio(v.key, key) >= similarity:
                members.append(v)
                break
        else:
            leaders.append((v.key, [v]))
    return [VariantFamily(members[0].kind, members[0].text, tuple(members)) for _key, members in leaders]


Target = VariantFamily | Variant


def _target_keys(targets: Target | Iterable[Target]) -> frozenset[tuple[str, str]]:
    items = [targets] if isinstance(targets, VariantFamily | Variant) else list(targets)
    keys: set[tuple[str, str]] = set()
    for t in items:
        keys |= t.keys if isinstance(t, VariantFamily) else {(t.kind, t.key)}
    return frozenset(keys)


def standardise_text(text: str, keys: frozenset[tuple[str, str]], replacement: str | dict[str, str]) -> tuple[str, int]:
    """(new text, spans replaced). ``replacement``: one text, or {kind: text}."""
    spans: list[PhraseSpan] = []
    for kind in KINDS:
        if any(k == kind for k, _ in keys):
            span = find_span(text, kind)
            if span is not None and (kind, span.key) in keys:
                spans.append(span)
    if len(spans) == 2 and spans[0].end > spans[1].start:
        spans = spans[:1]  # a one-line reply that is both: change it once
    changed = 0
    for span in sorted(spans, key=lambda s: -s.start):  # from the end, so earlier offsets stay valid
        new = fill(replacement if isinstance(replacement, str) else replacement.get(span.kind, ""), span.name)
        if text[span.start:span.end] == new:
            continue  # already the standard: not a change
        changed += 1
        if new:
            text = text[:span.start] + new + text[span.end:]
        elif span.kind == "sign-off":  # removing it: drop the blank lines it leaves behind too
            text = text[:span.start].rstrip() + text[span.end:]
        else:
            text = text[:span.start] + text[span.end:].lstrip()
    return text, changed


def standardise_example(data: dict[str, Any], targets: Target | Iterable[Target],
                        replacement: str | dict[str, str]) -> tuple[dict[str, Any], int]:
    """(new example, spans replaced); the input example is not changed."""
    return _rewrite(data, _target_keys(targets), replacement)


def _rewrite(data: dict[str, Any], keys: frozenset[tuple[str, str]],
             replacement: str | dict[str, str]) -> tuple[dict[str, Any], int]:
    out = copy.deepcopy(data)
    replaced = 0
    for msg, text in assistant_texts(out):
        new, n = standardise_text(text, keys, replacement)
        if n:
            msg["content"] = new
            replaced += n
    return (out, replaced) if replaced else (data, 0)


def standardise(ws, targets: Target | Iterable[Target], replacement: str | dict[str, str], *,
                label: str | None = None, cancel: CancelFn | None = None,
                progress: ProgressFn | None = None) -> int:
    """Rewrites the greetings / sign-offs of ``targets`` to ``replacement`` as ONE undo step.
    Examples are re-read and re-parsed, so an example edited since the scan is handled as it is now.
    Returns the number of examples changed."""
    items = [targets] if isinstance(targets, VariantFamily | Variant) else list(targets)
    keys = _target_keys(items)
    ids: dict[int, None] = {}
    for t in items:
        ids.update(dict.fromkeys(t.example_ids))
    live = set(ws.ids())
    changes: dict[int, dict[str, Any]] = {}
    todo = [i for i in ids if i in live]
    for n, example_id in enumerate(todo):
        if n % 200 == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(n, len(todo))
        new, count = _rewrite(ws.get(example_id).data, keys, replacement)
        if count:
            changes[example_id] = {"data": new}
    if not changes:
        return 0
    kinds = sorted({t.kind for t in items}, key=KINDS.index)
    label = label or f"Standardise {' and '.join(k + 's' for k in kinds)} in {len(changes):,} examples"
    with ws.batch(label):
        ws.update_fields(changes, label)
    return len(changes)
