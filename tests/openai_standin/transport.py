"""HTTP/1.1 plumbing: a ThreadingHTTPServer that tracks its connections, and the request handler.

The handler reads and parses the request, applies transport faults, hands the request to the
StandinServer (auth, routing, endpoints), checks the JSON it sends against the spec in strict
mode, and writes JSON or SSE replies.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from . import multipart, sse
from .faults import Fault, FaultKind
from .protocol import ApiError, Reply, Request, StreamReply

if TYPE_CHECKING:
    from .request_log import LoggedRequest
    from .server import StandinServer

MAX_BODY = 128 * 1024 * 1024
_QUIET = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, TimeoutError)


class TrackingHTTPServer(ThreadingHTTPServer):
    """One thread per connection, all tracked so ``close_all`` can end them and join them."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], standin: StandinServer) -> None:
        self.standin = standin
        self._lock = threading.Lock()
        self._conn_threads: set[threading.Thread] = set()
        self._connections: set[socket.socket] = set()
        super().__init__(address, Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._serve_connection, args=(request, client_address),
                                  name="openai-standin-conn", daemon=True)
        with self._lock:
            self._conn_threads.add(thread)
            self._connections.add(request)
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections.discard(request)
                self._conn_threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], _QUIET):
            self.standin.record_internal_error(traceback.format_exc())

    def close_all(self, timeout: float) -> list[threading.Thread]:
        """Shut every open connection down and join the handler threads; returns the stragglers."""
        with self._lock:
            connections, threads = list(self._connections), list(self._conn_threads)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout)
        return [t for t in threads if t.is_alive()]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "openai-standin/1"
    timeout = 30  # an idle keep-alive connection is closed after this
    server: TrackingHTTPServer

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    # -- reading -----------------------------------------------------------------------------
    def _read_body(self, limit: int | None = None) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ApiError(413, f"Request body too large ({length} bytes).")
        return self.rfile.read(length if limit is None else min(length, limit))

    def _read_chunked(self, limit: int | None) -> bytes:
        data = bytearray()
        while limit is None or len(data) < limit:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                break
            data += self.rfile.read(size)
            self.rfile.readline(1024)
            if len(data) > MAX_BODY:
                raise ApiError(413, "Request body too large.")
        return bytes(data if limit is None else data[:limit])

    def _parse(self, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes) -> Request:
        request = Request(self.command, path, query, headers, body)
        content_type = headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            try:
                request.form = multipart.parse(content_type, body)
            except multipart.MultipartError as exc:
                raise ApiError(400, f"Could not parse multipart form: {exc}") from None
        elif body:
            try:
                request.json = json.loads(body)
            except ValueError:
                raise ApiError(400, "We could not parse the JSON body of your request. (HINT: This likely "
                               "means you aren't using your HTTP library correctly. The OpenAI API expects "
                               "a JSON payload.)") from None
        return request

    # -- the request -------------------------------------------------------------------------
    def _serve(self) -> None:
        standin = self.server.standin
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in self.headers.items()}
        entry = standin.new_log_entry(self.command, url.path, query, headers)
        try:
            fault = standin.faults.take(self.command, url.path, (FaultKind.DROP, FaultKind.ERROR, FaultKind.SLOW))
            if fault is not None:
                entry.fault = fault.kind.value
            if fault is not None and fault.kind is FaultKind.SLOW:
                standin.wait(fault.delay)
            if fault is not None and fault.kind is FaultKind.DROP:
                self._read_body(fault.after_body_bytes)
                standin.log.add(entry)
                self._abort()
                return
            reply = self._reply(fault, url.path, query, headers, entry)
            if isinstance(reply, StreamReply):
                self._send_stream(reply, entry)
            else:
                self._send(reply, entry)
        except _QUIET:
            self.close_connection = True
        finally:
            if entry.finished is None:
                entry.finished = time.monotonic()
            standin.log.add(entry)  # no-op when already logged

    def _reply(self, fault: Fault | None, path: str, query: dict[str, list[str]], headers: dict[str, str],
               entry: LoggedRequest) -> Reply | StreamReply:
        standin = self.server.standin
        try:
            body = self._read_body()
            request = self._parse(path, query, headers, body)
            entry.json = request.json
            entry.form = {name: {"filename": p.filename, "content_type": p.content_type, "size": len(p.data)}
                          for name, p in (request.form or {}).items()} or None
            if fault is not None and fault.kind is FaultKind.ERROR:
                return ApiError.from_body(fault.status, fault.error or {}, fault.headers).reply()
            return standin.handle(request, entry)
        except ApiError as exc:
            if exc.status == 413:
                self.close_connection = True
            return exc.reply()
        except _QUIET:
            raise
        except Exception:
            standin.record_internal_error(traceback.format_exc())
            return ApiError(500, "The stand-in server failed; see server.internal_errors.",
                            type="server_error").reply()

    # -- writing -----------------------------------------------------------------------------
    def _abort(self) -> None:
        """Cut the connection without a reply."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _common_headers(self, entry: LoggedRequest) -> None:
        self.send_header("x-request-id", entry.request_id)
        self.send_header("openai-organization", "standin-org")
        self.send_header("openai-version", "2020-10-01")
        self.send_header("openai-processing-ms", "1")

    def _send(self, reply: Reply, entry: LoggedRequest) -> None:
        standin = self.server.standin
        if isinstance(reply.body, bytes):
            payload = reply.body
        else:
            payload = json.dumps(reply.body).encode("utf-8")
            standin.check(entry, reply.schema, reply.body)
        entry.status = reply.status
        entry.response = reply.body
        standin.log.add(entry)  # before the client can see the reply, so tests find it in the log
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self._common_headers(entry)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        entry.finished = time.monotonic()
        self.wfile.write(payload)
        self.wfile.flush()

    def _send_stream(self, reply: StreamReply, entry: LoggedRequest) -> None:
        standin = self.server.standin
        model = entry.json.get("model") if isinstance(entry.json, dict) else None
        broken = standin.faults.take(self.command, entry.path, (FaultKind.BREAK_STREAM,), model)
        entry.status = 200
        entry.response = []
        if broken is not None:
            entry.fault = broken.kind.value
        standin.log.add(entry)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self._common_headers(entry)
        self.end_headers()
        writer = sse.ChunkedWriter(self.wfile)
        for index, chunk in enumerate(reply.chunks):
            if broken is not None and index >= broken.after_chunks:
                break
            if index and standin.chunk_delay:
                standin.wait(standin.chunk_delay)
            standin.check(entry, reply.schema, chunk)
            entry.response.append(chunk)
            writer.write(sse.encode(chunk))
        # Before the last bytes: a client that has read the whole reply never sees it still open.
        entry.finished = time.monotonic()
        if broken is not None:
            self._abort()
            return
        writer.write(sse.DONE)
        writer.finish()
