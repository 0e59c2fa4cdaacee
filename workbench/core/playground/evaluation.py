"""Held-out evaluation: which examples, what each model is asked, and the blind pairings to review.

Each chosen example gives one item: its messages up to (not including) the last assistant message
are the prompt; that assistant message is kept as the reference answer (shown, never sent). Every
item goes to every model; each pair of models is then reviewed blind per item, A and B shuffled
with a generator seeded by (run seed, item), so re-opening a run shows the same order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.formats import content_text, conversation_messages
from workbench.core.playground.answer import ChatSettings, ChatTarget
from workbench.core.playground.blind import PairOutcome, check_verdict, outcomes, shuffled_order
from workbench.core.store.workspace import Workspace

MIN_MODELS, MAX_MODELS = 2, 4
DEFAULT_CONCURRENCY = 4
_SENT_KEYS = ("role", "content", "name", "tool_calls", "tool_call_id")


@dataclass(frozen=True)
class EvalItem:
    index: int  # position in the run
    prompt: tuple[dict[str, Any], ...]  # the messages sent to every model
    reference: str | None = None  # the example's own answer
    example_id: int | None = None  # the workspace example it came from

    @property
    def question(self) -> str:
        """The last user message: what a reviewer reads first."""
        for message in reversed(self.prompt):
            if message.get("role") == "user":
                return content_text(message.get("content"))
        return ""

    @property
    def system(self) -> str:
        first = self.prompt[0] if self.prompt else {}
        return content_text(first.get("content")) if first.get("role") in ("system", "developer") else ""


def prompt_of(example: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """(messages to send, reference answer) of an example in any format; ValueError if it has no
    user message to answer. Training-only keys (``weight``) are dropped."""
    messages = [m for m in conversation_messages(example) if isinstance(m, dict)]
    last_assistant = max((i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=None)
    reference = None
    if last_assistant is not None:
        reference = content_text(messages[last_assistant].get("content")) or None
        messages = messages[:last_assistant]
    prompt = [{k: m[k] for k in _SENT_KEYS if k in m} for m in messages]
    if not any(m.get("role") == "user" for m in prompt):
        raise ValueError("it has no customer (user) message before its last answer")
    return prompt, reference


@dataclass(frozen=True)
class Selection:
    """Which examples: a split (default the test split) or an explicit list of ids, at most ``limit``."""

    split: str | None = "test"
    ids: tuple[int, ...] | None = None
    limit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "ids": list(self.ids) if self.ids is not None else None, "limit": self.limit}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Selection:
        data = data or {}
        ids = data.get("ids")
        return cls(data.get("split"), tuple(ids) if ids is not None else None, data.get("limit"))

    def describe(self) -> str:
        if self.ids is not None:
            return f"{len(self.ids):,} chosen examples"
        return f"the {self.split} split" if self.split else "all examples"


@dataclass(frozen=True)
class Skipped:
    example_id: int
    reason: str


def items_from_records(records: Iterable[tuple[int, dict[str, Any]]], limit: int | None = None
                       ) -> tuple[list[EvalItem], list[Skipped]]:
    """Items from (example id, example) pairs, with the examples that cannot be asked and why."""
    items: list[EvalItem] = []
    skipped: list[Skipped] = []
    for example_id, data in records:
        if limit is not None and len(items) >= limit:
            break
        try:
            prompt, reference = prompt_of(data)
        except ValueError as exc:
            skipped.append(Skipped(example_id, str(exc)))
            continue
        items.append(EvalItem(len(items), tuple(prompt), reference, example_id))
    return items, skipped


def choose_items(ws: Workspace, selection: Selection) -> tuple[list[EvalItem], list[Skipped]]:
    """The items of ``selection`` from the workspace, in display order (or the ids' order)."""
    if selection.ids is not None:
        def by_id() -> Iterator[tuple[int, dict[str, Any]]]:
            for example_id in dict.fromkeys(selection.ids):
                try:
                    yield example_id, ws.get(example_id).data
                except KeyError:
                    continue
        return items_from_records(by_id(), selection.limit)
    records = ((r.id, r.data) for r in ws.iter_records(split=selection.split))
    return items_from_records(records, selection.limit)


@dataclass(frozen=True)
class Pairing:
    """One blind comparison: item ``item``, model ``first`` shown as A and ``second`` as B."""

    item: int
    first: int
    second: int

    @property
    def key(self) -> tuple[int, int, int]:
        """(item, lower model, higher model): the same pair whichever way round it was shown."""
        return self.item, min(self.first, self.second), max(self.first, self.second)


def pairings(n_items: int, n_models: int, seed: int) -> list[Pairing]:
    """Every pair of models for every item, A and B shuffled per (item, pair) by ``seed``."""
    found = []
    for item in range(n_items):
        for a, b in itertools.combinations(range(n_models), 2):
            first, second = (a, b) if shuffled_order(2, seed, f"item-{item}-{a}-{b}")[0] == 0 else (b, a)
            found.append(Pairing(item, first, second))
    return found


@dataclass
class EvalPlan:
    """An evaluation run as stored: models, items, settings and the seed of its blind order."""

    targets: list[ChatTarget]
    items: list[EvalItem]
    settings: ChatSettings = field(default_factory=ChatSettings)
    seed: int = 0
    name: str = ""
    selection: Selection = field(default_factory=Selection)
    concurrency: int = DEFAULT_CONCURRENCY
    id: int | None = None  # set once stored
    status: str = "new"  # new, running, cancelled, finished
    created_at: str = ""

    def __post_init__(self) -> None:
        if not MIN_MODELS <= len(self.targets) <= MAX_MODELS:
            raise ValueError(f"An evaluation compares {MIN_MODELS} to {MAX_MODELS} models.")
        if not self.items:
            raise ValueError("There are no examples to evaluate.")
        if self.concurrency < 1:
            raise ValueError("At least one request at a time is needed.")

    def units(self) -> list[tuple[int, int]]:
        """(item, model) for every answer the run needs, item by item."""
        return [(item.index, model) for item in self.items for model in range(len(self.targets))]

    def pairings(self) -> list[Pairing]:
        return pairings(len(self.items), len(self.targets), self.seed)


@dataclass(frozen=True)
class EvalRating:
    """A reviewer's verdict on a pairing: ``A``, ``B``, ``tie`` or ``both_bad`` (A = ``first``)."""

    item: int
    first: int
    second: int
    verdict: str

    def __post_init__(self) -> None:
        check_verdict(self.verdict, 2)

    @property
    def key(self) -> tuple[int, int, int]:
        return self.item, min(self.first, self.second), max(self.first, self.second)

    def outcome(self) -> PairOutcome:
        return outcomes((self.first, self.second), self.verdict)[0]


def missing_units(plan: EvalPlan, answered: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (item, model) units still to ask, in run order: what resuming a run does."""
    have = set(answered)
    return [u for u in plan.units() if u not in have]


def names_of(targets: Sequence[ChatTarget]) -> list[str]:
    """Display names, made unique ("gpt-4o-mini", "gpt-4o-mini (2)") so a report never mixes two up."""
    seen: dict[str, int] = {}
    out = []
    for t in targets:
        n = seen[t.name] = seen.get(t.name, 0) + 1
        out.append(t.name if n == 1 else f"{t.name} ({n})")
    return out
