"""The client against the in-process sandbox: every product, both formats, both password
modes, balances, construction from arguments and from the environment."""

from __future__ import annotations

import pickle

import pytest
from conftest import SAMPLES

import ihuyi


@pytest.mark.parametrize("product", ["sms", "voice", "isms"])
@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("dynamic", [True, False])
def test_send_every_product_format_and_password_mode(
    sandbox: ihuyi.Sandbox, product: str, fmt: str, dynamic: bool
) -> None:
    account = sandbox.accounts[product]
    client = ihuyi.Client(
        product=product,
        account=account.account,
        apikey=account.apikey,
        base_url=sandbox.base_url,
        format=fmt,
        dynamic_password=dynamic,
    )
    mobile, content = SAMPLES[product]
    sent = client.send(mobile, content)
    assert isinstance(sent, ihuyi.SendResult)
    assert sent.code == 2
    assert sent.msg == "提交成功"
    assert sent.product == product
    assert isinstance(sent.id, str) and sent.id.isdigit() and len(sent.id) == 20

    # What the server received: the right path, fields and signature mode.
    logged = [r for r in sandbox.requests() if r.id == sent.id]
    assert len(logged) == 1
    request = logged[0]
    assert request.product == product
    assert request.method == "Submit"
    assert request.code == 2
    assert request.path == f"/webservice/{product}.php"
    assert request.field("account") == account.account
    assert request.field("mobile") == mobile
    assert request.field("content") == content
    assert request.field("format") == ("json" if fmt == "json" else None)
    assert (request.field("time") is not None) is dynamic
    # The log shows the password only as its length; a dynamic one is an MD5 hex digest.
    assert request.field("password") == ("<32 chars>" if dynamic else f"<{len(account.apikey)} chars>")


@pytest.mark.parametrize("product", ["sms", "voice", "isms"])
@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("dynamic", [True, False])
def test_balance_every_product(sandbox: ihuyi.Sandbox, product: str, fmt: str, dynamic: bool) -> None:
    client = sandbox.client(product, format=fmt, dynamic_password=dynamic)
    before = client.balance()
    assert isinstance(before, int)
    assert before == sandbox.accounts[product].balance
    client.send(*SAMPLES[product])
    assert client.balance() == before - 1


def test_client_attributes(sandbox: ihuyi.Sandbox) -> None:
    client = ihuyi.Client(
        "isms", "I80000001", "45c48cce2e2d7fbdea1afc51c7c6ad26", sandbox.base_url, 2.5, "json", False
    )
    assert client.product == "isms"
    assert client.account == "I80000001"
    assert client.base_url == sandbox.base_url
    assert client.url == f"{sandbox.base_url}/webservice/isms.php?method=Submit"
    assert client.timeout == 2.5
    assert client.format == "json"
    assert client.dynamic_password is False


def test_defaults_are_sms_xml_dynamic_and_the_vendor_host() -> None:
    client = ihuyi.Client(account="C1", apikey="k")
    assert client.product == "sms"
    assert client.format == "xml"
    assert client.dynamic_password is True
    assert client.timeout == 10.0
    assert client.base_url is None
    assert client.url == "https://106.ihuyi.com/webservice/sms.php?method=Submit"


def test_credentials_and_base_url_from_the_environment(
    sandbox: ihuyi.Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = sandbox.accounts["sms"]
    monkeypatch.setenv("IHUYI_ACCOUNT", account.account)
    monkeypatch.setenv("IHUYI_APIKEY", account.apikey)
    monkeypatch.setenv("IHUYI_BASE_URL", sandbox.base_url)
    client = ihuyi.Client()
    assert client.account == account.account
    assert client.base_url == sandbox.base_url
    assert client.send(*SAMPLES["sms"]).code == 2


def test_arguments_override_the_environment(sandbox: ihuyi.Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IHUYI_ACCOUNT", "C-from-env")
    monkeypatch.setenv("IHUYI_APIKEY", "key-from-env")
    client = ihuyi.Client(account="C80000001", apikey="8f14e45fceea167a5a36dedd4bea2543", base_url=sandbox.base_url)
    assert client.account == "C80000001"
    assert client.send(*SAMPLES["sms"]).code == 2


def test_sandbox_client_matches_an_explicit_one(sandbox: ihuyi.Sandbox) -> None:
    client = sandbox.client("voice", timeout=3.0, format="json", dynamic_password=False)
    assert (client.product, client.account, client.base_url) == ("voice", "V80000001", sandbox.base_url)
    assert (client.timeout, client.format, client.dynamic_password) == (3.0, "json", False)


def test_send_result_is_frozen_hashable_and_picklable(sandbox: ihuyi.Sandbox) -> None:
    sent = sandbox.client("sms").send(*SAMPLES["sms"])
    with pytest.raises(AttributeError):
        sent.id = "1"  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(sent))
    assert copy == sent and hash(copy) == hash(sent)
    assert {sent, copy} == {sent}
    assert sent != ihuyi.SendResult(id="1", code=2, msg=sent.msg, product="sms")
    assert repr(sent) == f"SendResult(id='{sent.id}', code=2, msg='提交成功', product='sms')"


def test_client_cannot_be_subclassed_or_mutated(sandbox: ihuyi.Sandbox) -> None:
    client = sandbox.client("sms")
    with pytest.raises(AttributeError):
        client.account = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        type("Sub", (ihuyi.Client,), {})
