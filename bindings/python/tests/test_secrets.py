"""The API key appears nowhere Python can see it: not in the bytes sent in dynamic mode, nor in
the str/repr of clients, results and every kind of exception (with their tracebacks), nor in the
sandbox's request log, in either password mode."""

from __future__ import annotations

import socket
import threading
import traceback
from collections.abc import Iterator

import pytest
from conftest import SMS_CONTENT, Handler, StartServer, reply

import ihuyi

KEY = "Zq7-secret-api-key-4b1d"


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[bytes]]]:
    """A raw TCP server that records every byte it receives and answers an accepted Submit."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    seen: list[bytes] = []
    body = b"<SubmitResult><code>2</code><msg>ok</msg><smsid>7</smsid></SubmitResult>"
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                conn.settimeout(2)
                try:
                    while b"\r\n\r\n" not in data:
                        data += conn.recv(4096)
                    head, _, rest = data.partition(b"\r\n\r\n")
                    length = next(
                        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")),
                        0,
                    )
                    while len(rest) < length:
                        rest += conn.recv(4096)
                    seen.append(head + b"\r\n\r\n" + rest)
                    conn.sendall(answer)
                except OSError:
                    seen.append(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen
    listener.close()


def shown(value: object) -> str:
    """Everything Python shows of a value: str, repr and, for an exception, its traceback."""
    text = f"{value}\n{value!r}"
    if isinstance(value, BaseException):
        text += "".join(traceback.format_exception(type(value), value, value.__traceback__))
        text += f"{value.args!r} {vars(value)!r}"
    return text


def test_the_wire_bytes_in_dynamic_mode_never_carry_the_key(recorder: tuple[str, list[bytes]]) -> None:
    base_url, seen = recorder
    client = ihuyi.Client(account="C80000001", apikey=KEY, base_url=base_url)
    assert client.send("13800138000", SMS_CONTENT).id == "7"
    assert len(seen) == 1
    assert b"password=" in seen[0]
    assert KEY.encode() not in seen[0]


def test_no_str_repr_or_traceback_shows_the_key(http_server: StartServer, closed_port: int) -> None:
    texts: list[str] = []
    with ihuyi.Sandbox() as sandbox:
        for dynamic in (True, False):
            good = ihuyi.Client(account="C80000001", apikey=KEY, base_url=sandbox.base_url, dynamic_password=dynamic)
            texts += [shown(good)]
            errors: list[BaseException] = []
            for call in (
                lambda: good.send("123", SMS_CONTENT),  # validation
                lambda: good.send("13800138000", SMS_CONTENT),  # api: the sandbox refuses this key
                lambda: good.balance(),  # api
                lambda: ihuyi.Client(account="C80000001", apikey=KEY, base_url=f"http://127.0.0.1:{closed_port}", dynamic_password=dynamic).send(
                    "13800138000", SMS_CONTENT
                ),  # unreachable
                # a server that echoes the request body (plain mode puts the key there) in a 500
                lambda: ihuyi.Client(
                    account="C80000001", apikey=KEY, base_url=http_server(echo), dynamic_password=dynamic
                ).send("13800138000", SMS_CONTENT),
                lambda: ihuyi.Client(account="C80000001", apikey=KEY + "\n", dynamic_password=dynamic),  # validation of the key
                lambda: ihuyi.Client(account="C80000001", apikey=KEY, base_url="ftp://" + KEY),  # a bad URL
            ):
                try:
                    call()
                except ihuyi.IhuyiError as e:
                    errors.append(e)
            kinds = [type(e).__name__ for e in errors]
            assert kinds[:5] == ["ValidationError", "ApiError", "ApiError", "UnreachableError", "OutcomeUnknownError"], kinds
            texts += [shown(e) for e in errors]
            # the sandbox's own key works, and its result shows nothing secret either
            own = sandbox.client("sms", dynamic_password=dynamic)
            texts += [shown(own), shown(own.send("13800138000", SMS_CONTENT))]
        # the request log shows the password only as its length, in both modes
        texts += [shown(r) + repr(r.fields) for r in sandbox.requests()]
        sandbox_key = sandbox.account("sms").apikey
    for text in texts:
        assert KEY not in text, text
        assert sandbox_key not in text, text


def echo(h: Handler) -> None:
    reply(500, b"you sent: " + h.body, "text/plain")(h)
