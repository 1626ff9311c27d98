//! The long-lived client: a builder with setters, then `send` and `balance` on a handle shared
//! by every thread; and the two one-call functions shaped like the vendor's demos.

use std::ffi::c_char;
use std::sync::Mutex;
use std::time::Duration;

use core_ihuyi::{ApiKey, Client, Format, PasswordMode, Product, Timeouts};

use crate::args::{
    c_string, give_string, opt_str_arg, out_arg, product_arg, str_arg, truncate, write_out,
};
use crate::error::Failure;
use crate::handles::Registry;
use crate::panic::{guard, guard_value};
use crate::status::ihuyi_status;

/// A client for one product: immutable once built, safe to share between threads (every
/// `ihuyi_client_*` function may be called on the same handle from any number of threads at
/// once). Create it with `ihuyi_client_new()` or an `ihuyi_client_builder`; release it with
/// `ihuyi_client_free()`.
pub struct IhuyiClient {
    _opaque: (),
}

/// Collects a client's settings before `ihuyi_client_builder_build()`. Setters on one builder
/// are serialized by a lock, but a builder is meant to be used by one thread.
pub struct IhuyiClientBuilder {
    _opaque: (),
}

struct BuilderState {
    product: Product,
    account: String,
    apikey: ApiKey,
    base_url: Option<String>,
    format: Format,
    password_mode: PasswordMode,
    timeouts: Timeouts,
    max_idle_connections: Option<usize>,
}

static CLIENTS: Registry<Client> = Registry::new("ihuyi_client");
static BUILDERS: Registry<Mutex<BuilderState>> = Registry::new("ihuyi_client_builder");

impl BuilderState {
    fn build(&self) -> Result<Client, Failure> {
        let mut builder = Client::builder(self.product)
            .account(self.account.as_str())
            .apikey(self.apikey.clone())
            .format(self.format)
            .password_mode(self.password_mode)
            .timeouts(self.timeouts);
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.as_str());
        }
        if let Some(n) = self.max_idle_connections {
            builder = builder.max_idle_connections(n);
        }
        Ok(builder.build()?)
    }
}

/// Starts a builder for `product` (`"sms"`, `"voice"` or `"isms"`, any case) with the account
/// (APIID) and API key (APIKEY), and the defaults: the vendor's `https://` host, dynamic
/// password, XML answers, timeouts of 5 s (connect), 10 s (send) and 15 s (answer).
///
/// On `IHUYI_OK`, `*out_builder` receives a new builder owned by the caller, to be released with
/// `ihuyi_client_builder_free()`. On error `*out_builder` is not written.
/// All pointers are required (NULL gives `IHUYI_ERR_NULL_ARGUMENT`); the strings are copied.
/// Credentials are checked by `ihuyi_client_builder_build()`.
/// Thread-safe.
///
/// # Safety
/// Strings must be NUL-terminated; `out_builder` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_builder_new(
    product: *const c_char,
    account: *const c_char,
    apikey: *const c_char,
    out_builder: *mut *mut IhuyiClientBuilder,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_builder, "out_builder")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (product, account, apikey) = unsafe {
            (
                product_arg(product)?,
                str_arg(account, "account")?,
                str_arg(apikey, "apikey")?,
            )
        };
        let state = BuilderState {
            product,
            account: account.to_owned(),
            apikey: ApiKey::new(apikey),
            base_url: None,
            format: Format::Xml,
            password_mode: PasswordMode::Dynamic,
            timeouts: Timeouts::default(),
            max_idle_connections: None,
        };
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_builder, BUILDERS.insert(Mutex::new(state))) };
        Ok(())
    })
}

fn with_builder(
    builder: *mut IhuyiClientBuilder,
    f: impl FnOnce(&mut BuilderState) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let state = BUILDERS.get(builder, "builder")?;
    let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
    f(&mut state)
}

/// Points the client at another origin, `scheme://host[:port]` (each product's own path is
/// kept): how tests reach the sandbox. The URL is checked by `ihuyi_client_builder_build()`
/// (`IHUYI_ERR_VALIDATION`); it must carry no credentials. `base_url` NULL restores the
/// vendor's host; the string is copied.
///
/// `builder` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed builder `IHUYI_ERR_INVALID_HANDLE`.
/// No out-parameters; on error the builder is unchanged. Safe from any thread (setters on one
/// builder are serialized).
///
/// # Safety
/// `base_url` must be NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_builder_set_base_url(
    builder: *mut IhuyiClientBuilder,
    base_url: *const c_char,
) -> ihuyi_status {
    guard(|| {
        // SAFETY: the caller passes NULL or a NUL-terminated string.
        let url = unsafe { opt_str_arg(base_url, "base_url") }?;
        with_builder(builder, |s| {
            s.base_url = url.map(str::to_owned);
            Ok(())
        })
    })
}

