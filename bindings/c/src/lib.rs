//! # libihuyi's C ABI
//!
//! `libihuyi.so` / `libihuyi.a` and `include/ihuyi.h` (generated from this crate by cbindgen).
//!
//! Conventions (after rustls-ffi):
//! - every fallible function returns an [`ihuyi_status`]; results go to trailing out-parameters,
//!   written only on `IHUYI_OK` (the one documented exception is `ihuyi_send_sms`'s `out_code`);
//! - the detail of the last failure on the calling thread is copied out by
//!   `ihuyi_last_error_message`, the vendor code of an API refusal by `ihuyi_last_result_code`;
//! - opaque handles, created by `_new`/`_start`/`_parse`, released by `_free`/`_stop`
//!   (NULL is a no-op); handles are checked against a registry, so a freed one is a status;
//! - strings passed in are borrowed for the call (NUL-terminated UTF-8, at most 64 KiB); strings
//!   handed out are released with [`ihuyi_string_free`];
//! - every export runs inside `catch_unwind`: a panic becomes `IHUYI_ERR_PANIC`.

// Each export documents its contract in its doc comment (carried into the header); the unsafe
// pointer contract is the usual C one, stated there.
#![allow(clippy::missing_safety_doc)]
#![warn(missing_docs)]

mod args;
mod client;
mod error;
mod handles;
mod panic;
mod pure;
mod receipt;
mod sandbox;
mod status;

use std::ffi::c_char;

pub use client::*;
pub use error::*;
pub use panic::ihuyi_selftest_panic;
pub use pure::*;
pub use receipt::*;
pub use sandbox::*;
pub use status::*;

/// The version of this library, e.g. `"0.1.0"`: the same as the core crate's. Bindings compare
/// it with the version they were written for and refuse a mismatched library.
///
/// Returns a static NUL-terminated string: never NULL, never to be freed. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    panic::guard_value(VERSION.as_ptr().cast(), || VERSION.as_ptr().cast())
}

/// Releases a string this library handed out (an id, a URL, a receipt field...). NULL is a
/// no-op. A pointer that is not a live string of this library (already freed, or from elsewhere)
/// is detected and left alone. Never pass these strings to libc `free()`. Does not change the
/// last error. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_string_free(s: *mut c_char) {
    panic::guard_value((), || {
        if !s.is_null() {
            args::take_string(s);
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_matches_the_core() {
        // SAFETY: a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(super::ihuyi_version()) };
        assert_eq!(v.to_str().unwrap(), core_ihuyi::VERSION);
    }
}
