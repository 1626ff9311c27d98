//! Knowing before sending, from C: the segment estimate of a message and the normalization of a
//! typed number. Both are pure (no I/O) and run the core's code.

use std::ffi::c_char;

use core_ihuyi::catalogue::{SEGMENT_RULE_70_66, SEGMENT_RULE_70_67, SegmentRule};
use core_ihuyi::{Estimate, estimate_with_rule, normalize_mobile};

use crate::args::{
    c_string, give_string, opt_str_arg, out_arg, product_arg, str_arg, truncate, write_out,
};
use crate::error::Failure;
use crate::handles::Registry;
use crate::panic::{guard, guard_value};
use crate::status::ihuyi_status::{self, *};

/// What `ihuyi_estimate_new()` found: characters, billed segments, the rule, and warnings about
/// what the platform would refuse. Immutable; shareable between threads. Released with
/// `ihuyi_estimate_free()`.
pub struct IhuyiEstimate {
    _opaque: (),
}

static ESTIMATES: Registry<Estimate> = Registry::new("ihuyi_estimate");

/// The segment rule named `name` (NULL: the catalogue's default, 70/67).
fn rule_arg(name: Option<&str>) -> Result<SegmentRule, Failure> {
    match name {
        None | Some("70/67") => Ok(SEGMENT_RULE_70_67),
        Some("70/66") => Ok(SEGMENT_RULE_70_66),
        Some(other) => Err(Failure::invalid(format!(
            "unknown segment rule {:?}: expected \"70/67\" or \"70/66\"",
            truncate(other, 40)
        ))),
    }
}

/// Estimates `content` for `product` (`"sms"`, `"voice"`, `"isms"`, any case) before sending:
/// characters as the vendor counts them (every letter, symbol or Chinese character is one),
/// billed segments (one up to 70 characters with the signature; beyond, 67 per segment under the
/// default rule), and warnings naming the code the platform would answer (over 300 characters
/// 4073, emoji 4074, a missing or malformed 【signature】 4070-4072, a voice code that is not 4-6
/// digits).
///
/// `signature` (may be NULL), with or without its 【】, is appended unless the content already
/// starts or ends with it (ignored for voice). `rule` (may be NULL: `"70/67"`) is `"70/67"` or the
/// vendor's alternative `"70/66"`; anything else gives `IHUYI_ERR_INVALID_ARGUMENT`. An estimate
/// never fails because of what the content holds: problems are warnings.
///
/// On `IHUYI_OK`, `*out_estimate` receives a handle owned by the caller (read it with the
/// `ihuyi_estimate_*` getters, release it with `ihuyi_estimate_free()`); on error it is not
/// written. `product`, `content` or `out_estimate` NULL gives `IHUYI_ERR_NULL_ARGUMENT`; an
/// unknown product `IHUYI_ERR_INVALID_ARGUMENT`. Pure and thread-safe.
///
/// # Safety
/// Strings NUL-terminated (`signature` and `rule` may be NULL); `out_estimate` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_new(
    product: *const c_char,
    content: *const c_char,
    signature: *const c_char,
    rule: *const c_char,
    out_estimate: *mut *mut IhuyiEstimate,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_estimate, "out_estimate")?;
        // SAFETY: the caller passes NUL-terminated strings (or NULL where allowed).
        let (product, content, signature, rule) = unsafe {
            (
                product_arg(product)?,
                str_arg(content, "content")?,
                opt_str_arg(signature, "signature")?,
                rule_arg(opt_str_arg(rule, "rule")?)?,
            )
        };
        let estimate = estimate_with_rule(product, content, signature, rule);
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_estimate, ESTIMATES.insert(estimate)) };
        Ok(())
    })
}

/// Reads a value of an estimate into an out-parameter.
fn read<T>(
    estimate: *const IhuyiEstimate,
    out: *mut T,
    name: &str,
    pick: impl FnOnce(&Estimate) -> Result<T, Failure>,
) -> ihuyi_status {
    guard(|| {
        out_arg(out, name)?;
        let estimate = ESTIMATES.get(estimate, "estimate")?;
        let value = pick(&estimate)?;
        // SAFETY: checked non-NULL above; the caller guarantees it is writable.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The number of characters as the vendor counts them (one per Unicode scalar value), the
/// signature included. On `IHUYI_OK` `*out_characters` receives it; on error it is not written.
/// NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a freed estimate `IHUYI_ERR_INVALID_HANDLE`.
/// Thread-safe.
///
/// # Safety
/// `out_characters` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_characters(
    estimate: *const IhuyiEstimate,
    out_characters: *mut usize,
) -> ihuyi_status {
    read(estimate, out_characters, "out_characters", |e| {
        Ok(e.characters)
    })
}

/// The number of UTF-16 code units (what a carrier encoding UCS-2 would count: a character
/// outside the Basic Multilingual Plane is two). Out-parameter and errors as for
/// `ihuyi_estimate_characters()`.
///
/// # Safety
/// `out_units` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_utf16_units(
    estimate: *const IhuyiEstimate,
    out_units: *mut usize,
) -> ihuyi_status {
    read(estimate, out_units, "out_units", |e| Ok(e.utf16_units))
}

/// The number of billed segments (0 for empty content; a voice code is 1). Out-parameter and
/// errors as for `ihuyi_estimate_characters()`.
///
/// # Safety
/// `out_segments` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_segments(
    estimate: *const IhuyiEstimate,
    out_segments: *mut u64,
) -> ihuyi_status {
    read(estimate, out_segments, "out_segments", |e| Ok(e.segments))
}

