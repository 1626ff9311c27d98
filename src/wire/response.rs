//! Parsing an answer (HTTP status + body bytes, XML or JSON) into a typed reply.

use std::borrow::Cow;
use std::fmt;

use super::{json, xml};
use crate::catalogue::Product;

/// A parsed Submit answer. `code == 2` means accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitReply {
    /// The result code.
    pub code: i64,
    /// The server's message.
    pub msg: String,
    /// The message id (流水号), kept as a string: ids reach 20 digits. `"0"` or empty on failure.
    pub id: String,
}

/// A parsed GetNum answer. `code == 2` means answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetNumReply {
    /// The result code.
    pub code: i64,
    /// The server's message.
    pub msg: String,
    /// The remaining balance (剩余条数); 0 on failure.
    pub num: i64,
}

/// An answer that is not the API's: a non-200 status, an empty body, or a body that is neither
/// form. The request may still have been processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    /// The HTTP status received.
    pub status: u16,
    /// What is wrong.
    pub problem: String,
    /// The first characters of the body, control characters escaped.
    pub excerpt: String,
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.problem)?;
        if !self.excerpt.is_empty() {
            write!(f, "; body starts {:?}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for ProtocolError {}

/// How many characters of a body an excerpt keeps.
pub const EXCERPT_CHARS: usize = 120;

/// The first [`EXCERPT_CHARS`] characters of `body`, lossily decoded, for error messages.
pub fn body_excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    for c in text.chars().take(EXCERPT_CHARS) {
        out.push(c);
    }
    if text.chars().count() > EXCERPT_CHARS || head.len() < body.len() {
        out.push('…');
    }
    out
}

/// Parses a Submit answer for `product`.
pub fn parse_submit(
    product: Product,
    status: u16,
    body: &[u8],
) -> Result<SubmitReply, ProtocolError> {
    let own_id = product.spec().id_field;
    let mut code = None;
    let mut msg = None;
    let mut smsid = None;
    let mut id = None;
    read_fields(status, body, |name, value| match name {
        "code" => code = Some(value),
        "msg" => msg = Some(value),
        "smsid" => smsid = Some(value),
        _ if name == own_id => id = Some(value),
        _ => {}
    })?;
    let code = parse_code(status, body, code)?;
    Ok(SubmitReply {
        code,
        msg: msg.map_or_else(|| default_msg(product, code), Cow::into_owned),
        id: id.or(smsid).map(trimmed).unwrap_or_default(),
    })
}

/// Parses a GetNum answer for `product`.
pub fn parse_get_num(
    product: Product,
    status: u16,
    body: &[u8],
) -> Result<GetNumReply, ProtocolError> {
    let mut code = None;
    let mut msg = None;
    let mut num = None;
    read_fields(status, body, |name, value| match name {
        "code" => code = Some(value),
        "msg" => msg = Some(value),
        "num" => num = Some(value),
        _ => {}
    })?;
    let code = parse_code(status, body, code)?;
    let num = match num.as_deref().map(parse_integer) {
        Some(Some(n)) => n,
        Some(None) if code == 2 => {
            return Err(error(status, body, "the balance (num) is not an integer"));
        }
        None if code == 2 => return Err(error(status, body, "the answer has no balance (num)")),
        _ => 0,
    };
    Ok(GetNumReply {
        code,
        msg: msg.map_or_else(|| default_msg(product, code), Cow::into_owned),
        num,
    })
}

fn default_msg(product: Product, code: i64) -> String {
    product.message_of(code).unwrap_or_default().to_owned()
}

/// The value without surrounding whitespace, copied only when something must be cut.
fn trimmed(value: Cow<'_, str>) -> String {
    let cut = value.trim();
    if cut.len() == value.len() {
        value.into_owned()
    } else {
        cut.to_owned()
    }
}

fn parse_code(status: u16, body: &[u8], code: Option<Cow<'_, str>>) -> Result<i64, ProtocolError> {
    let code = code.ok_or_else(|| error(status, body, "the answer has no code"))?;
    parse_integer(&code).ok_or_else(|| error(status, body, "the code is not an integer"))
}

/// An integer given as a number or a string, with surrounding whitespace.
fn parse_integer(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok()
}

fn error(status: u16, body: &[u8], problem: &str) -> ProtocolError {
    ProtocolError {
        status,
        problem: problem.to_owned(),
        excerpt: body_excerpt(body),
    }
}

/// Checks the status and dispatches on the body's form (not on the format asked for: a server
/// may ignore `format`).
fn read_fields<'b>(
    status: u16,
    body: &'b [u8],
    mut field: impl FnMut(&str, Cow<'b, str>),
) -> Result<(), ProtocolError> {
    if status != 200 {
        return Err(error(status, body, "the status is not 200"));
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // Valid UTF-8 is read in place; anything else is decoded lossily into a copy first.
    let owned;
    let text: &'b str = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(_) => {
            owned = String::from_utf8_lossy(body).into_owned();
            return read_text(status, body, &owned, |name, value| {
                field(name, Cow::Owned(value.into_owned()))
            });
        }
    };
    read_text(status, body, text, field)
}

fn read_text<'t>(
    status: u16,
    body: &[u8],
    text: &'t str,
    mut field: impl FnMut(&str, Cow<'t, str>),
) -> Result<(), ProtocolError> {
    let trimmed = text.trim_start();
    match trimmed.as_bytes().first() {
        None => Err(error(status, body, "the body is empty")),
        Some(b'<') => xml::read_flat(trimmed, &mut field)
            .map(|_root| ())
            .map_err(|why| error(status, body, &format!("the XML is malformed: {why}"))),
        Some(b'{') => json::read_object(trimmed, |name, value| field(name, Cow::Owned(value)))
            .map_err(|why| error(status, body, &format!("the JSON is malformed: {why}"))),
        Some(_) => Err(error(status, body, "the body is neither XML nor JSON")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_digit_json_number_keeps_its_digits() {
        let r = parse_submit(
            Product::Sms,
            200,
            br#"{"code":"2","msg":"ok","smsid":98765432109876543210}"#,
        )
        .unwrap();
        assert_eq!(r.id, "98765432109876543210");
        assert_eq!(r.code, 2);
    }

    #[test]
    fn own_id_field_wins_over_smsid() {
        let r = parse_submit(
            Product::Voice,
            200,
            b"<r><code>2</code><smsid>1</smsid><voiceid>7</voiceid></r>",
        )
        .unwrap();
        assert_eq!(r.id, "7");
    }

    #[test]
    fn missing_message_comes_from_the_catalogue() {
        let r = parse_submit(Product::Sms, 200, b"<r><code>4051</code></r>").unwrap();
        assert_eq!(r.msg, "剩余条数不足");
    }

    #[test]
    fn errors_carry_an_excerpt() {
        let e = parse_submit(Product::Sms, 500, b"<html>Internal Server Error</html>").unwrap_err();
        assert_eq!(e.status, 500);
        assert!(e.to_string().contains("Internal Server Error"));
        let long = vec![b'x'; 10_000];
        assert!(body_excerpt(&long).chars().count() <= EXCERPT_CHARS + 1);
    }
}
