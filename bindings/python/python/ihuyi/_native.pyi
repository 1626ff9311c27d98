"""Type stubs of the native module ``ihuyi._native`` (import these names from ``ihuyi``)."""

import os
from types import TracebackType
from typing import Literal, Optional, Union, final

__all__ = [
    "__version__",
    "ACK_BODY",
    "Client",
    "SendResult",
    "Sandbox",
    "SandboxAccount",
    "LoggedRequest",
    "Receipt",
    "parse_receipt",
    "dynamic_password",
    "interpret_answer",
    "Estimate",
    "EstimateWarning",
    "FrequencyGuard",
    "estimate",
    "normalize_mobile",
    "Ledger",
]

__version__: str
ACK_BODY: str
"""The body that acknowledges a receipt push: ``"success"``."""

@final
class Client:
    """A client for one ihuyi product with that product's APIID/APIKEY.

    Immutable and thread-safe: build one per product and share it. The GIL is released while
    it waits on the network. ``repr()`` never shows the key.
    """

    def __new__(
        cls,
        product: str = "sms",
        account: Optional[str] = None,
        apikey: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = 10.0,
        format: str = "xml",
        dynamic_password: bool = True,
        *,
        strict_mobile: bool = False,
        frequency_guard: Optional[FrequencyGuard] = None,
    ) -> Client: ...
    def send(self, mobile: str, content: str) -> SendResult:
        """Sends ``content`` to ``mobile``; never retried automatically.

        Raises ValidationError, ApiError, UnreachableError or OutcomeUnknownError.
        """
    def balance(self) -> int:
        """The remaining balance of this product's account."""
    @property
    def product(self) -> str:
        """``"sms"``, ``"voice"`` or ``"isms"``."""
    @property
    def account(self) -> str:
        """The APIID."""
    @property
    def base_url(self) -> Optional[str]:
        """The origin override, or ``None`` for the vendor's host."""
    @property
    def url(self) -> str:
        """The full URL a send goes to."""
    @property
    def timeout(self) -> float:
        """Seconds allowed for each phase of a request."""
    @property
    def format(self) -> str:
        """``"xml"`` or ``"json"``."""
    @property
    def dynamic_password(self) -> bool:
        """``True`` when requests carry the MD5 dynamic password instead of the key."""
    @property
    def strict_mobile(self) -> bool:
        """``True`` when a mobile not in the API's form is refused instead of normalized."""
    @property
    def frequency_guard(self) -> Optional[FrequencyGuard]:
        """The local frequency guard consulted before each send, or ``None``."""

