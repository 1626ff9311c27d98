//! What can go wrong with a ledgered send, on top of the client's four kinds.

use std::fmt;

use super::store::EntryState;
use crate::error::{Error, ErrorKind};

/// The kind of a [`LedgerError`]: the client's four kinds, plus the ledger's own two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LedgerErrorKind {
    /// Bad input caught locally (including an empty or oversized key); nothing was sent.
    Validation,
    /// The server refused (now, or when the key was first sent).
    Api,
    /// Nothing can have reached the server; the key stays sendable.
    Unreachable,
    /// The request may have been processed: now, or in an earlier attempt that was never resolved.
    OutcomeUnknown,
    /// The key was already used for a different message, or cannot be resolved the way asked.
    Conflict,
    /// The ledger's database failed; if this happened before sending, nothing was sent.
    Storage,
}

impl LedgerErrorKind {
    /// `validation`, `api`, `unreachable`, `outcome_unknown`, `conflict` or `storage`.
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerErrorKind::Validation => "validation",
            LedgerErrorKind::Api => "api",
            LedgerErrorKind::Unreachable => "unreachable",
            LedgerErrorKind::OutcomeUnknown => "outcome_unknown",
            LedgerErrorKind::Conflict => "conflict",
            LedgerErrorKind::Storage => "storage",
        }
    }
}

impl fmt::Display for LedgerErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure of [`Ledger`](super::Ledger) operations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LedgerError {
    /// The client's error for this key: from the request made now (`replayed == false`) or, for an
    /// API refusal, the one stored when the key was first sent (`replayed == true`, no request made).
    Send {
        /// The idempotency key.
        key: String,
        /// The client's error.
        error: Error,
        /// Whether it was read from the ledger instead of coming from a request made now.
        replayed: bool,
    },
    /// An earlier attempt with this key may have reached the server and was never resolved (a crash
    /// mid-send, a timeout, a lost connection, or another process sending it right now). Nothing
    /// was sent. Resolve it with [`Ledger::resolve`](super::Ledger::resolve), or resend explicitly
    /// with [`Ledger::send_once_resending_unknown`](super::Ledger::send_once_resending_unknown).
    Unresolved {
        /// The idempotency key.
        key: String,
        /// [`EntryState::InFlight`] or [`EntryState::Unknown`].
        state: EntryState,
        /// What is known about the earlier attempt.
        detail: String,
    },
    /// The key was recorded for a different message (`field` is `product`, `account`, `mobile`
    /// or `content`), or [`Ledger::resolve`](super::Ledger::resolve) was asked something its state
    /// does not allow. Nothing was sent.
    Conflict {
        /// The idempotency key.
        key: String,
        /// Which part differs, or `state` for a refused resolution.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The database failed.
    Storage {
        /// The idempotency key, when the failure concerned one.
        key: Option<String>,
        /// What failed (SQLite's message).
        detail: String,
    },
}

impl LedgerError {
    /// The kind of this error.
    pub fn kind(&self) -> LedgerErrorKind {
        match self {
            LedgerError::Send { error, .. } => match error.kind() {
                ErrorKind::Validation => LedgerErrorKind::Validation,
                ErrorKind::Api => LedgerErrorKind::Api,
                ErrorKind::Unreachable => LedgerErrorKind::Unreachable,
                ErrorKind::OutcomeUnknown => LedgerErrorKind::OutcomeUnknown,
            },
            LedgerError::Unresolved { .. } => LedgerErrorKind::OutcomeUnknown,
            LedgerError::Conflict { .. } => LedgerErrorKind::Conflict,
            LedgerError::Storage { .. } => LedgerErrorKind::Storage,
        }
    }

    /// The idempotency key concerned, if any.
    pub fn key(&self) -> Option<&str> {
        match self {
            LedgerError::Send { key, .. }
            | LedgerError::Unresolved { key, .. }
            | LedgerError::Conflict { key, .. } => Some(key),
            LedgerError::Storage { key, .. } => key.as_deref(),
        }
    }

    /// The client's error, for [`LedgerError::Send`].
    pub fn client_error(&self) -> Option<&Error> {
        match self {
            LedgerError::Send { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The vendor result code of an API refusal (fresh or replayed).
    pub fn api_code(&self) -> Option<i64> {
        self.client_error().and_then(Error::api_code)
    }

    /// Whether the error was read from the ledger rather than produced by a request made now.
    pub fn is_replayed(&self) -> bool {
        matches!(self, LedgerError::Send { replayed: true, .. })
    }

    pub(crate) fn storage(key: Option<&str>, e: rusqlite::Error) -> LedgerError {
        LedgerError::Storage {
            key: key.map(str::to_owned),
            detail: e.to_string(),
        }
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Send {
                key,
                error,
                replayed,
            } => {
                if *replayed {
                    write!(f, "key {key:?} (stored result, not resent): {error}")
                } else {
                    write!(f, "key {key:?}: {error}")
                }
            }
            LedgerError::Unresolved { key, state, detail } => write!(
                f,
                "key {key:?}: outcome of an earlier attempt is unknown ({state}: {detail}); not resent: \
                 resolve it as sent or not sent, or resend explicitly"
            ),
            LedgerError::Conflict {
                key,
                field,
                message,
            } => write!(f, "key {key:?}: {message} ({field}; nothing was sent)"),
            LedgerError::Storage {
                key: Some(key),
                detail,
            } => {
                write!(f, "ledger storage failed for key {key:?}: {detail}")
            }
            LedgerError::Storage { key: None, detail } => {
                write!(f, "ledger storage failed: {detail}")
            }
        }
    }
}

impl std::error::Error for LedgerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LedgerError::Send { error, .. } => Some(error),
            _ => None,
        }
    }
}
