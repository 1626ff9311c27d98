//! Delivery receipts (回执推送) that the platform POSTs to the customer's URL.
//!
//! Fields differ by product and source: an id in `smsid`, `voiceid` or `ismsid`; a time in
//! `report_time` or `reply_time`. Every field is kept. The platform repeats a push until it is
//! answered `success` (at most 3 times), so receivers must de-duplicate by (product, id):
//! [`ReceiptDeduper`] does that.

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;

use crate::catalogue::Product;
use crate::wire::parse_form;

/// The body a receiver answers to acknowledge a push.
pub const ACK_BODY: &str = "success";

/// One delivery receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The product, told by the id field's name (`smsid`, `voiceid`, `ismsid`); `None` when the
    /// push used a generic name.
    pub product: Option<Product>,
    /// The message id the Submit returned.
    pub id: String,
    /// The delivery code: 2 is delivered, anything else failed. `None` when missing or not a
    /// number.
    pub code: Option<i64>,
    /// The platform's description.
    pub msg: String,
    /// The recipient (`mobilephone`, or `mobile`).
    pub mobile: String,
    /// When it was reported (`report_time` or `reply_time`), as sent.
    pub time: String,
    /// Every field of the push, in order, including the ones above.
    pub fields: Vec<(String, String)>,
}

impl Receipt {
    /// True when the platform reports the message delivered (code 2).
    pub fn delivered(&self) -> bool {
        self.code == Some(2)
    }

    /// The value of any field by name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A push that is not a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptError(pub String);

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a delivery receipt: {}", self.0)
    }
}

impl std::error::Error for ReceiptError {}

/// The largest push body accepted.
pub const MAX_RECEIPT_BYTES: usize = 64 * 1024;

/// Parses a receipt push body (form-encoded; a JSON object is accepted too). Missing fields are
/// left empty; the only requirement is an id.
pub fn parse_receipt(body: &[u8]) -> Result<Receipt, ReceiptError> {
    if body.len() > MAX_RECEIPT_BYTES {
        return Err(ReceiptError(format!(
            "the body is {} bytes; at most {MAX_RECEIPT_BYTES}",
            body.len()
        )));
    }
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return Err(ReceiptError("the body is empty".into()));
    }
    let fields = if trimmed.starts_with(b"{") {
        json_fields(trimmed)?
    } else {
        parse_form(trimmed)
    };
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    };
    let (product, id) = Product::ALL
        .iter()
        .find_map(|p| get(&[p.spec().id_field]).map(|id| (Some(*p), id)))
        .or_else(|| get(&["id", "msgid"]).map(|id| (None, id)))
        .ok_or_else(|| ReceiptError("no smsid, voiceid or ismsid field".into()))?;
    let id = id.trim().to_owned();
    if id.is_empty() {
        return Err(ReceiptError("the id is empty".into()));
    }
    Ok(Receipt {
        product,
        id,
        code: get(&["code", "status"]).and_then(|c| c.trim().parse().ok()),
        msg: get(&["msg"]).unwrap_or_default(),
        mobile: get(&["mobilephone", "mobile"]).unwrap_or_default(),
        time: get(&["report_time", "reply_time", "time"]).unwrap_or_default(),
        fields,
    })
}

fn json_fields(body: &[u8]) -> Result<Vec<(String, String)>, ReceiptError> {
    let text = std::str::from_utf8(body).map_err(|_| ReceiptError("JSON is not UTF-8".into()))?;
    let mut fields = Vec::new();
    crate::wire::read_json_object(text, |k, v| fields.push((k.to_owned(), v)))
        .map_err(|why| ReceiptError(why.into()))?;
    Ok(fields)
}

/// Tells a first-seen receipt from a repeat, by (product, id). Thread-safe.
#[derive(Debug, Default)]
pub struct ReceiptDeduper {
    seen: Mutex<HashSet<(Option<Product>, String)>>,
}

impl ReceiptDeduper {
    /// An empty deduper.
    pub fn new() -> ReceiptDeduper {
        ReceiptDeduper::default()
    }

    /// True the first time a (product, id) is seen, false for every repeat.
    pub fn first_seen(&self, receipt: &Receipt) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.insert((receipt.product, receipt.id.clone()))
    }

    /// Forgets a receipt, so its next push counts as first-seen again (for a receiver that
    /// could not store it after all).
    pub fn forget(&self, receipt: &Receipt) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.remove(&(receipt.product, receipt.id.clone()))
    }

    /// True when this (product, id) was seen, without recording it.
    pub fn contains(&self, receipt: &Receipt) -> bool {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.contains(&(receipt.product, receipt.id.clone()))
    }

    /// How many distinct receipts were seen.
    pub fn len(&self) -> usize {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when none was seen.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_receipt() {
        let r = parse_receipt("code=2&msg=%E5%8F%91%E9%80%81%E6%88%90%E5%8A%9F&mobilephone=63+9171234567&ismsid=98765432109876543210&reply_time=2026-11-23+10%3A00%3A00".as_bytes()).unwrap();
        assert_eq!(r.product, Some(Product::Isms));
        assert_eq!(r.id, "98765432109876543210");
        assert!(r.delivered());
        assert_eq!(r.mobile, "63 9171234567");
        assert_eq!(r.time, "2026-11-23 10:00:00");
        assert_eq!(r.msg, "发送成功");
    }

    #[test]
    fn missing_and_extra_fields() {
        let r = parse_receipt(b"smsid=1&extra=x&code=UNDELIV").unwrap();
        assert_eq!(r.product, Some(Product::Sms));
        assert_eq!(r.code, None);
        assert!(!r.delivered());
        assert_eq!(r.field("extra"), Some("x"));
        assert!(parse_receipt(b"").is_err());
        assert!(parse_receipt(b"code=2&msg=x").is_err());
        assert!(parse_receipt(b"smsid=").is_err());
    }

    #[test]
    fn deduper() {
        let d = ReceiptDeduper::new();
        let r = parse_receipt(b"voiceid=5&code=2").unwrap();
        assert!(d.first_seen(&r));
        assert!(!d.first_seen(&r));
        assert_eq!(d.len(), 1);
    }
}
