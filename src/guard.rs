//! A local frequency guard: refuses, before anything is sent, a send the platform would refuse
//! for frequency — 4080 (more than 1 per second to one number), 4082 (more than 5 per day),
//! 4085 (more than 5 verification codes per day).
//!
//! The guard is optional ([`ClientBuilder::frequency_guard`](crate::ClientBuilder::frequency_guard)).
//! A refused send is an [`Error::Validation`] on the field `frequency`: nothing was sent. Its
//! message names the code the platform would have answered and when the next send is allowed.
//!
//! **Windows.** A second is a Unix second of the guard's [`Clock`] (whole seconds: two sends
//! 0.2 s apart on either side of a second boundary both pass; should the platform measure a
//! sliding second it could still answer 4080). A day is a calendar day in China Standard Time
//! (UTC+8, the platform's), configurable by [`FrequencyLimits::day_offset`].
//!
//! **What is counted.** A send is reserved before the request is written, atomically with the
//! check, so two threads cannot both take the last slot. It stays counted when the platform
//! accepted it or when its outcome is unknown (it may have been delivered); it is released when
//! nothing can have been counted by the platform: refused by the server, unreachable, or invalid.
//! Counts are kept per product, account and (normalized) number.
//!
//! **Verification codes** (4085): every voice code, and any text that contains one of the
//! [`DEFAULT_CODE_MARKERS`] (验证码, 校验码, 动态码, "verification code", …) — the platform
//! classifies by template, which the SDK cannot see; set your own markers if yours differ.
//!
//! **Storage.** Counts live in a [`GuardStore`]: [`MemoryStore`] (the default) holds them for
//! this process; a persistent store (the ledger's SQLite one) makes them hold across processes.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};

use crate::catalogue::{Product, ResultCode};
use crate::clock::{Clock, SystemClock};
use crate::error::Error;

/// Seconds east of UTC of the platform's calendar day: China Standard Time.
pub const CHINA_STANDARD_TIME: i64 = 8 * 3600;

/// Texts that mark a message as a verification code, matched case-insensitively.
pub const DEFAULT_CODE_MARKERS: [&str; 6] = [
    "验证码",
    "校验码",
    "动态码",
    "驗證碼",
    "verification code",
    "verify code",
];

/// The limits the guard enforces; `None` turns one off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrequencyLimits {
    /// Sends per number in one second (platform: 1, code 4080).
    pub per_second: Option<u32>,
    /// Sends per number per day (platform: 5, code 4082).
    pub per_day: Option<u32>,
    /// Verification codes per number per day (platform: 5, code 4085).
    pub codes_per_day: Option<u32>,
    /// Where a day starts, in seconds east of UTC (default [`CHINA_STANDARD_TIME`]).
    pub day_offset: i64,
}

impl FrequencyLimits {
    /// The platform's documented defaults: 1 per second, 5 per day, 5 codes per day.
    pub const PLATFORM: FrequencyLimits = FrequencyLimits {
        per_second: Some(1),
        per_day: Some(5),
        codes_per_day: Some(5),
        day_offset: CHINA_STANDARD_TIME,
    };

    /// The platform's defaults, keeping only the limits whose codes are in `product`'s own table
    /// (all three for `sms`; none for `voice` and `isms`, whose tables lack them).
    pub fn for_product(product: Product) -> FrequencyLimits {
        let has = |code: ResultCode| product.code(code.number()).is_some();
        let p = FrequencyLimits::PLATFORM;
        FrequencyLimits {
            per_second: p.per_second.filter(|_| has(ResultCode::PerSecondLimit)),
            per_day: p.per_day.filter(|_| has(ResultCode::DailyLimit)),
            codes_per_day: p.codes_per_day.filter(|_| has(ResultCode::DailyCodeLimit)),
            day_offset: p.day_offset,
        }
    }

    /// The day index of `unix_time` under this offset.
    pub fn day_of(&self, unix_time: u64) -> u64 {
        (unix_time as i64 + self.day_offset).max(0) as u64 / 86_400
    }
}

impl Default for FrequencyLimits {
    fn default() -> FrequencyLimits {
        FrequencyLimits::PLATFORM
    }
}

