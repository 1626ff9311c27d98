//! `ihuyi.Sandbox`: the core's local ihuyi server, started in this process.

use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use ihuyi::sandbox::{LoggedRequest as CoreRequest, SandboxAccount as CoreAccount, SandboxConfig};
use pyo3::exceptions::{PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{Client, parse_product};
use crate::convert;
use crate::know::FrequencyGuard;

/// A faithful local ihuyi server running inside this process, for tests and examples.
///
/// It serves the three products on one loopback port, checks accounts and signatures like the
/// platform, answers in the vendor's XML or JSON forms, and logs every request. Nothing leaves
/// the machine. It starts when constructed and stops on :meth:`stop`, at the end of a ``with``
/// block, or when garbage-collected::
///
///     with ihuyi.Sandbox() as sandbox:
///         client = sandbox.client("sms")
///         client.send("13800138000", "您的验证码是:1234。【互亿无线】")
///         assert len(sandbox.requests()) == 1
///
/// Args:
///     port: The loopback port to listen on; 0 picks a free one.
///
/// Raises:
///     OSError: The port could not be bound.
#[pyclass(frozen, module = "ihuyi._native", name = "Sandbox")]
pub struct Sandbox {
    inner: Mutex<Option<ihuyi::sandbox::Sandbox>>,
    base_url: String,
}

impl Sandbox {
    fn running(&self) -> MutexGuard<'_, Option<ihuyi::sandbox::Sandbox>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with_running<T>(&self, f: impl FnOnce(&ihuyi::sandbox::Sandbox) -> T) -> PyResult<T> {
        match self.running().as_ref() {
            Some(sandbox) => Ok(f(sandbox)),
            None => Err(PyRuntimeError::new_err("the sandbox is stopped")),
        }
    }
}

#[pymethods]
impl Sandbox {
    #[new]
    #[pyo3(signature = (port = 0))]
    fn new(py: Python<'_>, port: u16) -> PyResult<Sandbox> {
        let config = SandboxConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], port)),
            ..SandboxConfig::default()
        };
        let sandbox = py
            .detach(|| ihuyi::sandbox::Sandbox::start(config))
            .map_err(|e| PyOSError::new_err(format!("could not start the sandbox: {e}")))?;
        Ok(Sandbox {
            base_url: sandbox.base_url().to_owned(),
            inner: Mutex::new(Some(sandbox)),
        })
    }

    /// ``http://127.0.0.1:PORT``: pass it to :class:`Client` as ``base_url``.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// ``True`` until :meth:`stop`.
    #[getter]
    fn is_running(&self) -> bool {
        self.running().is_some()
    }

    /// The accounts it knows, by product name (``sms``, ``voice``, ``isms``), with their current
    /// balances.
    ///
    /// Raises:
    ///     RuntimeError: The sandbox is stopped.
    #[getter]
    fn accounts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let accounts = self.with_running(|s| s.accounts())?;
        let dict = PyDict::new(py);
        for account in accounts {
            dict.set_item(account.product.name(), SandboxAccount::from_core(account))?;
        }
        Ok(dict)
    }

    /// The account of one product.
    ///
    /// Raises:
    ///     ValidationError: An unknown product name.
    ///     RuntimeError: The sandbox is stopped.
    #[pyo3(signature = (product = None), text_signature = "($self, product='sms')")]
    fn account(
        &self,
        py: Python<'_>,
        product: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SandboxAccount> {
        let product = parse_product(py, product)?;
        let account = self.with_running(|s| s.account(product))?;
        Ok(SandboxAccount::from_core(account))
    }

    /// A :class:`Client` for ``product`` pointed at this sandbox with its default account.
    ///
    /// The client keeps the sandbox running as long as it exists (unless :meth:`stop` is
    /// called), so ``ihuyi.Sandbox().client()`` is usable on its own.
    ///
    /// Args:
    ///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
    ///     timeout: Seconds allowed for each phase of a request.
    ///     format: ``"xml"`` or ``"json"``.
    ///     dynamic_password: ``False`` sends the key itself instead of the MD5 password.
    ///     strict_mobile: Refuse a mobile not already in the API's form (see :class:`Client`).
    ///     frequency_guard: A :class:`FrequencyGuard` consulted before each send.
    #[pyo3(
        signature = (product = None, timeout = 10.0, format = None, dynamic_password = true, *, strict_mobile = false, frequency_guard = None),
        text_signature = "($self, product='sms', timeout=10.0, format='xml', dynamic_password=True, *, strict_mobile=False, frequency_guard=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn client(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        product: Option<&Bound<'_, PyAny>>,
        timeout: f64,
        format: Option<&Bound<'_, PyAny>>,
        dynamic_password: bool,
        strict_mobile: bool,
        frequency_guard: Option<Bound<'_, FrequencyGuard>>,
    ) -> PyResult<Client> {
        let this = slf.get();
        let account = this.account(py, product)?;
        let product = account.product.as_str().into_pyobject(py)?.into_any();
        let name = account.account.as_str().into_pyobject(py)?.into_any();
        let key = account.apikey.as_str().into_pyobject(py)?.into_any();
        let base_url = this.base_url.as_str().into_pyobject(py)?.into_any();
        let client = Client::create(
            py,
            Some(&product),
            Some(&name),
            Some(&key),
            Some(&base_url),
            timeout,
            format,
            dynamic_password,
            strict_mobile,
            frequency_guard,
        )?;
        Ok(client.keep_alive(slf.clone().into_any().unbind()))
    }

    /// Every request received so far, oldest first (the password shown only as its length).
    ///
    /// Raises:
    ///     RuntimeError: The sandbox is stopped.
    fn requests(&self, py: Python<'_>) -> PyResult<Vec<LoggedRequest>> {
        let log = py.detach(|| self.with_running(|s| s.requests()))?;
        Ok(log.into_iter().map(LoggedRequest::from_core).collect())
    }

    /// Forgets the request log and restores the starting balances.
    ///
    /// Raises:
    ///     RuntimeError: The sandbox is stopped.
    fn reset(&self) -> PyResult<()> {
        self.with_running(|s| s.reset())
    }

    /// Stops the server and waits for it. Calling it again does nothing.
    fn stop(&self, py: Python<'_>) {
        let sandbox = self.running().take();
        if let Some(sandbox) = sandbox {
            py.detach(|| sandbox.stop());
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.stop(py);
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Sandbox(base_url={}, running={})",
            convert::repr(py, &self.base_url),
            convert::py_bool(self.is_running())
        )
    }
}

