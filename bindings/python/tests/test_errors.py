"""Every kind of failure surfaces as its own exception, with its facts as attributes, and
never with the key in it."""

from __future__ import annotations

import math
import pickle
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SAMPLES, Handler, StartServer, reply

import ihuyi

SMS_KEY = "8f14e45fceea167a5a36dedd4bea2543"
WRONG_KEY = "0123456789abcdef0123456789abcdef"


def client_at(base_url: str, **kwargs: Any) -> ihuyi.Client:
    kwargs.setdefault("account", "C80000001")
    kwargs.setdefault("apikey", SMS_KEY)
    return ihuyi.Client(base_url=base_url, **kwargs)


def assert_no_key(error: BaseException, key: str) -> None:
    for text in (str(error), repr(error), repr(error.args), repr(vars(error))):
        assert key not in text


# --- the hierarchy ------------------------------------------------------------------------


def test_hierarchy() -> None:
    for kind in (ihuyi.ValidationError, ihuyi.ApiError, ihuyi.UnreachableError, ihuyi.OutcomeUnknownError):
        assert issubclass(kind, ihuyi.IhuyiError)
        assert issubclass(kind, Exception)
    assert issubclass(ihuyi.ValidationError, ValueError)
    assert not issubclass(ihuyi.ApiError, ValueError)
    assert ihuyi.ApiError.__module__ == "ihuyi._errors"


# --- validation: nothing is sent -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"product": "mms"}, "product"),
        ({"format": "yaml"}, "format"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": math.inf}, "timeout"),
        ({"timeout": 1e9}, "timeout"),
        ({"account": ""}, "account"),
        ({"account": "a b"}, "account"),
        ({"apikey": ""}, "apikey"),
        ({"apikey": "k" * 1000}, "apikey"),
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "http://127.0.0.1:1/path"}, "base_url"),
        ({"base_url": "http://127.0.0.1:0"}, "base_url"),
        ({"account": "a\ud800"}, "account"),
    ],
)
def test_invalid_client_arguments(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {"account": "C80000001", "apikey": SMS_KEY, **kwargs}
    with pytest.raises(ihuyi.ValidationError) as caught:
        ihuyi.Client(**args)
    assert caught.value.field == field
    assert "nothing was sent" in str(caught.value)


def test_missing_credentials_name_the_environment_variables() -> None:
    with pytest.raises(ihuyi.ValidationError, match="IHUYI_ACCOUNT") as caught:
        ihuyi.Client(apikey="k")
    assert caught.value.field == "account"
    with pytest.raises(ihuyi.ValidationError, match="IHUYI_APIKEY") as caught:
        ihuyi.Client(account="C1")
    assert caught.value.field == "apikey"


def test_base_url_with_user_info_is_refused_without_echoing_it() -> None:
    with pytest.raises(ihuyi.ValidationError) as caught:
        ihuyi.Client(account="C1", apikey="k", base_url="http://user:s3cretpw@127.0.0.1:8080")
    assert "s3cretpw" not in str(caught.value)


@pytest.mark.parametrize(
    ("product", "mobile", "content", "field"),
    [
        ("sms", "123", "hello", "mobile"),
        ("sms", "", "hello", "mobile"),
        ("sms", "13800138000,13900139000", "hello", "mobile"),
        ("sms", "13800138000", "", "content"),
        ("sms", "13800138000", "码" * 301, "content"),
        ("sms", "13800138000", "bad \ud800 text", "content"),
        ("sms", "\udc80", "hello", "mobile"),
        ("voice", "13912345678", "12ab", "content"),
        ("voice", "13912345678", "123", "content"),
        # (without its space, "639171234567" is normalized to "63 9171234567": not invalid)
        ("isms", "+999 123 456 789", "hello", "mobile"),
        ("sms", "13800138000", "x" * 5_000_000, "content"),
    ],
)
def test_invalid_send_arguments_send_nothing(
    sandbox: ihuyi.Sandbox, product: str, mobile: str, content: str, field: str
) -> None:
    client = sandbox.client(product)
    before = len(sandbox.requests())
    with pytest.raises(ihuyi.ValidationError) as caught:
        client.send(mobile, content)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)
    assert len(sandbox.requests()) == before