@final
class SendResult:
    """An accepted send: immutable, hashable, picklable."""

    def __new__(cls, id: str, code: int, msg: str, product: str) -> SendResult: ...
    @property
    def id(self) -> str:
        """The message id: up to 20 digits, kept as a string."""
    @property
    def code(self) -> int:
        """The result code (2)."""
    @property
    def msg(self) -> str:
        """The server's message."""
    @property
    def product(self) -> str:
        """``"sms"``, ``"voice"`` or ``"isms"``."""
    def __getnewargs__(self) -> tuple[str, int, str, str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Receipt:
    """A delivery receipt pushed by the platform."""

    @property
    def product(self) -> Optional[str]:
        """``"sms"``, ``"voice"``, ``"isms"``, or ``None`` for a generic id field."""
    @property
    def id(self) -> str:
        """The message id the send returned."""
    @property
    def code(self) -> Optional[int]:
        """The delivery code (2 is delivered), or ``None``."""
    @property
    def delivered(self) -> bool:
        """``True`` when ``code == 2``."""
    @property
    def msg(self) -> str:
        """The platform's description."""
    @property
    def mobile(self) -> str:
        """The recipient."""
    @property
    def time(self) -> str:
        """When it was reported, as sent."""
    @property
    def fields(self) -> list[tuple[str, str]]:
        """Every field of the push, in order."""
    def field(self, name: str) -> Optional[str]:
        """The value of the first field called ``name``."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class SandboxAccount:
    """An account the in-process sandbox knows."""

    @property
    def product(self) -> str:
        """``"sms"``, ``"voice"`` or ``"isms"``."""
    @property
    def account(self) -> str:
        """The APIID."""
    @property
    def apikey(self) -> str:
        """The APIKEY."""
    @property
    def balance(self) -> int:
        """The balance when this object was made."""

@final
class LoggedRequest:
    """One request as the sandbox saw it (the password shown only as its length)."""

    @property
    def seq(self) -> int:
        """Arrival order, from 1."""
    @property
    def unix_time(self) -> int:
        """Arrival time, Unix seconds."""
    @property
    def product(self) -> Optional[str]:
        """The product whose path was called."""
    @property
    def method(self) -> str:
        """The ``method`` query value."""
    @property
    def http_method(self) -> str:
        """``POST`` or ``GET``."""
    @property
    def path(self) -> str:
        """The path requested."""
    @property
    def fields(self) -> list[tuple[str, str]]:
        """The query and body fields, in order."""
    @property
    def code(self) -> Optional[int]:
        """The result code answered."""
    @property
    def id(self) -> Optional[str]:
        """The message id answered to an accepted send."""
    def field(self, name: str) -> Optional[str]:
        """The value of the first field called ``name``."""

@final
class Sandbox:
    """A local ihuyi server in this process; a context manager that stops it on exit."""

    def __new__(cls, port: int = 0) -> Sandbox: ...
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
    @property
    def is_running(self) -> bool:
        """``True`` until :meth:`stop`."""
    @property
    def accounts(self) -> dict[str, SandboxAccount]:
        """The accounts by product name, with current balances."""
    def account(self, product: str = "sms") -> SandboxAccount:
        """The account of one product."""
    def client(
        self,
        product: str = "sms",
        timeout: float = 10.0,
        format: str = "xml",
        dynamic_password: bool = True,
        *,
        strict_mobile: bool = False,
        frequency_guard: Optional[FrequencyGuard] = None,
    ) -> Client:
        """A client for ``product`` pointed at this sandbox."""
    def requests(self) -> list[LoggedRequest]:
        """Every request received so far, oldest first."""
    def reset(self) -> None:
        """Forgets the log and restores the starting balances."""
    def stop(self) -> None:
        """Stops the server (idempotent)."""
    def __enter__(self) -> Sandbox: ...
    def __exit__(
        self,
        exc_type: Optional[type[BaseException]] = None,
        exc_value: Optional[BaseException] = None,
        traceback: Optional[TracebackType] = None,
        /,
    ) -> Literal[False]: ...

def parse_receipt(body: Union[bytes, bytearray, str]) -> Receipt:
    """Parses a delivery receipt push body; raises ValidationError when it is not one."""

def dynamic_password(
    account: str,
    apikey: str,
    time: int,
    mobile: Optional[str] = None,
    content: Optional[str] = None,
) -> str:
    """The MD5 dynamic password of a send (mobile and content given) or a balance query."""

def interpret_answer(
    product: str, method: str, status: int, body: Union[bytes, bytearray, str]
) -> Union[SendResult, int]:
    """What an HTTP answer means, as the client decides it: a SendResult (Submit), an int
    (GetNum), or the exception the client would raise."""

@final
class EstimateWarning:
    """Something the platform would refuse (``code`` set) or that deserves attention."""

    @property
    def kind(self) -> str:
        """``"too_long"``, ``"emoji"``, ``"signature_missing"``, ..."""
    @property
    def code(self) -> Optional[int]:
        """The result code the platform would answer, or ``None``."""
    @property
    def vendor_message(self) -> Optional[str]:
        """The vendor's message for that code, or ``None``."""
    @property
    def message(self) -> str:
        """What was found, in English."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Estimate:
    """Characters, billed segments and warnings of a message, before sending it."""

    @property
    def product(self) -> str:
        """``"sms"``, ``"voice"`` or ``"isms"``."""
    @property
    def message(self) -> str:
        """The text that would be sent, signature included."""
    @property
    def characters(self) -> int:
        """Characters as the vendor counts them."""
    @property
    def utf16_units(self) -> int:
        """UTF-16 code units."""
    @property
    def segments(self) -> int:
        """Billed segments."""
    @property
    def rule(self) -> Optional[str]:
        """``"70/67"`` or ``"70/66"``; ``None`` for voice codes."""
    @property
    def signature_added(self) -> bool:
        """Whether the given signature was appended."""
    @property
    def warnings(self) -> list[EstimateWarning]:
        """What the platform would refuse or might count differently."""
    @property
    def acceptable(self) -> bool:
        """``True`` when no warning names a result code."""

@final
class FrequencyGuard:
    """A local guard against the platform's frequency limits (4080, 4082, 4085)."""

    def __new__(
        cls,
        per_second: Optional[int] = 1,
        per_day: Optional[int] = 5,
        codes_per_day: Optional[int] = 5,
        day_offset: int = 28800,
    ) -> FrequencyGuard: ...
    @property
    def per_second(self) -> Optional[int]:
        """Sends per number in one second, or ``None``."""
    @property
    def per_day(self) -> Optional[int]:
        """Sends per number per day, or ``None``."""
    @property
    def codes_per_day(self) -> Optional[int]:
        """Verification codes per number per day, or ``None``."""
    @property
    def day_offset(self) -> int:
        """Seconds east of UTC where a day starts."""

def estimate(
    product: str, content: str, signature: Optional[str] = None, rule: Optional[str] = None
) -> Estimate:
    """Characters, billed segments and warnings of ``content`` for ``product``."""

def normalize_mobile(product: str, mobile: str) -> str:
    """The number in the form the API of ``product`` accepts; raises ValidationError."""

@final
class Ledger:
    """An idempotency ledger (SQLite): sends a message at most once per key."""

    def __new__(cls, path: Union[str, os.PathLike[str]]) -> Ledger: ...
    def send_once(
        self, client: Client, key: str, mobile: str, content: str, *, resend_unknown: bool = False
    ) -> SendResult:
        """Sends at most once for ``key``; a repeat returns what is stored without a request."""
    def resolve(self, key: str, *, sent: bool, id: Optional[str] = None) -> None:
        """Settles a key whose outcome is unknown as sent or not sent."""
    def state(self, key: str) -> Optional[str]:
        """``in_flight``, ``accepted``, ``refused``, ``unknown``, ``not_sent``, or ``None``."""
    @property
    def path(self) -> str:
        """The database file."""
