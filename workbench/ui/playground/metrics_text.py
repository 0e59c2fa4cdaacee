"""How an answer's timings, tokens and cost read under it (plain functions, no widgets)."""

from __future__ import annotations

from workbench.core.playground.answer import DONE, FAILED, STOPPED, Answer
from workbench.core.playground.cost import format_cost

STATE_TEXT = {"waiting": "Waiting for the server…", "streaming": "Answering…", STOPPED: "Stopped",
              FAILED: "Failed", DONE: ""}


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def tokens(value: int | None, estimated: bool) -> str:
    if value is None:
        return "?"
    return ("≈" if estimated else "") + f"{value:,}"


def answer_metrics(answer: Answer, *, show_cost: bool = True) -> str:
    """``first token 0.41 s · total 3.20 s · 12 in / 240 out tokens · $0.00012``; "≈" marks counts
    made locally (the server sent none), "unknown" a cost with no known price."""
    parts = [f"first token {seconds(answer.ttft)}", f"total {seconds(answer.total_time)}"]
    if answer.tokens_in is not None or answer.tokens_out is not None:
        parts.append(f"{tokens(answer.tokens_in, answer.estimated)} in / "
                     f"{tokens(answer.tokens_out, answer.estimated)} out tokens")
    if show_cost:
        parts.append(f"cost {format_cost(answer.cost)}")
    return " · ".join(parts)


def live_metrics(state: str, ttft: float | None, elapsed: float) -> str:
    """While an answer streams: its state and the clock."""
    head = STATE_TEXT.get(state, state)
    clock = f"first token {seconds(ttft)} · {elapsed:.1f} s" if ttft is not None else f"{elapsed:.1f} s"
    return f"{head} {clock}".strip()