def test_wrong_argument_types_are_type_errors(sandbox: ihuyi.Sandbox) -> None:
    client = sandbox.client("sms")
    with pytest.raises(TypeError, match="mobile must be a str"):
        client.send(13800138000, "hello")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ihuyi.Client(product=1, account="a", apikey="k")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ihuyi.parse_receipt(12)  # type: ignore[arg-type]


# --- API refusals -------------------------------------------------------------------------


def test_wrong_key_plain_password_is_405(sandbox: ihuyi.Sandbox) -> None:
    client = client_at(sandbox.base_url, apikey=WRONG_KEY, dynamic_password=False)
    with pytest.raises(ihuyi.ApiError) as caught:
        client.send(*SAMPLES["sms"])
    error = caught.value
    assert (error.code, error.kind, error.product, error.method) == (405, "auth", "sms", "Submit")
    assert error.msg == "API ID 或 API KEY 不正确"
    assert "405" in str(error)
    assert_no_key(error, WRONG_KEY)


def test_wrong_key_dynamic_password_is_an_auth_refusal(sandbox: ihuyi.Sandbox) -> None:
    client = client_at(sandbox.base_url, apikey=WRONG_KEY)
    with pytest.raises(ihuyi.ApiError) as caught:
        client.send(*SAMPLES["sms"])
    assert (caught.value.code, caught.value.kind) == (40502, "auth")
    assert_no_key(caught.value, WRONG_KEY)


@pytest.mark.parametrize("product", ["sms", "voice", "isms"])
def test_unknown_account_is_405_for_every_product(sandbox: ihuyi.Sandbox, product: str) -> None:
    client = ihuyi.Client(product, account="X00000000", apikey=WRONG_KEY, base_url=sandbox.base_url)
    with pytest.raises(ihuyi.ApiError) as caught:
        client.send(*SAMPLES[product])
    assert (caught.value.code, caught.value.kind, caught.value.product) == (405, "auth", product)
    with pytest.raises(ihuyi.ApiError) as caught:
        client.balance()
    assert (caught.value.code, caught.value.method) == (405, "GetNum")


def test_a_refusal_that_echoes_the_plain_key_is_scrubbed(http_server: StartServer) -> None:
    def echo(h: Handler) -> None:
        # This server quotes the whole request body, plain password included.
        quoted = b"bad request " + h.body.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
        reply(200, b"<SubmitResult><code>405</code><msg>" + quoted + b"</msg><smsid>0</smsid></SubmitResult>")(h)

    client = client_at(http_server(echo), dynamic_password=False)
    with pytest.raises(ihuyi.ApiError) as caught:
        client.send(*SAMPLES["sms"])
    assert "account=C80000001" in caught.value.msg
    assert "<redacted>" in caught.value.msg
    assert_no_key(caught.value, SMS_KEY)


# --- unreachable --------------------------------------------------------------------------


def test_closed_port_is_unreachable(closed_port: int) -> None:
    client = client_at(f"http://127.0.0.1:{closed_port}", timeout=2.0)
    with pytest.raises(ihuyi.UnreachableError) as caught:
        client.send(*SAMPLES["sms"])
    assert caught.value.url == f"http://127.0.0.1:{closed_port}/webservice/sms.php?method=Submit"
    assert "nothing was sent" in str(caught.value)
    with pytest.raises(ihuyi.UnreachableError):
        client.balance()
    assert_no_key(caught.value, SMS_KEY)


# --- outcome unknown ----------------------------------------------------------------------


