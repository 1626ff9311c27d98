//! Per-number frequency limits (4080, 4082, 4085), counted on accepted sends only.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::clock::china_day;
use crate::catalogue::{Product, ResultCode};

/// How many sends a number may receive. `0` turns a limit off. The limits apply to products
/// whose code table has the code (domestic SMS); voice and international SMS have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Sends per number within one second of sandbox time (`4080`; the platform: 1).
    pub per_second: u32,
    /// Sends per number per calendar day, UTC+8 (`4082`; the platform: 5).
    pub per_day: u32,
    /// Verification codes per number per calendar day (`4085`; the platform: 5). What counts as
    /// a verification code: see [`is_verification_code`].
    pub codes_per_day: u32,
}

impl Limits {
    /// No limit at all: the permissive default of [`super::SandboxConfig::default`].
    pub const OFF: Limits = Limits {
        per_second: 0,
        per_day: 0,
        codes_per_day: 0,
    };

    /// The platform's documented values: 1 per second, 5 per day, 5 verification codes per day.
    pub const PLATFORM: Limits = Limits {
        per_second: 1,
        per_day: 5,
        codes_per_day: 5,
    };

    /// True when every limit is off.
    pub fn is_off(&self) -> bool {
        *self == Limits::OFF
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::OFF
    }
}

/// Whether the sandbox counts `content` as a verification code for `4085`.
///
/// The platform does not publish its rule; the sandbox counts a message as a code when it
/// contains `验证码`, `校验码`, `动态码` or `动态密码`, or when it contains the word `code`
/// (any case) together with a run of 4 to 8 ASCII digits (`Your verification code is 1125`).
/// The vendor's test template (`您的验证码是:1234。…`) is therefore a code.
pub fn is_verification_code(content: &str) -> bool {
    if ["验证码", "校验码", "动态码", "动态密码"]
        .iter()
        .any(|w| content.contains(w))
    {
        return true;
    }
    let has_word = content
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"code"));
    has_word
        && content
            .split(|c: char| !c.is_ascii_digit())
            .any(|run| (4..=8).contains(&run.len()))
}

/// What one number received.
#[derive(Debug, Default, Clone, Copy)]
struct NumberCount {
    second: u64,
    in_second: u32,
    day: u64,
    sends: u32,
    codes: u32,
}

/// The counts of every number, kept under the caller's lock with the balances so a check and
/// its count are one step.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    map: HashMap<(Product, String), NumberCount>,
}

impl Counters {
    /// The code refusing one more send, if any.
    pub fn check(
        &self,
        limits: &Limits,
        product: Product,
        mobile: &str,
        now: u64,
        is_code: bool,
    ) -> Result<(), ResultCode> {
        if limits.is_off() {
            return Ok(());
        }
        let Some(count) = self.map.get(&(product, mobile.to_owned())) else {
            return Ok(());
        };
        let has = |code: ResultCode| product.code(code.number()).is_some();
        let day = china_day(now);
        if limits.per_second > 0
            && has(ResultCode::PerSecondLimit)
            && count.second == now
            && count.in_second >= limits.per_second
        {
            return Err(ResultCode::PerSecondLimit);
        }
        let today = count.day == day;
        if is_code
            && limits.codes_per_day > 0
            && has(ResultCode::DailyCodeLimit)
            && today
            && count.codes >= limits.codes_per_day
        {
            return Err(ResultCode::DailyCodeLimit);
        }
        if limits.per_day > 0
            && has(ResultCode::DailyLimit)
            && today
            && count.sends >= limits.per_day
        {
            return Err(ResultCode::DailyLimit);
        }
        Ok(())
    }

    /// Counts an accepted send.
    pub fn count(
        &mut self,
        limits: &Limits,
        product: Product,
        mobile: &str,
        now: u64,
        is_code: bool,
    ) {
        if limits.is_off() {
            return;
        }
        let count = self.map.entry((product, mobile.to_owned())).or_default();
        if count.second != now {
            count.second = now;
            count.in_second = 0;
        }
        count.in_second += 1;
        let day = china_day(now);
        if count.day != day {
            count.day = day;
            count.sends = 0;
            count.codes = 0;
        }
        count.sends += 1;
        if is_code {
            count.codes += 1;
        }
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Every number's counts as they stand at `now` (a count from another second or day reads
    /// 0), for the inbox page.
    pub fn view(&self, now: u64) -> Vec<CounterView> {
        let day = china_day(now);
        self.map
            .iter()
            .map(|((product, mobile), c)| CounterView {
                product: *product,
                mobile: mobile.clone(),
                this_second: if c.second == now { c.in_second } else { 0 },
                today: if c.day == day { c.sends } else { 0 },
                codes_today: if c.day == day { c.codes } else { 0 },
            })
            .collect()
    }
}

/// One number's counts toward the frequency limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CounterView {
    pub product: Product,
    pub mobile: String,
    /// Sends within the current second (4080).
    pub this_second: u32,
    /// Sends today, UTC+8 (4082).
    pub today: u32,
    /// Verification codes today (4085).
    pub codes_today: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_a_code() {
        assert!(is_verification_code(
            "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】"
        ));
        assert!(is_verification_code("Your verification code is 1125"));
        assert!(is_verification_code("CODE: 884211"));
        assert!(!is_verification_code("code 12"));
        assert!(!is_verification_code("您的订单已发货。【互亿无线】"));
        assert!(!is_verification_code("order 123456 shipped"));
    }

    #[test]
    fn limits_in_order() {
        let limits = Limits::PLATFORM;
        let mut c = Counters::default();
        let m = "13800138000";
        assert!(c.check(&limits, Product::Sms, m, 100, true).is_ok());
        c.count(&limits, Product::Sms, m, 100, true);
        assert_eq!(
            c.check(&limits, Product::Sms, m, 100, true),
            Err(ResultCode::PerSecondLimit)
        );
        // Voice has no 4080 in its table.
        assert!(c.check(&limits, Product::Voice, m, 100, true).is_ok());
        for t in 101..105 {
            c.count(&limits, Product::Sms, m, t, true);
        }
        assert_eq!(
            c.check(&limits, Product::Sms, m, 200, true),
            Err(ResultCode::DailyCodeLimit)
        );
        assert_eq!(
            c.check(&limits, Product::Sms, m, 200, false),
            Err(ResultCode::DailyLimit)
        );
        assert!(
            c.check(&limits, Product::Sms, m, 100 + 86_400, true)
                .is_ok()
        );
        assert!(c.check(&Limits::OFF, Product::Sms, m, 100, true).is_ok());
    }
}
