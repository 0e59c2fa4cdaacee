"""Precision and recall of the detector on a labelled set (tests/fixtures/pii/labelled.jsonl).

A labelled record: {"text", "spans": [[start, end, kind], ...], "region"?, "known_names"?,
"allowed"?}. A finding counts as correct when it overlaps a labelled span of the same kind (each
span matched once): a phone found as "555-0132" inside a labelled "(415) 555-0132" is a hit, the
exact-boundary rate is reported beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workbench.core.pii.engine import Detector
from workbench.core.pii.kinds import BUILTIN_KINDS
from workbench.core.pii.settings import PiiSettings


@dataclass
class KindScore:
    kind: str
    labelled: int = 0
    found: int = 0
    correct: int = 0
    exact: int = 0  # correct with exactly the labelled boundaries

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


@dataclass
class Miss:
    """A labelled span not found, or a finding that is not labelled (for looking into errors)."""

    record: int
    kind: str
    text: str
    missed: bool  # True: labelled but not found; False: found but not labelled


def load_labelled(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(records: list[dict[str, Any]], settings: PiiSettings | None = None,
             misses: list[Miss] | None = None) -> dict[str, KindScore]:
    """Scores per kind. Each record's region and allowed values override ``settings``."""
    base = settings or PiiSettings(region="US")
    scores = {k: KindScore(k) for k in BUILTIN_KINDS}
    detectors: dict[tuple, Detector] = {}
    for record in records:
        key = (record.get("region") or base.region, tuple(record.get("allowed") or ()))
        if key not in detectors:
            detectors[key] = Detector(replace(base, region=key[0], allowed=(*base.allowed, *key[1])))
        text = record["text"]
        gold = [tuple(s) for s in record.get("spans", [])]
        found = [(s, e, k) for _i, s, e, k in detectors[key].scan([text], record.get("known_names") or ())]
        used: set[int] = set()
        for s, e, k in found:
            score = scores.setdefault(k, KindScore(k))
            score.found += 1
            match = next((n for n, (gs, ge, gk) in enumerate(gold) if n not in used and gk == k and s < ge and gs < e), None)
            if match is None:
                if misses is not None:
                    misses.append(Miss(record.get("id", -1), k, text[s:e], missed=False))
                continue
            used.add(match)
            score.correct += 1
            score.exact += gold[match][:2] == (s, e)
        for n, (gs, ge, gk) in enumerate(gold):
            scores.setdefault(gk, KindScore(gk)).labelled += 1
            if n not in used and misses is not None:
                misses.append(Miss(record.get("id", -1), gk, text[gs:ge], missed=True))
    return scores


def format_table(scores: dict[str, KindScore]) -> str:
    lines = [f"{'kind':<8}{'labelled':>9}{'found':>7}{'correct':>9}{'precision':>11}{'recall':>8}{'exact':>7}"]
    for s in scores.values():
        if not s.labelled and not s.found:
            continue
        exact = f"{s.exact / s.correct:.0%}" if s.correct else "-"
        lines.append(f"{s.kind:<8}{s.labelled:>9}{s.found:>7}{s.correct:>9}{s.precision:>11.1%}{s.recall:>8.1%}{exact:>7}")
    return "\n".join(lines)