/// Chooses the answer format asked of the server: `"xml"` (the default) or `"json"`, any case.
/// Anything else gives `IHUYI_ERR_INVALID_ARGUMENT`; `format` NULL `IHUYI_ERR_NULL_ARGUMENT`.
///
/// `builder` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed builder `IHUYI_ERR_INVALID_HANDLE`.
/// No out-parameters; on error the builder is unchanged. Safe from any thread (setters on one
/// builder are serialized).
///
/// # Safety
/// `format` must be NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_builder_set_format(
    builder: *mut IhuyiClientBuilder,
    format: *const c_char,
) -> ihuyi_status {
    guard(|| {
        // SAFETY: the caller passes a NUL-terminated string.
        let name = unsafe { str_arg(format, "format") }?;
        let format = match name.to_ascii_lowercase().as_str() {
            "xml" => Format::Xml,
            "json" => Format::Json,
            _ => {
                return Err(Failure::invalid(format!(
                    "unknown format {:?}: expected \"xml\" or \"json\"",
                    truncate(name, 40)
                )));
            }
        };
        with_builder(builder, |s| {
            s.format = format;
            Ok(())
        })
    })
}

/// Chooses how the API key is presented: `"dynamic"` (the default: an MD5 over the fields and
/// the time, the key never travels) or `"plain"` (the key itself in the form body, never in the
/// URL), any case. Anything else gives `IHUYI_ERR_INVALID_ARGUMENT`; `mode` NULL
/// `IHUYI_ERR_NULL_ARGUMENT`.
///
/// `builder` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed builder `IHUYI_ERR_INVALID_HANDLE`.
/// No out-parameters; on error the builder is unchanged. Safe from any thread (setters on one
/// builder are serialized).
///
/// # Safety
/// `mode` must be NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_builder_set_password_mode(
    builder: *mut IhuyiClientBuilder,
    mode: *const c_char,
) -> ihuyi_status {
    guard(|| {
        // SAFETY: the caller passes a NUL-terminated string.
        let name = unsafe { str_arg(mode, "mode") }?;
        let mode = match name.to_ascii_lowercase().as_str() {
            "dynamic" => PasswordMode::Dynamic,
            "plain" => PasswordMode::Plain,
            _ => {
                return Err(Failure::invalid(format!(
                    "unknown password mode {:?}: expected \"dynamic\" or \"plain\"",
                    truncate(name, 40)
                )));
            }
        };
        with_builder(builder, |s| {
            s.password_mode = mode;
            Ok(())
        })
    })
}

/// Sets the per-phase timeouts in milliseconds: connecting (a failure there is
/// `IHUYI_ERR_UNREACHABLE`), sending the request, and waiting for the answer (failures there are
/// `IHUYI_ERR_OUTCOME_UNKNOWN`). Each must be greater than 0: a zero is refused by
/// `ihuyi_client_builder_build()` with `IHUYI_ERR_VALIDATION`.
///
/// `builder` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed builder `IHUYI_ERR_INVALID_HANDLE`.
/// No out-parameters; on error the builder is unchanged. Safe from any thread (setters on one
/// builder are serialized).
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_client_builder_set_timeouts_ms(
    builder: *mut IhuyiClientBuilder,
    connect_ms: u32,
    send_ms: u32,
    response_ms: u32,
) -> ihuyi_status {
    guard(|| {
        with_builder(builder, |s| {
            s.timeouts = Timeouts {
                connect: Duration::from_millis(connect_ms.into()),
                send: Duration::from_millis(send_ms.into()),
                response: Duration::from_millis(response_ms.into()),
            };
            Ok(())
        })
    })
}

/// Sets how many idle keep-alive connections the client keeps (default 64): at least the number
/// of threads that share it. 0 gives `IHUYI_ERR_INVALID_ARGUMENT`.
///
/// `builder` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed builder `IHUYI_ERR_INVALID_HANDLE`.
/// No out-parameters; on error the builder is unchanged. Safe from any thread (setters on one
/// builder are serialized).
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_client_builder_set_max_idle_connections(
    builder: *mut IhuyiClientBuilder,
    max_idle_connections: u32,
) -> ihuyi_status {
    guard(|| {
        if max_idle_connections == 0 {
            return Err(Failure::invalid("max_idle_connections must be at least 1"));
        }
        with_builder(builder, |s| {
            s.max_idle_connections = Some(max_idle_connections as usize);
            Ok(())
        })
    })
}

