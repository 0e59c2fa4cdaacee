"""What a model is asked with (target, settings) and what came back (Answer), as plain values.

A target names a profile or a bare base URL, never a key: these values are stored in the workspace.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DONE, STOPPED, FAILED = "done", "stopped", "failed"
STATUSES = (DONE, STOPPED, FAILED)
MAX_COLUMNS = 4


@dataclass(frozen=True)
class ChatTarget:
    """One model on one service: a provider profile (by name) or a bare OpenAI-compatible base URL.

    ``label`` is what people see ("Tuned v2"); it defaults to the model name.
    """

    model: str
    profile: str | None = None
    base_url: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if not self.model.strip():
            raise ValueError("A model name is needed.")
        if self.profile and self.base_url:
            raise ValueError("Give a profile or a base URL, not both.")

    @property
    def name(self) -> str:
        return self.label or self.model

    @property
    def where(self) -> str:
        """The service, for display: the profile's name or the base URL."""
        return self.profile or self.base_url or ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChatTarget:
        return cls(model=data["model"], profile=data.get("profile"), base_url=data.get("base_url"),
                   label=data.get("label") or "")


@dataclass(frozen=True)
class ChatSettings:
    """Sampling settings shared by the columns of a comparison. None: the server's default."""

    temperature: float | None = None
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.temperature is not None and not 0 <= self.temperature <= 2:
            raise ValueError("Temperature goes from 0 to 2.")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ValueError("Max tokens must be at least 1.")

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ChatSettings:
        data = data or {}
        return cls(temperature=data.get("temperature"), max_tokens=data.get("max_tokens"))


@dataclass(frozen=True)
class Answer:
    """One model's reply to one prompt, complete or not.

    ``status``: ``done`` (the stream ended normally), ``stopped`` (Stop was pressed) or ``failed``
    (``error`` says why in plain words; ``text`` keeps whatever arrived before). Times are seconds
    from sending the request. Token counts come from the server's usage report, or are counted
    locally when it sent none (``estimated``). ``cost`` is USD, None when unknown (no price for
    this model or service).
    """

    text: str = ""
    status: str = DONE
    error: str | None = None
    finish_reason: str | None = None
    ttft: float | None = None
    total_time: float | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    estimated: bool = False
    cost: float | None = None
    error_kind: str | None = None  # ProviderError.kind of a failure: auth, connection, rate_limit, ...

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    @property
    def ok(self) -> bool:
        return self.status == DONE
