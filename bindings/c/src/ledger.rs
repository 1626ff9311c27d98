//! The idempotency ledger, from C: send a message at most once per key the application chooses,
//! even across crashes, timeouts and retries (core feature `ledger`, SQLite compiled in).

use std::ffi::c_char;

use core_ihuyi::ledger::{Ledger, LedgerError, Resolution, SendOptions};

use crate::args::{c_string, give_string, opt_str_arg, out_arg, str_arg, write_out};
use crate::client::CLIENTS;
use crate::error::Failure;
use crate::handles::Registry;
use crate::panic::{guard, guard_value};
use crate::status::ihuyi_status::{self, *};

/// An idempotency ledger: a SQLite file that remembers, for every key, which message it stands
/// for and what became of it. Shareable between threads; several processes may open one file.
/// Opened with `ihuyi_ledger_open()`, released with `ihuyi_ledger_free()`.
pub struct IhuyiLedger {
    _opaque: (),
}

static LEDGERS: Registry<Ledger> = Registry::new("ihuyi_ledger");

impl From<LedgerError> for Failure {
    fn from(error: LedgerError) -> Failure {
        match error {
            // The client's own error keeps its status and, for a refusal, its code.
            LedgerError::Send {
                key,
                error,
                replayed,
            } => {
                let mut failure = Failure::from(error);
                let when = if replayed {
                    "stored when the key was first sent; no request made now"
                } else {
                    "now"
                };
                failure.message = format!("key {key:?}: {} ({when})", failure.message);
                failure
            }
            e @ LedgerError::Unresolved { .. } => {
                Failure::new(IHUYI_ERR_OUTCOME_UNKNOWN, e.to_string())
            }
            e @ LedgerError::Conflict { .. } => Failure::new(IHUYI_ERR_CONFLICT, e.to_string()),
            e @ LedgerError::Storage { .. } => Failure::new(IHUYI_ERR_IO, e.to_string()),
            e => Failure::new(IHUYI_ERR_IO, e.to_string()),
        }
    }
}

/// Opens (creating if needed) the ledger at `path` (a file name, UTF-8): WAL mode, every commit
/// synced to disk, a 30 s wait for another process's write lock.
///
/// On `IHUYI_OK`, `*out_ledger` receives a handle owned by the caller, released with
/// `ihuyi_ledger_free()`; on error it is not written. `IHUYI_ERR_IO` when the file cannot be
/// opened or is not a ledger; `path` or `out_ledger` NULL gives `IHUYI_ERR_NULL_ARGUMENT`.
/// Thread-safe.
///
/// # Safety
/// `path` NUL-terminated; `out_ledger` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_ledger_open(
    path: *const c_char,
    out_ledger: *mut *mut IhuyiLedger,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_ledger, "out_ledger")?;
        // SAFETY: the caller passes a NUL-terminated string.
        let path = unsafe { str_arg(path, "path") }?;
        let ledger = Ledger::open(path)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_ledger, LEDGERS.insert(ledger)) };
        Ok(())
    })
}

/// Sends `content` to `mobile` through `client` at most once for `key` (at most 256 bytes,
/// chosen by the application: "signup-otp/user-42/attempt-1").
///
/// The key is recorded in flight before the request is written, then its outcome. A repeat
/// with the same key makes no request and returns what is stored:
/// - accepted: `IHUYI_OK` with the same id (`*out_replayed` true);
/// - refused: `IHUYI_ERR_API` with the stored code in `ihuyi_last_result_code()`;
/// - unknown (timeout, lost connection, crash mid-send, another thread or process sending it
///   now): `IHUYI_ERR_OUTCOME_UNKNOWN` naming the key, never resent: settle it with
///   `ihuyi_ledger_resolve_sent()` / `ihuyi_ledger_resolve_not_sent()`, or resend explicitly
///   with `resend_unknown` true (this may text the recipient twice);
/// - unreachable (nothing can have been sent) or resolved as not sent: it is sent.
///
/// The same key with another product, account, mobile or content gives `IHUYI_ERR_CONFLICT` and
/// sends nothing. A database failure gives `IHUYI_ERR_IO` (nothing sent when it happened before
/// the request). Other statuses as for `ihuyi_client_send()`.
///
/// On `IHUYI_OK`, `*out_id` receives the message id, owned by the caller and released with
/// `ihuyi_string_free()`, and `*out_replayed` (may be NULL) whether it was read from the ledger.
/// Nothing is written on error. `ledger`, `client`, `key`, `mobile`, `content` or `out_id` NULL
/// gives `IHUYI_ERR_NULL_ARGUMENT` (nothing sent); freed handles `IHUYI_ERR_INVALID_HANDLE`.
/// Thread-safe: of two threads (or processes) racing on one key exactly one sends.
///
/// # Safety
/// Strings NUL-terminated; `out_id` valid for writing; `out_replayed` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_ledger_send_once(
    ledger: *const IhuyiLedger,
    client: *const crate::client::IhuyiClient,
    key: *const c_char,
    mobile: *const c_char,
    content: *const c_char,
    resend_unknown: bool,
    out_id: *mut *mut c_char,
    out_replayed: *mut bool,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_id, "out_id")?;
        let ledger = LEDGERS.get(ledger, "ledger")?;
        let client = CLIENTS.get(client, "client")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (key, mobile, content) = unsafe {
            (
                str_arg(key, "key")?,
                str_arg(mobile, "mobile")?,
                str_arg(content, "content")?,
            )
        };
        let options = SendOptions {
            resend_unknown,
            ..SendOptions::default()
        };
        let sent = ledger.send_once_with(&client, key, mobile, content, &options)?;
        let id = c_string(&sent.result.id, "message id")?;
        // SAFETY: `out_id` checked non-NULL; `out_replayed` written only when not NULL.
        unsafe {
            write_out(out_id, give_string(id));
            if !out_replayed.is_null() {
                write_out(out_replayed, sent.replayed);
            }
        }
        Ok(())
    })
}

