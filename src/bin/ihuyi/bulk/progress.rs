//! Progress on stderr: an indicatif bar (rate, ETA) on a terminal, plain periodic lines otherwise
//! (logs, CI, pipes), so stdout keeps only the final result.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a plain progress line is printed.
const LINE_EVERY: Duration = Duration::from_secs(2);

pub enum Progress {
    Bar(ProgressBar),
    Lines {
        total: usize,
        start: Instant,
        last: Instant,
    },
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} rows  {per_sec}  ETA {eta}  {msg}",
            ) {
                bar.set_style(style);
            }
            Progress::Bar(bar)
        } else {
            let now = Instant::now();
            Progress::Lines {
                total,
                start: now,
                last: now,
            }
        }
    }

    /// One more row done; `summary` is called only when something will be shown.
    pub fn tick(&mut self, done: usize, summary: impl FnOnce() -> String) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(done as u64);
                if done % 64 == 0 {
                    bar.set_message(summary());
                }
            }
            Progress::Lines { total, start, last } => {
                if last.elapsed() < LINE_EVERY {
                    return;
                }
                *last = Instant::now();
                let secs = start.elapsed().as_secs_f64().max(1e-3);
                let rate = done as f64 / secs;
                let eta = if rate > 0.0 {
                    format!("{:.0}s", (*total - done) as f64 / rate)
                } else {
                    "?".into()
                };
                eprintln!(
                    "bulk: {done}/{total} rows ({}), {rate:.0} rows/s, ETA {eta}",
                    summary()
                );
                let _ = std::io::stderr().flush();
            }
        }
    }

    /// A line that must not be overdrawn by the bar.
    pub fn println(&self, line: &str) {
        match self {
            Progress::Bar(bar) => bar.println(line),
            Progress::Lines { .. } => eprintln!("{line}"),
        }
    }

    pub fn finish(self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
