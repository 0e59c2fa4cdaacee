"""Playground conversations -> training examples in the workbench formats, added as one undo step.

``to_training_example``: a chat example ending in the (edited) best answer. ``to_preference_pair``:
a DPO example as OpenAI defines it — ``input.messages`` (the conversation up to the last user
message), ``preferred_output`` and ``non_preferred_output`` (one assistant message each).
Both are checked with the same per-example checks as every other example before they are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.core.formats import Example, chat_example
from workbench.core.playground.session import ChatSession
from workbench.core.store.workspace import NewExample, Workspace
from workbench.core.validation.example_checks import check_example
from workbench.core.validation.issues import Severity

SOURCE_FORMAT = "playground"
# Message keys a playground conversation may carry into an example (nothing app-internal).
_KEPT_KEYS = ("role", "content", "name", "tool_calls", "tool_call_id")


class ExampleError(ValueError):
    """The conversation cannot become an example; the message says why, for people."""


def _context(conversation: Sequence[dict[str, Any]], system_prompt: str | None) -> list[dict[str, Any]]:
    """The messages before the answer: a trailing assistant message is the answer being replaced."""
    messages = [{k: m[k] for k in _KEPT_KEYS if k in m} for m in conversation if m.get("role") != "system"]
    if messages and messages[-1].get("role") == "assistant":
        messages.pop()
    if not messages or messages[-1].get("role") != "user":
        raise ExampleError("The conversation has to end with a customer (user) message.")
    if system_prompt and system_prompt.strip():
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages


def _answer(text: str, what: str) -> dict[str, Any]:
    if not text or not text.strip():
        raise ExampleError(f"The {what} is empty: write or keep some text first.")
    return {"role": "assistant", "content": text}


def _checked(obj: Example) -> Example:
    errors = [i for i in check_example(obj) if i.severity is Severity.ERROR]
    if errors:
        raise ExampleError(errors[0].message)
    return obj


def to_training_example(conversation: Sequence[dict[str, Any]], edited_answer: str,
                        system_prompt: str | None = None) -> Example:
    """A chat example: [system], the conversation up to its last user message, then ``edited_answer``.

    ``conversation`` holds user/assistant messages (a system message in it is ignored in favour of
    ``system_prompt``); if it ends with an assistant message, ``edited_answer`` replaces it.
    """
    context = _context(conversation, system_prompt)
    return _checked(chat_example([*context, _answer(edited_answer, "answer")]))


def to_preference_pair(conversation: Sequence[dict[str, Any]], chosen: str, rejected: str,
                       system_prompt: str | None = None) -> Example:
    """A DPO example: ``chosen`` preferred over ``rejected`` as the reply to the conversation."""
    if chosen.strip() == rejected.strip():
        raise ExampleError("The two answers are the same; a preference pair needs two different answers.")
    context = _context(conversation, system_prompt)
    return _checked({
        "input": {"messages": context},
        "preferred_output": [_answer(chosen, "preferred answer")],
        "non_preferred_output": [_answer(rejected, "other answer")],
    })


def example_from_turn(session: ChatSession, column: int, turn: int, edited_answer: str | None = None
                      ) -> tuple[Example, dict[str, Any]]:
    """(training example, provenance) from one column's answer to one turn, optionally edited."""
    answer = session.columns[column].turns[turn].answer.text if edited_answer is None else edited_answer
    example = to_training_example(session.context(column, turn), answer, session.system_for(column))
    target = session.columns[column].target
    return example, playground_source(session=session.id, turn=turn, model=target.model, profile=target.profile,
                                      base_url=target.base_url, edited=edited_answer is not None or None)


def pair_from_turn(session: ChatSession, turn: int, chosen: int, rejected: int, *, chosen_text: str | None = None,
                   rejected_text: str | None = None) -> tuple[Example, dict[str, Any]]:
    """(DPO example, provenance): column ``chosen``'s answer to ``turn`` preferred over ``rejected``'s.

    The input is the chosen column's conversation (each column keeps its own history; on the first
    turn they are the same) and its system prompt."""
    if chosen == rejected:
        raise ExampleError("Choose two different columns.")
    turns = (session.columns[chosen].turns[turn], session.columns[rejected].turns[turn])
    good = turns[0].answer.text if chosen_text is None else chosen_text
    bad = turns[1].answer.text if rejected_text is None else rejected_text
    example = to_preference_pair(session.context(chosen, turn), good, bad, session.system_for(chosen))
    winner, loser = session.columns[chosen].target, session.columns[rejected].target
    return example, playground_source(session=session.id, turn=turn, chosen=winner.model, rejected=loser.model,
                                      chosen_profile=winner.profile, rejected_profile=loser.profile)


def playground_source(**details: Any) -> dict[str, Any]:
    """Provenance of a playground example: ``{"format": "playground", ...details}`` (None values dropped)."""
    return {"format": SOURCE_FORMAT, **{k: v for k, v in details.items() if v is not None}}


def add_to_workspace(ws: Workspace, examples: Sequence[Example], source: dict[str, Any], *,
                     split: str = "train", tags: Sequence[str] = (), label: str | None = None) -> list[int]:
    """Adds ``examples`` as one undo step (one edit group); returns their ids.

    ``source`` is the provenance (see ``playground_source``); it is stored with every example.
    """
    if not examples:
        return []
    if source.get("format") != SOURCE_FORMAT:
        source = {**source, "format": SOURCE_FORMAT}
    text = label or ("Add preference pair from Playground" if "preferred_output" in examples[0]
                     else "Add example from Playground")
    if len(examples) > 1 and label is None:
        text = f"Add {len(examples)} examples from Playground"
    return ws.add_examples([NewExample(dict(e), dict(source), tuple(tags), split) for e in examples], text)
