//! What the inbox page shows, computed from the request log, the pushes and the ledger. The JSON
//! endpoints serialize these structs and the HTML renders them, so both always agree.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::super::clock::china_time;
use super::super::handler::State;
use super::super::limits::{CounterView, Limits};
use super::super::log::LoggedRequest;
use super::super::push::MAX_PUSHES;
use crate::catalogue::{ContentRule, Product};
use crate::estimate::estimate;

/// Messages per inbox page unless asked otherwise.
pub(crate) const PAGE_DEFAULT: usize = 50;
/// The most messages one inbox page may ask for.
pub(crate) const PAGE_MAX: usize = 500;
/// The most messages a phone view shows (the newest).
pub(crate) const PHONE_MAX: usize = 500;
/// The most frequency counters the ledger lists (the busiest numbers first).
const COUNTERS_MAX: usize = 200;

/// Which messages an inbox page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InboxQuery {
    /// One product, or all.
    pub product: Option<Product>,
    /// Case-insensitive text that the number, the content or the id must contain.
    pub q: String,
    /// How many matching messages (newest first) to skip.
    pub offset: usize,
    /// How many to show.
    pub limit: usize,
}

impl Default for InboxQuery {
    fn default() -> InboxQuery {
        InboxQuery {
            product: None,
            q: String::new(),
            offset: 0,
            limit: PAGE_DEFAULT,
        }
    }
}

impl InboxQuery {
    /// From query-string fields; anything unreadable falls back to its default.
    pub fn from_fields(fields: &[(String, String)]) -> InboxQuery {
        let get = |name: &str| {
            fields
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        InboxQuery {
            product: get("product").and_then(Product::from_name),
            q: get("q").unwrap_or("").trim().chars().take(200).collect(),
            offset: get("offset")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
                .min(10_000_000),
            limit: get("limit")
                .and_then(|v| v.parse().ok())
                .unwrap_or(PAGE_DEFAULT)
                .clamp(1, PAGE_MAX),
        }
    }
}

/// One Submit as the inbox shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Message {
    /// The request's position in the log.
    pub seq: u64,
    /// Sandbox time it arrived (Unix seconds).
    pub unix_time: u64,
    /// The same, as `YYYY-MM-DD HH:MM:SS` in UTC+8 (the platform's zone).
    pub time: String,
    pub product: Product,
    /// The APIID that sent it.
    pub account: String,
    /// The recipient as sent.
    pub mobile: String,
    /// The content as sent.
    pub content: String,
    /// What the handset shows: the text, or for a voice code the digits it speaks
    /// (`call: 4 8 2 1`).
    pub display: String,
    /// Characters as the vendor counts them.
    pub characters: usize,
    /// Billed segments (a voice code: one call).
    pub segments: u64,
    /// The result code answered; `None` when an injected fault gave no API answer.
    pub code: Option<i64>,
    /// The vendor's message for the code, or what happened instead.
    pub msg: String,
    /// True when the platform accepted it (code 2).
    pub accepted: bool,
    /// The message id (accepted messages only).
    pub id: Option<String>,
    /// The injected fault that hit the request.
    pub fault: Option<&'static str>,
    /// The delivery receipt, when the account pushes receipts.
    pub receipt: Option<Receipt>,
}

/// The delivery receipt of one message, as pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Receipt {
    /// `pending` (not pushed yet), `delivered` or `failed`.
    pub state: &'static str,
    /// The receipt's code (2 delivered) and status word.
    pub code: i64,
    pub msg: String,
    /// Pushes made so far.
    pub pushes: u32,
    /// True when the receiver answered `success`.
    pub acknowledged: bool,
    /// True when no more pushes will be made.
    pub finished: bool,
    /// A short human summary: `delivered · retried 2 times · not acknowledged`.
    pub label: String,
}

/// Matching messages per product.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Counts {
    pub all: usize,
    pub sms: usize,
    pub voice: usize,
    pub isms: usize,
}

impl Counts {
    fn add(&mut self, product: Product) {
        self.all += 1;
        match product {
            Product::Sms => self.sms += 1,
            Product::Voice => self.voice += 1,
            Product::Isms => self.isms += 1,
        }
    }

    pub fn of(&self, product: Option<Product>) -> usize {
        match product {
            None => self.all,
            Some(Product::Sms) => self.sms,
            Some(Product::Voice) => self.voice,
            Some(Product::Isms) => self.isms,
        }
    }
}

