"""Training metrics of a fine-tuning job: from metric events, from the result file, and progress.

The result file (``step_metrics.csv``) is read by header name, never by position: providers add,
drop and reorder columns. Cells may be blank (validation metrics are computed only every few
steps). OpenAI serves the file base64-encoded; both forms are accepted.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

# Our name -> the names providers use for it (first match wins).
COLUMNS: dict[str, tuple[str, ...]] = {
    "train_loss": ("train_loss",),
    "train_accuracy": ("train_accuracy", "train_mean_token_accuracy"),
    "valid_loss": ("valid_loss", "validation_loss"),
    "valid_accuracy": ("valid_accuracy", "valid_mean_token_accuracy", "validation_mean_token_accuracy"),
    "full_valid_loss": ("full_valid_loss",),
    "full_valid_accuracy": ("full_valid_accuracy", "full_valid_mean_token_accuracy"),
}


class MetricsFormatError(ValueError):
    """The result file is not a metrics table; ``str()`` says why."""


@dataclass(frozen=True)
class MetricPoint:
    step: int
    train_loss: float | None = None
    train_accuracy: float | None = None
    valid_loss: float | None = None
    valid_accuracy: float | None = None
    full_valid_loss: float | None = None
    full_valid_accuracy: float | None = None
    at: int | None = None  # unix seconds when reported (events only)

    def values(self) -> dict[str, float | None]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in COLUMNS}


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _step(value: Any) -> int | None:
    number = _number(value)
    if number is None or number < 0 or number != int(number):
        return None
    return int(number)


def point_from_mapping(row: Mapping[str, Any], at: int | None = None) -> MetricPoint | None:
    """A MetricPoint from any mapping that uses provider names (an event's data, a CSV row)."""
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    step = _step(lowered.get("step"))
    if step is None:
        return None
    values = {}
    for name, aliases in COLUMNS.items():
        values[name] = next((v for v in (_number(lowered.get(a)) for a in aliases) if v is not None), None)
    return MetricPoint(step=step, at=at, **values)


def point_from_event(event: Mapping[str, Any]) -> MetricPoint | None:
    """The metrics of a ``type == "metrics"`` job event (None for other events)."""
    if event.get("type") != "metrics" or not isinstance(event.get("data"), Mapping):
        return None
    at = event.get("created_at")
    return point_from_mapping(event["data"], at=int(at) if isinstance(at, int | float) else None)


def total_steps_from_events(events: Iterable[Mapping[str, Any]]) -> int | None:
    """The job's total step count as the metric events state it (the latest one that does)."""
    total = None
    for event in events:
        data = event.get("data")
        if isinstance(data, Mapping):
            value = _step(data.get("total_steps"))
            if value:
                total = value
    return total


def _text(content: bytes | str) -> str:
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    stripped = raw.strip()
    first = stripped.splitlines()[0].lower() if stripped else b""
    if first and b"," not in first and b"step" not in first:
        try:  # base64 has no commas; a CSV header has commas or at least the step column
            raw = base64.b64decode(b"".join(stripped.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MetricsFormatError("The result file is neither a CSV table nor base64-encoded CSV.") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MetricsFormatError("The result file is not UTF-8 text.") from exc


def parse_result_csv(content: bytes | str) -> list[MetricPoint]:
    """Rows of a result file (raw or base64), by header name; blank cells are None.

    Rows without a usable step are skipped; a later row for the same step replaces an earlier one.
    Raises MetricsFormatError when there is no header with a ``step`` column.
    """
    text = _text(content)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or []) if h is not None]
    if "step" not in header:
        raise MetricsFormatError("The result file has no 'step' column, so it is not a metrics table.")
    points: dict[int, MetricPoint] = {}
    for row in reader:
        point = point_from_mapping(row)
        if point is not None:
            points[point.step] = point
    return [points[s] for s in sorted(points)]


def estimate_finish(progress: Sequence[tuple[int, float]], total_steps: int | None,
                    started_at: float | None = None) -> float | None:
    """When training should end, from (step, time) pairs and the total step count.

    The pace is measured between the first and the latest reported step (or from ``started_at``
    when only one step is known). None when there is nothing to measure yet.
    """
    if not total_steps or not progress:
        return None
    ordered = sorted(progress)
    last_step, last_time = ordered[-1]
    if last_step >= total_steps:
        return float(last_time)
    first_step, first_time = ordered[0]
    if last_step > first_step and last_time > first_time:
        pace = (last_time - first_time) / (last_step - first_step)
    elif started_at is not None and last_step > 0 and last_time > started_at:
        pace = (last_time - started_at) / last_step
    else:
        return None
    return float(last_time + pace * (total_steps - last_step))
