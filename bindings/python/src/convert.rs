//! Reading arguments: text that may hold lone surrogates, and bodies given as bytes or str.
//!
//! A Python `str` can hold lone surrogates that are not valid UTF-8; they become a
//! `ValidationError` naming the field instead of a bare `UnicodeEncodeError`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::errors;

/// The UTF-8 text of a `str` argument.
pub fn text(value: &Bound<'_, PyAny>, field: &'static str) -> PyResult<String> {
    let py = value.py();
    let Ok(s) = value.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!(
            "{field} must be a str, not {}",
            type_name(value)
        )));
    };
    match s.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        Err(_) => Err(errors::validation(
            py,
            field,
            "is not valid Unicode (it holds a lone surrogate)",
        )),
    }
}

/// An optional `str` argument (`None` stays `None`).
pub fn optional_text(
    value: Option<&Bound<'_, PyAny>>,
    field: &'static str,
) -> PyResult<Option<String>> {
    match value {
        Some(v) if !v.is_none() => text(v, field).map(Some),
        _ => Ok(None),
    }
}

/// The bytes of a body given as `bytes`, `bytearray` or `str` (encoded as UTF-8).
pub fn body(value: &Bound<'_, PyAny>, field: &'static str) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if value.is_instance_of::<PyString>() {
        return text(value, field).map(String::into_bytes);
    }
    Err(PyTypeError::new_err(format!(
        "{field} must be bytes or str, not {}",
        type_name(value)
    )))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an unknown type".into())
}

/// Python's `repr()` of a string, so reprs written in Rust read like Python's.
pub fn repr(py: Python<'_>, value: &str) -> String {
    PyString::new(py, value)
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| format!("{value:?}"))
}

/// Python's `repr()` of an optional string (`None` when absent).
pub fn repr_opt(py: Python<'_>, value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_owned(), |v| repr(py, v))
}

/// Python's spelling of a bool.
pub fn py_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// Python's `repr()` of an optional int.
pub fn repr_int(value: Option<i64>) -> String {
    value.map_or_else(|| "None".to_owned(), |v| v.to_string())
}
