"""`ihuyi.Sandbox`: lifecycle, accounts and the request log."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

import ihuyi


def test_context_manager_starts_and_stops() -> None:
    with ihuyi.Sandbox() as sandbox:
        assert sandbox.is_running
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        client = sandbox.client("sms")
        assert client.send(*SAMPLES["sms"]).code == 2
        assert "running=True" in repr(sandbox)
    assert not sandbox.is_running
    assert "running=False" in repr(sandbox)
    # Stopped means stopped: the port is closed and the state is gone.
    with pytest.raises(ihuyi.UnreachableError):
        client.send(*SAMPLES["sms"])
    with pytest.raises(RuntimeError):
        sandbox.requests()
    sandbox.stop()  # idempotent


def test_stop_without_with_and_an_exception_inside_with() -> None:
    sandbox = ihuyi.Sandbox()
    sandbox.stop()
    assert not sandbox.is_running
    with pytest.raises(KeyError):
        with ihuyi.Sandbox() as inner:
            raise KeyError("not swallowed")
    assert not inner.is_running


def test_accounts() -> None:
    with ihuyi.Sandbox() as sandbox:
        accounts = sandbox.accounts
        assert sorted(accounts) == ["isms", "sms", "voice"]
        expected = {
            "sms": ("C80000001", "8f14e45fceea167a5a36dedd4bea2543"),
            "voice": ("V80000001", "c9f0f895fb98ab9159f51fd0297e236d"),
            "isms": ("I80000001", "45c48cce2e2d7fbdea1afc51c7c6ad26"),
        }
        for product, (account, apikey) in expected.items():
            entry = accounts[product]
            assert (entry.product, entry.account, entry.apikey) == (product, account, apikey)
            assert entry.balance == 100_000
            assert sandbox.account(product).account == account
        assert sandbox.account().product == "sms"
        with pytest.raises(ihuyi.ValidationError):
            sandbox.account("fax")


def test_request_log_and_reset() -> None:
    with ihuyi.Sandbox() as sandbox:
        client = sandbox.client("voice")
        sent = client.send(*SAMPLES["voice"])
        client.balance()
        first, second = sandbox.requests()
        assert (first.seq, first.method, first.http_method, first.product) == (1, "Submit", "POST", "voice")
        assert (first.code, first.id) == (2, sent.id)
        assert first.unix_time > 1_700_000_000
        assert ("content", "482193") in first.fields
        assert (second.seq, second.method, second.code, second.id) == (2, "GetNum", 2, None)
        assert sandbox.accounts["voice"].balance == 99_999
        sandbox.reset()
        assert sandbox.requests() == []
        assert sandbox.accounts["voice"].balance == 100_000


def test_fixed_port(closed_port: int) -> None:
    with ihuyi.Sandbox(port=closed_port) as sandbox:
        assert sandbox.base_url == f"http://127.0.0.1:{closed_port}"
        with pytest.raises(OSError):
            ihuyi.Sandbox(port=closed_port)


def test_a_sandbox_client_keeps_its_sandbox_running() -> None:
    client = ihuyi.Sandbox().client("isms")
    # The Sandbox object itself is gone; the client still has a server to talk to.
    assert client.send(*SAMPLES["isms"]).code == 2
    assert client.balance() == 99_999
