"""StandinServer: the object tests hold. Starts the HTTP server, owns state, faults and the logs."""

from __future__ import annotations

import threading
from typing import Any

from . import chat, lifecycle, schema_check
from .faults import FaultPlan
from .handlers import Backend, check_request_body, match
from .protocol import ApiError, Reply, Request, StreamReply
from .request_log import LoggedRequest, RequestLog, Violation
from .scenarios import Plan, Scenario
from .state import Clock, Ids, Job, State
from .transport import TrackingHTTPServer

TEST_KEY = "sk-standin-test-key-0123456789abcdef"


def _mask(key: str) -> str:
    return key[:3] + "*" * 4 + key[-4:] if len(key) > 8 else "*" * len(key)


class StandinServer:
    """A local OpenAI REST stand-in on 127.0.0.1 (random port); see the package docstring."""

    def __init__(self, *, api_key: str = TEST_KEY, strict: bool = True, seed: int = 0,
                 clock_start: int | None = None, host: str = "127.0.0.1") -> None:
        self.api_key = api_key
        self.strict = strict
        self.state = State(Clock(clock_start), Ids(seed))
        self.backend = Backend(self.state)
        self.faults = FaultPlan()
        self.violations: list[Violation] = []
        self.internal_errors: list[str] = []
        self.leaked_threads: list[str] = []
        self.log = RequestLog()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._clients: list[Any] = []
        self.chunk_delay = 0.0  # seconds between streamed chunks (overlapping streams, Stop)
        self._host = host
        self._httpd: TrackingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle of the server itself --------------------------------------------------------
    def start(self) -> StandinServer:
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        self._httpd = TrackingHTTPServer((self._host, 0), self)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="openai-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, cut open connections, join every thread, close clients made by ``client``."""
        for client in self._clients:
            client.close()
        self._clients.clear()
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        stragglers = self._httpd.close_all(timeout)
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                stragglers.append(self._thread)
        self.leaked_threads = [t.name for t in stragglers]
        self._httpd = None

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no ``/v1``)."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What the SDK wants as ``base_url``: ``url + "/v1"``."""
        return self.url + "/v1"

    def env(self) -> dict[str, str]:
        """Environment variables that point the openai SDK at this server."""
        return {"OPENAI_API_KEY": self.api_key, "OPENAI_BASE_URL": self.base_url}

    def client(self, **kwargs: Any) -> Any:
        """An ``openai.OpenAI`` for this server (closed by ``stop``); kwargs go to the constructor."""
        import openai

        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("timeout", 10.0)
        made = openai.OpenAI(**kwargs)
        self._clients.append(made)
        return made

    def wait(self, seconds: float) -> None:
        """Delay a reply; returns early when the server stops."""
        self._stopping.wait(seconds)

    # -- per-test knobs ---------------------------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self.backend.scenario

    @scenario.setter
    def scenario(self, value: Scenario) -> None:
        self.backend.scenario = value

    def set_scenario(self, scenario: Scenario, plan: Plan | None = None) -> None:
        """Scenario (and Plan) for jobs created from now on; key/org scenarios act at once."""
        self.backend.scenario = scenario
        if plan is not None:
            self.backend.plan = plan

    @property
    def plan(self) -> Plan:
        return self.backend.plan

    @plan.setter
    def plan(self, value: Plan) -> None:
        self.backend.plan = value

    @property
    def tick_on_retrieve(self) -> bool:
        """When True each ``GET /fine_tuning/jobs/{id}`` advances that job one step first."""
        return self.backend.tick_on_retrieve

    @tick_on_retrieve.setter
    def tick_on_retrieve(self, value: bool) -> None:
        self.backend.tick_on_retrieve = value

    @property
    def responder(self) -> chat.Responder:
        """``f(request_json) -> reply text`` for chat completions (default: echo the last user turn)."""
        return self.backend.responder

    @responder.setter
    def responder(self, value: chat.Responder) -> None:
        self.backend.responder = value

    # -- jobs -----------------------------------------------------------------------------------
    def job(self, job_id: str) -> Job:
        return self.state.jobs[job_id]

    @property
    def jobs(self) -> list[Job]:
        with self.state.lock:
            return list(self.state.jobs.values())

    def advance(self, job_id: str | None = None, steps: int = 1) -> str:
        """Move a job (the only/newest one when ``job_id`` is None) ``steps`` steps; returns its status."""
        job = self.job(job_id) if job_id else self._latest_job()
        for _ in range(steps):
            if not lifecycle.advance(self.state, job):
                break
        return job.status

    def run_to_end(self, job_id: str | None = None, max_steps: int = 1000) -> str:
        """Advance until the job is finished (or paused); returns its status."""
        job = self.job(job_id) if job_id else self._latest_job()
        for _ in range(max_steps):
            if not lifecycle.advance(self.state, job):
                break
        return job.status

    def _latest_job(self) -> Job:
        jobs = self.jobs
        if not jobs:
            raise LookupError("no fine-tuning job has been created")
        return jobs[-1]  # dicts keep insertion order

    # -- logs and checks --------------------------------------------------------------------------
    def new_log_entry(self, method: str, path: str, query: dict[str, list[str]],
                      headers: dict[str, str]) -> LoggedRequest:
        shown = {k: v for k, v in headers.items() if k != "authorization"}
        return LoggedRequest(method, path, query, shown, request_id="req_" + self.state.ids.token(24))

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request so far, oldest first."""
        return self.log.entries()

    def requests_to(self, path: str = "*", method: str | None = None) -> list[LoggedRequest]:
        """Logged requests whose path matches ``path`` (fnmatch, relative to ``/v1``)."""
        return self.log.matching(path, method)

    def check(self, entry: LoggedRequest, schema: str | None, body: Any) -> None:
        """Strict mode: record a Violation when ``body`` does not match ``schema``."""
        if not self.strict or schema is None:
            return
        problems = schema_check.errors(schema, body)
        if problems:
            with self._lock:
                self.violations.append(Violation(entry.method, entry.path, schema, problems))

    def audit(self) -> list[str]:
        """Re-check every logged response against the spec's operation for it (independent of routes)."""
        return self.log.audit(strict=self.strict)

    def record_internal_error(self, text: str) -> None:
        with self._lock:
            self.internal_errors.append(text)

    def problems(self) -> list[str]:
        """Everything that means the stand-in itself misbehaved (tests want this empty)."""
        with self._lock:
            found = [f"schema violation: {v}" for v in self.violations]
            found += [f"internal error: {e}" for e in self.internal_errors]
        found += [f"thread still running after stop: {name}" for name in self.leaked_threads]
        return found

    # -- request handling (called from handler threads) ------------------------------------------
    def _authorize(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        if not header:
            raise ApiError(401, "You didn't provide an API key. You need to provide your API key in an "
                           "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        scheme, _, key = header.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or key != self.api_key or self.scenario is Scenario.INVALID_KEY:
            raise ApiError(401, f"Incorrect API key provided: {_mask(key)}. You can find your API key at "
                           "https://platform.openai.com/account/api-keys.", code="invalid_api_key")

    def handle(self, request: Request, entry: LoggedRequest) -> Reply | StreamReply:
        self._authorize(request)
        entry.authorized = True
        route, request.params = match(request.method, request.path)
        check_request_body(route, request.json)
        return self.backend.dispatch(route, request)
