//! The pure steps, exposed so every language's tests can check them against the shared fixtures
//! (`tests/fixtures/*.json`): the dynamic password, and what an HTTP answer means.

use std::ffi::c_char;

use core_ihuyi::{Product, get_num_outcome, sign, submit_outcome};

use crate::args::{bytes_arg, c_string, give_string, out_arg, product_arg, str_arg, write_out};
use crate::error::Failure;
use crate::panic::guard;
use crate::status::ihuyi_status::{self, *};

/// The size of a dynamic password with its NUL: 32 hex digits + 1.
const PASSWORD_BUF: usize = 33;

fn write_password(password: &str, buf: *mut c_char, len: usize) -> Result<(), Failure> {
    if len < PASSWORD_BUF {
        return Err(Failure::new(
            IHUYI_ERR_BUFFER_TOO_SMALL,
            format!("`buf` holds {len} bytes; a dynamic password needs {PASSWORD_BUF}"),
        ));
    }
    // SAFETY: the caller guarantees `len >= 33` writable bytes; 32 ASCII digits and a NUL fit.
    unsafe {
        std::ptr::copy_nonoverlapping(password.as_ptr(), buf.cast::<u8>(), password.len());
        *buf.add(password.len()) = 0;
    }
    Ok(())
}

/// The dynamic password (动态密码) of a Submit: the lowercase hex MD5 of the UTF-8 bytes of
/// `account + apikey + mobile + content + time`, with `time` in decimal (Unix seconds).
///
/// On `IHUYI_OK` the 32 hex digits and a NUL are written to `buf`, which must hold at least 33
/// bytes (`len` smaller, 0 included: `IHUYI_ERR_BUFFER_TOO_SMALL`); on error `buf` is not
/// written. All pointers are required. Pure and thread-safe.
///
/// # Safety
/// Strings NUL-terminated; `buf` valid for `len` bytes of writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_submit_password(
    account: *const c_char,
    apikey: *const c_char,
    mobile: *const c_char,
    content: *const c_char,
    time: u64,
    buf: *mut c_char,
    len: usize,
) -> ihuyi_status {
    guard(|| {
        out_arg(buf, "buf")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (account, apikey, mobile, content) = unsafe {
            (
                str_arg(account, "account")?,
                str_arg(apikey, "apikey")?,
                str_arg(mobile, "mobile")?,
                str_arg(content, "content")?,
            )
        };
        let password = sign::submit_password(account, apikey, mobile, content, time);
        write_password(&password, buf, len)
    })
}

/// The dynamic password of a GetNum: the lowercase hex MD5 of `account + apikey + time`.
/// Same buffer rules as `ihuyi_submit_password()`. Pure and thread-safe.
///
/// # Safety
/// Strings NUL-terminated; `buf` valid for `len` bytes of writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_get_num_password(
    account: *const c_char,
    apikey: *const c_char,
    time: u64,
    buf: *mut c_char,
    len: usize,
) -> ihuyi_status {
    guard(|| {
        out_arg(buf, "buf")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (account, apikey) =
            unsafe { (str_arg(account, "account")?, str_arg(apikey, "apikey")?) };
        let password = sign::get_num_password(account, apikey, time);
        write_password(&password, buf, len)
    })
}

/// The vendor URL named in the messages of recorded answers.
fn recorded_url(product: Product, method: &str) -> String {
    let spec = product.spec();
    format!("https://{}{}?method={method}", spec.host, spec.path)
}

/// What a Submit answer means, exactly as `ihuyi_client_send()` would decide it: `http_status`
/// and the answer body (`body`, `body_len` bytes; NULL allowed when `body_len` is 0).
///
/// - `IHUYI_OK`: accepted. `*out_id` receives the message id and, when `out_msg` is not NULL,
///   `*out_msg` the server's message; both owned by the caller, released with
///   `ihuyi_string_free()`.
/// - `IHUYI_ERR_API`: refused; `ihuyi_last_result_code()`, `ihuyi_last_api_message()` and
///   `ihuyi_last_api_class()` tell the code, message and class.
/// - `IHUYI_ERR_OUTCOME_UNKNOWN`: not an API answer (HTTP status other than 200, empty or
///   unparseable body).
///
/// Out-parameters are written on `IHUYI_OK` only. `product` or `out_id` NULL, or `body` NULL with
/// a length, gives `IHUYI_ERR_NULL_ARGUMENT`; an unknown product `IHUYI_ERR_INVALID_ARGUMENT`.
/// Pure (no I/O) and thread-safe.
///
/// # Safety
/// `product` NUL-terminated; `body` valid for `body_len` bytes; out-parameters valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_submit_outcome(
    product: *const c_char,
    http_status: u16,
    body: *const u8,
    body_len: usize,
    out_id: *mut *mut c_char,
    out_msg: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_id, "out_id")?;
        // SAFETY: forwarded from the caller.
        let (product, body) =
            unsafe { (product_arg(product)?, bytes_arg(body, body_len, "body")?) };
        let sent = submit_outcome(product, &recorded_url(product, "Submit"), http_status, body)?;
        let id = c_string(&sent.id, "message id")?;
        let msg = c_string(&sent.msg, "server message")?;
        // SAFETY: `out_id` checked non-NULL; `out_msg` written only when not NULL.
        unsafe {
            write_out(out_id, give_string(id));
            if !out_msg.is_null() {
                write_out(out_msg, give_string(msg));
            }
        }
        Ok(())
    })
}

/// What a GetNum answer means, exactly as `ihuyi_client_balance()` would decide it. On
/// `IHUYI_OK` `*out_num` receives the balance and, when `out_msg` is not NULL, `*out_msg` the
/// server's message (owned by the caller, released with `ihuyi_string_free()`). Other statuses
/// and NULL handling as for `ihuyi_submit_outcome()` (`out_num` is required). Pure and
/// thread-safe.
///
/// # Safety
/// `product` NUL-terminated; `body` valid for `body_len` bytes; out-parameters valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_get_num_outcome(
    product: *const c_char,
    http_status: u16,
    body: *const u8,
    body_len: usize,
    out_num: *mut i64,
    out_msg: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_num, "out_num")?;
        // SAFETY: forwarded from the caller.
        let (product, body) =
            unsafe { (product_arg(product)?, bytes_arg(body, body_len, "body")?) };
        let balance =
            get_num_outcome(product, &recorded_url(product, "GetNum"), http_status, body)?;
        let msg = c_string(&balance.msg, "server message")?;
        // SAFETY: `out_num` checked non-NULL; `out_msg` written only when not NULL.
        unsafe {
            write_out(out_num, balance.num);
            if !out_msg.is_null() {
                write_out(out_msg, give_string(msg));
            }
        }
        Ok(())
    })
}
