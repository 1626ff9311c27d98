"""A short run through the binding for scripts/test-leaks.sh (under valgrind): a sandbox, sends
and balances in both password modes and formats, every error kind, receipts, the pure helpers,
and objects dropped along the way. Exits non-zero if anything behaves unexpectedly."""

from __future__ import annotations

import gc
import socket

import ihuyi

SMS = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】"


def expect(error: type[BaseException], call: object) -> None:
    try:
        call()  # type: ignore[operator]
    except error as e:
        str(e), repr(e)
        return
    raise AssertionError(f"expected {error.__name__}")


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with ihuyi.Sandbox() as sandbox:
        for dynamic in (True, False):
            for fmt in ("xml", "json"):
                client = sandbox.client("sms", format=fmt, dynamic_password=dynamic)
                for _ in range(3):
                    result = client.send("13800138000", SMS)
                    assert len(result.id) == 20, result
                    repr(result), hash(result)
                assert client.balance() > 0
                repr(client)
        voice = sandbox.client("voice")
        voice.send("13912345678", "482193")
        isms = sandbox.client("isms")
        isms.send("63 9171234567", "Your code is 5512")
        assert len(sandbox.requests()) == 18
        [r.fields for r in sandbox.requests()]
        sandbox.accounts
        bad = ihuyi.Client(account="C80000001", apikey="wrong", base_url=sandbox.base_url)
        expect(ihuyi.ApiError, lambda: bad.send("13800138000", SMS))
        expect(ihuyi.ApiError, bad.balance)
        expect(ihuyi.ValidationError, lambda: bad.send("123", SMS))
        expect(ihuyi.ValidationError, lambda: bad.send("13800138000", "\ud800"))
        expect(ihuyi.ValidationError, lambda: ihuyi.Client(product="mms", account="a", apikey="k"))
        expect(ihuyi.UnreachableError, lambda: ihuyi.Client(account="a", apikey="k", base_url=f"http://127.0.0.1:{closed}", timeout=2).send("13800138000", SMS))
        sandbox.reset()
    receipt = ihuyi.parse_receipt("code=2&msg=DELIVRD&mobilephone=13800138000&smsid=14942311123456789012&report_time=2026-11-23 10:00:00")
    assert receipt.delivered and receipt.id == "14942311123456789012"
    expect(ihuyi.ValidationError, lambda: ihuyi.parse_receipt(b"\xff\xfe garbage"))
    assert len(ihuyi.dynamic_password("C80000001", "k", 1700000000, "13800138000", SMS)) == 32
    expect(ihuyi.OutcomeUnknownError, lambda: ihuyi.interpret_answer("sms", "Submit", 500, b"<html>"))
    assert ihuyi.interpret_answer("sms", "GetNum", 200, b"<GetNumResult><code>2</code><msg>ok</msg><num>5</num></GetNumResult>") == 5
    gc.collect()
    print("exercise: ok")


if __name__ == "__main__":
    main()
