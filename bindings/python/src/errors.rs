//! The one place where the core's errors become Python exceptions.
//!
//! The classes themselves are plain Python (`ihuyi/_errors.py`): `ValidationError` must inherit
//! from both `IhuyiError` and `ValueError`, and the classes must pickle, which Python expresses
//! more simply than `create_exception!`. They are imported once and cached.

use ihuyi::ledger::LedgerError;
use ihuyi::{Error, UnknownReason};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

const MODULE: &str = "ihuyi._errors";

static VALIDATION: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static API: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UNREACHABLE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static OUTCOME_UNKNOWN: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Converts a core error into the matching `ihuyi` exception.
pub fn to_py(py: Python<'_>, error: Error) -> PyErr {
    build(py, &error).unwrap_or_else(|failure| failure)
}

/// A `ValidationError` raised by the binding itself (argument conversions the core never sees).
pub fn validation(py: Python<'_>, field: &'static str, message: impl Into<String>) -> PyErr {
    to_py(
        py,
        Error::Validation(ihuyi::ValidationError {
            field,
            message: message.into(),
        }),
    )
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let message = error.to_string();
    let kwargs = PyDict::new(py);
    let class = match error {
        Error::Validation(e) => {
            kwargs.set_item("field", e.field)?;
            VALIDATION.import(py, MODULE, "ValidationError")?
        }
        Error::Api(e) => {
            kwargs.set_item("code", e.code)?;
            kwargs.set_item("msg", &e.msg)?;
            kwargs.set_item("kind", e.class.as_str())?;
            kwargs.set_item("product", e.product.name())?;
            kwargs.set_item("method", e.method.as_str())?;
            API.import(py, MODULE, "ApiError")?
        }
        Error::Unreachable(e) => {
            kwargs.set_item("url", &e.url)?;
            UNREACHABLE.import(py, MODULE, "UnreachableError")?
        }
        Error::OutcomeUnknown(e) => {
            kwargs.set_item("url", &e.url)?;
            kwargs.set_item("reason", e.reason.as_str())?;
            let status = match e.reason {
                UnknownReason::HttpStatus(status) => Some(status),
                _ => None,
            };
            kwargs.set_item("status", status)?;
            OUTCOME_UNKNOWN.import(py, MODULE, "OutcomeUnknownError")?
        }
        // The core's enum is non-exhaustive: a future kind still surfaces as an IhuyiError.
        _ => {
            static BASE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            BASE.import(py, MODULE, "IhuyiError")?
        }
    };
    let instance = class.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// Converts a ledger error into the matching `ihuyi` exception: the client's own error for a
/// send (its class), `OutcomeUnknownError` (reason `unresolved`) for a key never settled,
/// `LedgerConflictError`, `LedgerStorageError`.
pub fn ledger_to_py(py: Python<'_>, error: LedgerError) -> PyErr {
    build_ledger(py, error).unwrap_or_else(|failure| failure)
}

fn build_ledger(py: Python<'_>, error: LedgerError) -> PyResult<PyErr> {
    let message = error.to_string();
    let kwargs = PyDict::new(py);
    let class = match error {
        LedgerError::Send { key, error, .. } => {
            let err = to_py(py, error);
            err.value(py).setattr("key", key)?;
            return Ok(err);
        }
        LedgerError::Unresolved { key, .. } => {
            kwargs.set_item("reason", "unresolved")?;
            kwargs.set_item("key", key)?;
            OUTCOME_UNKNOWN.import(py, MODULE, "OutcomeUnknownError")?
        }
        LedgerError::Conflict { key, field, .. } => {
            kwargs.set_item("key", key)?;
            kwargs.set_item("field", field)?;
            static CONFLICT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            CONFLICT.import(py, MODULE, "LedgerConflictError")?
        }
        other => {
            kwargs.set_item("key", other.key())?;
            static STORAGE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            STORAGE.import(py, MODULE, "LedgerStorageError")?
        }
    };
    let instance = class.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}
