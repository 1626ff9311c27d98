//! Delivery receipts (回执推送) from C: parse a push body once, then read its fields.

use std::ffi::c_char;

use core_ihuyi::{Receipt, ReceiptDeduper, parse_receipt};

use crate::args::{bytes_arg, c_string, give_string, out_arg, str_arg, write_out};
use crate::error::Failure;
use crate::handles::Registry;
use crate::panic::{guard, guard_value};
use crate::status::ihuyi_status::{self, *};

/// A parsed delivery receipt. Immutable; shareable between threads. Released with
/// `ihuyi_receipt_free()`.
pub struct IhuyiReceipt {
    _opaque: (),
}

/// Tells a first-seen receipt from a repeat (the platform pushes a receipt up to 3 times until
/// it is answered `success`), by product and id. Shareable between threads. Released with
/// `ihuyi_receipt_deduper_free()`.
pub struct IhuyiReceiptDeduper {
    _opaque: (),
}

static RECEIPTS: Registry<Receipt> = Registry::new("ihuyi_receipt");
static DEDUPERS: Registry<ReceiptDeduper> = Registry::new("ihuyi_receipt_deduper");

/// Parses the body of a receipt push (form-encoded, or a JSON object): `body`, `body_len` bytes
/// (NULL allowed when `body_len` is 0). The id is required (`smsid`, `voiceid`, `ismsid`); other
/// fields may be missing. Receivers answer the push with the body `success`, and must
/// de-duplicate by id: the platform repeats pushes.
///
/// On `IHUYI_OK`, `*out_receipt` receives a handle owned by the caller (release it with
/// `ihuyi_receipt_free()`); on error it is not written. `IHUYI_ERR_VALIDATION` when the body is
/// not a receipt (empty, no id, over 64 KiB); `IHUYI_ERR_INVALID_ARGUMENT` when a field holds a NUL
/// byte (`%00`), which C strings cannot carry; `IHUYI_ERR_NULL_ARGUMENT` when `out_receipt` is
/// NULL, or `body` is NULL with a length. Pure and thread-safe.
///
/// # Safety
/// `body` valid for `body_len` bytes; `out_receipt` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_parse(
    body: *const u8,
    body_len: usize,
    out_receipt: *mut *mut IhuyiReceipt,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_receipt, "out_receipt")?;
        // SAFETY: forwarded from the caller.
        let body = unsafe { bytes_arg(body, body_len, "body") }?;
        let receipt =
            parse_receipt(body).map_err(|e| Failure::new(IHUYI_ERR_VALIDATION, e.to_string()))?;
        for (name, value) in &receipt.fields {
            c_string(name, "receipt field name")?;
            c_string(value, &format!("receipt field `{name}`"))?;
        }
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_receipt, RECEIPTS.insert(receipt)) };
        Ok(())
    })
}

/// Reads one text of a receipt and hands a copy to C.
fn give_text(
    receipt: *const IhuyiReceipt,
    out: *mut *mut c_char,
    what: &str,
    pick: impl FnOnce(&Receipt) -> Result<String, Failure>,
) -> ihuyi_status {
    guard(|| {
        out_arg(out, "out_value")?;
        let receipt = RECEIPTS.get(receipt, "receipt")?;
        let text = c_string(&pick(&receipt)?, what)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out, give_string(text)) };
        Ok(())
    })
}

/// The message id the receipt is about. On `IHUYI_OK`, `*out_value` receives a string owned by
/// the caller (release with `ihuyi_string_free()`); on error it is not written. `receipt` or
/// `out_value` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed receipt `IHUYI_ERR_INVALID_HANDLE`.
/// Thread-safe.
///
/// # Safety
/// `out_value` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_id(
    receipt: *const IhuyiReceipt,
    out_value: *mut *mut c_char,
) -> ihuyi_status {
    give_text(receipt, out_value, "id", |r| Ok(r.id.clone()))
}

/// The product told by the id field's name: `"sms"`, `"voice"`, `"isms"`, or `""` when the push
/// used a generic name. Ownership and errors as for `ihuyi_receipt_id()`.
///
/// # Safety
/// `out_value` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_product(
    receipt: *const IhuyiReceipt,
    out_value: *mut *mut c_char,
) -> ihuyi_status {
    give_text(receipt, out_value, "product", |r| {
        Ok(r.product.map_or("", |p| p.name()).to_owned())
    })
}

/// The platform's description (`msg`), `""` when missing. Ownership and errors as for
/// `ihuyi_receipt_id()`.
///
/// # Safety
/// `out_value` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_msg(
    receipt: *const IhuyiReceipt,
    out_value: *mut *mut c_char,
) -> ihuyi_status {
    give_text(receipt, out_value, "msg", |r| Ok(r.msg.clone()))
}

