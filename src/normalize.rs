//! Turning what people type into the recipient form the API accepts.
//!
//! [`normalize_mobile`] accepts the usual ways of writing a number — spaces, hyphens, dots,
//! parentheses, full-width digits typed with a Chinese input method, a `+` or `00` international
//! prefix — and returns exactly what the product's API takes:
//!
//! | product | input | result |
//! |---|---|---|
//! | `sms`, `voice` | `+86 138-0013-8000`, `0086 13800138000`, `8613800138000` | `13800138000` |
//! | `isms` | `+852 6123 4567`, `00852-61234567`, `852 61234567` | `852 61234567` |
//!
//! Domestic products keep the API's own rule (`^1[3-9]\d{9}$`, from the catalogue): a number from
//! another country is refused with a hint to use `isms`. International numbers are checked
//! against the numbering plan of their country with libphonenumber's metadata (the `phonenumber`
//! crate, cargo feature `phonenumbers`, on by default): the number must be valid and able to
//! receive SMS (mobile, or a plan where mobile and fixed lines cannot be told apart). Without the
//! feature only the shape is checked, and the country code must be written apart from the rest
//! (`+852 61234567`), since splitting `+85261234567` needs the plan.
//!
//! A digit string with no `+`/`00` is read for `isms` as country code + number, which is what the
//! API's form is without its space.

use crate::catalogue::{MobileRule, Product};
use crate::error::Error;
use crate::validate::{excerpt, is_international_mobile, is_mainland_mobile};

/// Longest input considered; real numbers with formatting are far shorter.
pub const MAX_INPUT_CHARS: usize = 64;

/// Returns `input` in the form the API of `product` accepts, or an [`Error::Validation`] on the
/// field `mobile` that says why it cannot be.
///
/// ```
/// use ihuyi::{Product, normalize_mobile};
/// assert_eq!(normalize_mobile(Product::Sms, "+86 138-0013-8000")?, "13800138000");
/// # #[cfg(feature = "phonenumbers")]
/// assert_eq!(normalize_mobile(Product::Isms, "00852-61234567")?, "852 61234567");
/// # Ok::<(), ihuyi::Error>(())
/// ```
pub fn normalize_mobile(product: Product, input: &str) -> Result<String, Error> {
    // The common case, a number already in the API's form, costs one scan.
    if product.spec().mobile_rule == MobileRule::Mainland
        && crate::validate::is_mainland_mobile(input)
    {
        return Ok(input.to_owned());
    }
    let cleaned = clean(input)?;
    match product.spec().mobile_rule {
        MobileRule::Mainland => mainland(product, input, &cleaned),
        MobileRule::International => international(input, &cleaned),
    }
}

/// Loads the numbering plans now rather than on the first international number.
///
/// libphonenumber's metadata is decoded and its patterns compiled once per process, lazily: that
/// first use costs about a quarter of a second in an optimized build (measured here), later
/// numbers about 45 µs each. A client for `isms` calls this when it is built, so no send pays it.
/// Without the `phonenumbers` feature it does nothing.
pub fn warm_up() {
    #[cfg(feature = "phonenumbers")]
    {
        let _ = phonenumber::parse(None, "+85261234567").map(|n| n.is_valid());
    }
}

/// The input reduced to an optional international prefix and its digit groups.
#[derive(Debug)]
struct Cleaned {
    /// Written with `+` or `00` in front.
    international: bool,
    /// The digit groups as separated in the input, the `+`/`00` removed.
    groups: Vec<String>,
}

impl Cleaned {
    fn digits(&self) -> String {
        self.groups.concat()
    }
}

fn invalid(input: &str, why: impl std::fmt::Display) -> Error {
    Error::validation("mobile", format!("{:?} {why}", excerpt(input, 32)))
}

