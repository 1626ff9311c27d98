//! Reading arguments from C and writing results back: NULL checks, bounded string reads,
//! UTF-8, and the strings this library hands out (tracked so `ihuyi_string_free` can refuse a
//! pointer that is not one of them).

use std::collections::HashMap;
use std::ffi::{CString, c_char};
use std::sync::Mutex;

use core_ihuyi::Product;

use crate::error::Failure;
use crate::status::ihuyi_status::*;

/// The longest string argument accepted, in bytes: far above any real field (content is at most
/// 300 characters), low enough that a missing NUL terminator is caught before the read wanders
/// far.
pub(crate) const MAX_STRING_BYTES: usize = 65_536;

/// The longest byte buffer accepted (an answer or receipt body).
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Borrows a NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string, or to at least
/// [`MAX_STRING_BYTES`] + 1 readable bytes.
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    let mut len = 0;
    // SAFETY: the caller guarantees the bytes up to the NUL (or the limit) are readable; the scan
    // stops at whichever comes first.
    while unsafe { *ptr.add(len) } != 0 {
        len += 1;
        if len > MAX_STRING_BYTES {
            return Err(Failure::invalid(format!(
                "argument `{name}` is longer than {MAX_STRING_BYTES} bytes (or not NUL-terminated)"
            )));
        }
    }
    // SAFETY: `len` bytes were just read.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::new(
            IHUYI_ERR_INVALID_UTF8,
            format!(
                "argument `{name}` is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Like [`str_arg`], but NULL means "not given".
///
/// # Safety
/// As for [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded.
        unsafe { str_arg(ptr, name) }.map(Some)
    }
}

/// Borrows a byte buffer argument (`ptr`, `len`); `ptr` may be NULL only when `len` is 0.
///
/// # Safety
/// `ptr` must be NULL or valid for `len` bytes of reading.
pub(crate) unsafe fn bytes_arg<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a [u8], Failure> {
    if len > MAX_BODY_BYTES {
        return Err(Failure::invalid(format!(
            "argument `{name}` is {len} bytes; at most {MAX_BODY_BYTES}"
        )));
    }
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(name))
        };
    }
    // SAFETY: the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Parses a product name (`sms`, `voice`, `isms`, any case).
///
/// # Safety
/// As for [`str_arg`].
pub(crate) unsafe fn product_arg(ptr: *const c_char) -> Result<Product, Failure> {
    // SAFETY: forwarded.
    let name = unsafe { str_arg(ptr, "product") }?;
    Product::from_name(name).ok_or_else(|| {
        Failure::invalid(format!(
            "unknown product {:?}: expected \"sms\", \"voice\" or \"isms\"",
            truncate(name, 40)
        ))
    })
}

/// A prefix of `text` for messages, so a huge argument does not make a huge message.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Fails unless `ptr` (an out-parameter) is non-NULL. Checked before any work is done, so a call
/// with a missing out-parameter never sends anything.
pub(crate) fn out_arg<T>(ptr: *mut T, name: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        Err(Failure::null(name))
    } else {
        Ok(())
    }
}

/// Addresses (and lengths) of the strings handed out and not yet freed; `None` when there are
/// none, so a program that freed every string holds no memory of ours.
static LIVE_STRINGS: Mutex<Option<HashMap<usize, usize>>> = Mutex::new(None);

/// A string for C: fails on an interior NUL, which a C string cannot carry.
pub(crate) fn c_string(text: &str, what: &str) -> Result<CString, Failure> {
    CString::new(text).map_err(|_| {
        Failure::invalid(format!(
            "the {what} contains a NUL byte, which a C string cannot carry"
        ))
    })
}

/// Hands a string to C; it must come back through `ihuyi_string_free`.
pub(crate) fn give_string(text: CString) -> *mut c_char {
    let len = text.as_bytes_with_nul().len();
    let ptr = text.into_raw();
    LIVE_STRINGS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(ptr as usize, len);
    ptr
}

/// Takes back a string handed out by [`give_string`]; false when `ptr` is not one (a double free
/// or a foreign pointer), which is then left alone.
pub(crate) fn take_string(ptr: *mut c_char) -> bool {
    let known = {
        let mut live = LIVE_STRINGS.lock().unwrap_or_else(|p| p.into_inner());
        let known = live.as_mut().and_then(|m| m.remove(&(ptr as usize)));
        if live.as_ref().is_some_and(HashMap::is_empty) {
            *live = None;
        }
        known
    };
    match known {
        Some(len) => {
            // SAFETY: `ptr` came from `CString::into_raw` of a string of `len` bytes with its NUL,
            // and is released once (it left the live set above). The bytes are rebuilt from the
            // recorded length so a caller who wrote an early NUL into it cannot skew the
            // deallocation size.
            unsafe {
                let slice = std::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), len);
                drop(Box::from_raw(slice));
            }
            true
        }
        None => false,
    }
}

/// Writes a value to an out-parameter already checked non-NULL.
///
/// # Safety
/// `ptr` must be valid for writing a `T`.
pub(crate) unsafe fn write_out<T>(ptr: *mut T, value: T) {
    // SAFETY: forwarded.
    unsafe { ptr.write(value) }
}
