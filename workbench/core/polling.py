"""How often to ask about a running job: quickly after a change, then less and less often."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PollSchedule:
    """Exponential backoff: ``initial`` seconds, doubled after each quiet poll up to ``maximum``,
    back to ``initial`` after a poll that brought news."""

    initial: float = 2.0
    maximum: float = 60.0
    factor: float = 2.0
    _current: float | None = None

    def next_delay(self, changed: bool) -> float:
        if changed or self._current is None:
            self._current = self.initial
        else:
            self._current = min(self._current * self.factor, self.maximum)
        return self._current

    def reset(self) -> None:
        self._current = None
