//! The in-process sandbox, from C: a local ihuyi server to test against.

use std::ffi::c_char;
use std::net::SocketAddr;
use std::sync::Mutex;

use core_ihuyi::sandbox::{Sandbox, SandboxConfig};

use crate::args::{c_string, give_string, out_arg, product_arg, write_out};
use crate::error::Failure;
use crate::handles::Registry;
use crate::panic::{guard, guard_value};
use crate::status::ihuyi_status::{self, *};

/// A running local ihuyi server (the sandbox): the three products on one loopback port, the
/// default accounts (sms `C80000001`, voice `V80000001`, isms `I80000001`), signatures checked.
/// Shareable between threads. Start it with `ihuyi_sandbox_start()`, stop and release it with
/// `ihuyi_sandbox_stop()`.
pub struct IhuyiSandbox {
    _opaque: (),
}

// The Mutex makes the handle Sync whatever the sandbox's own fields are.
static SANDBOXES: Registry<Mutex<Sandbox>> = Registry::new("ihuyi_sandbox");

fn with_sandbox<T>(
    sandbox: *const IhuyiSandbox,
    f: impl FnOnce(&Sandbox) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let sandbox = SANDBOXES.get(sandbox, "sandbox")?;
    let sandbox = sandbox.lock().unwrap_or_else(|p| p.into_inner());
    f(&sandbox)
}

/// Starts a sandbox on `127.0.0.1:port` (0: a free port, the usual choice) and returns once it
/// listens.
///
/// On `IHUYI_OK`, `*out_sandbox` receives a handle owned by the caller: stop and release it with
/// `ihuyi_sandbox_stop()`. `IHUYI_ERR_IO` when the port cannot be bound; `*out_sandbox` is then
/// not written; `out_sandbox` NULL gives `IHUYI_ERR_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
/// `out_sandbox` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_sandbox_start(
    port: u16,
    out_sandbox: *mut *mut IhuyiSandbox,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_sandbox, "out_sandbox")?;
        let config = SandboxConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], port)),
            ..SandboxConfig::default()
        };
        let sandbox = Sandbox::start(config).map_err(|e| {
            Failure::new(
                IHUYI_ERR_IO,
                format!("the sandbox could not listen on 127.0.0.1:{port}: {e}"),
            )
        })?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_sandbox, SANDBOXES.insert(Mutex::new(sandbox))) };
        Ok(())
    })
}

/// The sandbox's base URL, `http://127.0.0.1:PORT`, for `ihuyi_client_new()` or
/// `ihuyi_client_builder_set_base_url()` (or the `IHUYI_BASE_URL` environment variable).
///
/// On `IHUYI_OK`, `*out_url` receives a string owned by the caller, released with
/// `ihuyi_string_free()`; on error it is not written. `sandbox` or `out_url` NULL gives
/// `IHUYI_ERR_NULL_ARGUMENT`, a stopped sandbox `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// `out_url` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_sandbox_base_url(
    sandbox: *const IhuyiSandbox,
    out_url: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_url, "out_url")?;
        let url = with_sandbox(sandbox, |s| c_string(s.base_url(), "base URL"))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_url, give_string(url)) };
        Ok(())
    })
}

/// The port the sandbox listens on. On `IHUYI_OK` `*out_port` receives it; on error it is not
/// written. NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a stopped sandbox
/// `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// `out_port` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_sandbox_port(
    sandbox: *const IhuyiSandbox,
    out_port: *mut u16,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_port, "out_port")?;
        let port = with_sandbox(sandbox, |s| Ok(s.addr().port()))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_port, port) };
        Ok(())
    })
}

/// The sandbox's account for `product` (`"sms"`, `"voice"`, `"isms"`): its APIID and APIKEY
/// (sandbox credentials, not secrets).
///
/// On `IHUYI_OK`, `*out_account` and `*out_apikey` each receive a string owned by the caller,
/// released with `ihuyi_string_free()`; on error neither is written. `IHUYI_ERR_NOT_FOUND` when
/// the sandbox has no account for the product, `IHUYI_ERR_INVALID_ARGUMENT` for an unknown
/// product, `IHUYI_ERR_NULL_ARGUMENT` for any NULL pointer. Thread-safe.
///
/// # Safety
/// `product` NUL-terminated; the out-parameters valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_sandbox_account(
    sandbox: *const IhuyiSandbox,
    product: *const c_char,
    out_account: *mut *mut c_char,
    out_apikey: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_account, "out_account")?;
        out_arg(out_apikey, "out_apikey")?;
        // SAFETY: the caller passes a NUL-terminated string.
        let product = unsafe { product_arg(product) }?;
        let (account, apikey) = with_sandbox(sandbox, |s| {
            let found = s
                .accounts()
                .into_iter()
                .find(|a| a.product == product)
                .ok_or_else(|| {
                    Failure::new(
                        IHUYI_ERR_NOT_FOUND,
                        format!("the sandbox has no {product} account"),
                    )
                })?;
            Ok((
                c_string(&found.account, "account")?,
                c_string(&found.apikey, "apikey")?,
            ))
        })?;
        // SAFETY: both checked non-NULL above.
        unsafe {
            write_out(out_account, give_string(account));
            write_out(out_apikey, give_string(apikey));
        }
        Ok(())
    })
}

/// How many requests the sandbox has received since it started (or since
/// `ihuyi_sandbox_reset()`), every product and outcome included. On `IHUYI_OK` `*out_count`
/// receives it; on error it is not written. NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a
/// stopped sandbox `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// `out_count` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_sandbox_request_count(
    sandbox: *const IhuyiSandbox,
    out_count: *mut u64,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_count, "out_count")?;
        let count = with_sandbox(sandbox, |s| Ok(s.requests().len() as u64))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_count, count) };
        Ok(())
    })
}

/// Forgets the request log and restores the accounts' balances. `sandbox` NULL gives
/// `IHUYI_ERR_NULL_ARGUMENT`, a stopped one `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_sandbox_reset(sandbox: *const IhuyiSandbox) -> ihuyi_status {
    guard(|| {
        with_sandbox(sandbox, |s| {
            s.reset();
            Ok(())
        })
    })
}

/// Stops the sandbox (waiting for its threads) and releases the handle. NULL is a no-op; a handle
/// already stopped is detected and ignored. Does not change the last error. Thread-safe: calls
/// running on other threads finish first.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_sandbox_stop(sandbox: *mut IhuyiSandbox) {
    guard_value((), || {
        // The last reference stops the server (Sandbox's Drop) and joins its thread.
        drop(SANDBOXES.remove(sandbox));
    })
}
