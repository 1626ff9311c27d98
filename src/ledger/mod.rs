//! Never send twice: an idempotency ledger for Submits (feature `ledger`).
//!
//! A [`Ledger`] is a SQLite file (compiled in; WAL mode; a busy timeout) that remembers, for
//! every idempotency key the application chooses, which message the key stands for and what
//! became of it. [`Ledger::send_once`] sends through an ordinary [`Client`]:
//!
//! 1. In one transaction it checks the key and records it **in flight** (product, account,
//!    mobile and an MD5 of the content) *before* the request is written.
//! 2. It sends with [`Client::send`], holding no lock (other threads and processes go on).
//! 3. In a second transaction it records the outcome.
//!
//! What a key's state means for the next `send_once` with it:
//!
//! | Last outcome | Stored as | Next `send_once` |
//! |---|---|---|
//! | accepted | [`EntryState::Accepted`] (+ id) | the same [`SendResult`], no request |
//! | refused by the server | [`EntryState::Refused`] (+ code, msg) | the same [`Error::Api`], no request ([`LedgerError::Send`] with `replayed`) |
//! | timeout, lost connection, non-API answer | [`EntryState::Unknown`] | [`LedgerError::Unresolved`], no request |
//! | the process died between 1 and 3, or another process is sending it now | [`EntryState::InFlight`] | [`LedgerError::Unresolved`], no request |
//! | unreachable (nothing can have been received) | [`EntryState::NotSent`] | sends |
//! | invalid mobile or content (caught locally, nothing built) | nothing: the key is not recorded | sends (after the input is fixed) |
//!
//! An unresolved key is **never resent automatically**, because the first request may have
//! texted the recipient. The application decides: [`Ledger::resolve`] with
//! [`Resolution::Sent`] (for instance after finding the message in the vendor's console or a
//! delivery receipt) or [`Resolution::NotSent`], or an explicit resend with
//! [`Ledger::send_once_resending_unknown`] / [`SendOptions::resend_unknown`].
//!
//! A key always stands for one message: reusing it with another product, account, mobile or
//! content is a [`LedgerError::Conflict`] and sends nothing.
//!
//! Several threads may share one `Ledger` (it is `Send + Sync`), and several processes may open
//! the same file: the in-flight record is taken in an `IMMEDIATE` transaction, so of two callers
//! racing on one key exactly one sends and the other gets [`LedgerError::Unresolved`] (in flight).
//!
//! Durability: [`Durability::Full`] (the default) syncs every commit to disk, so even a power
//! loss cannot forget an in-flight record. [`Durability::Normal`] syncs only at WAL checkpoints:
//! it survives any crash or kill of the process (the bulk sender's default, for throughput) but a
//! power loss or OS crash may forget the last commits.
//!
//! Cost: `send_once` makes two commits per message; [`Ledger::send_many`] makes one (it stores
//! each outcome with the next key's in-flight record). Over a real network a commit (tens of µs
//! with `Normal`; one disk sync each with `Full`) is small beside the round trip; on loopback it
//! is of the same order as the request itself (`examples/ledger_bench.rs`).
//!
//! Privacy: the file holds the account, mobile numbers and message ids in clear, and an MD5 of
//! each content (not the content). It never holds the API key.
//!
//! For bindings: every entry point takes and returns plain strings and integers; errors carry a
//! [`LedgerErrorKind`] (`as_str()` gives a stable name) and the key concerned.
//!
//! ```no_run
//! use ihuyi::ledger::{Ledger, LedgerError, Resolution};
//! use ihuyi::{Client, Product};
//!
//! let client = Client::builder(Product::Sms).account("C12345678").apikey("key").build()?;
//! let ledger = Ledger::open("sends.db")?;
//! let key = "signup-otp/user-42/attempt-1";
//! let content = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";
//! match ledger.send_once(&client, key, "13800138000", content) {
//!     Ok(sent) => println!("accepted as {}", sent.id), // also on every later call
//!     Err(LedgerError::Unresolved { .. }) => {
//!         // A timeout or crash earlier: look it up, then decide.
//!         ledger.resolve(key, Resolution::NotSent)?;
//!     }
//!     Err(e) => eprintln!("{} error: {e}", e.kind()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod store;

