//! The SQLite side: schema, connection settings, one row per key.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::catalogue::Product;

/// The schema version kept in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sends (
    key          TEXT PRIMARY KEY NOT NULL,
    product      TEXT NOT NULL,
    account      TEXT NOT NULL,
    mobile       TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    state        TEXT NOT NULL,
    id           TEXT,
    code         INTEGER,
    msg          TEXT,
    detail       TEXT,
    attempts     INTEGER NOT NULL,
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS guard_counts (
    key       TEXT PRIMARY KEY NOT NULL,
    day       INTEGER NOT NULL,
    sends     INTEGER NOT NULL,
    codes     INTEGER NOT NULL,
    second    INTEGER NOT NULL,
    in_second INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Where a key stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryState {
    /// Recorded just before the request was written, and no outcome recorded since: the request is
    /// being sent right now, or the process died mid-send. Treated like [`EntryState::Unknown`].
    InFlight,
    /// The server accepted it (the id is stored), or the application resolved it as sent.
    Accepted,
    /// The server refused it (the code and message are stored).
    Refused,
    /// The request may have been processed (timeout, lost connection, a non-API answer).
    Unknown,
    /// Certainly not sent (the server was unreachable, or the application resolved it as not
    /// sent): the next `send_once` with the key sends.
    NotSent,
}

impl EntryState {
    /// `in_flight`, `accepted`, `refused`, `unknown` or `not_sent`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::InFlight => "in_flight",
            EntryState::Accepted => "accepted",
            EntryState::Refused => "refused",
            EntryState::Unknown => "unknown",
            EntryState::NotSent => "not_sent",
        }
    }

    /// The state named by [`EntryState::as_str`].
    pub fn from_name(name: &str) -> Option<EntryState> {
        Some(match name {
            "in_flight" => EntryState::InFlight,
            "accepted" => EntryState::Accepted,
            "refused" => EntryState::Refused,
            "unknown" => EntryState::Unknown,
            "not_sent" => EntryState::NotSent,
            _ => return None,
        })
    }

    /// In flight or unknown: the message may or may not have gone out.
    pub fn is_unresolved(self) -> bool {
        matches!(self, EntryState::InFlight | EntryState::Unknown)
    }
}

impl fmt::Display for EntryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One key as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The idempotency key.
    pub key: String,
    /// The product the key was sent with.
    pub product: Product,
    /// The APIID the key was sent with.
    pub account: String,
    /// The recipient.
    pub mobile: String,
    /// `md5:` and the hex MD5 of the content (the content itself is not stored).
    pub content_hash: String,
    /// Where it stands.
    pub state: EntryState,
    /// The message id, once accepted (`None` when resolved as sent without an id).
    pub id: Option<String>,
    /// The result code: 2 when accepted, the refusal's code when refused.
    pub code: Option<i64>,
    /// The server's message, when it answered.
    pub msg: Option<String>,
    /// Why the outcome is unknown or the key was not sent; how it was resolved.
    pub detail: Option<String>,
    /// How many times a request was started with this key.
    pub attempts: u32,
    /// When the key was first recorded (Unix milliseconds).
    pub created_ms: i64,
    /// When it last changed (Unix milliseconds).
    pub updated_ms: i64,
}

/// The identity of one message: a key may only ever stand for one.
pub(crate) struct Fingerprint<'a> {
    pub product: Product,
    pub account: &'a str,
    pub mobile: &'a str,
    pub content_hash: String,
}

impl Fingerprint<'_> {
    /// The first field in which `entry` differs, with the values to show (never content).
    pub fn mismatch(&self, entry: &Entry) -> Option<(&'static str, String)> {
        let fields = [
            ("product", entry.product.name(), self.product.name()),
            ("account", entry.account.as_str(), self.account),
            ("mobile", entry.mobile.as_str(), self.mobile),
        ];
        for (field, recorded, given) in fields {
            if recorded != given {
                return Some((
                    field,
                    format!("was recorded for {field} {recorded}, not {given}"),
                ));
            }
        }
        if entry.content_hash != self.content_hash {
            return Some(("content", "was recorded for a different content".to_owned()));
        }
        None
    }
}

/// The content's fingerprint as stored.
pub(crate) fn content_hash(content: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(content.as_bytes());
    let mut out = String::with_capacity(36);
    out.push_str("md5:");
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Opens (creating if needed) and configures a connection: WAL so readers never block the
/// writer and several processes can share the file, a busy timeout so they wait for each other
/// instead of failing, and the schema. There is deliberately no index on `state`: every send
/// changes it twice, and an index would cost a page write per commit to speed up only the rare
/// listing of unresolved keys (a scan).
pub(crate) fn open(
    path: &Path,
    synchronous_full: bool,
    exclusive: bool,
    busy_timeout: Duration,
) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(busy_timeout)?;
    if exclusive {
        // Set before the first access: the lock is then taken and kept, and no shared-memory
        // index is needed, which saves a lock round per transaction.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    }
    set_wal(&conn, busy_timeout)?;
    if synchronous_full {
        conn.pragma_update(None, "synchronous", "FULL")?;
    } else {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // NORMAL syncs only at checkpoints: make them rarer (a WAL of up to ~40 MB), and
        // shrink the file back afterwards.
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        conn.pragma_update(None, "journal_size_limit", 8 * 1024 * 1024)?;
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
            Some(format!(
                "the ledger's schema version {version} is newer than this library's {SCHEMA_VERSION}"
            )),
        ));
    }
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    ))?;
    Ok(conn)
}

