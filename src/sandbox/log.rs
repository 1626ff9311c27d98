//! The request log: every request the sandbox received, the password shown only as its length.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::catalogue::Product;

/// One request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoggedRequest {
    /// Position in arrival order, from 1; never reused, even after old entries are dropped.
    pub seq: u64,
    /// When it arrived, by the sandbox clock (Unix seconds).
    pub unix_time: u64,
    /// The product whose path was called, when the path was a product's.
    pub product: Option<Product>,
    /// The `method` query value (`Submit`, `GetNum`, or whatever was sent).
    pub method: String,
    /// The HTTP method.
    pub http_method: String,
    /// The path requested.
    pub path: String,
    /// The fields from the query and the body, in order; `password` replaced by
    /// `<N chars>`.
    pub fields: Vec<(String, String)>,
    /// The result code answered (`None` when the answer was not an API answer).
    pub code: Option<i64>,
    /// The message id answered to an accepted Submit.
    pub id: Option<String>,
    /// The injected fault that hit this request (`delay`, `close`, `accept_then_drop`,
    /// `http_500`, `garbage`, `slow_drip`), if any.
    pub fault: Option<&'static str>,
}

impl LoggedRequest {
    /// A field's value by name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A log that keeps its newest `capacity` entries, shared by the request log and the push log.
pub(crate) struct BoundedLog<T> {
    entries: Mutex<VecDeque<T>>,
    capacity: usize,
    /// Bumped by every push and clear, so the inbox page can tell cheaply that something changed.
    version: AtomicU64,
}

/// Every request the sandbox received.
pub(crate) type RequestLog = BoundedLog<LoggedRequest>;

impl<T: Clone> BoundedLog<T> {
    pub fn new(capacity: usize) -> BoundedLog<T> {
        BoundedLog {
            entries: Mutex::new(VecDeque::new()),
            capacity: capacity.max(1),
            version: AtomicU64::new(0),
        }
    }

    /// Changes since start: grows on every push and clear.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Relaxed)
    }

    /// Runs `f` over the entries, oldest first, under the lock: a read of 10 000 entries without
    /// cloning them.
    pub fn visit<R>(&self, f: impl FnOnce(&VecDeque<T>) -> R) -> R {
        f(&self.entries.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn push(&self, entry: T) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
        self.version.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Vec<T> {
        self.visit(|entries| entries.iter().cloned().collect())
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.version.fetch_add(1, Ordering::Relaxed);
    }
}
