//! The panic boundary every export runs inside: a panic must never unwind into C (that is
//! undefined behaviour, and the library lives inside PHP, JVM and Python processes).

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{self, Failure};
use crate::status::ihuyi_status::{self, *};

/// Runs a fallible export: clears the last error, runs `body`, records its failure (or a panic)
/// and returns the status.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> ihuyi_status {
    error::clear();
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return IHUYI_OK,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::new(
            IHUYI_ERR_PANIC,
            format!(
                "internal error (a bug in libihuyi, please report it): {}",
                panic_text(&*payload)
            ),
        ),
    };
    let status = failure.status;
    error::set(failure);
    status
}

/// Runs an infallible export (an accessor, a `_free`): a panic gives `fallback` and leaves the
/// last error alone.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with no message".to_owned()
    }
}

/// Panics on purpose, inside the boundary, and so returns `IHUYI_ERR_PANIC` with a message that
/// contains "deliberate panic". It has no other effect. Bindings and tests call it to check that
/// a panic in the library reaches them as a status and never crashes the process (the panic
/// message is also printed on stderr by the Rust runtime).
///
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_selftest_panic() -> ihuyi_status {
    guard(|| panic!("deliberate panic from ihuyi_selftest_panic"))
}
