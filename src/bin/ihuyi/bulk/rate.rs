//! `--rate`: how many requests per second or minute, and the pacer that keeps to it.

use std::time::{Duration, Instant};

/// A parsed `--rate`: `off` (or `0`), `N`, `N/s`, `N/min` (`N/m`). N may be fractional.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The interval between two requests; `None` when unlimited.
    pub interval: Option<Duration>,
}

impl std::str::FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Rate, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(Rate { interval: None });
        }
        let (number, per) = match s.split_once('/') {
            Some((n, unit)) => {
                let per = match unit.trim() {
                    "s" | "sec" | "second" => 1.0,
                    "m" | "min" | "minute" => 60.0,
                    other => return Err(format!("unknown rate unit {other:?} (use /s or /min)")),
                };
                (n.trim(), per)
            }
            None => (s, 1.0),
        };
        let n: f64 = number
            .parse()
            .map_err(|_| format!("{s:?} is not a rate: use N, N/s, N/min or off"))?;
        if !n.is_finite() || n < 0.0 {
            return Err(format!("{s:?}: the rate must be a positive number"));
        }
        if n == 0.0 {
            return Ok(Rate { interval: None });
        }
        let interval = Duration::try_from_secs_f64(per / n)
            .map_err(|_| format!("{s:?}: the rate is out of range"))?;
        Ok(Rate {
            interval: Some(interval),
        })
    }
}

/// Spaces requests `interval` apart on average, without drift.
pub struct Pacer {
    interval: Option<Duration>,
    next: Option<Instant>,
}

impl Pacer {
    pub fn new(rate: Rate) -> Pacer {
        Pacer {
            interval: rate.interval,
            next: None,
        }
    }

    /// Sleeps until the next request may go.
    pub fn wait(&mut self) {
        let Some(interval) = self.interval else {
            return;
        };
        let now = Instant::now();
        let due = match self.next {
            // After a long pause (stored rows skipped) do not burst to catch up.
            Some(due) if due > now => {
                std::thread::sleep(due - now);
                due
            }
            _ => now,
        };
        self.next = Some(due + interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rates() {
        let r = |s: &str| s.parse::<Rate>().map(|r| r.interval);
        assert_eq!(r("off"), Ok(None));
        assert_eq!(r("0"), Ok(None));
        assert_eq!(r("4"), Ok(Some(Duration::from_millis(250))));
        assert_eq!(r("4/s"), Ok(Some(Duration::from_millis(250))));
        assert_eq!(r("120/min"), Ok(Some(Duration::from_millis(500))));
        assert!(r("-1").is_err());
        assert!(r("fast").is_err());
        assert!(r("3/h").is_err());
    }

    #[test]
    fn pacer_spaces_requests() {
        let mut p = Pacer::new("200/s".parse().unwrap());
        let start = Instant::now();
        for _ in 0..11 {
            p.wait();
        }
        assert!(start.elapsed() >= Duration::from_millis(50));
    }
}
