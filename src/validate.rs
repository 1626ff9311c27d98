//! Local validation, from the catalogue's rules, before anything is sent.

use crate::catalogue::{ContentRule, MobileRule, Product};
use crate::error::Error;

/// The longest account or key we accept; real ones are about 10 and 32 characters.
pub const MAX_CREDENTIAL_LEN: usize = 256;

/// Checks an APIID: present, printable, not absurdly long.
pub fn account(account: &str) -> Result<(), Error> {
    credential("account", account)
}

/// Checks an APIKEY: present, printable, not absurdly long. The message never shows the key.
pub fn apikey(apikey: &str) -> Result<(), Error> {
    credential("apikey", apikey)
}

fn credential(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::validation(field, "is empty"));
    }
    if value.len() > MAX_CREDENTIAL_LEN {
        return Err(Error::validation(
            field,
            format!(
                "is {} bytes long; at most {MAX_CREDENTIAL_LEN}",
                value.len()
            ),
        ));
    }
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::validation(
            field,
            "contains whitespace or control characters",
        ));
    }
    Ok(())
}

/// Checks a recipient against the product's rule.
pub fn mobile(product: Product, mobile: &str) -> Result<(), Error> {
    if mobile.is_empty() {
        return Err(Error::validation("mobile", "is empty"));
    }
    let ok = match product.spec().mobile_rule {
        MobileRule::Mainland => is_mainland_mobile(mobile),
        MobileRule::International => is_international_mobile(mobile),
    };
    if ok {
        return Ok(());
    }
    let shown = excerpt(mobile, 24);
    let expected = match product.spec().mobile_rule {
        MobileRule::Mainland => "one mainland number: 11 digits starting 13-19, e.g. 13800138000",
        MobileRule::International => {
            "\"<country code> <number>\" with one space, e.g. \"63 9171234567\""
        }
    };
    Err(Error::validation(
        "mobile",
        format!("{shown:?} is not valid for {product}: expected {expected}"),
    ))
}

