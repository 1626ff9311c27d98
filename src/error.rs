//! The four kinds of failure, which never blur:
//!
//! 1. [`Error::Validation`]: bad input caught locally; nothing was sent.
//! 2. [`Error::Api`]: the server answered with a code other than 2.
//! 3. [`Error::Unreachable`]: nothing can have been received (DNS, refused connection, TLS).
//! 4. [`Error::OutcomeUnknown`]: the request may have been processed (timeout or lost connection
//!    after the request was written, a non-200 status, an unparseable body). A Submit that ends
//!    this way is **never** retried by the SDK: retrying could text the recipient twice.
//!
//! No message here ever contains the API key.

use std::fmt;

use crate::catalogue::{CodeClass, Product, ResultCode};
use crate::wire::ApiMethod;

/// Which of the four kinds an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Bad input caught locally; nothing was sent.
    Validation,
    /// The server refused with a result code.
    Api,
    /// Nothing can have reached the server.
    Unreachable,
    /// The request may have been processed; do not resend blindly.
    OutcomeUnknown,
}

impl ErrorKind {
    /// `validation`, `api`, `unreachable` or `outcome_unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Api => "api",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Any failure of the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Bad input caught locally; nothing was sent.
    Validation(ValidationError),
    /// The server answered with a code other than 2.
    Api(ApiError),
    /// Nothing can have been received by the server.
    Unreachable(UnreachableError),
    /// The request may have been processed.
    OutcomeUnknown(OutcomeUnknownError),
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::Api(_) => ErrorKind::Api,
            Error::Unreachable(_) => ErrorKind::Unreachable,
            Error::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
        }
    }

    /// The vendor result code, for an API refusal.
    pub fn api_code(&self) -> Option<i64> {
        match self {
            Error::Api(e) => Some(e.code),
            _ => None,
        }
    }

    pub(crate) fn validation(field: &'static str, message: impl Into<String>) -> Error {
        Error::Validation(ValidationError {
            field,
            message: message.into(),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
            Error::Unreachable(e) => e.fmt(f),
            Error::OutcomeUnknown(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Bad input caught before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The offending field: `account`, `apikey`, `mobile`, `content`, `base_url`, `product`,
    /// `timeout`, …
    pub field: &'static str,
    /// What is wrong with it (never the key's value).
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: {} (nothing was sent)",
            self.field, self.message
        )
    }
}

impl std::error::Error for ValidationError {}

/// The server answered and refused: its result code, message and our class for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The product called.
    pub product: Product,
    /// `Submit` or `GetNum`.
    pub method: ApiMethod,
    /// The vendor's code, kept even when it is not in the catalogue.
    pub code: i64,
    /// The vendor's message, as sent.
    pub msg: String,
    /// Our class for the code ([`CodeClass::Unknown`] outside the product's table).
    pub class: CodeClass,
}

impl ApiError {
    /// The named code, when the vendor documents the number.
    pub fn result_code(&self) -> Option<ResultCode> {
        ResultCode::from_number(self.code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ihuyi {} {} refused: code {} ({}): {}",
            self.product,
            self.method.as_str(),
            self.code,
            self.class,
            self.msg
        )
    }
}

impl std::error::Error for ApiError {}

/// Nothing can have reached the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreachableError {
    /// The URL that was tried (it never carries credentials).
    pub url: String,
    /// What failed.
    pub detail: String,
}

impl fmt::Display for UnreachableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ihuyi unreachable at {}: {} (nothing was sent)",
            self.url, self.detail
        )
    }
}

impl std::error::Error for UnreachableError {}

/// Why the outcome of a request is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownReason {
    /// A timeout after the connection was made.
    Timeout,
    /// The connection broke after the request may have been written.
    ConnectionLost,
    /// The server answered with an HTTP status other than 200.
    HttpStatus(u16),
    /// A 200 answer whose body is neither the XML nor the JSON form.
    UnparseableBody,
}

impl UnknownReason {
    /// A short name: `timeout`, `connection_lost`, `http_status`, `unparseable_body`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownReason::Timeout => "timeout",
            UnknownReason::ConnectionLost => "connection_lost",
            UnknownReason::HttpStatus(_) => "http_status",
            UnknownReason::UnparseableBody => "unparseable_body",
        }
    }
}

/// The request may have been processed by the server; the SDK never resends it on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeUnknownError {
    /// Why.
    pub reason: UnknownReason,
    /// The URL that was called (it never carries credentials).
    pub url: String,
    /// What happened, including a short excerpt of any body received.
    pub detail: String,
}

impl fmt::Display for OutcomeUnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ihuyi outcome unknown at {}: {} (the request may have been processed; it was not retried)",
            self.url, self.detail
        )
    }
}

impl std::error::Error for OutcomeUnknownError {}
