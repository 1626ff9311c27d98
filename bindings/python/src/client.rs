//! `ihuyi.Client` and `ihuyi.SendResult`.

use std::time::Duration;

use ihuyi::client::{ENV_ACCOUNT, ENV_APIKEY, ENV_BASE_URL};
use ihuyi::{ApiKey, Format, PasswordMode, Product, Timeouts};
use pyo3::prelude::*;

use crate::convert;
use crate::errors;
use crate::know::FrequencyGuard;

/// The longest timeout accepted, in seconds.
const MAX_TIMEOUT_SECONDS: f64 = 3600.0;

/// A client for one ihuyi product (``sms``, ``voice`` or ``isms``) with that product's
/// APIID/APIKEY.
///
/// Build one per product and share it: it is immutable, thread-safe, keeps a pool of keep-alive
/// connections, and releases the GIL while it waits on the network.
///
/// Args:
///     product: ``"sms"`` (domestic SMS), ``"voice"`` (voice verification code) or ``"isms"``
///         (international SMS).
///     account: The APIID; defaults to the ``IHUYI_ACCOUNT`` environment variable.
///     apikey: The APIKEY; defaults to ``IHUYI_APIKEY``. It is never shown by ``repr()``,
///         in exceptions or in logs.
///     base_url: Replaces the vendor's origin (``scheme://host[:port]``), for example a
///         :class:`Sandbox`'s ``base_url``; defaults to ``IHUYI_BASE_URL``, else the vendor's
///         ``https://`` host.
///     timeout: Seconds allowed for each phase (connect, send, answer).
///     format: The answer format asked of the server, ``"xml"`` or ``"json"``.
///     dynamic_password: Sign each request with the MD5 dynamic password (the key never
///         travels); ``False`` sends the key itself in the form body.
///     strict_mobile: Refuse (:class:`ValidationError`) a mobile that is not already in the
///         API's form instead of normalizing it (by default ``"+86 138-0013-8000"`` is sent as
///         ``"13800138000"``, see :func:`normalize_mobile`).
///     frequency_guard: A :class:`FrequencyGuard` that refuses locally the sends the platform
///         would refuse for frequency (4080, 4082, 4085); ``None`` (the default): no guard.
///
/// Raises:
///     ValidationError: A missing or malformed argument.
#[pyclass(frozen, module = "ihuyi._native", name = "Client")]
pub struct Client {
    inner: ihuyi::Client,
    account: String,
    base_url: Option<String>,
    timeout: f64,
    strict_mobile: bool,
    frequency_guard: Option<Py<FrequencyGuard>>,
    /// The sandbox a `Sandbox.client()` client talks to, kept alive as long as the client:
    /// `ihuyi.Sandbox().client()` must not hand out a client of a server already gone.
    sandbox: Option<Py<PyAny>>,
}

impl Client {
    /// The core client, for the ledger.
    pub fn core(&self) -> &ihuyi::Client {
        &self.inner
    }

    /// Keeps `sandbox` alive as long as this client.
    pub fn keep_alive(mut self, sandbox: Py<PyAny>) -> Client {
        self.sandbox = Some(sandbox);
        self
    }