pub use error::{LedgerError, LedgerErrorKind};
pub use store::{Entry, EntryState, SCHEMA_VERSION};

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use crate::catalogue::Product;
use crate::client::{Client, SendResult};
use crate::error::{ApiError, Error, ValidationError};
use crate::wire::ApiMethod;
use store::{Fingerprint, Outcome};

/// The longest key accepted, in bytes.
pub const MAX_KEY_BYTES: usize = 256;

/// The message stored for a key resolved as sent (and replayed in its [`SendResult::msg`]).
pub const RESOLVED_SENT_MSG: &str = "resolved as sent";

/// How hard commits are pushed to disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: every commit survives a power loss. The default.
    #[default]
    Full,
    /// `synchronous=NORMAL`: commits survive any crash of the process, not of the machine.
    Normal,
}

/// How a [`Ledger`] opens its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerConfig {
    /// See [`Durability`].
    pub durability: Durability,
    /// How long to wait for another connection's write lock before failing with
    /// [`LedgerError::Storage`]. Default 30 s.
    pub busy_timeout: Duration,
    /// Hold the file locked for as long as this `Ledger` is open (SQLite's exclusive locking
    /// mode): other processes cannot open it meanwhile (they wait `busy_timeout`, then fail),
    /// and each transaction is cheaper. For a single-process job such as a bulk run. Default off.
    pub exclusive: bool,
}

impl Default for LedgerConfig {
    fn default() -> LedgerConfig {
        LedgerConfig {
            durability: Durability::Full,
            busy_timeout: Duration::from_secs(30),
            exclusive: false,
        }
    }
}

/// Overrides for [`Ledger::send_once_with`]. The default (all off) is [`Ledger::send_once`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// Send again even when the key is in flight or unknown. This may text the recipient twice;
    /// use it only when you know the earlier attempt did not go out, and never while another
    /// thread or process may be sending the same key.
    pub resend_unknown: bool,
    /// Send again when the key was refused with one of these codes (a refusal means nothing was
    /// sent; the bulk sender uses `[4051]` to resume after a top-up).
    pub resend_refused: Vec<i64>,
}

/// How the application settles a key whose outcome is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The message went out; `id` if it is known. Later `send_once` calls return a
    /// [`SendResult`] with that id (empty when `None`) and msg [`RESOLVED_SENT_MSG`].
    Sent {
        /// The message id, if known.
        id: Option<String>,
    },
    /// The message did not go out: the next `send_once` with the key sends. Also allowed on a
    /// refused key (a refusal sent nothing), to send it again.
    NotSent,
}

/// What [`Ledger::send_once_with`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The accepted Submit.
    pub result: SendResult,
    /// `true` when read from the ledger (no request made now).
    pub replayed: bool,
}

/// The idempotency ledger. See the [module documentation](self).
pub struct Ledger {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish()
    }
}