/// Maps full-width forms to ASCII, drops separators, and refuses anything else.
fn clean(input: &str) -> Result<Cleaned, Error> {
    if input.trim().is_empty() {
        return Err(Error::validation("mobile", "is empty"));
    }
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(Error::validation(
            "mobile",
            format!("is longer than {MAX_INPUT_CHARS} characters"),
        ));
    }
    // "(0)" is the trunk prefix some countries print after the country code (+44 (0)20 …): it is
    // never dialled from abroad.
    let input_no_trunk = input.replace("(0)", " ").replace("（0）", " ");
    let mut plus = false;
    let mut groups: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in input_no_trunk.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '＋' => '+',
            other => other,
        };
        match c {
            '0'..='9' => current.push(c),
            // Only before any digit: "(+86) 138…" is common, "138+…" is not a number.
            '+' if !plus && groups.is_empty() && current.is_empty() => plus = true,
            ' ' | '\u{a0}' | '\u{3000}' | '\t' | '-' | '－' | '‐' | '–' | '.' | '/' | '(' | ')'
            | '（' | '）' => {
                if !current.is_empty() {
                    groups.push(std::mem::take(&mut current));
                }
            }
            c if c.is_control() => {
                return Err(Error::validation(
                    "mobile",
                    format!("contains the control character U+{:04X}", c as u32),
                ));
            }
            _ => {
                return Err(invalid(
                    input,
                    format!(
                        "contains {c:?}: a number has only digits, an optional leading + and separators"
                    ),
                ));
            }
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    if groups.is_empty() {
        return Err(invalid(input, "has no digits"));
    }
    let mut international = plus;
    if !plus && groups[0].starts_with("00") {
        // 00 is the international call prefix in China and most of the world.
        let rest = groups[0][2..].to_owned();
        if rest.is_empty() {
            groups.remove(0);
        } else {
            groups[0] = rest;
        }
        international = true;
        if groups.is_empty() {
            return Err(invalid(input, "has no digits after the 00 prefix"));
        }
    }
    Ok(Cleaned {
        international,
        groups,
    })
}

fn mainland(product: Product, input: &str, cleaned: &Cleaned) -> Result<String, Error> {
    let digits = cleaned.digits();
    let national = if cleaned.international {
        match digits.strip_prefix("86") {
            Some(rest) => rest.to_owned(),
            None => return Err(not_mainland(product, input, &digits)),
        }
    } else if digits.len() == 13 && digits.starts_with("86") {
        digits[2..].to_owned()
    } else if digits.len() == 12 && digits.starts_with('0') {
        // A trunk 0 before a mobile number, as once dialled from a landline in another city.
        digits[1..].to_owned()
    } else {
        digits
    };
    if is_mainland_mobile(&national) {
        return Ok(national);
    }
    let why = if national.len() != 11 {
        format!(
            "has {} digits after the country code; a mainland mobile number has 11",
            national.len()
        )
    } else {
        "is not a mainland mobile number: 11 digits starting 13-19".to_owned()
    };
    Err(invalid(
        input,
        format!("{why} ({product} reaches mainland China only)"),
    ))
}

fn not_mainland(product: Product, input: &str, digits: &str) -> Error {
    let country = describe_country(digits);
    invalid(
        input,
        format!(
            "is not a mainland China number{country}: {product} reaches mainland numbers only; send it with isms"
        ),
    )
}

#[cfg(feature = "phonenumbers")]
fn describe_country(digits: &str) -> String {
    match phonenumber::parse(None, format!("+{digits}")) {
        Ok(number) => match number.country().id() {
            Some(id) => format!(" (country code {}, {id:?})", number.code().value()),
            None => format!(" (country code {})", number.code().value()),
        },
        Err(_) => String::new(),
    }
}

#[cfg(not(feature = "phonenumbers"))]
fn describe_country(_digits: &str) -> String {
    String::new()
}

fn international(input: &str, cleaned: &Cleaned) -> Result<String, Error> {
    let digits = cleaned.digits();
    if digits.len() > 17 {
        return Err(invalid(
            input,
            "has too many digits for a phone number (E.164 allows 15)",
        ));
    }
    let out = plan::international(input, cleaned, &digits)?;
    // The API's own shape check, so a plan quirk can never yield something the API refuses.
    if !is_international_mobile(&out) {
        return Err(invalid(
            input,
            format!(
                "normalizes to {out:?}, which is not the API's \"<country code> <number>\" form"
            ),
        ));
    }
    Ok(out)
}

#[cfg(feature = "phonenumbers")]
mod plan {
    use super::{Cleaned, invalid};
    use crate::error::Error;
    use phonenumber::{ParseError, Type};