/// `^1[3-9]\d{9}$`
pub fn is_mainland_mobile(mobile: &str) -> bool {
    let b = mobile.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// A 1–3 digit country code (not starting with 0), one space, then 4–14 digits; at most 15
/// digits in all (E.164).
pub fn is_international_mobile(mobile: &str) -> bool {
    let Some((cc, number)) = mobile.split_once(' ') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(cc)
        && digits(number)
        && (1..=3).contains(&cc.len())
        && !cc.starts_with('0')
        && (4..=14).contains(&number.len())
        && cc.len() + number.len() <= 15
}

/// Checks content against the product's rule.
pub fn content(product: Product, content: &str) -> Result<(), Error> {
    match product.spec().content_rule {
        ContentRule::Digits { min, max } => {
            let n = content.len();
            if content.is_empty() {
                return Err(Error::validation("content", "is empty"));
            }
            if !content.bytes().all(|b| b.is_ascii_digit()) || n < min || n > max {
                return Err(Error::validation(
                    "content",
                    format!(
                        "{:?} is not a voice code: expected {min}-{max} ASCII digits",
                        excerpt(content, 24)
                    ),
                ));
            }
            Ok(())
        }
        ContentRule::Text { max_chars } => {
            // One pass over the bytes that stops one character past the limit, so a huge string
            // costs little. A character is counted at its UTF-8 lead byte; the control
            // characters are U+0000-U+001F, U+007F (one byte each) and U+0080-U+009F (C2 80 to
            // C2 9F: 0xC2 is always a lead byte in valid UTF-8).
            let mut chars = 0;
            let mut previous = 0u8;
            for &b in content.as_bytes() {
                if b & 0xC0 != 0x80 {
                    chars += 1;
                    if chars > max_chars {
                        return Err(Error::validation(
                            "content",
                            format!("is longer than {max_chars} characters"),
                        ));
                    }
                }
                let control = (b < 0x20 && b != b'\n' && b != b'\r')
                    || b == 0x7F
                    || (previous == 0xC2 && (0x80..=0x9F).contains(&b));
                if control {
                    return Err(Error::validation(
                        "content",
                        format!("contains the control character U+{:04X}", b as u32),
                    ));
                }
                previous = b;
            }
            if content.chars().all(char::is_whitespace) {
                return Err(Error::validation("content", "is empty"));
            }
            Ok(())
        }
    }
}

/// The first `max` characters of `s`, for messages.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_numbers() {
        for ok in ["13800138000", "19912345678", "15000000000"] {
            assert!(is_mainland_mobile(ok), "{ok}");
        }
        for bad in [
            "",
            "12800138000",
            "1380013800",
            "138001380000",
            "1380013800a",
            "+8613800138000",
            "１3800138000",
        ] {
            assert!(!is_mainland_mobile(bad), "{bad}");
        }
    }

    #[test]
    fn international_numbers() {
        for ok in [
            "63 9171234567",
            "852 61234567",
            "1 2025550123",
            "44 7911123456",
        ] {
            assert!(is_international_mobile(ok), "{ok}");
        }
        for bad in [
            "",
            "639171234567",
            "63  9171234567",
            "063 9171234567",
            "6312 123456",
            "63 12",
            "63 91712345678901",
            "+63 9171234567",
            "63 917-1234",
        ] {
            assert!(!is_international_mobile(bad), "{bad}");
        }
    }

    #[test]
    fn content_rules() {
        assert!(content(Product::Voice, "1125").is_ok());
        assert!(content(Product::Voice, "123456").is_ok());
        assert!(content(Product::Voice, "123").is_err());
        assert!(content(Product::Voice, "1234567").is_err());
        assert!(content(Product::Voice, "12a4").is_err());
        assert!(content(Product::Voice, "١٢٣٤").is_err());
        assert!(content(Product::Sms, "").is_err());
        assert!(content(Product::Sms, "  ").is_err());
        assert!(content(Product::Sms, &"验".repeat(300)).is_ok());
        assert!(content(Product::Sms, &"验".repeat(301)).is_err());
        assert!(content(Product::Sms, "line one\r\nline two").is_ok());
        assert!(content(Product::Sms, "tab\there").is_err());
        assert!(content(Product::Sms, "nul\0here").is_err());
    }

    /// The byte scan in `content` must agree with the `char` definitions it stands for: a
    /// character is a Unicode scalar value, a control character is `char::is_control`.
    #[test]
    fn content_scan_matches_char_definitions() {
        for c in (0..=0x1_0000u32)
            .chain([0x1_F600, 0x10_FFFF])
            .filter_map(char::from_u32)
        {
            let text = format!("a{c}b");
            let control = c.is_control() && c != '\n' && c != '\r';
            let err = content(Product::Sms, &text).err().map(|e| e.to_string());
            assert_eq!(err.is_some(), control, "U+{:04X}: {err:?}", c as u32);
            if control {
                let expected = format!("U+{:04X}", c as u32);
                assert!(err.unwrap().contains(&expected), "U+{:04X}", c as u32);
            }
        }
        // Counted in characters whatever their UTF-8 length: 1, 2, 3 and 4 bytes.
        for c in ['a', 'é', '验', '😀'] {
            let at_limit: String = std::iter::repeat_n(c, 300).collect();
            assert!(content(Product::Sms, &at_limit).is_ok(), "{c}");
            assert!(
                content(Product::Sms, &format!("{at_limit}{c}")).is_err(),
                "{c}"
            );
        }
        // Blank means every character is whitespace, Unicode's included.
        assert!(content(Product::Sms, "\u{3000}\u{A0}\n").is_err());
        assert!(content(Product::Sms, "\u{3000}x").is_ok());
    }

    #[test]
    fn credential_messages_never_show_the_value() {
        let err = apikey("secret key").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(apikey("").is_err());
        assert!(account(&"a".repeat(MAX_CREDENTIAL_LEN + 1)).is_err());
    }
}
