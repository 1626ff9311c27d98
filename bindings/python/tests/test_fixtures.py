"""The shared test vectors of tests/fixtures/, run through the core's own functions: the same
cases every language's suite checks."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import load_fixture

import ihuyi

SIGNING = load_fixture("signing")
RESPONSES = load_fixture("responses")
RECEIPTS = load_fixture("receipts")


def names(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


@pytest.mark.parametrize("case", SIGNING, ids=names(SIGNING))
def test_signing(case: dict[str, Any]) -> None:
    if case["method"] == "Submit":
        password = ihuyi.dynamic_password(
            case["account"], case["apikey"], case["time"], mobile=case["mobile"], content=case["content"]
        )
    else:
        assert case["method"] == "GetNum"
        password = ihuyi.dynamic_password(case["account"], case["apikey"], case["time"])
    assert password == case["password"]


def test_dynamic_password_refuses_half_a_send() -> None:
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.dynamic_password("a", "k", 1, mobile="13800138000")
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.dynamic_password("a", "k", -1)


@pytest.mark.parametrize("case", RESPONSES, ids=names(RESPONSES))
def test_responses(case: dict[str, Any]) -> None:
    expect = case["expect"]
    body = case["body"].encode("utf-8")

    def interpret() -> Any:
        return ihuyi.interpret_answer(case["product"], case["method"], case["status"], body)

    if expect["outcome"] == "ok":
        result = interpret()
        if case["method"] == "Submit":
            assert isinstance(result, ihuyi.SendResult)
            assert (result.id, result.code, result.msg, result.product) == (
                expect["id"],
                expect["code"],
                expect["msg"],
                case["product"],
            )
        else:
            assert result == expect["num"] and isinstance(result, int)
    elif expect["outcome"] == "api":
        with pytest.raises(ihuyi.ApiError) as caught:
            interpret()
        error = caught.value
        assert (error.code, error.msg, error.kind) == (expect["code"], expect["msg"], expect["class"])
        assert (error.product, error.method) == (case["product"], case["method"])
    else:
        assert expect["outcome"] == "outcome_unknown"
        with pytest.raises(ihuyi.OutcomeUnknownError) as unknown:
            interpret()
        if case["status"] == 200:
            assert (unknown.value.reason, unknown.value.status) == ("unparseable_body", None)
        else:
            assert (unknown.value.reason, unknown.value.status) == ("http_status", case["status"])


def test_interpret_answer_takes_str_and_refuses_unknown_names() -> None:
    assert ihuyi.interpret_answer("voice", "GetNum", 200, '{"code":2,"msg":"查询成功","num":7}') == 7
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.interpret_answer("sms", "Delete", 200, b"")
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.interpret_answer("fax", "Submit", 200, b"")


@pytest.mark.parametrize("case", RECEIPTS, ids=names(RECEIPTS))
@pytest.mark.parametrize("as_text", [False, True], ids=["bytes", "str"])
def test_receipts(case: dict[str, Any], as_text: bool) -> None:
    expect = case["expect"]
    body = case["body"] if as_text else case["body"].encode("utf-8")
    if not expect["ok"]:
        with pytest.raises(ihuyi.ValidationError) as caught:
            ihuyi.parse_receipt(body)
        assert caught.value.field == "body"
        return
    receipt = ihuyi.parse_receipt(body)
    for name in ("product", "id", "code", "delivered", "mobile", "time", "msg"):
        assert getattr(receipt, name) == expect[name], name
    for name, value in expect.get("extra", {}).items():
        assert receipt.field(name) == value
    assert receipt.field("no-such-field") is None
    assert receipt == ihuyi.parse_receipt(body)


def test_receipt_from_a_json_push_and_a_bytearray() -> None:
    receipt = ihuyi.parse_receipt(bytearray(b'{"voiceid":"9","code":2,"msg":"ok","mobile":"13912345678"}'))
    assert (receipt.product, receipt.id, receipt.delivered, receipt.mobile) == ("voice", "9", True, "13912345678")
    assert ihuyi.ACK_BODY == "success"
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.parse_receipt(b"smsid=1&" + b"x" * 100_000)
