//! The ledger as the frequency guard's store: the counts live in the same SQLite file, so the
//! guard's limits hold across threads and processes that share it.
//!
//! ```no_run
//! use std::sync::Arc;
//! use ihuyi::guard::{FrequencyGuard, FrequencyLimits};
//! use ihuyi::ledger::Ledger;
//! use ihuyi::Product;
//!
//! let ledger = Arc::new(Ledger::open("sends.db")?);
//! let guard = FrequencyGuard::new(FrequencyLimits::for_product(Product::Sms)).with_store(ledger);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::Ledger;
use crate::guard::{Counts, GuardStore};

impl GuardStore for Ledger {
    /// Reads, changes and writes one key's counts in one `IMMEDIATE` transaction: SQLite's write
    /// lock makes it atomic against every other thread and process using the file.
    fn update(&self, key: &str, f: &mut dyn FnMut(&mut Counts)) -> io::Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(io::Error::other)?;
        let mut counts = tx
            .query_row(
                "SELECT day, sends, codes, second, in_second FROM guard_counts WHERE key = ?1",
                [key],
                |row| {
                    Ok(Counts {
                        day: row.get::<_, i64>(0)? as u64,
                        sends: row.get::<_, i64>(1)? as u32,
                        codes: row.get::<_, i64>(2)? as u32,
                        second: row.get::<_, i64>(3)? as u64,
                        in_second: row.get::<_, i64>(4)? as u32,
                    })
                },
            )
            .optional()
            .map_err(io::Error::other)?
            .unwrap_or_default();
        f(&mut counts);
        tx.execute(
            "INSERT INTO guard_counts (key, day, sends, codes, second, in_second)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(key) DO UPDATE SET day = excluded.day, sends = excluded.sends,
                 codes = excluded.codes, second = excluded.second, in_second = excluded.in_second",
            params![
                key,
                counts.day as i64,
                counts.sends as i64,
                counts.codes as i64,
                counts.second as i64,
                counts.in_second as i64
            ],
        )
        .map_err(io::Error::other)?;
        tx.commit().map_err(io::Error::other)
    }
}