/// What a store keeps for one key (product, account, number): a fixed, small record, so a
/// database store is one row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// The day index `day`/`sends`/`codes` belong to ([`FrequencyLimits::day_of`]).
    pub day: u64,
    /// Sends counted on `day`.
    pub sends: u32,
    /// Verification codes counted on `day`.
    pub codes: u32,
    /// The Unix second `in_second` belongs to.
    pub second: u64,
    /// Sends counted in `second`.
    pub in_second: u32,
}

/// Where the guard keeps its counts.
///
/// `update` must run `f` on the key's counts (default [`Counts`] when absent) and save what it
/// leaves, **atomically** with respect to every other `update` of the same key — a mutex for an
/// in-process store, a write transaction (`BEGIN IMMEDIATE`) for a database shared by processes.
/// The check and the reservation happen inside one `f`, which is what makes the guard race-free.
pub trait GuardStore: Send + Sync {
    /// Reads, changes and saves the counts of `key` atomically.
    fn update(&self, key: &str, f: &mut dyn FnMut(&mut Counts)) -> io::Result<()>;
}

/// The in-process store: a map behind a mutex. Entries of past days are swept as it grows.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<MemoryInner>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    counts: HashMap<String, Counts>,
    sweep_at: usize,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// The counts kept for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Counts> {
        self.lock().counts.get(key).copied()
    }

    /// How many keys are kept.
    pub fn len(&self) -> usize {
        self.lock().counts.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        // The map is always consistent between statements, so a panic elsewhere cannot have
        // left it half-written.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl GuardStore for MemoryStore {
    fn update(&self, key: &str, f: &mut dyn FnMut(&mut Counts)) -> io::Result<()> {
        let mut inner = self.lock();
        let day = {
            let counts = inner.counts.entry(key.to_owned()).or_default();
            f(counts);
            counts.day
        };
        if inner.counts.len() >= inner.sweep_at.max(1024) {
            // Yesterday's entries can still matter right after midnight; older ones never do.
            inner.counts.retain(|_, c| c.day + 1 >= day);
            inner.sweep_at = inner.counts.len() * 2;
        }
        Ok(())
    }
}

/// Why the guard refused a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardRefusal {
    /// The code the platform would have answered (4080, 4082 or 4085).
    pub code: ResultCode,
    /// The limit that was reached.
    pub limit: u32,
    /// Seconds until a send to this number is allowed again by that limit.
    pub retry_after: u64,
    /// The number, as counted.
    pub mobile: String,
}

impl fmt::Display for GuardRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.code {
            ResultCode::PerSecondLimit => "sends in one second",
            ResultCode::DailyCodeLimit => "verification codes today",
            _ => "sends today",
        };
        write!(
            f,
            "{} already had {} {what}; the platform would refuse with {}; next allowed in {} s",
            self.mobile,
            self.limit,
            self.code.number(),
            self.retry_after
        )
    }
}

impl From<GuardRefusal> for Error {
    fn from(refusal: GuardRefusal) -> Error {
        Error::validation("frequency", refusal.to_string())
    }
}

/// A send counted by [`FrequencyGuard::reserve`]. It stays counted unless
/// [`release`](FrequencyGuard::release)d.
#[derive(Debug)]
#[must_use = "a reservation stays counted; release it when nothing was sent"]
pub struct Reservation {
    key: String,
    now: u64,
    day: u64,
    is_code: bool,
}

impl Reservation {
    /// The store key the send was counted under.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether it was counted as a verification code.
    pub fn is_code(&self) -> bool {
        self.is_code
    }
}

/// The guard. Cheap to clone; clones share the store, so one guard can serve several clients.
#[derive(Clone)]
pub struct FrequencyGuard {
    limits: FrequencyLimits,
    store: Arc<dyn GuardStore>,
    clock: Arc<dyn Clock>,
    markers: Arc<[String]>,
}

impl FrequencyGuard {
    /// A guard with `limits`, a [`MemoryStore`], the system clock and the default markers.
    pub fn new(limits: FrequencyLimits) -> FrequencyGuard {
        FrequencyGuard {
            limits,
            store: Arc::new(MemoryStore::new()),
            clock: Arc::new(SystemClock),
            markers: DEFAULT_CODE_MARKERS
                .iter()
                .map(|m| m.to_lowercase())
                .collect(),
        }
    }

