"""A local HTTP server that plays the role of PDOK, CBS, Overpass and the Locatieserver."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    body: bytes | str | Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0  # seconds between bytes of the body (a service that drips)
    cut_after: int | None = None  # close the connection after this many bytes of the body

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    body: str
    headers: dict[str, str]


class FakeService:
    """Routes by path; each route answers with its replies in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.body_routes: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[Seen] = []
        self.url = ""

    def route(self, path: str, *replies: Reply | Any) -> None:
        self.routes[path] = [r if isinstance(r, Reply) else Reply(r) for r in replies]

    def route_when(self, path: str, needle: str, *replies: Reply | Any) -> None:
        """Requests to ``path`` whose body holds ``needle`` get these replies instead (one
        Overpass endpoint answers several kinds of query)."""
        self.body_routes[(path, needle)] = [
            r if isinstance(r, Reply) else Reply(r) for r in replies
        ]

    def answer(self, seen: Seen) -> Reply:
        self.requests.append(seen)
        replies = next(
            (
                replies
                for (path, needle), replies in self.body_routes.items()
                if path == seen.path and needle in seen.body
            ),
            None,
        ) or self.routes.get(seen.path)
        if not replies:
            return Reply({"error": f"no route {seen.path}"}, status=404)
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)


def _handler(service: FakeService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            reply = service.answer(
                Seen(self.command, parts.path, parse_qs(parts.query), body, dict(self.headers))
            )
            if reply.delay:
                time.sleep(reply.delay)
            content = reply.content()
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
            for name, value in reply.headers.items():
                if name != "Content-Type":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            # The client may have given up already (a timeout test).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
                if reply.cut_after is not None:
                    self.wfile.write(content[: reply.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                elif reply.drip:
                    for i in range(len(content)):
                        self.wfile.write(content[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                else:
                    self.wfile.write(content)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running(service: FakeService) -> Iterator[FakeService]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(service))
    server.daemon_threads = True
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