/// One page of the inbox, newest first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InboxPage {
    /// Grows whenever the log or the pushes change (see `/_sandbox/changes`).
    pub version: u64,
    pub product: Option<Product>,
    pub q: String,
    pub offset: usize,
    pub limit: usize,
    /// Messages matching the filter and the product.
    pub matched: usize,
    /// Messages matching the filter, per product.
    pub counts: Counts,
    pub messages: Vec<Message>,
}

/// The messages one number received, oldest first, as a conversation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhoneView {
    pub version: u64,
    pub mobile: String,
    /// Submits to this number in the log (the view holds the newest [`PHONE_MAX`]).
    pub total: usize,
    pub messages: Vec<Message>,
}

/// An account as the page shows it (never its key).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AccountView {
    pub product: Product,
    pub account: String,
    pub balance: i64,
    /// The balance at start or after the last reset.
    pub initial_balance: i64,
    pub frozen: bool,
    pub push_url: Option<String>,
    pub allowed_ips: Vec<String>,
    /// International templates: `None` checks nothing.
    pub templates: Option<usize>,
}

/// The accounts, the frequency limits and counters, and the platform lists.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Ledger {
    pub version: u64,
    pub unix_time: u64,
    pub time: String,
    pub accounts: Vec<AccountView>,
    pub limits: Limits,
    /// Per-number counts toward the limits, busiest first (at most 200).
    pub counters: Vec<CounterView>,
    pub blacklist: Vec<String>,
    pub sensitive_words: Vec<String>,
    pub denied_ips: Vec<String>,
}

/// The change counter the page watches.
pub(crate) fn version(state: &State) -> u64 {
    state.log.version() + state.pushes.version()
}

/// The value of `name` in a logged request; the last one wins, as in the sandbox's own handling.
fn last_field<'a>(entry: &'a LoggedRequest, name: &str) -> &'a str {
    entry
        .fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn is_submit(entry: &LoggedRequest) -> Option<Product> {
    entry.product.filter(|_| entry.method == "Submit")
}

/// How a filter is compared with the text it searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// No cased letter (digits, Chinese): plain containment.
    None,
    /// ASCII letters only among the cased ones: a byte-wise ASCII-insensitive scan, no allocation.
    Ascii,
    /// Other cased letters: lowercase the candidate.
    Unicode,
}

impl Fold {
    fn of(needle: &str) -> Fold {
        let cased = |c: char| c.is_lowercase() || c.is_uppercase();
        if !needle.chars().any(cased) {
            Fold::None
        } else if needle.chars().all(|c| c.is_ascii() || !cased(c)) {
            Fold::Ascii
        } else {
            Fold::Unicode
        }
    }

    /// Whether `hay` contains `needle` (already lowercase) without regard to case.
    fn contains(self, hay: &str, needle: &str) -> bool {
        match self {
            Fold::None => hay.contains(needle),
            Fold::Ascii => {
                let n = needle.as_bytes();
                hay.as_bytes()
                    .windows(n.len())
                    .any(|w| w.eq_ignore_ascii_case(n))
            }
            Fold::Unicode => hay.to_lowercase().contains(needle),
        }
    }
}

/// Whether the number, the content or the id contains `needle` (lowercase; empty matches all).
fn matches(entry: &LoggedRequest, needle: &str, fold: Fold) -> bool {
    needle.is_empty()
        || last_field(entry, "mobile").contains(needle)
        || fold.contains(last_field(entry, "content"), needle)
        || entry.id.as_deref().is_some_and(|id| id.contains(needle))
}

/// One inbox page.
pub(crate) fn inbox(state: &State, query: &InboxQuery) -> InboxPage {
    let version = version(state);
    let needle = query.q.to_lowercase();
    let fold = Fold::of(&needle);
    let mut counts = Counts::default();
    let mut matched = 0usize;
    let end = query.offset.saturating_add(query.limit);
    let picked: Vec<LoggedRequest> = state.log.visit(|entries| {
        let mut picked = Vec::with_capacity(query.limit.min(entries.len()));
        for entry in entries.iter().rev() {
            let Some(product) = is_submit(entry) else {
                continue;
            };
            if !matches(entry, &needle, fold) {
                continue;
            }
            counts.add(product);
            if query.product.is_some_and(|p| p != product) {
                continue;
            }
            if matched >= query.offset && matched < end {
                picked.push(entry.clone());
            }
            matched += 1;
        }
        picked
    });
    InboxPage {
        version,
        product: query.product,
        q: query.q.clone(),
        offset: query.offset,
        limit: query.limit,
        matched,
        counts,
        messages: messages(state, picked),
    }
}