/// What the first transaction decided.
enum Step {
    Replay(Result<SendResult, LedgerError>),
    Send { attempt: u32 },
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` with [`LedgerConfig::default`].
    pub fn open(path: impl AsRef<Path>) -> Result<Ledger, LedgerError> {
        Ledger::open_with(path, LedgerConfig::default())
    }

    /// Opens (creating if needed) the ledger at `path`.
    pub fn open_with(path: impl AsRef<Path>, config: LedgerConfig) -> Result<Ledger, LedgerError> {
        let path = path.as_ref();
        let conn = store::open(
            path,
            config.durability == Durability::Full,
            config.exclusive,
            config.busy_timeout,
        )
        .map_err(|e| LedgerError::Storage {
            key: None,
            detail: format!("cannot open {}: {e}", path.display()),
        })?;
        Ok(Ledger {
            conn: Mutex::new(conn),
            path: path.to_owned(),
        })
    }

    /// The file this ledger lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sends `content` to `mobile` through `client` at most once for `key`. See the
    /// [module documentation](self) for what a repeat returns.
    pub fn send_once(
        &self,
        client: &Client,
        key: &str,
        mobile: &str,
        content: &str,
    ) -> Result<SendResult, LedgerError> {
        self.send_once_with(client, key, mobile, content, &SendOptions::default())
            .map(|sent| sent.result)
    }

    /// Like [`Ledger::send_once`], but a key in flight or unknown is sent again. This may text
    /// the recipient twice: it is the explicit override, for when the application knows better.
    pub fn send_once_resending_unknown(
        &self,
        client: &Client,
        key: &str,
        mobile: &str,
        content: &str,
    ) -> Result<SendResult, LedgerError> {
        let options = SendOptions {
            resend_unknown: true,
            ..SendOptions::default()
        };
        self.send_once_with(client, key, mobile, content, &options)
            .map(|sent| sent.result)
    }

    /// [`Ledger::send_once`] with overrides, telling whether the result was replayed.
    pub fn send_once_with(
        &self,
        client: &Client,
        key: &str,
        mobile: &str,
        content: &str,
        options: &SendOptions,
    ) -> Result<Sent, LedgerError> {
        let fp = prepare(client, key, mobile, content)?;
        let attempt = match self.begin(key, &fp, options)? {
            Step::Replay(result) => {
                return result.map(|result| Sent {
                    result,
                    replayed: true,
                });
            }
            Step::Send { attempt } => attempt,
        };
        let result = client.send(mobile, content);
        self.record(key, attempt, &result);
        result
            .map(|result| Sent {
                result,
                replayed: false,
            })
            .map_err(|error| LedgerError::Send {
                key: key.to_owned(),
                error,
                replayed: false,
            })
    }

    /// Settles a key: see [`Resolution`]. `Sent` is allowed on a key in flight or unknown;
    /// `NotSent` on a key in flight, unknown, refused or already not sent. Anything else (an
    /// accepted key, a key never recorded) is a [`LedgerError::Conflict`] with field `state`.
    pub fn resolve(&self, key: &str, resolution: Resolution) -> Result<(), LedgerError> {
        check_key(key)?;
        self.transaction(key, |tx| {
            let Some(entry) = store::get(tx, key)? else {
                return Ok(Err(conflict_state(key, "was never recorded".into())));
            };
            let allowed = match resolution {
                Resolution::Sent { .. } => entry.state.is_unresolved(),
                Resolution::NotSent => entry.state != EntryState::Accepted,
            };
            if !allowed {
                return Ok(Err(conflict_state(
                    key,
                    format!(
                        "is {}; only a key in flight or unknown can be resolved as {}",
                        entry.state,
                        match resolution {
                            Resolution::Sent { .. } => "sent",
                            Resolution::NotSent => "not sent",
                        }
                    ),
                )));
            }
            let outcome = match &resolution {
                Resolution::Sent { id } => Outcome {
                    state: EntryState::Accepted,
                    id: id.as_deref(),
                    code: Some(2),
                    msg: Some(RESOLVED_SENT_MSG),
                    detail: Some("resolved as sent by the application"),
                },
                Resolution::NotSent => Outcome {
                    state: EntryState::NotSent,
                    id: None,
                    code: None,
                    msg: None,
                    detail: Some("resolved as not sent by the application"),
                },
            };
            store::set_state(tx, key, &outcome, store::now_ms())?;
            Ok(Ok(()))
        })
    }

    /// The record of `key`, if any.
    pub fn get(&self, key: &str) -> Result<Option<Entry>, LedgerError> {
        store::get(&self.lock(), key).map_err(|e| LedgerError::storage(Some(key), e))
    }

    /// Every key starting with `prefix`, in key order.
    pub fn entries_with_prefix(&self, prefix: &str) -> Result<Vec<Entry>, LedgerError> {
        store::with_prefix(&self.lock(), prefix).map_err(|e| LedgerError::storage(None, e))
    }

    /// Every key in flight or unknown: the ones waiting for the application's decision.
    pub fn unresolved(&self) -> Result<Vec<Entry>, LedgerError> {
        store::in_states(&self.lock(), &[EntryState::InFlight, EntryState::Unknown])
            .map_err(|e| LedgerError::storage(None, e))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic elsewhere cannot leave the connection mid-transaction: rusqlite rolls back
        // a dropped transaction.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `body` in an IMMEDIATE transaction, committing whatever it returns.
    fn transaction<T>(
        &self,
        key: &str,
        body: impl FnOnce(&Connection) -> rusqlite::Result<Result<T, LedgerError>>,
    ) -> Result<T, LedgerError> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| LedgerError::storage(Some(key), e))?;
        let out = body(&tx).map_err(|e| LedgerError::storage(Some(key), e))?;
        tx.commit()
            .map_err(|e| LedgerError::storage(Some(key), e))?;
        out
    }

    /// Step 1: replay what is stored, or record the key in flight.
    fn begin(
        &self,
        key: &str,
        fp: &Fingerprint<'_>,
        options: &SendOptions,
    ) -> Result<Step, LedgerError> {
        self.transaction(key, |tx| begin_in(tx, key, fp, options))
    }

    /// Step 3: store the outcome. A failure here is logged, not returned: the caller must learn
    /// what the server said, and the key stays in flight, which later calls treat as unknown
    /// (never resent), so nothing can be sent twice because of it.
    fn record(&self, key: &str, attempt: u32, result: &Result<SendResult, Error>) {
        let stored = self.transaction(key, |tx| finish_in(tx, key, attempt, result).map(Ok));
        log_finish(key, attempt, result, stored);
    }

    /// Sends a sequence of messages, each at most once, like [`Ledger::send_once_with`] on each
    /// in turn, calling `each` with every result as soon as it is known (before it is stored);
    /// `each` returning [`ControlFlow::Break`] stops after that message. `messages` may be a
    /// lazy iterator (it is pulled only when the previous message is done), and several threads
    /// may each run their own `send_many` on one `Ledger`.
    ///
    /// The difference is cost: a message's outcome is stored in the same transaction that
    /// records the next key in flight, so a long sequence takes one commit per message instead
    /// of two. Nothing is sent twice because of it: until that transaction commits, the
    /// finished key is still in flight (never resent), and the next request is only written
    /// after it commits. The price: an outcome waits for the next message to be pulled, so a
    /// process killed while `messages` blocks (pacing, say) leaves that key unknown although it
    /// was answered. Pull without blocking, or use [`Ledger::send_once_with`] when pacing.
    pub fn send_many<T, I, F>(
        &self,
        client: &Client,
        messages: I,
        options: &SendOptions,
        mut each: F,
    ) where
        I: IntoIterator<Item = (T, Message)>,
        F: FnMut(T, &Message, Result<Sent, LedgerError>) -> ControlFlow<()>,
    {
        // The last message sent whose outcome is not stored yet.
        let mut pending: Option<(Message, u32, Result<SendResult, Error>)> = None;
        for (tag, message) in messages {
            let step =
                prepare(client, &message.key, &message.mobile, &message.content).and_then(|fp| {
                    let key = message.key.as_str();
                    let mut finished = None;
                    let step = self.transaction(key, |tx| {
                        if let Some((done, attempt, result)) = &pending {
                            finished = Some(finish_in(tx, &done.key, *attempt, result)?);
                        }
                        begin_in(tx, key, &fp, options)
                    });
                    if let Some((done, attempt, result)) = pending.take() {
                        // A storage error rolled the whole transaction back, this outcome too.
                        let stored = match &step {
                            Err(e @ LedgerError::Storage { .. }) => Err(e.clone()),
                            _ => Ok(finished.unwrap_or(false)),
                        };
                        log_finish(&done.key, attempt, &result, stored);
                    }
                    step
                });
            let result = match step {
                Ok(Step::Replay(result)) => result.map(|result| Sent {
                    result,
                    replayed: true,
                }),
                Ok(Step::Send { attempt }) => {
                    let result = client.send(&message.mobile, &message.content);
                    let shown = result
                        .clone()
                        .map(|result| Sent {
                            result,
                            replayed: false,
                        })
                        .map_err(|error| LedgerError::Send {
                            key: message.key.clone(),
                            error,
                            replayed: false,
                        });
                    pending = Some((message.clone(), attempt, result));
                    shown
                }
                Err(e) => Err(e),
            };
            if each(tag, &message, result).is_break() {
                break;
            }
        }
        if let Some((done, attempt, result)) = pending.take() {
            self.record(&done.key, attempt, &result);
        }
    }
}

/// One message for [`Ledger::send_many`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The idempotency key.
    pub key: String,
    /// The recipient.
    pub mobile: String,
    /// The text (or the voice code).
    pub content: String,
}

/// The checks made before a key is touched, and the message's fingerprint.
fn prepare<'m>(
    client: &'m Client,
    key: &str,
    mobile: &'m str,
    content: &str,
) -> Result<Fingerprint<'m>, LedgerError> {
    check_key(key)?;
    let product = client.product();
    // Invalid input is refused before the key is recorded: nothing could have been sent, and the
    // application may fix the input and reuse the key.
    crate::validate::mobile(product, mobile)
        .and_then(|()| crate::validate::content(product, content))
        .map_err(|error| LedgerError::Send {
            key: key.to_owned(),
            error,
            replayed: false,
        })?;
    Ok(Fingerprint {
        product,
        account: client.config().account(),
        mobile,
        content_hash: store::content_hash(content),
    })
}

/// Stores the outcome of `attempt` of `key` inside a transaction.
fn finish_in(
    tx: &Connection,
    key: &str,
    attempt: u32,
    result: &Result<SendResult, Error>,
) -> rusqlite::Result<bool> {
    let reason = match result {
        Ok(_) | Err(Error::Api(_)) => None,
        Err(Error::OutcomeUnknown(u)) => Some(format!("{}: {}", u.reason.as_str(), u.detail)),
        Err(other) => Some(other.to_string()),
    };
    let outcome = match result {
        Ok(sent) => Outcome {
            state: EntryState::Accepted,
            id: Some(&sent.id),
            code: Some(sent.code),
            msg: Some(&sent.msg),
            detail: None,
        },
        Err(Error::Api(e)) => Outcome {
            state: EntryState::Refused,
            id: None,
            code: Some(e.code),
            msg: Some(&e.msg),
            detail: None,
        },
        // Nothing was received (or, for validation, nothing was built): sendable again.
        Err(Error::Unreachable(_) | Error::Validation(_)) => Outcome {
            state: EntryState::NotSent,
            id: None,
            code: None,
            msg: None,
            detail: reason.as_deref(),
        },
        // Outcome unknown, and any kind added later: the safe side.
        Err(_) => Outcome {
            state: EntryState::Unknown,
            id: None,
            code: None,
            msg: None,
            detail: reason.as_deref(),
        },
    };
    store::finish(tx, key, attempt, &outcome, store::now_ms())
}

fn log_finish(
    key: &str,
    attempt: u32,
    result: &Result<SendResult, Error>,
    stored: Result<bool, LedgerError>,
) {
    let what = match result {
        Ok(_) => "accepted",
        Err(e) => e.kind().as_str(),
    };
    match stored {
        Ok(true) => {}
        Ok(false) => log::warn!(
            "ihuyi ledger: key {key:?} attempt {attempt} finished ({what}) but the key was \
             resolved or taken over meanwhile; that record is kept"
        ),
        Err(e) => log::error!(
            "ihuyi ledger: could not record the outcome ({what}) of key {key:?}; it stays in \
             flight and will not be resent: {e}"
        ),
    }
}

/// Replays what is stored for `key`, or records it in flight (inside a transaction).
fn begin_in(
    tx: &Connection,
    key: &str,
    fp: &Fingerprint<'_>,
    options: &SendOptions,
) -> rusqlite::Result<Result<Step, LedgerError>> {
    let now = store::now_ms();
    let Some(entry) = store::get(tx, key)? else {
        store::insert_in_flight(tx, key, fp, now)?;
        return Ok(Ok(Step::Send { attempt: 1 }));
    };
    if let Some((field, message)) = fp.mismatch(&entry) {
        return Ok(Err(LedgerError::Conflict {
            key: key.to_owned(),
            field,
            message,
        }));
    }
    match entry.state {
        EntryState::Accepted => {
            return Ok(Ok(Step::Replay(Ok(replay_accepted(entry)))));
        }
        EntryState::Refused => {
            let code = entry.code.unwrap_or(0);
            if !options.resend_refused.contains(&code) {
                return Ok(Ok(Step::Replay(Err(replay_refused(entry)))));
            }
        }
        EntryState::InFlight | EntryState::Unknown => {
            if !options.resend_unknown {
                return Ok(Ok(Step::Replay(Err(LedgerError::Unresolved {
                    key: key.to_owned(),
                    state: entry.state,
                    detail: entry.detail.unwrap_or_else(|| match entry.state {
                        EntryState::InFlight => "recorded in flight and never finished: \
                                                 being sent now, or the sender died"
                            .to_owned(),
                        _ => "no detail".to_owned(),
                    }),
                }))));
            }
        }
        EntryState::NotSent => {}
    }
    let attempt = store::restart_in_flight(tx, key, now)?;
    Ok(Ok(Step::Send { attempt }))
}

fn check_key(key: &str) -> Result<(), LedgerError> {
    let problem = if key.is_empty() {
        "is empty".to_owned()
    } else if key.len() > MAX_KEY_BYTES {
        format!("is {} bytes long; at most {MAX_KEY_BYTES}", key.len())
    } else if key.chars().any(char::is_control) {
        "contains control characters".to_owned()
    } else {
        return Ok(());
    };
    let shown: String = key.chars().take(40).filter(|c| !c.is_control()).collect();
    Err(LedgerError::Send {
        key: shown,
        error: Error::Validation(ValidationError {
            field: "key",
            message: problem,
        }),
        replayed: false,
    })
}

fn conflict_state(key: &str, message: String) -> LedgerError {
    LedgerError::Conflict {
        key: key.to_owned(),
        field: "state",
        message,
    }
}

fn replay_accepted(entry: Entry) -> SendResult {
    SendResult {
        product: entry.product,
        id: entry.id.unwrap_or_default(),
        code: entry.code.unwrap_or(2),
        msg: entry.msg.unwrap_or_default(),
    }
}

fn replay_refused(entry: Entry) -> LedgerError {
    let product: Product = entry.product;
    let code = entry.code.unwrap_or(0);
    LedgerError::Send {
        key: entry.key,
        error: Error::Api(ApiError {
            product,
            method: ApiMethod::Submit,
            code,
            msg: entry.msg.unwrap_or_default(),
            class: product.class_of(code),
        }),
        replayed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Ledger>();
    }

    #[test]
    fn content_hash_is_md5_hex() {
        assert_eq!(
            store::content_hash(""),
            "md5:d41d8cd98f00b204e9800998ecf8427e"
        );
    }

    #[test]
    fn keys_are_checked() {
        assert!(check_key("a").is_ok());
        assert!(check_key(&"k".repeat(MAX_KEY_BYTES)).is_ok());
        for bad in ["", "a\nb", "a\0b"] {
            let e = check_key(bad).unwrap_err();
            assert_eq!(e.kind(), LedgerErrorKind::Validation);
        }
        let e = check_key(&"k".repeat(MAX_KEY_BYTES + 1)).unwrap_err();
        assert!(e.to_string().contains("at most 256"));
    }
}