    /// Keeps the counts in `store` instead (e.g. a database shared by processes).
    pub fn with_store(mut self, store: Arc<dyn GuardStore>) -> FrequencyGuard {
        self.store = store;
        self
    }

    /// Reads time from `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> FrequencyGuard {
        self.clock = clock;
        self
    }

    /// Replaces the texts that mark a verification code (matched case-insensitively).
    pub fn with_code_markers<I, S>(mut self, markers: I) -> FrequencyGuard
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.markers = markers
            .into_iter()
            .map(|m| m.as_ref().to_lowercase())
            .filter(|m| !m.is_empty())
            .collect();
        self
    }

    /// The limits enforced.
    pub fn limits(&self) -> FrequencyLimits {
        self.limits
    }

    /// Whether `content` counts as a verification code for `product`.
    pub fn is_verification_code(&self, product: Product, content: &str) -> bool {
        if product == Product::Voice {
            return true;
        }
        let lower = content.to_lowercase();
        self.markers.iter().any(|m| lower.contains(m.as_str()))
    }

    /// The store key of a number: `product:account:mobile`.
    pub fn key(product: Product, account: &str, mobile: &str) -> String {
        format!("{}:{account}:{mobile}", product.name())
    }

    /// Checks the limits for a send of `content` to `mobile` now and, when allowed, counts it.
    /// A refusal is an [`Error::Validation`] on `frequency`; a store failure too (the guard
    /// fails closed: nothing is sent when it cannot count).
    pub fn reserve(
        &self,
        product: Product,
        account: &str,
        mobile: &str,
        content: &str,
    ) -> Result<Reservation, Error> {
        let is_code = self.is_verification_code(product, content);
        self.reserve_at(
            &Self::key(product, account, mobile),
            mobile,
            is_code,
            self.clock.unix_time(),
        )
    }

    /// [`reserve`](Self::reserve) for a store key at a given time (sans-IO: no clock read).
    pub fn reserve_at(
        &self,
        key: &str,
        mobile: &str,
        is_code: bool,
        now: u64,
    ) -> Result<Reservation, Error> {
        let limits = self.limits;
        let day = limits.day_of(now);
        let mut refusal: Option<(ResultCode, u32, u64)> = None;
        self.store
            .update(key, &mut |counts| {
                if counts.day != day {
                    counts.day = day;
                    counts.sends = 0;
                    counts.codes = 0;
                }
                if counts.second != now {
                    counts.second = now;
                    counts.in_second = 0;
                }
                let next_day = ((day + 1) * 86_400) as i64 - limits.day_offset;
                let to_next_day = (next_day - now as i64).max(1) as u64;
                refusal = match limits {
                    FrequencyLimits {
                        per_day: Some(n), ..
                    } if counts.sends >= n => Some((ResultCode::DailyLimit, n, to_next_day)),
                    FrequencyLimits {
                        codes_per_day: Some(n),
                        ..
                    } if is_code && counts.codes >= n => {
                        Some((ResultCode::DailyCodeLimit, n, to_next_day))
                    }
                    FrequencyLimits {
                        per_second: Some(n),
                        ..
                    } if counts.in_second >= n => Some((ResultCode::PerSecondLimit, n, 1)),
                    _ => None,
                };
                if refusal.is_none() {
                    counts.sends += 1;
                    counts.codes += u32::from(is_code);
                    counts.in_second += 1;
                }
            })
            .map_err(|e| store_error(&e))?;
        if let Some((code, limit, retry_after)) = refusal {
            log::debug!("ihuyi guard refused a send: {code:?}");
            return Err(GuardRefusal {
                code,
                limit,
                retry_after,
                mobile: mobile.to_owned(),
            }
            .into());
        }
        Ok(Reservation {
            key: key.to_owned(),
            now,
            day,
            is_code,
        })
    }

    /// Uncounts a reserved send that cannot have reached the platform's counters.
    pub fn release(&self, reservation: Reservation) -> Result<(), Error> {
        self.store
            .update(&reservation.key, &mut |counts| {
                if counts.day == reservation.day {
                    counts.sends = counts.sends.saturating_sub(1);
                    if reservation.is_code {
                        counts.codes = counts.codes.saturating_sub(1);
                    }
                }
                if counts.second == reservation.now {
                    counts.in_second = counts.in_second.saturating_sub(1);
                }
            })
            .map_err(|e| store_error(&e))
    }
}