/// The conversation of one number.
pub(crate) fn phone(state: &State, mobile: &str) -> PhoneView {
    let version = version(state);
    let mut total = 0usize;
    let mut picked: Vec<LoggedRequest> = state.log.visit(|entries| {
        let mut picked = Vec::new();
        for entry in entries.iter().rev() {
            if is_submit(entry).is_some() && last_field(entry, "mobile") == mobile {
                total += 1;
                if picked.len() < PHONE_MAX {
                    picked.push(entry.clone());
                }
            }
        }
        picked
    });
    picked.reverse();
    PhoneView {
        version,
        mobile: mobile.to_owned(),
        total,
        messages: messages(state, picked),
    }
}

/// The accounts, limits, counters and lists.
pub(crate) fn ledger(state: &State) -> Ledger {
    let version = version(state);
    let now = state.clock.now();
    let settings = state.settings();
    let policy = &settings.policy;
    let initial: HashMap<(Product, &str), i64> = policy
        .accounts
        .iter()
        .map(|a| ((a.product, a.account.as_str()), a.balance))
        .collect();
    let accounts = state
        .accounts()
        .into_iter()
        .map(|a| AccountView {
            product: a.product,
            initial_balance: initial
                .get(&(a.product, a.account.as_str()))
                .copied()
                .unwrap_or(a.balance),
            balance: a.balance,
            frozen: a.frozen,
            push_url: a.push_url,
            allowed_ips: a.allowed_ips.iter().map(ToString::to_string).collect(),
            templates: a.templates.as_ref().map(Vec::len),
            account: a.account,
        })
        .collect();
    let mut counters = state.counters(now);
    counters.retain(|c| c.today > 0 || c.this_second > 0);
    counters.sort_by(|a, b| {
        b.today
            .cmp(&a.today)
            .then_with(|| a.product.cmp(&b.product))
            .then_with(|| a.mobile.cmp(&b.mobile))
    });
    counters.truncate(COUNTERS_MAX);
    let mut blacklist: Vec<String> = policy.blacklist.iter().cloned().collect();
    blacklist.sort();
    Ledger {
        version,
        unix_time: now,
        time: china_time(now),
        accounts,
        limits: policy.limits,
        counters,
        blacklist,
        sensitive_words: policy.sensitive_words.clone(),
        denied_ips: policy.denied_ips.iter().map(ToString::to_string).collect(),
    }
}

/// What the handset shows: the text itself, or for a voice code the digits it speaks.
pub(crate) fn display(product: Product, content: &str) -> String {
    match product.spec().content_rule {
        ContentRule::Digits { .. }
            if !content.is_empty() && content.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let mut out = String::from("call:");
            for c in content.chars() {
                out.push(' ');
                out.push(c);
            }
            out
        }
        _ => content.to_owned(),
    }
}

fn messages(state: &State, entries: Vec<LoggedRequest>) -> Vec<Message> {
    let settings = state.settings();
    let accounts = state.accounts();
    let wanted: HashSet<&str> = entries.iter().filter_map(|e| e.id.as_deref()).collect();
    // id -> (pushes, acknowledged)
    let mut pushed: HashMap<String, (u32, bool)> = HashMap::new();
    if !wanted.is_empty() {
        state.pushes.visit(|pushes| {
            for p in pushes.iter().filter(|p| wanted.contains(p.id.as_str())) {
                let slot = pushed.entry(p.id.clone()).or_default();
                slot.0 = slot.0.max(p.attempt);
                slot.1 |= p.acknowledged;
            }
        });
    }
    entries
        .into_iter()
        .map(|entry| {
            let product = entry.product.unwrap_or(Product::Sms);
            let account = last_field(&entry, "account").to_owned();
            let mobile = last_field(&entry, "mobile").to_owned();
            let content = last_field(&entry, "content").to_owned();
            let estimated = estimate(product, &content, None);
            let accepted = entry.code == Some(2);
            let msg = match entry.code {
                Some(code) => product.message_of(code).unwrap_or("").to_owned(),
                None => "no API answer (injected fault)".to_owned(),
            };
            let pushes_receipts = accounts
                .iter()
                .any(|a| a.product == product && a.account == account && a.push_url.is_some());
            let receipt = entry.id.as_deref().and_then(|id| {
                let (count, acked) = pushed.get(id).copied().unwrap_or((0, false));
                if count == 0 && !pushes_receipts {
                    return None;
                }
                // The outcome comes from the rules in force: a scenario that changes them also
                // resets the log, so they are the ones this message was sent under.
                let (code, rmsg) = settings
                    .policy
                    .receipts
                    .get(&mobile)
                    .map_or((2, "DELIVRD".to_owned()), |r| (r.code, r.msg.clone()));
                Some(receipt(code, rmsg, count, acked))
            });
            Message {
                seq: entry.seq,
                unix_time: entry.unix_time,
                time: china_time(entry.unix_time),
                product,
                display: display(product, &content),
                characters: estimated.characters,
                segments: estimated.segments,
                code: entry.code,
                msg,
                accepted,
                id: entry.id,
                fault: entry.fault,
                receipt,
                account,
                mobile,
                content,
            }
        })
        .collect()
}

