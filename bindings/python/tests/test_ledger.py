"""ihuyi.Ledger: a repeated key returns the stored result without a request, an unknown outcome
is never resent until resolved, a key reused for another message is a conflict. Requests are
counted in the sandbox's log."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import SMS_CONTENT, StartServer, reply

import ihuyi


def submits(sandbox: ihuyi.Sandbox) -> int:
    return sum(1 for r in sandbox.requests() if r.method == "Submit")


@pytest.fixture
def ledger(tmp_path: Path) -> ihuyi.Ledger:
    return ihuyi.Ledger(tmp_path / "sends.db")


def unknown_client(sandbox: ihuyi.Sandbox, http_server: StartServer) -> ihuyi.Client:
    """The sandbox's sms account on a server that answers HTTP 500: the outcome is unknown."""
    account = sandbox.account("sms")
    url = http_server(reply(500, b"<h1>oops</h1>", "text/html"))
    return ihuyi.Client("sms", account.account, account.apikey, base_url=url, timeout=5)


def test_repeat_returns_the_stored_result_without_a_request(
    sandbox: ihuyi.Sandbox, ledger: ihuyi.Ledger, tmp_path: Path
) -> None:
    client = sandbox.client("sms")
    before = submits(sandbox)
    first = ledger.send_once(client, "otp/1", "13800138201", SMS_CONTENT)
    again = ledger.send_once(client, "otp/1", "13800138201", SMS_CONTENT)
    assert again == first
    assert ledger.state("otp/1") == "accepted"
    assert ledger.state("never") is None
    # Another handle on the same file knows the key too.
    other = ihuyi.Ledger(str(tmp_path / "sends.db"))
    assert other.send_once(client, "otp/1", "13800138201", SMS_CONTENT) == first
    assert submits(sandbox) == before + 1
    assert "sends.db" in other.path and "Ledger(" in repr(other)


def test_key_reuse_with_different_content_is_a_conflict(sandbox: ihuyi.Sandbox, ledger: ihuyi.Ledger) -> None:
    client = sandbox.client("sms")
    ledger.send_once(client, "otp/2", "13800138202", SMS_CONTENT)
    before = submits(sandbox)
    with pytest.raises(ihuyi.LedgerConflictError) as info:
        ledger.send_once(client, "otp/2", "13800138202", "您的验证码是:9999。请不要把验证码泄露给其他人。【互亿无线】")
    assert (info.value.key, info.value.field) == ("otp/2", "content")
    with pytest.raises(ihuyi.LedgerConflictError) as info:
        ledger.send_once(client, "otp/2", "13800138203", SMS_CONTENT)
    assert info.value.field == "mobile"
    with pytest.raises(ihuyi.LedgerConflictError):
        ledger.resolve("otp/2", sent=False)  # an accepted key
    assert submits(sandbox) == before
    err = pickle.loads(pickle.dumps(info.value))
    assert isinstance(err, ihuyi.LedgerConflictError) and err.key == "otp/2"


def test_refusal_is_replayed_without_a_request(sandbox: ihuyi.Sandbox, ledger: ihuyi.Ledger) -> None:
    bad = ihuyi.Client("sms", sandbox.account("sms").account, "0" * 32, base_url=sandbox.base_url)
    before = submits(sandbox)
    with pytest.raises(ihuyi.ApiError) as first:
        ledger.send_once(bad, "otp/3", "13800138204", SMS_CONTENT)
    with pytest.raises(ihuyi.ApiError) as again:
        ledger.send_once(bad, "otp/3", "13800138204", SMS_CONTENT)
    assert again.value.code == first.value.code and again.value.key == "otp/3"
    assert ledger.state("otp/3") == "refused"
    assert submits(sandbox) == before + 1


def test_unknown_outcome_is_never_resent(
    sandbox: ihuyi.Sandbox, ledger: ihuyi.Ledger, http_server: StartServer
) -> None:
    with pytest.raises(ihuyi.OutcomeUnknownError) as info:
        ledger.send_once(unknown_client(sandbox, http_server), "otp/4", "13800138205", SMS_CONTENT)
    assert info.value.reason == "http_status" and info.value.key == "otp/4"
    assert ledger.state("otp/4") == "unknown"
    client = sandbox.client("sms")
    before = submits(sandbox)
    for _ in range(2):
        with pytest.raises(ihuyi.OutcomeUnknownError) as info:
            ledger.send_once(client, "otp/4", "13800138205", SMS_CONTENT)
        assert info.value.reason == "unresolved" and info.value.key == "otp/4"
        assert "otp/4" in str(info.value)
    assert submits(sandbox) == before
    ledger.resolve("otp/4", sent=False)
    sent = ledger.send_once(client, "otp/4", "13800138205", SMS_CONTENT)
    assert sent.id and submits(sandbox) == before + 1


def test_resolved_as_sent_and_explicit_resend(
    sandbox: ihuyi.Sandbox, ledger: ihuyi.Ledger, http_server: StartServer
) -> None:
    client = sandbox.client("sms")
    for key in ("otp/5", "otp/6"):
        with pytest.raises(ihuyi.OutcomeUnknownError):
            ledger.send_once(unknown_client(sandbox, http_server), key, "13800138206", SMS_CONTENT)
    before = submits(sandbox)
    ledger.resolve("otp/5", sent=True, id="12345678901234567890")
    assert ledger.send_once(client, "otp/5", "13800138206", SMS_CONTENT).id == "12345678901234567890"
    with pytest.raises(ihuyi.LedgerConflictError):
        ledger.resolve("otp/5", sent=True)
    assert submits(sandbox) == before
    ledger.send_once(client, "otp/6", "13800138206", SMS_CONTENT, resend_unknown=True)
    assert submits(sandbox) == before + 1


def test_bad_arguments(ledger: ihuyi.Ledger, sandbox: ihuyi.Sandbox, tmp_path: Path) -> None:
    with pytest.raises(ihuyi.ValidationError):
        ledger.send_once(sandbox.client("sms"), "", "13800138207", SMS_CONTENT)
    with pytest.raises(ihuyi.LedgerStorageError):
        ihuyi.Ledger(tmp_path)  # a directory
    with pytest.raises(TypeError):
        ledger.send_once("not a client", "k", "13800138207", SMS_CONTENT)  # type: ignore[arg-type]
