"""Small helpers for the PII tests."""

from __future__ import annotations

from workbench.core.pii import Detector, PiiSettings


def found(text: str, *, region: str = "US", names: tuple[str, ...] = (), known: tuple[str, ...] = (),
          **settings) -> list[tuple[str, str]]:
    """(kind, matched text) for every finding in ``text``."""
    detector = Detector(PiiSettings(region=region, names=names, **settings))
    return [(kind, text[s:e]) for _i, s, e, kind in detector.scan([text], known)]


def kinds_of(text: str, **kw) -> set[str]:
    return {k for k, _ in found(text, **kw)}


def chat(*turns: str, system: str | None = "You are Acme's support agent.") -> dict:
    """user/assistant turns alternating, starting with the user."""
    msgs = [{"role": "system", "content": system}] if system else []
    for n, text in enumerate(turns):
        msgs.append({"role": "user" if n % 2 == 0 else "assistant", "content": text})
    return {"messages": msgs}
