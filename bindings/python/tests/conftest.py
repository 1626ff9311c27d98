"""Shared fixtures: the in-process sandbox, the repository's shared test vectors, and small
local servers that misbehave on purpose."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import pytest

import ihuyi

# bindings/python/tests/conftest.py -> the repository root.
FIXTURES = Path(os.environ.get("IHUYI_FIXTURES", Path(__file__).resolve().parents[3] / "tests" / "fixtures"))

SMS_CONTENT = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】"
# A valid recipient and content for each product.
SAMPLES = {
    "sms": ("13800138000", SMS_CONTENT),
    "voice": ("13912345678", "482193"),
    "isms": ("63 9171234567", "Your code is 5512"),
}


def load_fixture(name: str) -> list[dict[str, Any]]:
    """The cases of tests/fixtures/<name>.json; a missing file fails, never skips."""
    with open(FIXTURES / f"{name}.json", encoding="utf-8") as f:
        cases: list[dict[str, Any]] = json.load(f)["cases"]
    assert cases, f"{name}.json has no cases"
    return cases


@pytest.fixture(scope="session")
def sandbox() -> Iterator[ihuyi.Sandbox]:
    with ihuyi.Sandbox() as running:
        yield running


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The machine's own credentials must never leak into a test (or a test into them).
    for name in ("IHUYI_ACCOUNT", "IHUYI_APIKEY", "IHUYI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Handler(BaseHTTPRequestHandler):
    """Reads the request body into `body`, then calls the class's answer function."""

    answer: Callable[[Handler], None]
    body: bytes = b""

    def do_POST(self) -> None:
        self.body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).answer(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


# Starts a local server answering with the given function; returns its base URL.
StartServer = Callable[[Callable[["Handler"], None]], str]


@pytest.fixture
def http_server() -> Iterator[StartServer]:
    """Starts a local http.server whose POST answer is the given function; returns its base
    URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[Handler], None]) -> str:
        handler = type("Answering", (Handler,), {"answer": staticmethod(answer)})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def reply(status: int, body: bytes, content_type: str = "text/xml; charset=utf-8") -> Callable[[Handler], None]:
    """An answer function for `http_server`."""

    def answer(h: Handler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return answer
