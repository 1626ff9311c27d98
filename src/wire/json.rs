//! The JSON answer form: `{"code":2,"msg":"提交成功","smsid":"16842079209571524017"}`.
//! Values are read raw so a 20-digit id given as a number keeps every digit.

use std::fmt;

use serde::Deserializer;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// Calls `field(name, text)` for each member of the top-level object, in document order (a
/// repeated name is passed each time: the caller's last assignment wins); strings are unescaped,
/// numbers and other values passed as their literal text, `null` skipped.
pub(crate) fn read_object(doc: &str, field: impl FnMut(&str, String)) -> Result<(), &'static str> {
    let mut deserializer = serde_json::Deserializer::from_str(doc);
    let mut members = Members {
        field,
        bad_string: false,
    };
    let parsed = (&mut deserializer).deserialize_map(&mut members);
    if members.bad_string {
        return Err("bad JSON string");
    }
    parsed
        .and_then(|()| deserializer.end())
        .map_err(|_| "not a JSON object")
}

/// Walks the members as they are read, without collecting them into a map first.
struct Members<F> {
    field: F,
    bad_string: bool,
}

impl<'de, F: FnMut(&str, String)> Visitor<'de> for &mut Members<F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some((name, raw)) = map.next_entry::<String, &'de RawValue>()? {
            let text = raw.get();
            if text.starts_with('"') {
                let Ok(s) = serde_json::from_str::<String>(text) else {
                    self.bad_string = true;
                    return Err(serde::de::Error::custom("bad JSON string"));
                };
                (self.field)(&name, s);
            } else if text != "null" {
                (self.field)(&name, text.to_owned());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(doc: &str) -> Result<Vec<(String, String)>, &'static str> {
        let mut out = Vec::new();
        read_object(doc, |name, value| out.push((name.to_owned(), value)))?;
        Ok(out)
    }

    #[test]
    fn members_in_document_order_with_raw_numbers() {
        let got =
            members(r#"{"code":2,"msg":"\u63d0\u4ea4","smsid":98765432109876543210,"x":null}"#);
        assert_eq!(
            got.unwrap(),
            [
                ("code".into(), "2".into()),
                ("msg".into(), "提交".into()),
                ("smsid".into(), "98765432109876543210".into())
            ]
        );
        // A repeated name is passed each time, so the caller's last assignment wins.
        assert_eq!(members(r#"{"code":1,"code":2}"#).unwrap().len(), 2);
    }

    #[test]
    fn refuses_what_is_not_one_object() {
        assert_eq!(members(r#"{"code":2} trailing"#), Err("not a JSON object"));
        assert_eq!(members(r#"[1,2]"#), Err("not a JSON object"));
        assert_eq!(members(r#"{"code":2"#), Err("not a JSON object"));
        assert_eq!(members(r#"{"msg":"\ud800"}"#), Err("bad JSON string"));
    }
}