/// `PRAGMA journal_mode = WAL`, retried while another process holds the lock it needs, until
/// `busy_timeout`. On a new file that another process is switching to WAL at the same moment,
/// SQLite answers `SQLITE_BUSY` at once instead of calling the busy handler (measured: 5-8 of 600
/// opens failed with "database is locked" when 4 processes opened one new file together, 0 of
/// 1 200 with this retry).
fn set_wal(conn: &Connection, busy_timeout: Duration) -> rusqlite::Result<()> {
    let deadline = Instant::now() + busy_timeout;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(2));
            }
            done => return done,
        }
    }
}

const COLUMNS: &str = "key, product, account, mobile, content_hash, state, id, code, msg, detail, \
                       attempts, created_ms, updated_ms";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let product: String = row.get(1)?;
    let state: String = row.get(5)?;
    let bad = |what: &str, value: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown {what} {value:?} in the ledger").into(),
        )
    };
    Ok(Entry {
        key: row.get(0)?,
        product: Product::from_name(&product).ok_or_else(|| bad("product", &product))?,
        account: row.get(2)?,
        mobile: row.get(3)?,
        content_hash: row.get(4)?,
        state: EntryState::from_name(&state).ok_or_else(|| bad("state", &state))?,
        id: row.get(6)?,
        code: row.get(7)?,
        msg: row.get(8)?,
        detail: row.get(9)?,
        attempts: row.get(10)?,
        created_ms: row.get(11)?,
        updated_ms: row.get(12)?,
    })
}

pub(crate) fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<Entry>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sends WHERE key = ?1"))?
        .query_row([key], entry_from_row)
        .optional()
}

pub(crate) fn with_prefix(conn: &Connection, prefix: &str) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sends WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key"
    ))?;
    stmt.query_map([prefix], entry_from_row)?.collect()
}

pub(crate) fn in_states(conn: &Connection, states: &[EntryState]) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sends WHERE state = ?1 ORDER BY created_ms, key"
    ))?;
    let mut out = Vec::new();
    for state in states {
        for entry in stmt.query_map([state.as_str()], entry_from_row)? {
            out.push(entry?);
        }
    }
    Ok(out)
}

/// Records a new key as in flight (attempt 1).
pub(crate) fn insert_in_flight(
    conn: &Connection,
    key: &str,
    fp: &Fingerprint<'_>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sends (key, product, account, mobile, content_hash, state, attempts, \
         created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, 'in_flight', 1, ?6, ?6)",
    )?
    .execute(params![
        key,
        fp.product.name(),
        fp.account,
        fp.mobile,
        fp.content_hash,
        now
    ])?;
    Ok(())
}

/// Marks an existing key in flight again for a new attempt; returns the attempt number.
pub(crate) fn restart_in_flight(conn: &Connection, key: &str, now: i64) -> rusqlite::Result<u32> {
    conn.prepare_cached(
        "UPDATE sends SET state = 'in_flight', id = NULL, code = NULL, msg = NULL, detail = NULL, \
         attempts = attempts + 1, updated_ms = ?2 WHERE key = ?1 RETURNING attempts",
    )?
    .query_row(params![key, now], |r| r.get(0))
}

/// The outcome of one attempt, as stored.
pub(crate) struct Outcome<'a> {
    pub state: EntryState,
    pub id: Option<&'a str>,
    pub code: Option<i64>,
    pub msg: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// Records the outcome of attempt `attempt`; a later attempt (an explicit resend by someone
/// else) wins. Returns whether a row was updated.
pub(crate) fn finish(
    conn: &Connection,
    key: &str,
    attempt: u32,
    outcome: &Outcome<'_>,
    now: i64,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE sends SET state = ?3, id = ?4, code = ?5, msg = ?6, detail = ?7, \
             updated_ms = ?8 WHERE key = ?1 AND attempts = ?2 AND state = 'in_flight'",
        )?
        .execute(params![
            key,
            attempt,
            outcome.state.as_str(),
            outcome.id,
            outcome.code,
            outcome.msg,
            outcome.detail,
            now
        ])?;
    Ok(n == 1)
}

/// Overwrites the state of a key unconditionally (resolution by the application).
pub(crate) fn set_state(
    conn: &Connection,
    key: &str,
    outcome: &Outcome<'_>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE sends SET state = ?2, id = ?3, code = ?4, msg = ?5, detail = ?6, updated_ms = ?7 \
         WHERE key = ?1",
    )?
    .execute(params![
        key,
        outcome.state.as_str(),
        outcome.id,
        outcome.code,
        outcome.msg,
        outcome.detail,
        now
    ])?;
    Ok(())
}