/// Whether no warning names a result code, i.e. the platform should accept the content.
/// Out-parameter and errors as for `ihuyi_estimate_characters()`.
///
/// # Safety
/// `out_acceptable` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_acceptable(
    estimate: *const IhuyiEstimate,
    out_acceptable: *mut bool,
) -> ihuyi_status {
    read(estimate, out_acceptable, "out_acceptable", |e| {
        Ok(e.acceptable())
    })
}

/// Whether the signature given to `ihuyi_estimate_new()` was appended to the content.
/// Out-parameter and errors as for `ihuyi_estimate_characters()`.
///
/// # Safety
/// `out_added` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_signature_added(
    estimate: *const IhuyiEstimate,
    out_added: *mut bool,
) -> ihuyi_status {
    read(estimate, out_added, "out_added", |e| Ok(e.signature_added))
}

/// The segment rule used: `*out_name` receives its name (`"70/67"` or `"70/66"`), a string owned
/// by the caller and released with `ihuyi_string_free()`; `out_single` and `out_multi` (each may
/// be NULL) receive the characters of a one-segment message (70) and per segment beyond it (67
/// or 66). `IHUYI_ERR_NOT_FOUND` for a voice code, which is not split into segments. Nothing is
/// written on error. `estimate` or `out_name` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed
/// estimate `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// Out-parameters NULL (`out_single`, `out_multi`) or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_rule(
    estimate: *const IhuyiEstimate,
    out_name: *mut *mut c_char,
    out_single: *mut u32,
    out_multi: *mut u32,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_name, "out_name")?;
        let estimate = ESTIMATES.get(estimate, "estimate")?;
        let rule = estimate.rule.ok_or_else(|| {
            Failure::new(
                IHUYI_ERR_NOT_FOUND,
                "a voice code has no segment rule: it is one call",
            )
        })?;
        let name = c_string(rule.name, "rule name")?;
        // SAFETY: `out_name` checked non-NULL; the others written only when not NULL.
        unsafe {
            write_out(out_name, give_string(name));
            if !out_single.is_null() {
                write_out(out_single, rule.single as u32);
            }
            if !out_multi.is_null() {
                write_out(out_multi, rule.multi as u32);
            }
        }
        Ok(())
    })
}

/// The text that would be sent: the content, with the signature appended when one was given and
/// the content did not carry it. On `IHUYI_OK` `*out_message` receives a string owned by the
/// caller, released with `ihuyi_string_free()`; on error it is not written.
/// `IHUYI_ERR_INVALID_ARGUMENT` if it holds a NUL byte (only possible through the signature).
/// NULL pointers give `IHUYI_ERR_NULL_ARGUMENT`, a freed estimate `IHUYI_ERR_INVALID_HANDLE`.
/// Thread-safe.
///
/// # Safety
/// `out_message` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_message(
    estimate: *const IhuyiEstimate,
    out_message: *mut *mut c_char,
) -> ihuyi_status {
    read(estimate, out_message, "out_message", |e| {
        Ok(give_string(c_string(&e.message, "message")?))
    })
}

/// How many warnings the estimate has (read each with `ihuyi_estimate_warning()`).
/// Out-parameter and errors as for `ihuyi_estimate_characters()`.
///
/// # Safety
/// `out_count` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_warning_count(
    estimate: *const IhuyiEstimate,
    out_count: *mut usize,
) -> ihuyi_status {
    read(estimate, out_count, "out_count", |e| Ok(e.warnings.len()))
}

