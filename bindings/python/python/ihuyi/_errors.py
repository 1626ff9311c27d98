"""The exceptions of the ihuyi SDK: one hierarchy, mirroring the core's four kinds.

The native module raises these (the mapping from the Rust core's errors lives in one place,
``bindings/python/src/errors.rs``). Their messages never contain the API key.

Every exception pickles and unpickles with its attributes, so it can cross process boundaries
(Celery results, ``multiprocessing``).
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "IhuyiError",
    "ValidationError",
    "ApiError",
    "UnreachableError",
    "OutcomeUnknownError",
    "LedgerConflictError",
    "LedgerStorageError",
]


class IhuyiError(Exception):
    """Base class of every error the SDK raises.

    ``str(error)`` is a complete, human-readable message; the attributes of each subclass carry
    the same facts for programs.

    Attributes:
        key: The idempotency key, for errors raised by :meth:`Ledger.send_once`; else ``None``.
    """

    key: Optional[str] = None

    def __init__(self, message: str) -> None:
        super().__init__(message)

    @property
    def message(self) -> str:
        """The message, as ``str(error)``."""
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[object, ...]:
        # The subclasses take their attributes as keyword arguments with defaults, so
        # ``cls(message)`` and then restoring ``__dict__`` rebuilds them exactly.
        return (self.__class__, (self.message,), dict(self.__dict__))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ValidationError(IhuyiError, ValueError):
    """Bad input caught locally: nothing was sent.

    Attributes:
        field: The offending field (``mobile``, ``content``, ``account``, ``apikey``,
            ``base_url``, ``product``, ``format``, ``timeout``, ``body``, ...).
    """

    field: str

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ApiError(IhuyiError):
    """The server answered and refused, with a result code other than 2.

    Attributes:
        code: The vendor's result code (kept even when it is not in the catalogue).
        msg: The vendor's message, as sent.
        kind: Our class for the code: ``auth``, ``account``, ``balance``, ``content``,
            ``input``, ``recipient``, ``frequency``, ``server`` or ``unknown``.
        product: ``sms``, ``voice`` or ``isms``.
        method: ``Submit`` or ``GetNum``.
    """

    code: int
    msg: str
    kind: str
    product: str
    method: str

    def __init__(
        self,
        message: str,
        code: int = 0,
        msg: str = "",
        kind: str = "unknown",
        product: str = "",
        method: str = "",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.msg = msg
        self.kind = kind
        self.product = product
        self.method = method


class UnreachableError(IhuyiError):
    """Nothing can have reached the server (DNS, refused connection, TLS): safe to retry.

    Attributes:
        url: The URL that was tried (it never carries credentials).
    """

    url: str

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class OutcomeUnknownError(IhuyiError):
    """The request may have been processed: a timeout or lost connection after it was written,
    an HTTP status other than 200, or an answer that is not the API's.

    The SDK never resends on its own: resending may text the recipient twice. Decide yourself,
    for example by checking delivery receipts first.

    Attributes:
        url: The URL that was called (it never carries credentials).
        reason: ``timeout``, ``connection_lost``, ``http_status`` or ``unparseable_body``; or
            ``unresolved`` from :meth:`Ledger.send_once`: an earlier attempt with ``key`` may
            have been sent and was never resolved (nothing was sent now).
        status: The HTTP status when ``reason`` is ``http_status``, else ``None``.
    """

    url: str
    reason: str
    status: Optional[int]

    def __init__(
        self,
        message: str,
        url: str = "",
        reason: str = "",
        status: Optional[int] = None,
        key: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason
        self.status = status
        self.key = key


class LedgerConflictError(IhuyiError, ValueError):
    """A ledger key already stands for another message (another product, account, mobile or
    content), or cannot be resolved the way asked. Nothing was sent.

    Attributes:
        key: The idempotency key.
        field: What differs (``product``, ``account``, ``mobile``, ``content``), or ``state``
            for a refused resolution.
    """

    field: str

    def __init__(self, message: str, key: Optional[str] = None, field: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.field = field


class LedgerStorageError(IhuyiError, OSError):
    """The ledger's database failed (cannot open, read or write). When it failed before the
    request, nothing was sent.

    Attributes:
        key: The idempotency key concerned, if any.
    """

    def __init__(self, message: str, key: Optional[str] = None) -> None:
        IhuyiError.__init__(self, message)
        self.key = key
