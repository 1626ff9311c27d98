"""The fault matrix from Python, read from tests/fixtures/faults.json (the same cases run from
Rust, C, PHP and Java): each network failure raises the exception of the core's error kind, and
the sandbox receives exactly one request per send (the SDK never resends). The sandbox's faults
are set through its admin endpoint (POST /_sandbox/faults)."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import FIXTURES, SMS_CONTENT

import ihuyi

with open(FIXTURES / "faults.json", encoding="utf-8") as _f:
    MATRIX: dict[str, Any] = json.load(_f)
GOOD: str = MATRIX["good_mobile"]
SETTLE = MATRIX["settle_ms"] / 1000
FAULTS: list[dict[str, Any]] = MATRIX["sandbox"]
UNREACHABLE: list[dict[str, Any]] = MATRIX["unreachable"]
KINDS: dict[str, type[ihuyi.IhuyiError]] = {
    "outcome_unknown": ihuyi.OutcomeUnknownError,
    "unreachable": ihuyi.UnreachableError,
}
assert FAULTS and UNREACHABLE, "faults.json has no cases"


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
        set_faults(sandbox, [case["fault"] for case in FAULTS])
        yield sandbox


def sent_to(sandbox: ihuyi.Sandbox, mobile: str) -> int:
    return sum(1 for r in sandbox.requests() if r.field("mobile") == mobile)


@pytest.mark.parametrize("case", FAULTS, ids=[c["fault"]["action"] for c in FAULTS])
def test_each_sandbox_fault_has_its_kind_with_one_request_per_send(faulty: ihuyi.Sandbox, case: dict[str, Any]) -> None:
    mobile = case["fault"]["mobile"]
    client = faulty.client("sms", timeout=case["timeout_ms"] / 1000)
    client.send(GOOD, SMS_CONTENT)  # a pooled keep-alive connection for the faulted send
    with pytest.raises(KINDS[case["kind"]]) as caught:
        client.send(mobile, SMS_CONTENT)
    assert isinstance(caught.value, ihuyi.OutcomeUnknownError), str(caught.value)
    assert caught.value.reason == case["reason"], str(caught.value)
    assert caught.value.status == case.get("http_status"), str(caught.value)
    client.send(GOOD, SMS_CONTENT)  # the broken connection is not reused
    time.sleep(SETTLE)  # a delayed or dripping answer finishes on the server
    assert sent_to(faulty, mobile) == 1, [r.fields for r in faulty.requests()]


def full_backlog() -> tuple[socket.socket, list[socket.socket]]:
    """A listener that never accepts, its accept queue (backlog 0: one connection) filled, so
    the kernel drops further connection attempts and a client's connect times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        held.append(s)
    time.sleep(0.1)
    return listener, held


@pytest.mark.parametrize("case", UNREACHABLE, ids=[c["target"] for c in UNREACHABLE])
def test_each_unreachable_case_is_unreachable(closed_port: int, case: dict[str, Any]) -> None:
    sockets: list[socket.socket] = []
    if case["target"] == "closed_port":
        base_url = f"http://127.0.0.1:{closed_port}"
    elif case["target"] == "full_backlog":
        listener, sockets = full_backlog()
        sockets.append(listener)
        base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    else:
        base_url = case["target"]
    try:
        client = ihuyi.Client(account="C80000001", apikey="k" * 32, base_url=base_url, timeout=case["timeout_ms"] / 1000)
        started = time.monotonic()
        with pytest.raises(KINDS[case["kind"]]) as caught:
            client.send(case["mobile"], SMS_CONTENT)
        assert case["message_contains"] in str(caught.value)
        if "within_ms" in case:
            assert time.monotonic() - started < case["within_ms"] / 1000
    finally:
        for s in sockets:
            s.close()