fn store_error(e: &io::Error) -> Error {
    Error::validation(
        "frequency",
        format!("the frequency guard could not read or save its counts: {e}"),
    )
}

impl fmt::Debug for FrequencyGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrequencyGuard")
            .field("limits", &self.limits)
            .field("markers", &self.markers)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    // A midnight in China Standard Time (2024-10-04 00:00 +08:00).
    const MIDNIGHT_CST: u64 = 20_000 * 86_400 - 8 * 3600;

    fn guard(clock: &Arc<ManualClock>) -> FrequencyGuard {
        FrequencyGuard::new(FrequencyLimits::PLATFORM).with_clock(clock.clone())
    }

    fn code_of(e: &Error) -> String {
        e.to_string()
    }

    #[test]
    fn per_second_then_per_day() {
        let clock = Arc::new(ManualClock::new(MIDNIGHT_CST + 10));
        let g = guard(&clock);
        let send = || g.reserve(Product::Sms, "C1", "13800138000", "notice");
        let _first = send().unwrap();
        let e = send().unwrap_err();
        assert!(code_of(&e).contains("4080"), "{e}");
        assert!(matches!(e, Error::Validation(ref v) if v.field == "frequency"));
        for _ in 0..4 {
            clock.advance(1);
            let _ = send().unwrap();
        }
        clock.advance(1);
        let e = send().unwrap_err();
        assert!(code_of(&e).contains("4082"), "{e}");
        // Another number and another account are counted apart.
        let _ = g
            .reserve(Product::Sms, "C1", "13900139000", "notice")
            .unwrap();
        let _ = g
            .reserve(Product::Sms, "C2", "13800138000", "notice")
            .unwrap();
        // The day ends at midnight China time, not UTC.
        clock.set(MIDNIGHT_CST + 86_400);
        let _ = send().unwrap();
    }

    #[test]
    fn codes_per_day_counts_only_codes() {
        let clock = Arc::new(ManualClock::new(MIDNIGHT_CST));
        let limits = FrequencyLimits {
            per_day: Some(10),
            codes_per_day: Some(2),
            ..FrequencyLimits::PLATFORM
        };
        let g = FrequencyGuard::new(limits).with_clock(clock.clone());
        for content in ["您的验证码是:1234", "Your Verification Code is 5678"] {
            clock.advance(1);
            let _ = g
                .reserve(Product::Sms, "C1", "13800138000", content)
                .unwrap();
        }
        clock.advance(1);
        let e = g
            .reserve(Product::Sms, "C1", "13800138000", "验证码 9999")
            .unwrap_err();
        assert!(code_of(&e).contains("4085"), "{e}");
        let _ = g
            .reserve(Product::Sms, "C1", "13800138000", "您的订单已发货")
            .unwrap();
    }

    #[test]
    fn release_gives_the_slot_back() {
        let clock = Arc::new(ManualClock::new(MIDNIGHT_CST));
        let g = guard(&clock);
        let r = g.reserve(Product::Sms, "C1", "13800138000", "x").unwrap();
        g.release(r).unwrap();
        let _ = g.reserve(Product::Sms, "C1", "13800138000", "x").unwrap();
    }

    #[test]
    fn limits_follow_the_products_table() {
        assert_eq!(
            FrequencyLimits::for_product(Product::Sms),
            FrequencyLimits::PLATFORM
        );
        let voice = FrequencyLimits::for_product(Product::Voice);
        assert_eq!(
            (voice.per_second, voice.per_day, voice.codes_per_day),
            (None, None, None)
        );
    }

    #[test]
    fn threads_never_exceed_the_limit() {
        let clock = Arc::new(ManualClock::new(MIDNIGHT_CST));
        let limits = FrequencyLimits {
            per_second: None,
            ..FrequencyLimits::PLATFORM
        };
        let g = FrequencyGuard::new(limits).with_clock(clock);
        let granted = std::sync::atomic::AtomicU32::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..10 {
                        if g.reserve(Product::Sms, "C1", "13800138000", "x").is_ok() {
                            granted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(granted.into_inner(), 5);
    }
}
