//! The one place where the core's errors become Python exceptions.
//!
//! The classes themselves are plain Python (`ihuyi/_errors.py`): `ValidationError` must inherit
//! from both `IhuyiError` and `ValueError`, and the classes must pickle, which Python expresses
//! more simply than `create_exception!`. They are imported once and cached.

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