/// Warning number `index` (from 0) of the estimate.
///
/// - `out_kind` (required): what was found, one of `"empty"`, `"too_long"`, `"emoji"`,
///   `"signature_missing"`, `"signature_malformed"`, `"signature_length"`, `"voice_digits"`,
///   `"astral"` (a character a carrier may count as two), `"control"`.
/// - `out_code` (may be NULL): the result code the platform would answer (e.g. 4073), or -1 for a
///   note the platform does not refuse.
/// - `out_message` (may be NULL): what was found, in English.
///
/// Strings are owned by the caller and released with `ihuyi_string_free()`. Nothing is written on
/// error: `IHUYI_ERR_NOT_FOUND` when `index` is not below `ihuyi_estimate_warning_count()`;
/// `estimate` or `out_kind` NULL gives `IHUYI_ERR_NULL_ARGUMENT`, a freed estimate
/// `IHUYI_ERR_INVALID_HANDLE`. Thread-safe.
///
/// # Safety
/// Out-parameters NULL (`out_code`, `out_message`) or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_estimate_warning(
    estimate: *const IhuyiEstimate,
    index: usize,
    out_kind: *mut *mut c_char,
    out_code: *mut i64,
    out_message: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_kind, "out_kind")?;
        let estimate = ESTIMATES.get(estimate, "estimate")?;
        let warning = estimate.warnings.get(index).ok_or_else(|| {
            Failure::new(
                IHUYI_ERR_NOT_FOUND,
                format!(
                    "no warning {index}: the estimate has {}",
                    estimate.warnings.len()
                ),
            )
        })?;
        let kind = c_string(warning.kind.as_str(), "warning kind")?;
        let message = c_string(&warning.message, "warning message")?;
        // SAFETY: `out_kind` checked non-NULL; the others written only when not NULL.
        unsafe {
            write_out(out_kind, give_string(kind));
            if !out_code.is_null() {
                write_out(out_code, warning.code.unwrap_or(-1));
            }
            if !out_message.is_null() {
                write_out(out_message, give_string(message));
            }
        }
        Ok(())
    })
}

/// Releases an estimate. NULL, and an estimate already freed, are ignored. Does not change the
/// last error. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_estimate_free(estimate: *mut IhuyiEstimate) {
    guard_value((), || drop(ESTIMATES.remove(estimate)))
}

/// Turns a number as people type it into the form the API of `product` accepts: for `"sms"` and
/// `"voice"` `+86 138-0013-8000`, `0086 13800138000` or `8613800138000` become `13800138000`;
/// for `"isms"` `+852 6123 4567` or `00852-61234567` become `852 61234567`, checked against
/// that country's numbering plan (libphonenumber's metadata). Clients apply it on every send
/// (unless `ihuyi_client_builder_set_strict_mobile()`).
///
/// On `IHUYI_OK`, `*out_mobile` receives the normalized number, owned by the caller and released
/// with `ihuyi_string_free()`; on error it is not written. `IHUYI_ERR_VALIDATION` when the input
/// cannot be a number for that product (the message says why); `product`, `input` or
/// `out_mobile` NULL gives `IHUYI_ERR_NULL_ARGUMENT`; an unknown product
/// `IHUYI_ERR_INVALID_ARGUMENT`. Pure and thread-safe.
///
/// # Safety
/// Strings NUL-terminated; `out_mobile` valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_normalize_mobile(
    product: *const c_char,
    input: *const c_char,
    out_mobile: *mut *mut c_char,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_mobile, "out_mobile")?;
        // SAFETY: the caller passes NUL-terminated strings.
        let (product, input) = unsafe { (product_arg(product)?, str_arg(input, "input")?) };
        let mobile = normalize_mobile(product, input)?;
        let mobile = c_string(&mobile, "mobile")?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_mobile, give_string(mobile)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_and_rule_through_the_handle() {
        let mut e: *mut IhuyiEstimate = std::ptr::null_mut();
        // SAFETY: static NUL-terminated strings and a valid out-pointer.
        let rc = unsafe {
            ihuyi_estimate_new(
                c"sms".as_ptr(),
                c"hello 😀".as_ptr(),
                std::ptr::null(),
                c"70/66".as_ptr(),
                &mut e,
            )
        };
        assert_eq!(rc, IHUYI_OK);
        let mut count = 0;
        let mut single = 0;
        let mut name: *mut c_char = std::ptr::null_mut();
        // SAFETY: valid out-pointers.
        unsafe {
            assert_eq!(ihuyi_estimate_warning_count(e, &mut count), IHUYI_OK);
            assert_eq!(
                ihuyi_estimate_rule(e, &mut name, &mut single, std::ptr::null_mut()),
                IHUYI_OK
            );
            assert_eq!(std::ffi::CStr::from_ptr(name).to_str().unwrap(), "70/66");
        }
        assert_eq!(single, 70);
        assert!(count >= 2, "emoji and a missing signature");
        crate::ihuyi_string_free(name);
        ihuyi_estimate_free(e);
        let mut n = 0;
        // SAFETY: valid out-pointer; the freed handle is detected.
        let rc = unsafe { ihuyi_estimate_characters(e, &mut n) };
        assert_eq!(rc, IHUYI_ERR_INVALID_HANDLE);
    }
}