fn receipt(code: i64, msg: String, pushes: u32, acknowledged: bool) -> Receipt {
    let finished = acknowledged || pushes >= MAX_PUSHES;
    let state = match (pushes, code) {
        (0, _) => "pending",
        (_, 2) => "delivered",
        _ => "failed",
    };
    let mut label = match state {
        "pending" => "receipt pending".to_owned(),
        "delivered" => "delivered".to_owned(),
        _ => format!("failed ({msg})"),
    };
    if pushes > 1 {
        let n = pushes - 1;
        label.push_str(&format!(
            " · retried {n} time{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    if pushes > 0 && !acknowledged {
        label.push_str(if finished {
            " · not acknowledged"
        } else {
            " · not acknowledged yet"
        });
    }
    Receipt {
        state,
        code,
        msg,
        pushes,
        acknowledged,
        finished,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_codes_are_spoken_digits() {
        assert_eq!(display(Product::Voice, "4821"), "call: 4 8 2 1");
        assert_eq!(display(Product::Voice, "12ab"), "12ab");
        assert_eq!(display(Product::Voice, ""), "");
        assert_eq!(display(Product::Sms, "1234"), "1234");
    }

    #[test]
    fn filters_ignore_case() {
        for (needle, hay, hit) in [
            ("shipped", "Order 1 has SHIPPED", true),
            ("验证码", "您的验证码是:1234", true),
            ("1380013", "to 13800138000", true),
            ("ä", "Ärger", true),
            ("code", "no match", false),
        ] {
            let lower = needle.to_lowercase();
            assert_eq!(
                Fold::of(&lower).contains(hay, &lower),
                hit,
                "{needle} in {hay}"
            );
        }
        assert_eq!(Fold::of("验证码"), Fold::None);
        assert_eq!(Fold::of("code 验证"), Fold::Ascii);
        assert_eq!(Fold::of("ärger"), Fold::Unicode);
    }

    #[test]
    fn receipt_labels() {
        assert_eq!(
            receipt(2, "DELIVRD".into(), 0, false).label,
            "receipt pending"
        );
        assert_eq!(receipt(2, "DELIVRD".into(), 1, true).label, "delivered");
        assert_eq!(
            receipt(2, "DELIVRD".into(), 3, true).label,
            "delivered · retried 2 times"
        );
        assert_eq!(
            receipt(2, "DELIVRD".into(), 2, false).label,
            "delivered · retried 1 time · not acknowledged yet"
        );
        let failed = receipt(0, "UNDELIV".into(), 3, false);
        assert_eq!(
            failed.label,
            "failed (UNDELIV) · retried 2 times · not acknowledged"
        );
        assert!(failed.finished);
        assert_eq!(failed.state, "failed");
    }

    #[test]
    fn queries_fall_back_to_defaults() {
        let f = |pairs: &[(&str, &str)]| {
            InboxQuery::from_fields(
                &pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(f(&[]), InboxQuery::default());
        let q = f(&[
            ("product", "VOICE"),
            ("q", " 138 "),
            ("offset", "50"),
            ("limit", "9999"),
        ]);
        assert_eq!(q.product, Some(Product::Voice));
        assert_eq!(q.q, "138");
        assert_eq!((q.offset, q.limit), (50, PAGE_MAX));
        let q = f(&[("product", "fax"), ("offset", "-1"), ("limit", "0")]);
        assert_eq!((q.product, q.offset, q.limit), (None, 0, 1));
    }
}
