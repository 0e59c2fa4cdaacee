"""Small builders for the data-quality tests."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from workbench.core.quality import QualityRecord
from workbench.core.store.workspace import NewExample

SYSTEM = "You are Acme's support assistant."


def convo(question: str, answer: str, *, system: str | None = SYSTEM, more: tuple[str, str] | None = None) -> dict[str, Any]:
    msgs: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
    msgs += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    if more:
        msgs += [{"role": "user", "content": more[0]}, {"role": "assistant", "content": more[1]}]
    return {"messages": msgs}


_VOCAB = [f"{a}{b}" for a in ("ba", "ko", "mi", "tu", "re", "sa", "lo", "ne") for b in ("rt", "lm", "sk", "nd", "pe", "vo", "gi")]


def text(seed: int, words: int = 40) -> str:
    """A distinct text of ``words`` words (another seed shares almost no word pairs with it)."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(words)).capitalize() + "."


def records(datas, tags=None) -> list[QualityRecord]:
    return [QualityRecord(id=n, data=d, tags=tuple(tags[n - 1]) if tags else ()) for n, d in enumerate(datas, 1)]


def add(ws, datas, tags=None, split: str = "train") -> list[int]:
    return ws.add_examples([NewExample(data=d, tags=tags[n] if tags else (), split=split) for n, d in enumerate(datas)])


def write_jsonl(path: Path, datas) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in datas), "utf-8")
    return path