    /// Parses with libphonenumber's metadata and keeps numbers that can receive an SMS.
    pub(super) fn international(
        input: &str,
        _cleaned: &Cleaned,
        digits: &str,
    ) -> Result<String, Error> {
        let number = phonenumber::parse(None, format!("+{digits}")).map_err(|e| {
            let why = match e {
                ParseError::InvalidCountryCode => {
                    "does not start with a known country code (write it as +<country code> <number>)"
                        .to_owned()
                }
                ParseError::TooShortNsn | ParseError::TooShortAfterIdd => {
                    "is too short to be a phone number".to_owned()
                }
                ParseError::TooLong => "is too long to be a phone number".to_owned(),
                other => format!("is not a phone number ({other})"),
            };
            invalid(input, why)
        })?;
        let code = number.code().value();
        let country = number
            .country()
            .id()
            .map_or_else(|| format!("+{code}"), |id| format!("+{code}, {id:?}"));
        if number.extension().is_some() {
            return Err(invalid(input, "has an extension; SMS cannot reach one"));
        }
        if !number.is_valid() {
            return Err(invalid(
                input,
                format!("is not a valid number in the numbering plan of {country}"),
            ));
        }
        let kind = number.number_type(&phonenumber::metadata::DATABASE);
        match kind {
            Type::Mobile
            | Type::FixedLineOrMobile
            | Type::PersonalNumber
            | Type::Pager
            | Type::Voip => {}
            other => {
                return Err(invalid(
                    input,
                    format!(
                        "is a {} number in the numbering plan of {country}; SMS needs a mobile number",
                        type_name(other)
                    ),
                ));
            }
        }
        let national = number.national();
        let zeros = "0".repeat(usize::from(national.zeros()));
        Ok(format!("{code} {zeros}{}", national.value()))
    }

    fn type_name(kind: Type) -> &'static str {
        match kind {
            Type::FixedLine => "fixed-line",
            Type::TollFree => "toll-free",
            Type::PremiumRate => "premium-rate",
            Type::SharedCost => "shared-cost",
            Type::Uan => "company (UAN)",
            Type::Emergency => "emergency",
            Type::Voicemail => "voicemail",
            Type::ShortCode => "short-code",
            _ => "non-mobile",
        }
    }
}

#[cfg(not(feature = "phonenumbers"))]
mod plan {
    use super::{Cleaned, invalid};
    use crate::error::Error;

    /// Without the numbering plans the country code must be written apart from the number.
    pub(super) fn international(
        input: &str,
        cleaned: &Cleaned,
        _digits: &str,
    ) -> Result<String, Error> {
        let groups = &cleaned.groups;
        if groups.len() < 2 || groups[0].len() > 3 {
            return Err(invalid(
                input,
                "needs its country code written apart, e.g. +852 61234567 (this build has no numbering plans: feature `phonenumbers`)",
            ));
        }
        Ok(format!("{} {}", groups[0], groups[1..].concat()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(product: Product, input: &str) -> String {
        normalize_mobile(product, input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    #[test]
    fn domestic_forms() {
        for input in [
            "13800138000",
            "+86 138-0013-8000",
            "0086 13800138000",
            "8613800138000",
            "+86 (138) 0013 8000",
            "１３８００１３８０００",
            "＋８６ １３８ ００１３ ８０００",
            "138.0013.8000",
            "013800138000",
        ] {
            assert_eq!(ok(Product::Sms, input), "13800138000", "{input}");
            assert_eq!(ok(Product::Voice, input), "13800138000", "{input}");
        }
    }

    #[test]
    fn domestic_refusals_say_why() {
        let e = normalize_mobile(Product::Sms, "+852 6123 4567").unwrap_err();
        assert!(e.to_string().contains("isms"), "{e}");
        let e = normalize_mobile(Product::Sms, "1380013800").unwrap_err();
        assert!(e.to_string().contains("10 digits"), "{e}");
        for bad in [
            "",
            "   ",
            "12800138000",
            "138-0013-800a",
            "+",
            "00",
            "1380013\u{0}8000",
        ] {
            let e = normalize_mobile(Product::Sms, bad).unwrap_err();
            assert!(
                matches!(e, Error::Validation(ref v) if v.field == "mobile"),
                "{bad:?}"
            );
        }
        assert!(normalize_mobile(Product::Sms, &"1".repeat(10_000)).is_err());
    }

    #[cfg(not(feature = "phonenumbers"))]
    #[test]
    fn without_plans_the_country_code_must_stand_apart() {
        assert_eq!(ok(Product::Isms, "+852 6123 4567"), "852 61234567");
        assert_eq!(ok(Product::Isms, "00852-61234567"), "852 61234567");
        let e = normalize_mobile(Product::Isms, "+85261234567").unwrap_err();
        assert!(e.to_string().contains("phonenumbers"), "{e}");
    }

    #[cfg(feature = "phonenumbers")]
    #[test]
    fn international_forms() {
        for input in [
            "+852 6123 4567",
            "00852-61234567",
            "852 61234567",
            "85261234567",
        ] {
            assert_eq!(ok(Product::Isms, input), "852 61234567", "{input}");
        }
        assert_eq!(ok(Product::Isms, "+44 (0)7911 123456"), "44 7911123456");
        let e = normalize_mobile(Product::Isms, "+852 2123 4567").unwrap_err();
        assert!(e.to_string().contains("fixed-line"), "{e}");
        let e = normalize_mobile(Product::Isms, "+852 1234").unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{e}");
    }
}
