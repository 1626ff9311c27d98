//! The local frequency guard, from C: limits the platform enforces (4080: 1 per second per
//! number, 4082: 5 per day, 4085: 5 verification codes per day), checked before sending.

use core_ihuyi::{FrequencyGuard, FrequencyLimits};

use crate::args::{out_arg, write_out};
use crate::error::Failure;
use crate::handles::Registry;
use crate::panic::{guard, guard_value};
use crate::status::ihuyi_status;

/// A local frequency guard with its counts, kept in memory for this process. Shareable between
/// threads and between clients (the check and the count are one atomic step). Made by
/// `ihuyi_frequency_guard_new()`, given to clients with
/// `ihuyi_client_builder_set_frequency_guard()`, released with `ihuyi_frequency_guard_free()`.
pub struct IhuyiFrequencyGuard {
    _opaque: (),
}

pub(crate) static GUARDS: Registry<FrequencyGuard> = Registry::new("ihuyi_frequency_guard");

/// One limit: negative means none, values above `UINT32_MAX` are refused.
fn limit(value: i64, name: &str) -> Result<Option<u32>, Failure> {
    if value < 0 {
        return Ok(None);
    }
    u32::try_from(value).map(Some).map_err(|_| {
        Failure::invalid(format!(
            "`{name}` is {value}; at most {} (or negative for no limit)",
            u32::MAX
        ))
    })
}

/// Creates a frequency guard with these limits per number (per product and account), each
/// negative for no limit: `per_second` sends in one second (the platform's is 1, code 4080),
/// `per_day` sends per day (5, code 4082), `codes_per_day` verification codes per day (5, code
/// 4085; every voice code, and any text containing 验证码, 校验码, 动态码 or "verification code").
/// Days are calendar days in China Standard Time (UTC+8), as the platform counts them.
///
/// A send is counted before its request is written; it stays counted when accepted or when its
/// outcome is unknown, and is released when the server refused it or nothing was sent.
///
/// On `IHUYI_OK`, `*out_guard` receives a handle owned by the caller, released with
/// `ihuyi_frequency_guard_free()`; on error it is not written. A limit above `UINT32_MAX` gives
/// `IHUYI_ERR_INVALID_ARGUMENT`; `out_guard` NULL `IHUYI_ERR_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
/// `out_guard` must be valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ihuyi_frequency_guard_new(
    per_second: i64,
    per_day: i64,
    codes_per_day: i64,
    out_guard: *mut *mut IhuyiFrequencyGuard,
) -> ihuyi_status {
    guard(|| {
        out_arg(out_guard, "out_guard")?;
        let limits = FrequencyLimits {
            per_second: limit(per_second, "per_second")?,
            per_day: limit(per_day, "per_day")?,
            codes_per_day: limit(codes_per_day, "codes_per_day")?,
            ..FrequencyLimits::PLATFORM
        };
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_guard, GUARDS.insert(FrequencyGuard::new(limits))) };
        Ok(())
    })
}

/// Releases a guard. Clients (and builders) given it keep it, with its counts, until they are
/// freed. NULL, and a guard already freed, are ignored. Does not change the last error.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ihuyi_frequency_guard_free(guard: *mut IhuyiFrequencyGuard) {
    guard_value((), || drop(GUARDS.remove(guard)))
}
