//! The JSON answer form: `{"code":2,"msg":"提交成功","smsid":"16842079209571524017"}`.
//! Values are read raw so a 20-digit id given as a number keeps every digit.

use std::collections::HashMap;

use serde_json::value::RawValue;

/// Calls `field(name, text)` for each member of the top-level object; strings are unescaped,
/// numbers and other values passed as their literal text, `null` skipped.
pub(crate) fn read_object(
    doc: &str,
    mut field: impl FnMut(&str, String),
) -> Result<(), &'static str> {
    let members: HashMap<String, &RawValue> =
        serde_json::from_str(doc).map_err(|_| "not a JSON object")?;
    for (name, raw) in members {
        let text = raw.get();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(|_| "bad JSON string")?;
            field(&name, s);
        } else if text != "null" {
            field(&name, text.to_owned());
        }
    }
    Ok(())
}
