//! Sandbox time: an injectable clock that can run faster than real time, plus an offset the admin
//! endpoint moves, so minutes-long platform behaviour (password age, daily limits, re-pushes) is
//! testable in milliseconds.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::clock::{Clock, SystemClock};

/// A clock that starts at a chosen Unix time and advances `scale` sandbox seconds per real
/// second. A scale of `0` freezes it; `1` is real time.
#[derive(Debug)]
pub struct ScaledClock {
    start_unix: f64,
    started: Instant,
    scale: f64,
}

impl ScaledClock {
    /// A clock at `start_unix` now, running `scale` times real time (negative or non-finite
    /// scales count as 0).
    pub fn new(start_unix: u64, scale: f64) -> ScaledClock {
        ScaledClock {
            start_unix: start_unix as f64,
            started: Instant::now(),
            scale: if scale.is_finite() && scale > 0.0 {
                scale
            } else {
                0.0
            },
        }
    }

    /// A clock at the system's current time, running `scale` times real time.
    pub fn from_now(scale: f64) -> ScaledClock {
        ScaledClock::new(SystemClock.unix_time(), scale)
    }

    /// Sandbox seconds per real second.
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

impl Clock for ScaledClock {
    fn unix_time(&self) -> u64 {
        let now = self.start_unix + self.started.elapsed().as_secs_f64() * self.scale;
        now.max(0.0) as u64
    }
}

/// The clock a running sandbox reads: a replaceable base clock plus an offset in seconds.
pub(crate) struct SandboxClock {
    base: RwLock<Arc<dyn Clock>>,
    offset: AtomicI64,
}

impl SandboxClock {
    pub fn new(base: Arc<dyn Clock>) -> SandboxClock {
        SandboxClock {
            base: RwLock::new(base),
            offset: AtomicI64::new(0),
        }
    }

    pub fn now(&self) -> u64 {
        let base = self
            .base
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .unix_time();
        let offset = self.offset.load(Ordering::Relaxed);
        u64::try_from(i128::from(base) + i128::from(offset)).unwrap_or(0)
    }

    /// Moves sandbox time by `seconds` (negative goes back).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }

    pub fn replace(&self, base: Arc<dyn Clock>) {
        *self.base.write().unwrap_or_else(|p| p.into_inner()) = base;
        self.offset.store(0, Ordering::Relaxed);
    }

    pub fn clear_offset(&self) {
        self.offset.store(0, Ordering::Relaxed);
    }
}

/// Civil date and time (UTC+8, the platform's zone) of a Unix time: `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn china_time(unix: u64) -> String {
    let t = unix + 8 * 3600;
    let (days, secs) = (t / 86_400, t % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The platform's calendar day (UTC+8) of a Unix time, for daily limits.
pub(crate) fn china_day(unix: u64) -> u64 {
    (unix + 8 * 3600) / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time_in_china() {
        assert_eq!(china_time(0), "1970-01-01 08:00:00");
        assert_eq!(china_time(1_451_544_941), "2015-12-31 14:55:41");
        assert_eq!(china_time(1_709_164_800), "2024-02-29 08:00:00");
        assert_eq!(china_day(16 * 3600 - 1), 0);
        assert_eq!(china_day(16 * 3600), 1);
    }

    #[test]
    fn scaled_and_frozen() {
        let frozen = ScaledClock::new(1000, 0.0);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(frozen.unix_time(), 1000);
        let fast = ScaledClock::new(1000, 10_000.0);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(fast.unix_time() >= 1050);
        let clock = SandboxClock::new(Arc::new(frozen));
        clock.advance(-2000);
        assert_eq!(clock.now(), 0);
        clock.clear_offset();
        clock.advance(86_400);
        assert_eq!(clock.now(), 87_400);
    }
}
