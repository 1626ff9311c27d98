"""The fault matrix from Python (the same as tests/faults_matrix.rs and tests/c/test_faults.c):
each network failure raises the exception of the core's error kind, and the sandbox receives
exactly one request per send (the SDK never resends). The sandbox's faults are set through its
admin endpoint (POST /_sandbox/faults)."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import SMS_CONTENT

import ihuyi

TIMEOUT = 0.4
GOOD = "13800000300"

# (mobile, fault, reason the error carries)
FAULTS: list[tuple[str, dict[str, object], str]] = [
    ("13800000301", {"action": "delay", "ms": 1500}, "timeout"),
    ("13800000302", {"action": "close"}, "connection_lost"),
    ("13800000303", {"action": "accept_then_drop"}, "connection_lost"),
    ("13800000304", {"action": "http_500"}, "http_status"),
    ("13800000305", {"action": "garbage"}, "unparseable_body"),
    ("13800000306", {"action": "slow_drip", "chunk_bytes": 2, "interval_ms": 100}, "timeout"),
]


def set_faults(sandbox: ihuyi.Sandbox, faults: list[dict[str, object]]) -> None:
    request = urllib.request.Request(
        f"{sandbox.base_url}/_sandbox/faults",
        data=json.dumps(faults).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200


@pytest.fixture(scope="module")
def faulty() -> Iterator[ihuyi.Sandbox]:
    with ihuyi.Sandbox() as sandbox:
        set_faults(sandbox, [{"mobile": mobile, **fault} for mobile, fault, _ in FAULTS])
        yield sandbox


def sent_to(sandbox: ihuyi.Sandbox, mobile: str) -> int:
    return sum(1 for r in sandbox.requests() if r.field("mobile") == mobile)


@pytest.mark.parametrize(("mobile", "fault", "reason"), FAULTS, ids=[str(f["action"]) for _, f, _ in FAULTS])
def test_each_sandbox_fault_is_outcome_unknown_with_one_request_per_send(
    faulty: ihuyi.Sandbox, mobile: str, fault: dict[str, object], reason: str
) -> None:
    client = faulty.client("sms", timeout=TIMEOUT)
    client.send(GOOD, SMS_CONTENT)  # a pooled keep-alive connection for the faulted send
    with pytest.raises(ihuyi.OutcomeUnknownError) as caught:
        client.send(mobile, SMS_CONTENT)
    assert caught.value.reason == reason, str(caught.value)
    client.send(GOOD, SMS_CONTENT)  # the broken connection is not reused
    time.sleep(0.2)  # a delayed or dripping answer finishes on the server
    assert sent_to(faulty, mobile) == 1, [r.fields for r in faulty.requests()]


def test_a_refused_connection_is_unreachable(closed_port: int) -> None:
    client = ihuyi.Client(account="C80000001", apikey="k" * 32, base_url=f"http://127.0.0.1:{closed_port}", timeout=TIMEOUT)
    with pytest.raises(ihuyi.UnreachableError):
        client.send(GOOD, SMS_CONTENT)


def test_a_name_that_does_not_resolve_is_unreachable() -> None:
    client = ihuyi.Client(account="C80000001", apikey="k" * 32, base_url="http://sandbox.invalid", timeout=TIMEOUT)
    with pytest.raises(ihuyi.UnreachableError):
        client.send(GOOD, SMS_CONTENT)


def test_a_connect_timing_out_before_the_request_is_written_is_unreachable() -> None:
    # A listener that never accepts, its accept queue (backlog 0: one connection) filled, so
    # the kernel drops further connection attempts and the client's connect times out.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    try:
        for _ in range(4):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            held.append(s)
        time.sleep(0.1)
        client = ihuyi.Client(account="C80000001", apikey="k" * 32, base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        started = time.monotonic()
        with pytest.raises(ihuyi.UnreachableError):
            client.send(GOOD, SMS_CONTENT)
        assert time.monotonic() - started < TIMEOUT * 5
    finally:
        for s in held:
            s.close()
        listener.close()
