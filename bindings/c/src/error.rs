//! The failure of the last call on this thread, and the exports that copy it out.
//!
//! Every fallible export clears it on entry and sets it when it fails, so after any call it
//! describes that call. The accessors below never change it, and neither do the `_free`
//! functions: clean-up code between a failure and its report cannot erase the report.

use std::cell::RefCell;
use std::ffi::c_char;

use core_ihuyi::Error;

use crate::status::ihuyi_status::{self, *};

/// The detail of an API refusal.
#[derive(Clone, Debug)]
pub(crate) struct ApiDetail {
    pub code: i64,
    pub msg: String,
    pub class: &'static str,
}

/// Why an export failed: its status, a message for people, and the refusal when there was one.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    pub status: ihuyi_status,
    pub message: String,
    pub api: Option<ApiDetail>,
}

impl Failure {
    pub fn new(status: ihuyi_status, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
            api: None,
        }
    }

    pub fn null(argument: &str) -> Failure {
        Failure::new(
            IHUYI_ERR_NULL_ARGUMENT,
            format!("argument `{argument}` is NULL"),
        )
    }

    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(IHUYI_ERR_INVALID_ARGUMENT, message)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        let api = match &error {
            Error::Api(e) => Some(ApiDetail {
                code: e.code,
                msg: e.msg.clone(),
                class: e.class.as_str(),
            }),
            _ => None,
        };
        Failure {
            status: ihuyi_status::of(&error),
            message: error.to_string(),
            api,
        }
    }
}

thread_local! {
    static LAST: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

/// Forgets the last failure (a call is starting).
pub(crate) fn clear() {
    let _ = LAST.try_with(|last| last.borrow_mut().take());
}

/// Records a failure for this thread.
pub(crate) fn set(failure: Failure) {
    let _ = LAST.try_with(|last| *last.borrow_mut() = Some(failure));
}

fn with_last<T>(f: impl FnOnce(Option<&Failure>) -> T) -> T {
    LAST.with(|last| f(last.borrow().as_ref()))
}

/// Copies `text` into `buf` like `snprintf`: at most `len - 1` bytes, cut on a UTF-8 character
/// boundary, then a NUL. Returns the full length of `text` in bytes (without the NUL).
///
/// # Safety
/// `buf` must be NULL or valid for `len` bytes of writing.
pub(crate) unsafe fn copy_truncated(text: &str, buf: *mut c_char, len: usize) -> usize {
    if buf.is_null() || len == 0 {
        return text.len();
    }
    let mut cut = text.len().min(len - 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    // SAFETY: the caller guarantees `len` writable bytes; `cut + 1 <= len`.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), cut);
        *buf.add(cut) = 0;
    }
    text.len()
}

/// C strings end at the first NUL: a message that carries one would be silently cut, so the NUL
/// is shown as U+FFFD instead.
fn c_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\0') {
        text.replace('\0', "\u{FFFD}").into()
    } else {
        text.into()
    }
}

/// The status of the last fallible call made on this thread (`IHUYI_OK` if it succeeded or if
/// none was made).
///
/// Thread-safety: reads this thread's own record only.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_last_status() -> ihuyi_status {
    crate::panic::guard_value(IHUYI_ERR_PANIC, || {
        with_last(|last| last.map_or(IHUYI_OK, |f| f.status))
    })
}

/// Copies the message of the last failure on this thread into `buf`, like `snprintf`: at most
/// `len - 1` bytes, cut on a UTF-8 character boundary, always NUL-terminated when `len > 0`.
///
/// Returns the full length of the message in bytes, without the NUL: the message was cut when the
/// return value is `>= len`, and a buffer of `return value + 1` bytes holds it all. Returns 0 (and
/// writes `""`) when the last call succeeded.
///
/// `buf` may be NULL (or `len` 0) to ask for the length only. The message is UTF-8, in English,
/// and never contains the API key. Thread-safety: reads this thread's own record only; it is not
/// changed by this call.
///
/// # Safety
/// `buf` must be NULL or point to at least `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_last_error_message(buf: *mut c_char, len: usize) -> usize {
    crate::panic::guard_value(0, || {
        with_last(|last| {
            let text = last.map_or(String::new(), |f| c_safe(&f.message).into_owned());
            // SAFETY: forwarded from the caller.
            unsafe { copy_truncated(&text, buf, len) }
        })
    })
}

/// The vendor result code of the last failure on this thread when it was `IHUYI_ERR_API` (for
/// example 4051, or 0 "提交失败"), and -1 otherwise.
///
/// Thread-safety: reads this thread's own record only.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_last_result_code() -> i64 {
    crate::panic::guard_value(-1, || {
        with_last(|last| last.and_then(|f| f.api.as_ref()).map_or(-1, |a| a.code))
    })
}

/// Copies the vendor's message of the last `IHUYI_ERR_API` failure on this thread (for example
/// `剩余条数不足`, UTF-8, as the server sent it) into `buf`, with the same rules and return value as
/// `ihuyi_last_error_message()`. Writes `""` and returns 0 when the last failure was not an API
/// refusal.
///
/// # Safety
/// `buf` must be NULL or point to at least `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_last_api_message(buf: *mut c_char, len: usize) -> usize {
    crate::panic::guard_value(0, || {
        with_last(|last| {
            let text = last
                .and_then(|f| f.api.as_ref())
                .map_or(String::new(), |a| c_safe(&a.msg).into_owned());
            // SAFETY: forwarded from the caller.
            unsafe { copy_truncated(&text, buf, len) }
        })
    })
}

/// Copies the class of the last `IHUYI_ERR_API` refusal on this thread into `buf`: one of `auth`,
/// `account`, `input`, `recipient`, `content`, `frequency`, `balance`, `server`, or `unknown`
/// for a code outside the product's table. Same rules and return value as
/// `ihuyi_last_error_message()`; `""` when the last failure was not an API refusal.
///
/// # Safety
/// `buf` must be NULL or point to at least `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_last_api_class(buf: *mut c_char, len: usize) -> usize {
    crate::panic::guard_value(0, || {
        with_last(|last| {
            let text = last.and_then(|f| f.api.as_ref()).map_or("", |a| a.class);
            // SAFETY: forwarded from the caller.
            unsafe { copy_truncated(text, buf, len) }
        })
    })
}