def test_http_500_is_outcome_unknown(http_server: StartServer) -> None:
    base = http_server(reply(500, b"<html><body>500 Internal Server Error</body></html>", "text/html"))
    with pytest.raises(ihuyi.OutcomeUnknownError) as caught:
        client_at(base).send(*SAMPLES["sms"])
    error = caught.value
    assert (error.reason, error.status) == ("http_status", 500)
    assert error.url.startswith(base)
    assert "may have been processed" in str(error)


def test_garbage_200_is_outcome_unknown(http_server: StartServer) -> None:
    base = http_server(reply(200, b"OK"))
    with pytest.raises(ihuyi.OutcomeUnknownError) as caught:
        client_at(base).send(*SAMPLES["sms"])
    assert (caught.value.reason, caught.value.status) == ("unparseable_body", None)
    with pytest.raises(ihuyi.OutcomeUnknownError):
        client_at(base).balance()


def test_a_500_echoing_the_plain_key_is_scrubbed(http_server: StartServer) -> None:
    def echo(h: Handler) -> None:
        reply(500, b"error for " + h.body)(h)

    base = http_server(echo)
    with pytest.raises(ihuyi.OutcomeUnknownError) as caught:
        client_at(base, dynamic_password=False).send(*SAMPLES["sms"])
    assert_no_key(caught.value, SMS_KEY)


def test_no_answer_in_time_is_outcome_unknown(http_server: StartServer) -> None:
    def slow(h: Handler) -> None:
        time.sleep(2.0)
        reply(200, b"too late")(h)

    base = http_server(slow)
    started = time.monotonic()
    with pytest.raises(ihuyi.OutcomeUnknownError) as caught:
        client_at(base, timeout=0.3).send(*SAMPLES["sms"])
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 1.8


@pytest.fixture
def hang_up_server() -> Iterator[str]:
    """Reads a request, then closes the connection without answering."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2.0)
                read_whole_request(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def read_whole_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(65536)


def test_connection_closed_without_answer_is_outcome_unknown(hang_up_server: str) -> None:
    with pytest.raises(ihuyi.OutcomeUnknownError) as caught:
        client_at(hang_up_server, timeout=3.0).send(*SAMPLES["sms"])
    assert caught.value.reason == "connection_lost"


# --- what every exception shares ----------------------------------------------------------


def test_exceptions_pickle_with_their_attributes(sandbox: ihuyi.Sandbox, closed_port: int) -> None:
    errors: list[ihuyi.IhuyiError] = []
    for make in (
        lambda: ihuyi.Client(account="", apikey="k"),
        lambda: client_at(sandbox.base_url, apikey=WRONG_KEY, dynamic_password=False).send(*SAMPLES["sms"]),
        lambda: client_at(f"http://127.0.0.1:{closed_port}").balance(),
        lambda: ihuyi.interpret_answer("sms", "Submit", 502, b"bad gateway"),
    ):
        with pytest.raises(ihuyi.IhuyiError) as caught:
            make()
        errors.append(caught.value)
    kinds = [type(e) for e in errors]
    assert kinds == [ihuyi.ValidationError, ihuyi.ApiError, ihuyi.UnreachableError, ihuyi.OutcomeUnknownError]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert vars(copy) == vars(error)
        assert repr(copy) == repr(error) == f"{type(error).__name__}({str(error)!r})"
    assert vars(errors[1]) == {
        "code": 405,
        "msg": "API ID 或 API KEY 不正确",
        "kind": "auth",
        "product": "sms",
        "method": "Submit",
    }
    assert vars(errors[3])["status"] == 502


def test_client_repr_never_shows_the_key(sandbox: ihuyi.Sandbox) -> None:
    for dynamic in (True, False):
        client = client_at(sandbox.base_url, dynamic_password=dynamic)
        for text in (repr(client), str(client)):
            assert SMS_KEY not in text
            assert "C80000001" in text
    for account in sandbox.accounts.values():
        assert account.apikey not in repr(account)
    assert not any(SMS_KEY in repr(r) for r in sandbox.requests())