/// Validates the settings and builds a client. The builder is not consumed: it can build more
/// clients and must still be freed.
///
/// On `IHUYI_OK`, `*out_client` receives a new client owned by the caller (release it with
/// `ihuyi_client_free()`). Errors: `IHUYI_ERR_VALIDATION` for an empty account or key, a bad
/// base URL or a zero timeout; `*out_client` is then not written. `builder` or `out_client`
/// NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed builder `IHUYI_ERR_INVALID_HANDLE`.
/// Thread-safe.
///
/// # Safety
/// `out_client` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_builder_build(
    builder: *const IhuyiClientBuilder,
    out_client: *mut *mut IhuyiClient,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_client, "out_client")?;
        let state = BUILDERS.get(builder, "builder")?;
        let client = state.lock().unwrap_or_else(|p| p.into_inner()).build()?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_client, CLIENTS.insert(client)) };
        Ok(())
    })
}

/// Releases a builder (clients built from it live on). NULL, and a builder already freed, are
/// ignored. Does not change the last error. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_client_builder_free(builder: *mut IhuyiClientBuilder) {
    guard_value((), || drop(BUILDERS.remove(builder)))
}

/// Builds a client in one call: `product` (`"sms"`, `"voice"`, `"isms"`), `account` and `apikey`
/// required, `base_url` optional (NULL: the vendor's host), every other setting at its default.
///
/// On `IHUYI_OK`, `*out_client` receives a new client owned by the caller (release it with
/// `ihuyi_client_free()`); on error it is not written. `product`, `account`, `apikey` or
/// `out_client` NULL gives `IHUYI_ERR_NULL_ARGUMENT`; an unknown product
/// `IHUYI_ERR_INVALID_ARGUMENT`; an empty account or key, or a bad base URL,
/// `IHUYI_ERR_VALIDATION`. The strings are copied. Thread-safe.
///
/// # Safety
/// Strings must be NUL-terminated (`base_url` may be NULL); `out_client` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_new(
    product: *const c_char,
    account: *const c_char,
    apikey: *const c_char,
    base_url: *const c_char,
    out_client: *mut *mut IhuyiClient,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_client, "out_client")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let client = unsafe { new_client(product, account, apikey, base_url) }?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_client, CLIENTS.insert(client)) };
        Ok(())
    })
}

/// # Safety
/// NUL-terminated strings; `base_url` may be NULL.
unsafe fn new_client(
    product: *const c_char,
    account: *const c_char,
    apikey: *const c_char,
    base_url: *const c_char,
) -> Result<Client, Failure> {
    // SAFETY: forwarded.
    let (product, account, apikey, base_url) = unsafe {
        (
            product_arg(product)?,
            str_arg(account, "account")?,
            str_arg(apikey, "apikey")?,
            opt_str_arg(base_url, "base_url")?,
        )
    };
    build_client(product, account, apikey, base_url)
}

fn build_client(
    product: Product,
    account: &str,
    apikey: &str,
    base_url: Option<&str>,
) -> Result<Client, Failure> {
    let mut builder = Client::builder(product).account(account).apikey(apikey);
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}

/// Sends `content` to `mobile` (one recipient) and never retries.
///
/// `mobile`: for `sms` and `voice` a mainland number (`13800138000`); for `isms` the country
/// code, one space, the number (`"63 9171234567"`). `content`: the message text (for `voice`, the
/// 4-6 digit code). Both borrowed for the call.
///
/// On `IHUYI_OK`, `*out_id` receives the message id (a string of up to 20 digits: it does not fit
/// an int64), owned by the caller, released with `ihuyi_string_free()`. On any error `*out_id`
/// is not written. Errors: `IHUYI_ERR_VALIDATION` (nothing was sent), `IHUYI_ERR_API` (see
/// `ihuyi_last_result_code()`), `IHUYI_ERR_UNREACHABLE` (nothing was sent),
/// `IHUYI_ERR_OUTCOME_UNKNOWN` (it may have been sent: do not resend blindly),
/// `IHUYI_ERR_INVALID_HANDLE` for a freed client. All pointers are required (NULL gives
/// `IHUYI_ERR_NULL_ARGUMENT`, and nothing is sent).
///
/// Thread-safe: any number of threads may send on one client at once (they share its connection
/// pool).
///
/// # Safety
/// Strings must be NUL-terminated; `out_id` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_send(
    client: *const IhuyiClient,
    mobile: *const c_char,
    content: *const c_char,
    out_id: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_id, "out_id")?;
        let client = CLIENTS.get(client, "client")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (mobile, content) =
            unsafe { (str_arg(mobile, "mobile")?, str_arg(content, "content")?) };
        let sent = client.send(mobile, content)?;
        let id = c_string(&sent.id, "message id")?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_id, give_string(id)) };
        Ok(())
    })
}

