"""A chat session: 1-4 columns (a model each) that get the same messages and keep their own history.

Every message goes to every column, so all columns have the same number of turns. Each column's
model sees its own conversation: its system prompt (or the session's shared one), then the earlier
turns' user messages and *its own* answers. A turn whose answer failed is left out of what the
model sees next (the model never finished it; send the message again instead); a stopped answer
is kept as far as it got, since that is what the person saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.core.playground.answer import DONE, FAILED, MAX_COLUMNS, Answer, ChatSettings, ChatTarget
from workbench.core.playground.blind import check_verdict, outcomes, shuffled_order
from workbench.core.playground.tally import Tally, tally

Message = dict[str, object]


@dataclass
class Turn:
    user: str
    answer: Answer


@dataclass
class ChatColumn:
    target: ChatTarget
    system_prompt: str | None = None  # None: the session's shared system prompt
    turns: list[Turn] = field(default_factory=list)


@dataclass(frozen=True)
class BlindRating:
    """A blind verdict on one turn: ``order`` is the column indices shown as A, B, ..."""

    turn: int
    order: tuple[int, ...]
    verdict: str


@dataclass
class ChatSession:
    columns: list[ChatColumn]
    system_prompt: str = ""
    settings: ChatSettings = field(default_factory=ChatSettings)
    title: str = ""
    blind: bool = False
    seed: int = 0  # fixes the blind order of every turn
    ratings: dict[int, BlindRating] = field(default_factory=dict)  # turn -> verdict (blind mode)
    id: int | None = None  # set once stored

    def __post_init__(self) -> None:
        if not 1 <= len(self.columns) <= MAX_COLUMNS:
            raise ValueError(f"A session has 1 to {MAX_COLUMNS} columns.")

    # -- the conversation ----------------------------------------------------------------------
    @property
    def turn_count(self) -> int:
        return len(self.columns[0].turns)

    def prompts(self) -> list[str]:
        return [t.user for t in self.columns[0].turns]

    def system_for(self, column: int) -> str:
        own = self.columns[column].system_prompt
        return own if own is not None else self.system_prompt

    def conversation(self, column: int, upto: int | None = None) -> list[Message]:
        """The user/assistant messages column ``column``'s model has seen before turn ``upto``
        (all turns when None), without the system prompt."""
        messages: list[Message] = []
        for turn in self.columns[column].turns[:upto]:
            if turn.answer.status == FAILED or not turn.answer.text:
                continue
            messages.append({"role": "user", "content": turn.user})
            messages.append({"role": "assistant", "content": turn.answer.text})
        return messages

    def context(self, column: int, turn: int) -> list[Message]:
        """What column ``column``'s model was answering at ``turn``: its earlier conversation and that
        turn's user message (no system prompt). The basis of an example made from that answer."""
        return [*self.conversation(column, upto=turn), {"role": "user", "content": self.columns[column].turns[turn].user}]

    def request_messages(self, column: int, user_text: str) -> list[Message]:
        """What to send column ``column``'s model for a new message ``user_text``."""
        system = self.system_for(column)
        head: list[Message] = [{"role": "system", "content": system}] if system.strip() else []
        return [*head, *self.conversation(column), {"role": "user", "content": user_text}]

    def requests(self, user_text: str) -> list[list[Message]]:
        """``request_messages`` for every column."""
        if not user_text.strip():
            raise ValueError("Type a message first.")
        return [self.request_messages(i, user_text) for i in range(len(self.columns))]

    def record(self, user_text: str, answers: Sequence[Answer]) -> int:
        """Adds a turn (one answer per column, in column order); returns the turn's index."""
        if len(answers) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} answers, got {len(answers)}")
        for column, answer in zip(self.columns, answers, strict=True):
            column.turns.append(Turn(user_text, answer))
        return self.turn_count - 1

    def replace_answer(self, column: int, turn: int, answer: Answer) -> None:
        """A column's answer to an existing turn, sent again (e.g. after it failed)."""
        old = self.columns[column].turns[turn]
        self.columns[column].turns[turn] = Turn(old.user, answer)

    # -- blind mode ------------------------------------------------------------------------------
    def blind_order(self, turn: int) -> list[int]:
        """Column indices in the order shown as A, B, ... for ``turn`` (the same every time)."""
        return shuffled_order(len(self.columns), self.seed, f"turn-{turn}")

    def rate(self, turn: int, verdict: str) -> BlindRating:
        if not 0 <= turn < self.turn_count:
            raise IndexError(f"there is no turn {turn}")
        order = tuple(self.blind_order(turn))
        rating = BlindRating(turn, order, check_verdict(verdict, len(order)))
        self.ratings[turn] = rating
        return rating

    def tally(self) -> list[Tally]:
        """Per column, over every rated turn (see ``tally.WIN_RATE_RULE``)."""
        results = [o for r in self.ratings.values() for o in outcomes(r.order, r.verdict)]
        return tally(results, [c.target.name for c in self.columns])

    def answered(self, turn: int) -> bool:
        """Whether every column finished ``turn`` normally (blind rating wants whole answers)."""
        return all(c.turns[turn].answer.status == DONE for c in self.columns)
