"""ihuyi: the SDK for the ihuyi (互亿无线) messaging API.

Domestic SMS (``sms``), voice verification codes (``voice``) and international SMS (``isms``),
over the libihuyi Rust core: validation, signing, pooled HTTP and parsing all happen in native
code, with the GIL released while waiting on the network.

Send a verification code::

    import ihuyi

    client = ihuyi.Client("sms")  # account and key from IHUYI_ACCOUNT / IHUYI_APIKEY
    try:
        sent = client.send("13800138000", "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】")
        print("accepted as", sent.id)
    except ihuyi.ApiError as e:          # refused: e.code, e.msg, e.kind ("auth", "balance", ...)
        ...
    except ihuyi.OutcomeUnknownError:    # maybe sent: never resend blindly
        ...

Try it without an account with :class:`Sandbox`, a local ihuyi server in this process.
"""

from __future__ import annotations

from ._errors import (
    ApiError,
    IhuyiError,
    LedgerConflictError,
    LedgerStorageError,
    OutcomeUnknownError,
    UnreachableError,
    ValidationError,
)
from ._native import (
    ACK_BODY,
    Client,
    Estimate,
    EstimateWarning,
    FrequencyGuard,
    Ledger,
    LoggedRequest,
    Receipt,
    Sandbox,
    SandboxAccount,
    SendResult,
    __version__,
    dynamic_password,
    estimate,
    interpret_answer,
    normalize_mobile,
    parse_receipt,
)

__all__ = [
    "ACK_BODY",
    "ApiError",
    "Client",
    "Estimate",
    "EstimateWarning",
    "FrequencyGuard",
    "IhuyiError",
    "Ledger",
    "LedgerConflictError",
    "LedgerStorageError",
    "LoggedRequest",
    "OutcomeUnknownError",
    "Receipt",
    "Sandbox",
    "SandboxAccount",
    "SendResult",
    "UnreachableError",
    "ValidationError",
    "__version__",
    "dynamic_password",
    "estimate",
    "interpret_answer",
    "normalize_mobile",
    "parse_receipt",
]