/// Settles a key whose outcome is unknown (or in flight) as sent, for instance after finding the
/// message in the vendor's console or a delivery receipt: later `ihuyi_ledger_send_once()` calls
/// with it return `IHUYI_OK` with `id` (may be NULL: the id is then `""`) and send nothing.
///
/// `IHUYI_ERR_CONFLICT` when the key is not unknown or in flight (accepted, refused, not sent,
/// or never recorded); `IHUYI_ERR_IO` on a database failure; `ledger` or `key` NULL gives
/// `IHUYI_ERR_NULL_ARGUMENT`, a freed ledger `IHUYI_ERR_INVALID_HANDLE`. No out-parameters.
/// Thread-safe.
///
/// # Safety
/// `key` NUL-terminated; `id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_ledger_resolve_sent(
    ledger: *const IhuyiLedger,
    key: *const c_char,
    id: *const c_char,
) -> ihuyi_status {
    guard(|| {
        let ledger = LEDGERS.get(ledger, "ledger")?;
        // SAFETY: the caller passes NUL-terminated strings (`id` may be NULL).
        let (key, id) = unsafe { (str_arg(key, "key")?, opt_str_arg(id, "id")?) };
        ledger.resolve(
            key,
            Resolution::Sent {
                id: id.map(str::to_owned),
            },
        )?;
        Ok(())
    })
}

/// Settles a key as not sent: the next `ihuyi_ledger_send_once()` with it sends. Allowed on a key
/// in flight, unknown, refused or already not sent; `IHUYI_ERR_CONFLICT` on an accepted key or one
/// never recorded. Other errors as for `ihuyi_ledger_resolve_sent()`. Thread-safe.
///
/// # Safety
/// `key` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_ledger_resolve_not_sent(
    ledger: *const IhuyiLedger,
    key: *const c_char,
) -> ihuyi_status {
    guard(|| {
        let ledger = LEDGERS.get(ledger, "ledger")?;
        // SAFETY: the caller passes a NUL-terminated string.
        let key = unsafe { str_arg(key, "key") }?;
        ledger.resolve(key, Resolution::NotSent)?;
        Ok(())
    })
}

/// The state of `key`: `*out_state` receives `"in_flight"`, `"accepted"`, `"refused"`,
/// `"unknown"` or `"not_sent"` (owned by the caller, released with `ihuyi_string_free()`).
/// `IHUYI_ERR_NOT_FOUND` when the key was never recorded; `IHUYI_ERR_IO` on a database failure.
/// Nothing is written on error. NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a freed ledger
/// `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// `key` NUL-terminated; `out_state` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_ledger_state(
    ledger: *const IhuyiLedger,
    key: *const c_char,
    out_state: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_state, "out_state")?;
        let ledger = LEDGERS.get(ledger, "ledger")?;
        // SAFETY: the caller passes a NUL-terminated string.
        let key = unsafe { str_arg(key, "key") }?;
        let entry = ledger.get(key)?.ok_or_else(|| {
            Failure::new(
                IHUYI_ERR_NOT_FOUND,
                format!(
                    "key {:?} was never recorded",
                    crate::args::truncate(key, 64)
                ),
            )
        })?;
        let state = c_string(entry.state.as_str(), "state")?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_state, give_string(state)) };
        Ok(())
    })
}

/// Closes a ledger. NULL, and a ledger already freed, are ignored; calls still running on other
/// threads finish first. Does not change the last error. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_ledger_free(ledger: *mut IhuyiLedger) {
    guard_value((), || drop(LEDGERS.remove(ledger)))
}
