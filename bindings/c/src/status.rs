//! `ihuyi_status`: what every fallible export returns.
//!
//! The numbers are part of the ABI: a value, once published, keeps its meaning forever and is
//! never reused. The variants are spelled as C will see them (see `cbindgen.toml`,
//! `rename_variants = "None"`).

use std::ffi::c_char;

use core_ihuyi::{Error, ErrorKind};

/// The result of every fallible `ihuyi_*` call. `IHUYI_OK` is 0; every other value is a failure
/// whose details are in `ihuyi_last_error_message()` (and, for `IHUYI_ERR_API`, in
/// `ihuyi_last_result_code()` / `ihuyi_last_api_message()`). Values are never renumbered or
/// reused.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ihuyi_status {
    /// Success: the out-parameters were written.
    IHUYI_OK = 0,
    /// Bad input caught locally (mobile, content, account, base URL, timeout...): nothing was sent.
    IHUYI_ERR_VALIDATION = 1,
    /// The server answered and refused with a result code other than 2: see
    /// `ihuyi_last_result_code()` and `ihuyi_last_api_message()`.
    IHUYI_ERR_API = 2,
    /// Nothing can have reached the server (DNS, refused connection, TLS): safe to retry.
    IHUYI_ERR_UNREACHABLE = 3,
    /// The request may have been processed (timeout after sending, lost connection, HTTP status
    /// other than 200, unparseable answer). The SDK never resends: a resend may text twice.
    IHUYI_ERR_OUTCOME_UNKNOWN = 4,
    /// A required pointer argument was NULL.
    IHUYI_ERR_NULL_ARGUMENT = 100,
    /// A string argument was not valid UTF-8.
    IHUYI_ERR_INVALID_UTF8 = 101,
    /// An argument is not acceptable at the C level: an unknown product, format or password
    /// mode, a string longer than 65 536 bytes, a value C strings cannot carry (a NUL byte).
    IHUYI_ERR_INVALID_ARGUMENT = 102,
    /// The caller's buffer is too small (or has length 0) for the result.
    IHUYI_ERR_BUFFER_TOO_SMALL = 103,
    /// A handle that is not live: already freed, or never returned by this library.
    IHUYI_ERR_INVALID_HANDLE = 104,
    /// What was asked for does not exist (a receipt field, a sandbox account for a product).
    IHUYI_ERR_NOT_FOUND = 105,
    /// An operating-system failure outside a request (the sandbox could not bind its port).
    IHUYI_ERR_IO = 106,
    /// A bug: the library panicked. The panic was stopped at the boundary; the message says
    /// where. Please report it.
    IHUYI_ERR_PANIC = 199,
}

use ihuyi_status::*;

impl ihuyi_status {
    /// The status a core error maps to.
    pub(crate) fn of(error: &Error) -> ihuyi_status {
        match error.kind() {
            ErrorKind::Validation => IHUYI_ERR_VALIDATION,
            ErrorKind::Api => IHUYI_ERR_API,
            ErrorKind::Unreachable => IHUYI_ERR_UNREACHABLE,
            ErrorKind::OutcomeUnknown => IHUYI_ERR_OUTCOME_UNKNOWN,
        }
    }

    /// Every status, for tests and for [`ihuyi_status_name`].
    pub(crate) const ALL: [ihuyi_status; 13] = [
        IHUYI_OK,
        IHUYI_ERR_VALIDATION,
        IHUYI_ERR_API,
        IHUYI_ERR_UNREACHABLE,
        IHUYI_ERR_OUTCOME_UNKNOWN,
        IHUYI_ERR_NULL_ARGUMENT,
        IHUYI_ERR_INVALID_UTF8,
        IHUYI_ERR_INVALID_ARGUMENT,
        IHUYI_ERR_BUFFER_TOO_SMALL,
        IHUYI_ERR_INVALID_HANDLE,
        IHUYI_ERR_NOT_FOUND,
        IHUYI_ERR_IO,
        IHUYI_ERR_PANIC,
    ];

    /// The C spelling, NUL-terminated.
    fn name_c(self) -> &'static str {
        match self {
            IHUYI_OK => "IHUYI_OK\0",
            IHUYI_ERR_VALIDATION => "IHUYI_ERR_VALIDATION\0",
            IHUYI_ERR_API => "IHUYI_ERR_API\0",
            IHUYI_ERR_UNREACHABLE => "IHUYI_ERR_UNREACHABLE\0",
            IHUYI_ERR_OUTCOME_UNKNOWN => "IHUYI_ERR_OUTCOME_UNKNOWN\0",
            IHUYI_ERR_NULL_ARGUMENT => "IHUYI_ERR_NULL_ARGUMENT\0",
            IHUYI_ERR_INVALID_UTF8 => "IHUYI_ERR_INVALID_UTF8\0",
            IHUYI_ERR_INVALID_ARGUMENT => "IHUYI_ERR_INVALID_ARGUMENT\0",
            IHUYI_ERR_BUFFER_TOO_SMALL => "IHUYI_ERR_BUFFER_TOO_SMALL\0",
            IHUYI_ERR_INVALID_HANDLE => "IHUYI_ERR_INVALID_HANDLE\0",
            IHUYI_ERR_NOT_FOUND => "IHUYI_ERR_NOT_FOUND\0",
            IHUYI_ERR_IO => "IHUYI_ERR_IO\0",
            IHUYI_ERR_PANIC => "IHUYI_ERR_PANIC\0",
        }
    }
}

/// The name of a status value as spelled in this header (`"IHUYI_ERR_API"`), or
/// `"IHUYI_UNKNOWN_STATUS"` for a number this library does not define.
///
/// Takes an `int` rather than an `ihuyi_status` so that any number is safe to pass.
/// Returns a static NUL-terminated string: never NULL, never to be freed. Thread-safe; does not
/// touch the last error.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_status_name(status: i32) -> *const c_char {
    crate::panic::guard_value(c"IHUYI_UNKNOWN_STATUS".as_ptr(), || {
        let name = ihuyi_status::ALL
            .iter()
            .find(|s| **s as i32 == status)
            .map_or("IHUYI_UNKNOWN_STATUS\0", |s| s.name_c());
        name.as_ptr().cast()
    })
}
