"""The stand-in's own plumbing: start/stop, threads, raw HTTP details, strict-mode bookkeeping."""
# ruff: noqa: F811  (pytest fixtures imported by name are "redefined" by the test parameters)

from __future__ import annotations

import gc
import http.client
import json
import threading
import time
import warnings

import openai
import pytest

from tests.openai_standin import StandinServer, multipart
from tests.openai_standin.fixtures import openai_standin  # noqa: F401
from tests.openai_standin.protocol import Reply


def _standin_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("openai-standin")]


def _raw(server: StandinServer, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, **kwargs) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request(method, path, body=body,
                     headers={"Authorization": f"Bearer {server.api_key}", **(headers or {})}, **kwargs)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def test_fixture_yields_a_running_server(openai_standin):
    assert openai_standin.url == f"http://127.0.0.1:{openai_standin.port}"
    assert openai_standin.base_url == openai_standin.url + "/v1"
    assert openai_standin.env() == {"OPENAI_API_KEY": openai_standin.api_key,
                                    "OPENAI_BASE_URL": openai_standin.base_url}
    assert _standin_threads()


def test_two_servers_get_different_ports():
    with StandinServer() as a, StandinServer() as b:
        assert a.port != b.port


def test_stop_ends_every_thread_even_with_open_keepalive_connections():
    before = set(_standin_threads())
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        server = StandinServer().start()
        idle = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        idle.request("GET", "/v1/models", headers={"Authorization": f"Bearer {server.api_key}"})
        assert idle.getresponse().read()  # the connection stays open (keep-alive)
        client = server.client()
        assert client.models.list().data
        server.stop()
        server.stop()  # idempotent
        idle.close()
        gc.collect()
    assert set(_standin_threads()) <= before
    assert server.leaked_threads == [] and server.problems() == []


def test_stop_cuts_a_slow_reply_short():
    server = StandinServer().start()
    fault = server.faults.slow("/models", 10.0)
    outcome: list[object] = []

    def call() -> None:
        with openai.OpenAI(api_key=server.api_key, base_url=server.base_url, max_retries=0) as client:
            try:
                outcome.append(client.models.list())
            except openai.APIError as exc:
                outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert fault.fired.wait(5)
    started = time.monotonic()
    server.stop()
    caller.join(10)
    assert time.monotonic() - started < 5
    assert not caller.is_alive() and len(outcome) == 1
    assert server.leaked_threads == []


def test_strict_mode_records_responses_that_break_the_spec():
    with StandinServer() as server:
        server.backend.list_models = lambda request: Reply(200, {"object": "list"}, "ListModelsResponse")
        client = server.client()
        client.models.list()
        assert len(server.violations) == 1
        assert "'data' is a required property" in str(server.violations[0])
        assert server.audit() and server.problems()


def test_an_endpoint_crash_is_a_500_and_an_internal_error():
    with StandinServer() as server:
        def boom(request):
            raise RuntimeError("kaboom")

        server.backend.list_models = boom
        with pytest.raises(openai.InternalServerError):
            server.client(max_retries=0).models.list()
        assert "kaboom" in server.internal_errors[0]
        assert any(p.startswith("internal error") for p in server.problems())


def test_raw_http_errors(openai_standin):
    status, body = _raw(openai_standin, "GET", "/v1/models", headers={"Authorization": ""})
    assert status == 401 and body["error"]["code"] is None and "didn't provide an API key" in body["error"]["message"]
    status, body = _raw(openai_standin, "PUT", "/v1/files")
    assert status == 405
    status, body = _raw(openai_standin, "GET", "/v2/models")
    assert status == 404 and body["error"]["message"] == "Invalid URL (GET /v2/models)"
    status, body = _raw(openai_standin, "POST", "/v1/fine_tuning/jobs", b"{not json",
                        {"Content-Type": "application/json"})
    assert status == 400 and "could not parse the JSON body" in body["error"]["message"]
    status, body = _raw(openai_standin, "POST", "/v1/files", b"--x\r\n", {"Content-Type": "multipart/form-data; boundary=x"})
    assert status == 400
    status, body = _raw(openai_standin, "GET", "/v1/fine_tuning/jobs?limit=0")
    assert status == 400 and body["error"]["param"] == "limit"
    assert openai_standin.audit() == []


def test_chunked_request_bodies_are_read(openai_standin):
    payload = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "chunky"}]}).encode()
    status, body = _raw(openai_standin, "POST", "/v1/chat/completions", iter([payload[:10], payload[10:]]),
                        {"Content-Type": "application/json"}, encode_chunked=True)
    assert status == 200 and body["choices"][0]["message"]["content"] == "Echo: chunky"


def test_request_log_leaves_out_the_key_and_keeps_the_body(openai_standin):
    client = openai_standin.client()
    client.files.create(file=("t.jsonl", b"{}\n"), purpose="fine-tune")
    entry = openai_standin.requests[-1]
    assert "authorization" not in entry.headers and entry.authorized
    assert entry.form["file"] == {"filename": "t.jsonl", "content_type": "application/octet-stream", "size": 3}
    assert entry.response["object"] == "file"
    assert entry.headers["user-agent"].startswith("OpenAI/Python")


def test_multipart_parser_keeps_binary_bytes_exactly():
    data = b"line1\r\n--not-the-boundary\r\n\x00\xff\r\n\r\n"
    body = (b"--BOUND\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
            b"--BOUND\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.jsonl\"\r\n"
            b"Content-Type: application/jsonl\r\n\r\n" + data + b"\r\n--BOUND--\r\n")
    parts = multipart.parse("multipart/form-data; boundary=BOUND", body)
    assert parts["purpose"].data == b"fine-tune" and parts["purpose"].filename is None
    assert parts["file"].data == data
    assert parts["file"].filename == "a b.jsonl" and parts["file"].content_type == "application/jsonl"
    with pytest.raises(multipart.MultipartError):
        multipart.parse("multipart/form-data; boundary=BOUND", body[:-10])
    with pytest.raises(multipart.MultipartError):
        multipart.parse("application/json", body)