/// Asks for the remaining balance (剩余条数) of the client's account.
///
/// On `IHUYI_OK`, `*out_num` receives it; on error it is not written. Errors as for
/// `ihuyi_client_send()` (except validation: there is nothing to validate); `client` or
/// `out_num` NULL gives `IHUYI_ERR_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
/// `out_num` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_client_balance(
    client: *const IhuyiClient,
    out_num: *mut i64,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_num, "out_num")?;
        let client = CLIENTS.get(client, "client")?;
        let balance = client.balance()?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_num, balance.num) };
        Ok(())
    })
}

/// Releases a client. NULL is a no-op; a client already freed is detected and ignored. Calls
/// still running on other threads finish first (the client lives until they return); using the
/// handle afterwards gives `IHUYI_ERR_INVALID_HANDLE`. Does not change the last error.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_client_free(client: *mut IhuyiClient) {
    guard_value((), || drop(CLIENTS.remove(client)))
}

/// The base URL for the one-call functions: `IHUYI_BASE_URL` when set and not empty.
fn env_base_url() -> Option<String> {
    std::env::var(core_ihuyi::client::ENV_BASE_URL)
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// Sends one message in one call, like the vendor's demos: builds a client for `product` with
/// `account` and `apikey`, sends `content` to `mobile`, and releases it. For more than an
/// occasional message, keep an `ihuyi_client` instead (it reuses its connections).
///
/// The origin is the vendor's host, or `IHUYI_BASE_URL` from the environment when set (how tests
/// point it at the sandbox).
///
/// Out-parameters:
/// - `out_code` (may be NULL): the result code the server answered. Written on `IHUYI_OK` (2)
///   and on `IHUYI_ERR_API` (the refusal code, e.g. 4051), the two cases where the server gave
///   one; otherwise not written.
/// - `out_id` (required): on `IHUYI_OK` only, the message id (up to 20 digits), owned by the
///   caller, released with `ihuyi_string_free()`.
///
/// Errors as for `ihuyi_client_new()` and `ihuyi_client_send()`: any other NULL pointer gives
/// `IHUYI_ERR_NULL_ARGUMENT` and nothing is sent. Thread-safe.
///
/// # Safety
/// Strings must be NUL-terminated; out-parameters NULL (`out_code` only) or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_send_sms(
    product: *const c_char,
    account: *const c_char,
    apikey: *const c_char,
    mobile: *const c_char,
    content: *const c_char,
    out_code: *mut i64,
    out_id: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_id, "out_id")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (product, account, apikey, mobile, content) = unsafe {
            (
                product_arg(product)?,
                str_arg(account, "account")?,
                str_arg(apikey, "apikey")?,
                str_arg(mobile, "mobile")?,
                str_arg(content, "content")?,
            )
        };
        let client = build_client(product, account, apikey, env_base_url().as_deref())?;
        let result = client.send(mobile, content);
        let code = match &result {
            Ok(sent) => Some(sent.code),
            Err(e) => e.api_code(),
        };
        if let (Some(code), false) = (code, out_code.is_null()) {
            // SAFETY: non-NULL, and the caller guarantees it is writable.
            unsafe { write_out(out_code, code) };
        }
        let id = c_string(&result?.id, "message id")?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_id, give_string(id)) };
        Ok(())
    })
}

/// Asks for the balance (剩余条数) in one call, like the vendor's demos: `product` (`"sms"`,
/// `"voice"`, `"isms"`), `account`, `apikey`. The origin is the vendor's host, or
/// `IHUYI_BASE_URL` from the environment when set.
///
/// On `IHUYI_OK`, `*out_num` receives the balance; on error it is not written (for an
/// `IHUYI_ERR_API` refusal, `ihuyi_last_result_code()` has the code). All pointers are required.
/// Thread-safe.
///
/// # Safety
/// Strings must be NUL-terminated; `out_num` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_get_num(
    product: *const c_char,
    account: *const c_char,
    apikey: *const c_char,
    out_num: *mut i64,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_num, "out_num")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (product, account, apikey) = unsafe {
            (
                product_arg(product)?,
                str_arg(account, "account")?,
                str_arg(apikey, "apikey")?,
            )
        };
        let client = build_client(product, account, apikey, env_base_url().as_deref())?;
        let balance = client.balance()?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_num, balance.num) };
        Ok(())
    })
}
