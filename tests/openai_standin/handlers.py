"""The endpoints: each takes a parsed Request and returns a Reply / StreamReply or raises ApiError."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import chat, lifecycle, schema_check
from .protocol import ApiError, Reply, Request, StreamReply
from .scenarios import ORG_BLOCKED_ERROR, ORG_FORBIDDEN_ERROR, Plan, Scenario
from .state import ALIASES, FINE_TUNABLE, Job, State, UploadRecord, page

FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
NOT_DOWNLOADABLE = ("fine-tune", "assistants", "vision")
UPLOAD_LIMIT = 8 * 1024**3


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # the spec's path, e.g. /files/{file_id}
    action: str  # Backend method name
    schema: str | None  # response schema (None: not JSON)
    request_schema: str | None = None  # JSON request body schema

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^/v1" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template) + "$")


ROUTES = (
    Route("POST", "/files", "create_file", "OpenAIFile"),
    Route("GET", "/files", "list_files", "ListFilesResponse"),
    Route("GET", "/files/{file_id}", "retrieve_file", "OpenAIFile"),
    Route("DELETE", "/files/{file_id}", "delete_file", "DeleteFileResponse"),
    Route("GET", "/files/{file_id}/content", "file_content", None),
    Route("POST", "/uploads", "create_upload", "Upload", "CreateUploadRequest"),
    Route("POST", "/uploads/{upload_id}/parts", "add_upload_part", "UploadPart"),
    Route("POST", "/uploads/{upload_id}/complete", "complete_upload", "Upload", "CompleteUploadRequest"),
    Route("POST", "/uploads/{upload_id}/cancel", "cancel_upload", "Upload"),
    Route("POST", "/fine_tuning/jobs", "create_job", "FineTuningJob", "CreateFineTuningJobRequest"),
    Route("GET", "/fine_tuning/jobs", "list_jobs", "ListPaginatedFineTuningJobsResponse"),
    Route("GET", "/fine_tuning/jobs/{fine_tuning_job_id}", "retrieve_job", "FineTuningJob"),
    Route("GET", "/fine_tuning/jobs/{fine_tuning_job_id}/events", "list_events", "ListFineTuningJobEventsResponse"),
    Route("GET", "/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", "list_checkpoints",
          "ListFineTuningJobCheckpointsResponse"),
    Route("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/cancel", "cancel_job", "FineTuningJob"),
    Route("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/pause", "pause_job", "FineTuningJob"),
    Route("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/resume", "resume_job", "FineTuningJob"),
    Route("GET", "/models", "list_models", "ListModelsResponse"),
    Route("GET", "/models/{model}", "retrieve_model", "Model"),
    Route("POST", "/chat/completions", "chat_completion", "CreateChatCompletionResponse",
          "CreateChatCompletionRequest"),
)
_COMPILED = [(route, route.pattern) for route in ROUTES]


def match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request, or ApiError 404 (unknown URL) / 405 (known URL, other method)."""
    known_path = False
    for route, pattern in _COMPILED:
        found = pattern.match(path)
        if found:
            known_path = True
            if route.method == method:
                return route, found.groupdict()
    if known_path:
        raise ApiError(405, f"Not allowed to {method} on {path}.")
    raise ApiError(404, f"Invalid URL ({method} {path})")


def check_request_body(route: Route, body: Any) -> None:
    if route.request_schema is None:
        return
    if not isinstance(body, dict):
        raise ApiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you "
                       "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)")
    problems = schema_check.errors(route.request_schema, body, strict=False)
    if problems:
        where = problems[0].split(":", 1)[0]
        raise ApiError(400, f"Invalid request body: {problems[0]}",
                       param=None if where == "<root>" else where.replace("/", "."))


def _not_found(kind: str, ident: str, param: str) -> ApiError:
    return ApiError(404, f"No such {kind}: {ident}", param=param)