    /// Builds a client from Python arguments (shared by `Client(...)` and `Sandbox.client`).
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        py: Python<'_>,
        product: Option<&Bound<'_, PyAny>>,
        account: Option<&Bound<'_, PyAny>>,
        apikey: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        timeout: f64,
        format: Option<&Bound<'_, PyAny>>,
        dynamic_password: bool,
        strict_mobile: bool,
        frequency_guard: Option<Bound<'_, FrequencyGuard>>,
    ) -> PyResult<Client> {
        let product = parse_product(py, product)?;
        let format = match convert::optional_text(format, "format")? {
            None => Format::Xml,
            Some(name) => name
                .parse::<Format>()
                .map_err(|why| errors::validation(py, "format", why))?,
        };
        if !(timeout.is_finite() && timeout > 0.0 && timeout <= MAX_TIMEOUT_SECONDS) {
            return Err(errors::validation(
                py,
                "timeout",
                format!("must be a number of seconds in (0, {MAX_TIMEOUT_SECONDS}]"),
            ));
        }
        let account = convert::optional_text(account, "account")?
            .or_else(|| env(ENV_ACCOUNT))
            .ok_or_else(|| missing(py, "account", ENV_ACCOUNT))?;
        let apikey = convert::optional_text(apikey, "apikey")?
            .or_else(|| env(ENV_APIKEY))
            .map(ApiKey::new)
            .ok_or_else(|| missing(py, "apikey", ENV_APIKEY))?;
        let base_url = convert::optional_text(base_url, "base_url")?.or_else(|| env(ENV_BASE_URL));
        let mut builder = ihuyi::Client::builder(product)
            .account(account.as_str())
            .apikey(apikey)
            .format(format)
            .password_mode(if dynamic_password {
                PasswordMode::Dynamic
            } else {
                PasswordMode::Plain
            })
            .timeouts(Timeouts::uniform(Duration::from_secs_f64(timeout)));
        if let Some(base_url) = &base_url {
            builder = builder.base_url(base_url.as_str());
        }
        if let Some(guard) = &frequency_guard {
            // A clone shares the counts with every other client given this guard.
            builder = builder.frequency_guard(guard.get().inner.clone());
        }
        let inner = builder.strict_mobile(strict_mobile);
        let inner = inner.build().map_err(|e| errors::to_py(py, e))?;
        Ok(Client {
            inner,
            account,
            base_url,
            timeout,
            strict_mobile,
            frequency_guard: frequency_guard.map(Bound::unbind),
            sandbox: None,
        })
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        product = None,
        account = None,
        apikey = None,
        base_url = None,
        timeout = 10.0,
        format = None,
        dynamic_password = true,
        *,
        strict_mobile = false,
        frequency_guard = None,
    ))]
    #[pyo3(
        text_signature = "(product='sms', account=None, apikey=None, base_url=None, timeout=10.0, format='xml', dynamic_password=True, *, strict_mobile=False, frequency_guard=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        product: Option<&Bound<'_, PyAny>>,
        account: Option<&Bound<'_, PyAny>>,
        apikey: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        timeout: f64,
        format: Option<&Bound<'_, PyAny>>,
        dynamic_password: bool,
        strict_mobile: bool,
        frequency_guard: Option<Bound<'_, FrequencyGuard>>,
    ) -> PyResult<Client> {
        Client::create(
            py,
            product,
            account,
            apikey,
            base_url,
            timeout,
            format,
            dynamic_password,
            strict_mobile,
            frequency_guard,
        )
    }

    /// Sends ``content`` to ``mobile`` and returns the accepted message.
    ///
    /// The input is validated locally first (nothing is sent when it is wrong). A send is
    /// **never retried** by the SDK: on :class:`OutcomeUnknownError` the message may or may not
    /// have gone out, and resending is your decision.
    ///
    /// Args:
    ///     mobile: A mainland number (``13800138000``) for ``sms`` and ``voice``; ``"<country
    ///         code> <number>"`` with one space (``"63 9171234567"``) for ``isms``.
    ///     content: The message text (``sms``, ``isms``) or the 4-6 digit code (``voice``).
    ///
    /// Returns:
    ///     SendResult: the message id and the server's code and message.
    ///
    /// Raises:
    ///     ValidationError: Bad mobile or content; nothing was sent.
    ///     ApiError: The server refused (``.code``, ``.msg``, ``.kind``).
    ///     UnreachableError: Nothing can have reached the server.
    ///     OutcomeUnknownError: The message may have been sent.
    fn send(
        &self,
        py: Python<'_>,
        mobile: &Bound<'_, PyAny>,
        content: &Bound<'_, PyAny>,
    ) -> PyResult<SendResult> {
        let mobile = convert::text(mobile, "mobile")?;
        let content = convert::text(content, "content")?;
        let sent = py
            .detach(|| self.inner.send(&mobile, &content))
            .map_err(|e| errors::to_py(py, e))?;
        Ok(SendResult::from_core(sent))
    }

    /// Asks the server for the remaining balance (剩余条数) of this product's account.
    ///
    /// Returns:
    ///     int: the number of messages (or calls) left.
    ///
    /// Raises:
    ///     ApiError: The server refused (for example ``kind == "auth"``: wrong account or key).
    ///     UnreachableError: Nothing can have reached the server.
    ///     OutcomeUnknownError: No usable answer.
    fn balance(&self, py: Python<'_>) -> PyResult<i64> {
        let balance = py
            .detach(|| self.inner.balance())
            .map_err(|e| errors::to_py(py, e))?;
        Ok(balance.num)
    }

    /// The product this client serves: ``"sms"``, ``"voice"`` or ``"isms"``.
    #[getter]
    fn product(&self) -> &'static str {
        self.inner.product().name()
    }

    /// The APIID.
    #[getter]
    fn account(&self) -> &str {
        &self.account
    }

    /// The origin override (``scheme://host[:port]``), or ``None`` for the vendor's host.
    #[getter]
    fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The full URL a send goes to (it never carries credentials).
    #[getter]
    fn url(&self) -> &str {
        self.inner.config().url(ihuyi::ApiMethod::Submit)
    }

    /// Seconds allowed for each phase of a request.
    #[getter]
    fn timeout(&self) -> f64 {
        self.timeout
    }

    /// The answer format asked of the server: ``"xml"`` or ``"json"``.
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.config().format().as_str()
    }

    /// ``True`` when requests are signed with the dynamic password (the key never travels).
    #[getter]
    fn dynamic_password(&self) -> bool {
        self.inner.config().password_mode() == PasswordMode::Dynamic
    }

    /// ``True`` when a mobile not already in the API's form is refused instead of normalized.
    #[getter]
    fn strict_mobile(&self) -> bool {
        self.strict_mobile
    }

    /// The :class:`FrequencyGuard` consulted before each send, or ``None``.
    #[getter]
    fn frequency_guard(&self, py: Python<'_>) -> Option<Py<FrequencyGuard>> {
        self.frequency_guard.as_ref().map(|g| g.clone_ref(py))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        // The key is deliberately absent.
        format!(
            "Client(product={}, account={}, url={}, format={}, dynamic_password={})",
            convert::repr(py, self.product()),
            convert::repr(py, &self.account),
            convert::repr(py, self.url()),
            convert::repr(py, self.format()),
            convert::py_bool(self.dynamic_password()),
        )
    }
}

