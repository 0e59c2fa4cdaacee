"""A stand-in for OpenAI's REST API (files, uploads, fine-tuning jobs, models, chat) for tests.

Real HTTP on 127.0.0.1, stdlib only, driven by the real ``openai`` SDK.  Start it with the
``openai_standin`` fixture (``tests/openai_standin/fixtures.py``) or ``StandinServer().start()``.
Responses are checked against OpenAI's OpenAPI spec (``openai-openapi.json`` here, MIT licence
in ``openai-openapi.LICENSE``) when ``strict`` is on.
"""

from .faults import Fault, FaultKind, FaultPlan
from .request_log import LoggedRequest, Violation
from .scenarios import Plan, Scenario
from .server import TEST_KEY, StandinServer

__all__ = [
    "TEST_KEY",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "LoggedRequest",
    "Plan",
    "Scenario",
    "StandinServer",
    "Violation",
]
