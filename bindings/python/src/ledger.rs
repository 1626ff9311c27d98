//! `ihuyi.Ledger`: send a message at most once per key, over the core's idempotency ledger.

use ihuyi::ledger::{Ledger as CoreLedger, Resolution, SendOptions};
use pyo3::prelude::*;

use crate::client::{Client, SendResult};
use crate::convert;
use crate::errors;

/// An idempotency ledger: a SQLite file that remembers, for every key you choose, which message
/// it stands for and what became of it, so a message is sent at most once per key, across
/// retries, timeouts and crashes. Thread-safe; several processes may open one file.
///
/// A repeat of :meth:`send_once` with a key makes no request and returns what is stored: the
/// same :class:`SendResult` when accepted, the same :class:`ApiError` when refused. A key whose
/// outcome is unknown (timeout, lost connection, crash mid-send) raises
/// :class:`OutcomeUnknownError` (``reason == "unresolved"``, ``key`` set) and is never resent
/// until you :meth:`resolve` it or pass ``resend_unknown=True``. A key reused for another
/// message raises :class:`LedgerConflictError`.
///
/// Args:
///     path: The database file (created when missing).
///
/// Raises:
///     LedgerStorageError: The file cannot be opened or is not a ledger.
#[pyclass(frozen, module = "ihuyi._native", name = "Ledger")]
pub struct Ledger {
    inner: CoreLedger,
    path: String,
}

#[pymethods]
impl Ledger {
    #[new]
    fn new(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Ledger> {
        let inner = py
            .detach(|| CoreLedger::open(&path))
            .map_err(|e| errors::ledger_to_py(py, e))?;
        Ok(Ledger {
            inner,
            path: path.display().to_string(),
        })
    }

    /// Sends ``content`` to ``mobile`` through ``client`` at most once for ``key``.
    ///
    /// Args:
    ///     client: The :class:`Client` to send with.
    ///     key: Your idempotency key (1-256 bytes), e.g. ``"signup-otp/user-42/1"``.
    ///     mobile: The recipient.
    ///     content: The message text.
    ///     resend_unknown: Send again even when the key's outcome is unknown. This may text
    ///         the recipient twice: only when you know the earlier attempt did not go out.
    ///
    /// Returns:
    ///     SendResult: the accepted send, now or as stored.
    ///
    /// Raises:
    ///     ValidationError: Bad input (nothing sent, the key not recorded).
    ///     ApiError: Refused, now or when the key was first sent.
    ///     UnreachableError: Nothing can have been sent; the key stays sendable.
    ///     OutcomeUnknownError: Maybe sent, now or in an earlier unresolved attempt.
    ///     LedgerConflictError: The key stands for another message.
    ///     LedgerStorageError: The database failed.
    #[pyo3(signature = (client, key, mobile, content, *, resend_unknown = false))]
    fn send_once(
        &self,
        py: Python<'_>,
        client: &Bound<'_, Client>,
        key: &Bound<'_, PyAny>,
        mobile: &Bound<'_, PyAny>,
        content: &Bound<'_, PyAny>,
        resend_unknown: bool,
    ) -> PyResult<SendResult> {
        let key = convert::text(key, "key")?;
        let mobile = convert::text(mobile, "mobile")?;
        let content = convert::text(content, "content")?;
        let client = client.get();
        let options = SendOptions {
            resend_unknown,
            ..SendOptions::default()
        };
        let sent = py
            .detach(|| {
                self.inner
                    .send_once_with(client.core(), &key, &mobile, &content, &options)
            })
            .map_err(|e| errors::ledger_to_py(py, e))?;
        Ok(SendResult::from_core(sent.result))
    }

    /// Settles a key whose outcome is unknown: ``sent=True`` (later calls return a
    /// :class:`SendResult` with ``id``, or ``""``) or ``sent=False`` (the next
    /// :meth:`send_once` sends; also allowed on a refused key).
    ///
    /// Raises:
    ///     LedgerConflictError: The key's state does not allow it (accepted, never recorded...).
    ///     LedgerStorageError: The database failed.
    #[pyo3(signature = (key, *, sent, id = None))]
    fn resolve(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        sent: bool,
        id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let key = convert::text(key, "key")?;
        let id = convert::optional_text(id, "id")?;
        let resolution = if sent {
            Resolution::Sent { id }
        } else {
            Resolution::NotSent
        };
        py.detach(|| self.inner.resolve(&key, resolution))
            .map_err(|e| errors::ledger_to_py(py, e))
    }

    /// The state of ``key``: ``"in_flight"``, ``"accepted"``, ``"refused"``, ``"unknown"`` or
    /// ``"not_sent"``; ``None`` when it was never recorded.
    fn state(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Option<&'static str>> {
        let key = convert::text(key, "key")?;
        let entry = py
            .detach(|| self.inner.get(&key))
            .map_err(|e| errors::ledger_to_py(py, e))?;
        Ok(entry.map(|e| e.state.as_str()))
    }

    /// The database file.
    #[getter]
    fn path(&self) -> &str {
        &self.path
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("Ledger({})", convert::repr(py, &self.path))
    }
}