/// The recipient (`mobilephone` or `mobile`), `""` when missing. Ownership and errors as for
/// `ihuyi_receipt_id()`.
///
/// # Safety
/// `out_value` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_mobile(
    receipt: *const IhuyiReceipt,
    out_value: *mut *mut c_char,
) -> ihuyi_status {
    give_text(receipt, out_value, "mobile", |r| Ok(r.mobile.clone()))
}

/// When it was reported (`report_time` or `reply_time`), as sent; `""` when missing. Ownership and
/// errors as for `ihuyi_receipt_id()`.
///
/// # Safety
/// `out_value` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_time(
    receipt: *const IhuyiReceipt,
    out_value: *mut *mut c_char,
) -> ihuyi_status {
    give_text(receipt, out_value, "time", |r| Ok(r.time.clone()))
}

/// Any field of the push by its name (`"channel"`, `"code"`...), as sent. `IHUYI_ERR_NOT_FOUND`
/// when the push has no such field. Ownership and errors otherwise as for `ihuyi_receipt_id()`.
///
/// # Safety
/// `name` NUL-terminated; `out_value` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_field(
    receipt: *const IhuyiReceipt,
    name: *const c_char,
    out_value: *mut *mut c_char,
) -> ihuyi_status {
    give_text(receipt, out_value, "field", move |r| {
        // SAFETY: the caller passes a NUL-terminated string.
        let name = unsafe { str_arg(name, "name") }?;
        r.field(name).map(str::to_owned).ok_or_else(|| {
            Failure::new(
                IHUYI_ERR_NOT_FOUND,
                format!(
                    "the receipt has no field {:?}",
                    crate::args::truncate(name, 40)
                ),
            )
        })
    })
}

/// The delivery code (2 is delivered). On `IHUYI_OK` `*out_code` receives it;
/// `IHUYI_ERR_NOT_FOUND` when the push has no numeric code (e.g. `code=UNDELIV`), and
/// `*out_code` is then not written. NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a freed receipt
/// `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// `out_code` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_code(
    receipt: *const IhuyiReceipt,
    out_code: *mut i64,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_code, "out_code")?;
        let receipt = RECEIPTS.get(receipt, "receipt")?;
        let code = receipt.code.ok_or_else(|| {
            Failure::new(
                IHUYI_ERR_NOT_FOUND,
                "the receipt has no numeric code (not delivered)",
            )
        })?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_code, code) };
        Ok(())
    })
}

/// Whether the platform reports the message delivered (code 2). On `IHUYI_OK` `*out_delivered`
/// receives it; on error it is not written. NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a freed
/// receipt `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// `out_delivered` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_delivered(
    receipt: *const IhuyiReceipt,
    out_delivered: *mut bool,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_delivered, "out_delivered")?;
        let receipt = RECEIPTS.get(receipt, "receipt")?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_delivered, receipt.delivered()) };
        Ok(())
    })
}

/// Releases a receipt. NULL is a no-op; a receipt already freed is detected and ignored. Does not
/// change the last error. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_receipt_free(receipt: *mut IhuyiReceipt) {
    guard_value((), || drop(RECEIPTS.remove(receipt)))
}

/// Creates an empty de-duplicator. On `IHUYI_OK`, `*out_deduper` receives a handle owned by the
/// caller (release it with `ihuyi_receipt_deduper_free()`); on error it is not written.
/// `out_deduper` NULL gives `IHUYI_ERR_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
/// `out_deduper` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_deduper_new(
    out_deduper: *mut *mut IhuyiReceiptDeduper,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_deduper, "out_deduper")?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_deduper, DEDUPERS.insert(ReceiptDeduper::new())) };
        Ok(())
    })
}

/// Records `receipt` and tells whether it is the first with its product and id. On `IHUYI_OK`
/// `*out_first_seen` receives true the first time and false for every repeat; on error it is not
/// written (and nothing is recorded). NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a freed handle
/// `IHUYI_ERR_INVALID_HANDLE`. Thread-safe: concurrent calls with the same receipt see exactly one
/// true.
///
/// # Safety
/// `out_first_seen` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_receipt_deduper_first_seen(
    deduper: *const IhuyiReceiptDeduper,
    receipt: *const IhuyiReceipt,
    out_first_seen: *mut bool,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_first_seen, "out_first_seen")?;
        let deduper = DEDUPERS.get(deduper, "deduper")?;
        let receipt = RECEIPTS.get(receipt, "receipt")?;
        let first = deduper.first_seen(&receipt);
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_first_seen, first) };
        Ok(())
    })
}

/// Releases a de-duplicator. NULL, and one already freed, are ignored. Does not change the last
/// error. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_receipt_deduper_free(deduper: *mut IhuyiReceiptDeduper) {
    guard_value((), || drop(DEDUPERS.remove(deduper)))
}
