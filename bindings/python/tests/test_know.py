"""Knowing before sending: the estimate and normalization against the shared fixtures
(tests/fixtures/estimate.json, normalize.json), strict numbers, and the frequency guard refusing
before the sandbox would."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import SMS_CONTENT, load_fixture

import ihuyi

ESTIMATES = load_fixture("estimate")
NORMALIZE = load_fixture("normalize")


@pytest.mark.parametrize("case", ESTIMATES, ids=[c["name"] for c in ESTIMATES])
def test_estimate_fixture(case: dict[str, Any]) -> None:
    e = ihuyi.estimate(case["product"], case["content"], case["signature"], rule=case["rule"])
    want = case["expected"]
    assert (e.message, e.characters, e.segments) == (want["message"], want["characters"], want["segments"])
    assert Counter(w.kind for w in e.warnings) == Counter(want["kinds"])
    assert Counter(w.code for w in e.warnings) == Counter(want["codes"])
    assert e.rule == (None if case["product"] == "voice" else case["rule"])
    assert e.acceptable == all(code is None for code in want["codes"])
    for w in e.warnings:
        assert w.message
        assert (w.vendor_message is None) == (w.code is None)


def test_estimate_arguments() -> None:
    e = ihuyi.estimate("sms", "您的验证码是:1234。", "互亿无线")
    assert e.signature_added and e.message.endswith("【互亿无线】") and e.acceptable
    assert e.product == "sms" and e.utf16_units == e.characters
    assert "Estimate(" in repr(e)
    with pytest.raises(ihuyi.ValidationError) as info:
        ihuyi.estimate("sms", "x", rule="70/65")
    assert info.value.field == "rule"
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.estimate("fax", "x")
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.estimate("sms", "\ud800")
    with pytest.raises(TypeError):
        ihuyi.estimate("sms", 42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "case", NORMALIZE, ids=[f"{c['product']} {c['input']!r}" for c in NORMALIZE]
)
def test_normalize_fixture(case: dict[str, Any]) -> None:
    if "expected" in case:
        assert ihuyi.normalize_mobile(case["product"], case["input"]) == case["expected"]
    else:
        error = case["error"]
        assert error["kind"] == "validation"
        with pytest.raises(ihuyi.ValidationError) as info:
            ihuyi.normalize_mobile(case["product"], case["input"])
        assert info.value.field == error["field"]
        assert error["contains"] in str(info.value)


def test_send_normalizes_unless_strict(sandbox: ihuyi.Sandbox) -> None:
    loose = sandbox.client("sms")
    strict = sandbox.client("sms", strict_mobile=True)
    assert not loose.strict_mobile and strict.strict_mobile
    before = len(sandbox.requests())
    loose.send("+86 138-0013-8444", SMS_CONTENT)
    assert sandbox.requests()[-1].field("mobile") == "13800138444"
    with pytest.raises(ihuyi.ValidationError) as info:
        strict.send("+86 138-0013-8444", SMS_CONTENT)
    assert info.value.field == "mobile" and "13800138444" in str(info.value)
    assert len(sandbox.requests()) == before + 1
    strict.send("13800138444", SMS_CONTENT)
    assert len(sandbox.requests()) == before + 2


def test_frequency_guard_values() -> None:
    guard = ihuyi.FrequencyGuard()
    assert (guard.per_second, guard.per_day, guard.codes_per_day, guard.day_offset) == (1, 5, 5, 28800)
    off = ihuyi.FrequencyGuard(per_second=None, per_day=3, codes_per_day=None, day_offset=0)
    assert (off.per_second, off.per_day, off.codes_per_day) == (None, 3, None)
    assert "per_day=3" in repr(off)
    with pytest.raises(ihuyi.ValidationError) as info:
        ihuyi.FrequencyGuard(per_day=-1)
    assert info.value.field == "per_day"
    with pytest.raises(ihuyi.ValidationError):
        ihuyi.FrequencyGuard(day_offset=10**6)


def test_frequency_guard_refuses_locally(sandbox: ihuyi.Sandbox) -> None:
    guard = ihuyi.FrequencyGuard(per_second=None, per_day=2, codes_per_day=None)
    a = sandbox.client("sms", frequency_guard=guard)
    b = ihuyi.Client(
        "sms",
        sandbox.account("sms").account,
        sandbox.account("sms").apikey,
        base_url=sandbox.base_url,
        frequency_guard=guard,
    )
    assert a.frequency_guard is guard
    before = len(sandbox.requests())
    a.send("13800138555", SMS_CONTENT)
    b.send("13800138555", SMS_CONTENT)
    # The third send to the number, through either client, is refused before any request.
    for client, mobile in ((a, "13800138555"), (b, "+86 138 0013 8555")):
        with pytest.raises(ihuyi.ValidationError) as info:
            client.send(mobile, SMS_CONTENT)
        assert info.value.field == "frequency"
        assert "4082" in str(info.value)
    b.send("13800138556", SMS_CONTENT)  # another number is not affected
    log = sandbox.requests()[before:]
    assert [r.field("mobile") for r in log] == ["13800138555", "13800138555", "13800138556"]
    assert all(r.code == 2 for r in log)


def test_frequency_guard_counts_codes_per_day(sandbox: ihuyi.Sandbox) -> None:
    guard = ihuyi.FrequencyGuard(per_second=None, per_day=None, codes_per_day=1)
    client = sandbox.client("sms", frequency_guard=guard)
    before = len(sandbox.requests())
    client.send("13800138666", SMS_CONTENT)  # a verification code
    client.send("13800138666", "您的订单已发货,请注意查收。【互亿无线】")  # not one
    with pytest.raises(ihuyi.ValidationError) as info:
        client.send("13800138666", SMS_CONTENT)
    assert "4085" in str(info.value)
    assert len(sandbox.requests()) == before + 2