class Backend:
    """Endpoint implementations over a State, plus the per-test knobs (scenario, plan, responder)."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.scenario = Scenario.SUCCESS
        self.plan = Plan()
        self.tick_on_retrieve = False
        self.responder: chat.Responder = chat.echo_responder

    def dispatch(self, route: Route, request: Request) -> Reply | StreamReply:
        handler: Callable[[Request], Reply | StreamReply] = getattr(self, route.action)
        return handler(request)

    # -- files -------------------------------------------------------------------------------
    def _file(self, file_id: str | None) -> Any:
        stored = self.state.files.get(file_id or "")
        if stored is None:
            raise _not_found("File", str(file_id), "file_id")
        return stored

    def create_file(self, request: Request) -> Reply:
        form = request.form or {}
        upload, purpose = form.get("file"), form.get("purpose")
        if upload is None or upload.filename is None:
            raise ApiError(400, "Missing required parameter: 'file'.", param="file")
        purpose_text = purpose.data.decode("utf-8", "replace") if purpose else ""
        if purpose_text not in FILE_PURPOSES:
            raise ApiError(400, f"'{purpose_text}' is not one of {list(FILE_PURPOSES)} - 'purpose'",
                           param="purpose")
        stored = self.state.add_file(upload.filename, purpose_text, upload.data)
        return Reply(200, stored.to_api(), "OpenAIFile")

    def list_files(self, request: Request) -> Reply:
        limit = request.int_arg("limit", 10000, 1, 10000)
        purpose = request.arg("purpose")
        with self.state.lock:  # insertion order is creation order
            files = [f for f in self.state.files.values() if purpose is None or f.purpose == purpose]
        if request.arg("order", "desc") != "asc":
            files.reverse()
        chunk, more = page([f.to_api() for f in files], request.arg("after"), limit)
        first = chunk[0]["id"] if chunk else ""
        last = chunk[-1]["id"] if chunk else ""
        body = {"object": "list", "data": chunk, "first_id": first, "last_id": last, "has_more": more}
        return Reply(200, body, "ListFilesResponse")

    def retrieve_file(self, request: Request) -> Reply:
        return Reply(200, self._file(request.params["file_id"]).to_api(), "OpenAIFile")

    def delete_file(self, request: Request) -> Reply:
        stored = self._file(request.params["file_id"])
        with self.state.lock:
            self.state.files.pop(stored.id, None)
        return Reply(200, {"id": stored.id, "object": "file", "deleted": True}, "DeleteFileResponse")

    def file_content(self, request: Request) -> Reply:
        stored = self._file(request.params["file_id"])
        if stored.purpose in NOT_DOWNLOADABLE:
            raise ApiError(400, f"Not allowed to download files of purpose: {stored.purpose}")
        return Reply(200, stored.content, None, content_type="application/octet-stream")

    # -- uploads -----------------------------------------------------------------------------
    def _upload(self, upload_id: str, *, pending: bool = True) -> UploadRecord:
        upload = self.state.uploads.get(upload_id)
        if upload is None:
            raise _not_found("Upload", upload_id, "upload_id")
        if pending and upload.status != "pending":
            raise ApiError(400, f"Upload {upload_id} is already {upload.status}.", param="upload_id")
        return upload

    def create_upload(self, request: Request) -> Reply:
        body = request.json
        if body["bytes"] < 0 or body["bytes"] > UPLOAD_LIMIT:
            raise ApiError(400, "The upload size must be between 0 and 8 GB.", param="bytes")
        now = self.state.clock.now()
        upload = UploadRecord(self.state.ids.new("upload_"), body["filename"], body["purpose"], body["bytes"],
                              body["mime_type"], now, now + 3600)
        with self.state.lock:
            self.state.uploads[upload.id] = upload
        return Reply(200, upload.to_api(), "Upload")

    def add_upload_part(self, request: Request) -> Reply:
        upload = self._upload(request.params["upload_id"])
        part = (request.form or {}).get("data")
        if part is None:
            raise ApiError(400, "Missing required parameter: 'data'.", param="data")
        part_id = self.state.ids.new("part_")
        with self.state.lock:
            upload.parts[part_id] = part.data
        body = {"id": part_id, "object": "upload.part", "created_at": self.state.clock.now(),
                "upload_id": upload.id}
        return Reply(200, body, "UploadPart")

    def complete_upload(self, request: Request) -> Reply:
        upload = self._upload(request.params["upload_id"])
        part_ids = request.json["part_ids"]
        unknown = [p for p in part_ids if p not in upload.parts]
        if unknown:
            raise ApiError(400, f"Unknown part id(s) for upload {upload.id}: {', '.join(unknown)}",
                           param="part_ids")
        data = b"".join(upload.parts[p] for p in part_ids)
        if len(data) != upload.bytes:
            raise ApiError(400, f"The number of bytes uploaded ({len(data)}) does not match the number of "
                           f"bytes specified at Upload creation ({upload.bytes}).", param="part_ids")
        md5 = request.json.get("md5")
        if md5 and hashlib.md5(data).hexdigest() != md5.lower():
            raise ApiError(400, "The md5 checksum does not match the uploaded bytes.", param="md5")
        with self.state.lock:
            upload.file = self.state.add_file(upload.filename, upload.purpose, data)
            upload.status = "completed"
        return Reply(200, upload.to_api(), "Upload")

    def cancel_upload(self, request: Request) -> Reply:
        upload = self._upload(request.params["upload_id"])
        with self.state.lock:
            upload.status = "cancelled"
        return Reply(200, upload.to_api(), "Upload")

    # -- fine-tuning jobs --------------------------------------------------------------------
    def _job(self, job_id: str) -> Job:
        job = self.state.jobs.get(job_id)
        if job is None:
            raise ApiError(404, f"Could not find fine-tuning job: {job_id}", param="fine_tuning_job_id",
                           code="fine_tuning_job_not_found")
        return job

    def _training_file(self, file_id: str | None, param: str) -> None:
        stored = self.state.files.get(file_id or "")
        if stored is None:
            raise ApiError(400, f"Invalid file ID: {file_id}. The file could not be found.", param=param,
                           code="invalid_file_id" if param == "training_file" else "invalid_validation_file")
        if stored.purpose != "fine-tune":
            raise ApiError(400, f"File {file_id} has purpose '{stored.purpose}', expected 'fine-tune'.",
                           param=param)

    def create_job(self, request: Request) -> Reply:
        if self.scenario in (Scenario.ORG_BLOCKED, Scenario.ORG_FORBIDDEN):
            status, error = ORG_BLOCKED_ERROR if self.scenario is Scenario.ORG_BLOCKED else ORG_FORBIDDEN_ERROR
            raise ApiError.from_body(status, error)
        body = request.json
        model = body["model"]
        if model not in FINE_TUNABLE:
            raise ApiError(400, f"Model {model} is not available for fine-tuning or does not exist.",
                           param="model", code="model_not_available")
        self._training_file(body["training_file"], "training_file")
        if body.get("validation_file"):
            self._training_file(body["validation_file"], "validation_file")
        method = body.get("method") or {"type": "supervised"}
        kind = method.get("type", "supervised")
        if kind not in method:
            method = {**method, kind: {}}
        hyper = {"batch_size": "auto", "learning_rate_multiplier": "auto", "n_epochs": "auto",
                 **(body.get("hyperparameters") or {}), **(method[kind].get("hyperparameters") or {})}
        method[kind] = {**method[kind], "hyperparameters": hyper}
        seed = body.get("seed")
        job = Job(
            id=self.state.ids.new("ftjob-"), model=ALIASES.get(model, model),
            training_file=body["training_file"], validation_file=body.get("validation_file"),
            suffix=body.get("suffix"), seed=seed if seed is not None else 42 + len(self.state.jobs),
            method=method, metadata=body.get("metadata"), integrations=body.get("integrations"),
            created_at=self.state.clock.now(), scenario=self.scenario, plan=self.plan,
        )
        with self.state.lock:
            self.state.jobs[job.id] = job
            lifecycle.on_created(self.state, job)
        return Reply(200, job.to_api(), "FineTuningJob")

    def list_jobs(self, request: Request) -> Reply:
        limit = request.int_arg("limit", 20, 1, 100)
        wanted = {k[len("metadata["):-1]: v[-1] for k, v in request.query.items()
                  if k.startswith("metadata[") and k.endswith("]")}
        null_only = request.arg("metadata") == "null"
        if null_only and wanted:
            raise ApiError(400, "Use either metadata=null or metadata[key]=value, not both.", param="metadata")
        with self.state.lock:
            jobs = list(reversed(self.state.jobs.values()))  # newest first
            selected = [
                j.to_api() for j in jobs
                if (not j.metadata if null_only else all((j.metadata or {}).get(k) == v for k, v in wanted.items()))
            ]
        chunk, more = page(selected, request.arg("after"), limit)
        return Reply(200, {"object": "list", "data": chunk, "has_more": more}, "ListPaginatedFineTuningJobsResponse")

    def retrieve_job(self, request: Request) -> Reply:
        job = self._job(request.params["fine_tuning_job_id"])
        if self.tick_on_retrieve:
            lifecycle.advance(self.state, job)
        with self.state.lock:
            return Reply(200, job.to_api(), "FineTuningJob")

    def list_events(self, request: Request) -> Reply:
        job = self._job(request.params["fine_tuning_job_id"])
        limit = request.int_arg("limit", 20, 1, 100)
        with self.state.lock:
            events = list(reversed(job.events))
        chunk, more = page(events, request.arg("after"), limit)
        return Reply(200, {"object": "list", "data": chunk, "has_more": more}, "ListFineTuningJobEventsResponse")

    def list_checkpoints(self, request: Request) -> Reply:
        job = self._job(request.params["fine_tuning_job_id"])
        limit = request.int_arg("limit", 10, 1, 100)
        with self.state.lock:
            checkpoints = list(reversed(job.checkpoints))
        chunk, more = page(checkpoints, request.arg("after"), limit)
        body = {"object": "list", "data": chunk, "has_more": more,
                "first_id": chunk[0]["id"] if chunk else None, "last_id": chunk[-1]["id"] if chunk else None}
        return Reply(200, body, "ListFineTuningJobCheckpointsResponse")

    def cancel_job(self, request: Request) -> Reply:
        job = self._job(request.params["fine_tuning_job_id"])
        with self.state.lock:
            if job.terminal:
                raise ApiError(400, f"Job {job.id} has already {job.status} and cannot be cancelled.",
                               param="fine_tuning_job_id")
            lifecycle.cancel(self.state, job)
            return Reply(200, job.to_api(), "FineTuningJob")

    def pause_job(self, request: Request) -> Reply:
        return self._set_paused(request, True)

    def resume_job(self, request: Request) -> Reply:
        return self._set_paused(request, False)

    def _set_paused(self, request: Request, paused: bool) -> Reply:
        job = self._job(request.params["fine_tuning_job_id"])
        with self.state.lock:
            if paused and (job.status != "running" or job.paused):
                raise ApiError(400, f"Job {job.id} can only be paused while running.", param="fine_tuning_job_id")
            if not paused and not job.paused:
                raise ApiError(400, f"Job {job.id} is not paused.", param="fine_tuning_job_id")
            lifecycle.set_paused(self.state, job, paused)
            return Reply(200, job.to_api(), "FineTuningJob")

    # -- models and chat ---------------------------------------------------------------------
    def list_models(self, request: Request) -> Reply:
        with self.state.lock:
            models = [dict(m) for m in self.state.models.values()]
        return Reply(200, {"object": "list", "data": models}, "ListModelsResponse")

    def retrieve_model(self, request: Request) -> Reply:
        model_id = request.params["model"]
        with self.state.lock:
            model = self.state.models.get(model_id)
        if model is None:
            raise ApiError(404, f"The model '{model_id}' does not exist", param="model", code="model_not_found")
        return Reply(200, dict(model), "Model")

    def chat_completion(self, request: Request) -> Reply | StreamReply:
        body = request.json
        if not self.state.knows_model(body["model"]):
            raise ApiError(404, f"The model `{body['model']}` does not exist or you do not have access to it.",
                           code="model_not_found")
        completion_id = self.state.ids.new("chatcmpl-", 29)
        created = self.state.clock.now()
        if body.get("stream"):
            return StreamReply(chat.stream_chunks(body, self.responder, completion_id=completion_id, created=created))
        reply = chat.completion(body, self.responder, completion_id=completion_id, created=created)
        return Reply(200, reply, "CreateChatCompletionResponse")