/// An accepted send: the message id (流水号) and the server's answer.
///
/// Immutable, hashable, comparable, and picklable.
///
/// Attributes:
///     id: The message id, a string of up to 20 digits (it may exceed 64 bits: never convert it
///         to an int). Delivery receipts carry the same id.
///     code: The result code, always 2 for an accepted send.
///     msg: The server's message (``提交成功``).
///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
#[pyclass(frozen, eq, hash, module = "ihuyi._native", name = "SendResult")]
#[derive(PartialEq, Eq, Hash)]
pub struct SendResult {
    /// The message id: up to 20 digits, kept as a string.
    #[pyo3(get)]
    id: String,
    /// The result code (2 for an accepted send).
    #[pyo3(get)]
    code: i64,
    /// The server's message (`提交成功`).
    #[pyo3(get)]
    msg: String,
    /// `sms`, `voice` or `isms`.
    #[pyo3(get)]
    product: String,
}

impl SendResult {
    pub fn from_core(sent: ihuyi::SendResult) -> SendResult {
        SendResult {
            id: sent.id,
            code: sent.code,
            msg: sent.msg,
            product: sent.product.name().to_owned(),
        }
    }
}

#[pymethods]
impl SendResult {
    #[new]
    #[pyo3(signature = (id, code, msg, product))]
    fn new(id: String, code: i64, msg: String, product: String) -> SendResult {
        SendResult {
            id,
            code,
            msg,
            product,
        }
    }

    fn __getnewargs__(&self) -> (String, i64, String, String) {
        (
            self.id.clone(),
            self.code,
            self.msg.clone(),
            self.product.clone(),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "SendResult(id={}, code={}, msg={}, product={})",
            convert::repr(py, &self.id),
            self.code,
            convert::repr(py, &self.msg),
            convert::repr(py, &self.product)
        )
    }
}

/// Reads a product name (`None`: `sms`).
pub fn parse_product(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Product> {
    match convert::optional_text(value, "product")? {
        None => Ok(Product::Sms),
        Some(name) => name
            .parse::<Product>()
            .map_err(|e| errors::validation(py, "product", e.to_string())),
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn missing(py: Python<'_>, field: &'static str, variable: &str) -> PyErr {
    errors::validation(
        py,
        field,
        format!("is missing: pass {field}= or set {variable}"),
    )
}
