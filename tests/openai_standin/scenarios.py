"""What the stand-in does with the next fine-tuning jobs (or, for the key/org ones, with requests).

``server.set_scenario(Scenario.FILE_ERROR)`` affects jobs created afterwards; each job keeps the
scenario and ``Plan`` it was created under.  One ``server.advance(job_id)`` is one step:

SUCCESS       validating_files -> queued -> running -> one metrics step per advance (``plan.steps``)
              -> succeeded (fine-tuned model, result CSV file, trained_tokens)
FILE_ERROR    validating_files -> failed, error.code ``invalid_training_file``, param
              ``training_file``, message naming a line ("Line 3: ..."): the first bad JSONL line of
              the training file if there is one, else ``plan.error_line``
CANCELLED     like SUCCESS until the first metrics step, then cancelled (as if from the dashboard)
ORG_BLOCKED   POST /fine_tuning/jobs -> 400, the organisation can no longer create jobs
ORG_FORBIDDEN POST /fine_tuning/jobs -> 403, same idea, permission flavour
INVALID_KEY   every request -> 401 ``invalid_api_key`` (as if the key had been revoked)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Scenario(enum.Enum):
    SUCCESS = "success"
    FILE_ERROR = "file_error"
    CANCELLED = "cancelled"
    ORG_BLOCKED = "org_blocked"
    ORG_FORBIDDEN = "org_forbidden"
    INVALID_KEY = "invalid_key"


@dataclass(frozen=True)
class Plan:
    """Knobs of a job's script."""

    steps: int = 4  # training steps, one metrics event each
    valid_every: int = 2  # validation metrics on steps divisible by this (needs a validation_file)
    checkpoints: int = 3  # checkpoints on the last N steps
    seconds_per_step: int = 60  # server clock moves this much per advance
    trained_tokens: int | None = None  # None: derived from the training file size
    error_line: int = 3  # FILE_ERROR when the file itself looks fine
    error_detail: str = 'Unable to parse "messages": expected a list of message objects.'

    def __post_init__(self) -> None:
        if self.steps < 1 or self.valid_every < 1 or self.checkpoints < 0 or self.seconds_per_step < 0:
            raise ValueError("Plan needs steps >= 1, valid_every >= 1, checkpoints >= 0")


ORG_BLOCKED_ERROR = (
    400,
    {
        "message": "Fine-tuning jobs cannot be created on an Explore plan. You can upgrade to a paid "
        "plan on your billing page: https://platform.openai.com/account/billing/overview",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    },
)
ORG_FORBIDDEN_ERROR = (
    403,
    {
        "message": "This organization is no longer allowed to create fine-tuning jobs. "
        "Contact support if you believe this is a mistake.",
        "type": "invalid_request_error",
        "param": None,
        "code": "permission_denied",
    },
)