/// An account the sandbox knows. These are sandbox credentials, not secrets; ``repr()`` still
/// leaves the key out, as everywhere in the SDK.
///
/// Attributes:
///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
///     account: The APIID.
///     apikey: The APIKEY.
///     balance: The remaining balance when this object was made.
#[pyclass(frozen, module = "ihuyi._native", name = "SandboxAccount")]
pub struct SandboxAccount {
    /// `sms`, `voice` or `isms`.
    #[pyo3(get)]
    product: String,
    /// The APIID.
    #[pyo3(get)]
    account: String,
    /// The APIKEY (a sandbox credential, not a secret).
    #[pyo3(get)]
    apikey: String,
    /// The remaining balance when this object was made.
    #[pyo3(get)]
    balance: i64,
}

impl SandboxAccount {
    fn from_core(a: CoreAccount) -> SandboxAccount {
        SandboxAccount {
            product: a.product.name().to_owned(),
            account: a.account,
            apikey: a.apikey,
            balance: a.balance,
        }
    }
}

#[pymethods]
impl SandboxAccount {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "SandboxAccount(product={}, account={}, balance={})",
            convert::repr(py, &self.product),
            convert::repr(py, &self.account),
            self.balance
        )
    }
}

/// One request as the sandbox saw it.
///
/// Attributes:
///     seq: Its position in arrival order, from 1.
///     unix_time: When it arrived (Unix seconds).
///     product: The product whose path was called, or ``None``.
///     method: The ``method`` query value (``Submit``, ``GetNum``, ...).
///     http_method: ``POST`` or ``GET``.
///     path: The path requested.
///     fields: Every field of the query and the body, in order, as ``(name, value)`` pairs;
///         ``password`` shows only its length (``<32 chars>``).
///     code: The result code answered, or ``None`` when the answer was not an API answer.
///     id: The message id answered to an accepted Submit, else ``None``.
#[pyclass(frozen, module = "ihuyi._native", name = "LoggedRequest")]
pub struct LoggedRequest {
    /// Its position in arrival order, from 1.
    #[pyo3(get)]
    seq: u64,
    /// When it arrived (Unix seconds).
    #[pyo3(get)]
    unix_time: u64,
    /// The product whose path was called, or `None`.
    #[pyo3(get)]
    product: Option<String>,
    /// The `method` query value (`Submit`, `GetNum`, ...).
    #[pyo3(get)]
    method: String,
    /// `POST` or `GET`.
    #[pyo3(get)]
    http_method: String,
    /// The path requested.
    #[pyo3(get)]
    path: String,
    /// The query and body fields, in order; `password` shows only its length.
    #[pyo3(get)]
    fields: Vec<(String, String)>,
    /// The result code answered, or `None` when the answer was not an API answer.
    #[pyo3(get)]
    code: Option<i64>,
    /// The message id answered to an accepted Submit, else `None`.
    #[pyo3(get)]
    id: Option<String>,
}

impl LoggedRequest {
    fn from_core(r: CoreRequest) -> LoggedRequest {
        LoggedRequest {
            seq: r.seq,
            unix_time: r.unix_time,
            product: r.product.map(|p| p.name().to_owned()),
            method: r.method,
            http_method: r.http_method,
            path: r.path,
            fields: r.fields,
            code: r.code,
            id: r.id,
        }
    }
}

#[pymethods]
impl LoggedRequest {
    /// The value of the first field called ``name``, or ``None``.
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "LoggedRequest(seq={}, product={}, method={}, code={}, id={})",
            self.seq,
            convert::repr_opt(py, self.product.as_deref()),
            convert::repr(py, &self.method),
            convert::repr_int(self.code),
            convert::repr_opt(py, self.id.as_deref()),
        )
    }
}
