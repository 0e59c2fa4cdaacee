"""An example as HTML for the side-by-side view of a version diff: messages that differ from the
other side are tinted, so the change is found at a glance."""

from __future__ import annotations

from html import escape
from typing import Any

from workbench.core.formats import content_text, conversation_messages
from workbench.core.versions import ExampleState

MAX_CHARS = 4000  # per message: a diff view, not an editor


def _messages(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    if data is None:
        return []
    out = []
    for m in conversation_messages(data):
        if isinstance(m, dict):
            out.append((str(m.get("role") or "no role"), content_text(m.get("content"))))
        else:
            out.append(("?", str(m)))
    return out


def _marked(text: str, differs: bool, tint: str) -> str:
    return f"<span style='background-color:{tint}'>{text}</span>" if differs else text


def side_html(state: ExampleState | None, data: dict[str, Any] | None, other_state: ExampleState | None,
              other: dict[str, Any] | None, title: str, tint: str) -> str:
    """One side: a heading, split and tags, then the messages; what differs from the other side is tinted."""
    if state is None:
        return f"<h4>{escape(title)}</h4><p><i>Not in this state (the example was added or removed).</i></p>"
    split_differs = other_state is not None and other_state.split != state.split
    tags_differ = other_state is not None and set(other_state.tags) != set(state.tags)
    split = _marked(f"<b>Split:</b> {escape(state.split)}", split_differs, tint)
    tags = _marked(f"<b>Tags:</b> {escape(', '.join(state.tags) or 'none')}", tags_differ, tint)
    parts = [f"<h4>{escape(title)}</h4>", f"<p>{split} &nbsp; {tags}</p>"]
    if data is None:
        parts.append("<p><i>The text of this state is not stored.</i></p>")
        return "".join(parts)
    mine, theirs = _messages(data), _messages(other)
    for n, (role, text) in enumerate(mine):
        differs = other is not None and (n >= len(theirs) or theirs[n] != (role, text))
        style = f" style='background-color:{tint}'" if differs else ""
        shown = escape(text[:MAX_CHARS] + ("…" if len(text) > MAX_CHARS else "")).replace("\n", "<br>")
        parts.append(f"<table width='100%' cellpadding='4'{style}><tr><td><b>{escape(role.capitalize())}</b>"
                     f"{' (differs)' if differs else ''}<br>{shown}</td></tr></table>")
    return "".join(parts)
