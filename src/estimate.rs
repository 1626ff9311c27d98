//! Knowing before sending: how many characters and billed segments a message is, and what the
//! platform would refuse.
//!
//! **How characters are counted.** As the vendor counts them: every letter, digit, symbol,
//! space, line break or Chinese character is one character. Technically that is one per Unicode
//! scalar value (a Rust `char`), the same count the 300-character limit and the sandbox use. A
//! character outside the Basic Multilingual Plane (emoji, rare CJK such as `𠮷`) also counts one,
//! but it is four bytes in UTF-8 and two code units in the UCS-2/UTF-16 the carriers use: emoji
//! are refused anyway (4074) and any other such character gets a warning that the carrier may
//! count it as two. [`Estimate::utf16_units`] gives that count too.
//!
//! **Segments.** The catalogue's rule ([`SEGMENT_RULE_70_67`] by default, the vendor's
//! alternative [`SEGMENT_RULE_70_66`] on request): one segment up to `single` characters, the
//! signature included; beyond it `ceil(characters / multi)`.
//!
//! **Warnings** name the result code the platform would answer, from the product's own table:
//! over the length limit (4073), emoji (4074), a missing or malformed 【signature】 at the front or
//! the end (4070–4072, domestic SMS), a voice code that is not 4–6 digits (voice 4070). The vendor
//! gives 4070, 4071 and 4072 the same message (签名格式不正确); which of them the estimate names is
//! our convention: 4070 none found, 4071 wrong brackets or an unclosed one, 4072 a signature of the
//! wrong length or at both ends.
//!
//! [`SEGMENT_RULE_70_66`]: crate::catalogue::SEGMENT_RULE_70_66

use serde::Serialize;
use unicode_properties::{EmojiStatus, UnicodeEmoji};

use crate::catalogue::{ContentRule, Product, ResultCode, SEGMENT_RULE_70_67, SegmentRule};

/// Fewest characters between 【 and 】 the estimate accepts as a signature (the carriers' usual
/// rule; the vendor publishes none, so a breach is only a warning).
pub const SIGNATURE_MIN_CHARS: usize = 2;
/// Most characters between 【 and 】 (see [`SIGNATURE_MIN_CHARS`]).
pub const SIGNATURE_MAX_CHARS: usize = 12;

/// What an estimate found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// The product estimated for.
    pub product: Product,
    /// The text that would be sent: the content, with the signature appended when one was given
    /// and the content did not carry it yet.
    pub message: String,
    /// Characters as the vendor counts them (see the module docs), signature included.
    pub characters: usize,
    /// UTF-16 code units, what a carrier encoding UCS-2 would count.
    pub utf16_units: usize,
    /// Billed segments (a voice code is one call).
    pub segments: u64,
    /// The rule the segments follow; `None` for voice codes, which are not split.
    #[serde(serialize_with = "serialize_rule")]
    pub rule: Option<SegmentRule>,
    /// Whether the given signature was appended to the content.
    pub signature_added: bool,
    /// What the platform would refuse or might count differently.
    pub warnings: Vec<Warning>,
}

impl Estimate {
    /// True when no warning names a result code, i.e. the platform should accept the content.
    pub fn acceptable(&self) -> bool {
        self.warnings.iter().all(|w| w.code.is_none())
    }
}

/// Why a warning was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The content is empty (404).
    Empty,
    /// Over the product's character limit (4073).
    TooLong,
    /// Emoji (4074).
    Emoji,
    /// No 【signature】 at the front or the end (4070).
    SignatureMissing,
    /// Wrong or unclosed signature brackets (4071).
    SignatureMalformed,
    /// A signature of the wrong length, or at both ends (4072).
    SignatureLength,
    /// A voice code that is not 4–6 ASCII digits (voice 4070).
    VoiceDigits,
    /// A character outside the Basic Multilingual Plane that is not an emoji (no code: the
    /// carrier may count it as two characters).
    Astral,
    /// A control character other than a line break (the SDK refuses it before sending).
    Control,
}

impl WarningKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Empty => "empty",
            WarningKind::TooLong => "too_long",
            WarningKind::Emoji => "emoji",
            WarningKind::SignatureMissing => "signature_missing",
            WarningKind::SignatureMalformed => "signature_malformed",
            WarningKind::SignatureLength => "signature_length",
            WarningKind::VoiceDigits => "voice_digits",
            WarningKind::Astral => "astral",
            WarningKind::Control => "control",
        }
    }
}

/// One thing the platform would refuse (with `code`) or that deserves attention (no code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What was found.
    pub kind: WarningKind,
    /// The result code the platform would answer, from the product's table.
    pub code: Option<i64>,
    /// The vendor's message for that code, when there is one.
    pub vendor_message: Option<&'static str>,
    /// What was found, in English.
    pub message: String,
}

fn serialize_rule<S: serde::Serializer>(
    rule: &Option<SegmentRule>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    match rule {
        None => s.serialize_none(),
        Some(rule) => {
            let mut st = s.serialize_struct("SegmentRule", 3)?;
            st.serialize_field("name", rule.name)?;
            st.serialize_field("single", &rule.single)?;
            st.serialize_field("multi", &rule.multi)?;
            st.end()
        }
    }
}

/// Estimates `content` for `product` with the catalogue's default rule (70/67). `signature`, with
/// or without its 【】, is appended at the end unless the content already starts or ends with it
/// (it is ignored for voice codes, which are digits only).
///
/// ```
/// use ihuyi::{Product, estimate};
/// let e = estimate(Product::Sms, "您的验证码是:1234。请不要把验证码泄露给其他人。", Some("互亿无线"));
/// assert_eq!((e.characters, e.segments), (32, 1));
/// assert!(e.acceptable());
/// ```
pub fn estimate(product: Product, content: &str, signature: Option<&str>) -> Estimate {
    estimate_with_rule(product, content, signature, SEGMENT_RULE_70_67)
}

/// [`estimate`] with a chosen segment rule (e.g. the vendor's alternative 70/66).
pub fn estimate_with_rule(
    product: Product,
    content: &str,
    signature: Option<&str>,
    rule: SegmentRule,
) -> Estimate {
    // A voice code is spoken digits: a signature has no place in it.
    let signature = match product.spec().content_rule {
        ContentRule::Digits { .. } => None,
        ContentRule::Text { .. } => signature,
    };
    let (message, signature_added) = with_signature(content, signature);
    let characters = message.chars().count();
    let utf16_units = message.encode_utf16().count();
    let mut warnings = Vec::new();
    let mut warn = |kind: WarningKind, code: Option<ResultCode>, message: String| {
        let code = code.map(ResultCode::number);
        warnings.push(Warning {
            kind,
            code,
            vendor_message: code.and_then(|c| product.message_of(c)),
            message,
        });
    };
    // Only codes in the product's own table are named: the catalogue decides what applies.
    let has = |code: ResultCode| product.code(code.number()).is_some();
    let (segments, rule) = match product.spec().content_rule {
        ContentRule::Digits { min, max } => {
            let digits = message.bytes().all(|b| b.is_ascii_digit());
            if message.is_empty() {
                warn(
                    WarningKind::Empty,
                    Some(ResultCode::ContentEmpty),
                    "the content is empty".into(),
                );
            } else if !digits || characters < min || characters > max {
                warn(
                    WarningKind::VoiceDigits,
                    has(ResultCode::ContentFormat).then_some(ResultCode::ContentFormat),
                    format!(
                        "a voice code is {min}-{max} ASCII digits; this is {characters} characters"
                    ),
                );
            }
            (u64::from(!message.is_empty()), None)
        }
        ContentRule::Text { max_chars } => {
            if message.trim().is_empty() {
                warn(
                    WarningKind::Empty,
                    Some(ResultCode::ContentEmpty),
                    "the content is empty".into(),
                );
            }
            if characters > max_chars {
                warn(
                    WarningKind::TooLong,
                    has(ResultCode::ContentTooLong).then_some(ResultCode::ContentTooLong),
                    format!("{characters} characters; the platform takes at most {max_chars}"),
                );
            }
            scan_characters(&message, has(ResultCode::ContainsEmoji), &mut warn);
            // The signature codes mean "signature" only where 4070 is a content rule of a text
            // product: domestic SMS (voice's 4070 is the digit rule; isms has none).
            if has(ResultCode::ContentFormat) {
                check_signature(&message, &mut warn);
            }
            let segments = if message.is_empty() {
                0
            } else {
                segments_for(rule, characters)
            };
            (segments, Some(rule))
        }
    };
    Estimate {
        product,
        message,
        characters,
        utf16_units,
        segments,
        rule,
        signature_added,
        warnings,
    }
}

/// Billed segments for `characters` characters (signature included) under `rule`.
pub fn segments_for(rule: SegmentRule, characters: usize) -> u64 {
    if characters <= rule.single {
        1
    } else {
        characters.div_ceil(rule.multi.max(1)) as u64
    }
}

/// Whether `c` at `index` of `chars` is shown as an emoji: default emoji presentation, an emoji
/// followed by the emoji variation selector U+FE0F, or any emoji outside the BMP (four UTF-8
/// bytes, which is what the platform's storage refuses). Text-style symbols such as ©, ™ or ☎
/// without U+FE0F, and digits, are not.
pub fn is_emoji_at(chars: &[char], index: usize) -> bool {
    let c = chars[index];
    if c.is_ascii() {
        return false;
    }
    match c.emoji_status() {
        EmojiStatus::EmojiPresentation
        | EmojiStatus::EmojiPresentationAndModifierBase
        | EmojiStatus::EmojiPresentationAndEmojiComponent
        | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent => true,
        EmojiStatus::EmojiOther | EmojiStatus::EmojiModifierBase => {
            u32::from(c) > 0xFFFF || chars.get(index + 1) == Some(&'\u{FE0F}')
        }
        _ => false,
    }
}

fn scan_characters(
    message: &str,
    emoji_is_refused: bool,
    warn: &mut impl FnMut(WarningKind, Option<ResultCode>, String),
) {
    let chars: Vec<char> = message.chars().collect();
    let mut emoji: Vec<char> = Vec::new();
    let mut astral: Vec<char> = Vec::new();
    let mut control: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if is_emoji_at(&chars, i) {
            if !emoji.contains(&c) {
                emoji.push(c);
            }
        } else if u32::from(c) > 0xFFFF && !astral.contains(&c) {
            astral.push(c);
        } else if c.is_control() && c != '\n' && c != '\r' && control.is_none() {
            control = Some(c);
        }
    }
    if !emoji.is_empty() {
        let shown: String = emoji.iter().take(8).collect();
        warn(
            WarningKind::Emoji,
            emoji_is_refused.then_some(ResultCode::ContainsEmoji),
            format!("contains emoji: {shown}"),
        );
    }
    if !astral.is_empty() {
        let shown: String = astral.iter().take(8).collect();
        warn(
            WarningKind::Astral,
            None,
            format!(
                "{shown}: outside the Basic Multilingual Plane; counted as one character each here, a carrier may count two"
            ),
        );
    }
    if let Some(c) = control {
        warn(
            WarningKind::Control,
            None,
            format!(
                "contains the control character U+{:04X}, which the SDK refuses",
                u32::from(c)
            ),
        );
    }
}

/// The signature brackets people use by mistake instead of 【】.
const LOOKALIKE_BRACKETS: [(char, char); 6] = [
    ('[', ']'),
    ('［', '］'),
    ('〖', '〗'),
    ('〔', '〕'),
    ('「', '」'),
    ('《', '》'),
];

fn check_signature(message: &str, warn: &mut impl FnMut(WarningKind, Option<ResultCode>, String)) {
    let text = message.trim();
    let front = text
        .strip_prefix('【')
        .map(|rest| rest.split_once('】').map(|(sig, _)| sig));
    let end = text
        .strip_suffix('】')
        .map(|rest| rest.rsplit_once('【').map(|(_, sig)| sig));
    match (front, end) {
        (Some(None), _) => warn(
            WarningKind::SignatureMalformed,
            Some(ResultCode::SignatureOrTemplateMissing),
            "the 【 at the front is never closed by 】".into(),
        ),
        (_, Some(None)) => warn(
            WarningKind::SignatureMalformed,
            Some(ResultCode::SignatureOrTemplateMissing),
            "the 】 at the end has no opening 【".into(),
        ),
        (Some(Some(_)), Some(Some(_))) if text.len() > 1 && !single_bracket_pair(text) => warn(
            WarningKind::SignatureLength,
            Some(ResultCode::TemplateMismatch),
            "a 【signature】 at both the front and the end; use one".into(),
        ),
        (Some(Some(sig)), _) | (None, Some(Some(sig))) => check_signature_text(sig, warn),
        (None, None) => {
            let lookalike = LOOKALIKE_BRACKETS.iter().find(|(open, close)| {
                (text.starts_with(*open) && text.contains(*close))
                    || (text.ends_with(*close) && text.contains(*open))
            });
            match lookalike {
                Some((open, close)) => warn(
                    WarningKind::SignatureMalformed,
                    Some(ResultCode::SignatureOrTemplateMissing),
                    format!("the signature uses {open}{close}; the platform wants 【】"),
                ),
                None => warn(
                    WarningKind::SignatureMissing,
                    Some(ResultCode::ContentFormat),
                    "no 【signature】 at the front or the end".into(),
                ),
            }
        }
    }
}

/// True when the whole text is one 【…】 (front and end are then the same signature).
fn single_bracket_pair(text: &str) -> bool {
    text.matches('【').count() == 1 && text.matches('】').count() == 1
}

fn check_signature_text(sig: &str, warn: &mut impl FnMut(WarningKind, Option<ResultCode>, String)) {
    let n = sig.trim().chars().count();
    if sig.contains('【') || !(SIGNATURE_MIN_CHARS..=SIGNATURE_MAX_CHARS).contains(&n) {
        warn(
            WarningKind::SignatureLength,
            Some(ResultCode::TemplateMismatch),
            format!(
                "the signature 【{sig}】 has {n} characters; expected {SIGNATURE_MIN_CHARS}-{SIGNATURE_MAX_CHARS}"
            ),
        );
    }
}

/// The content with the signature appended, unless absent or already at the front or end.
fn with_signature(content: &str, signature: Option<&str>) -> (String, bool) {
    let Some(signature) = signature.map(str::trim).filter(|s| !s.is_empty()) else {
        return (content.to_owned(), false);
    };
    let bare = signature
        .strip_prefix('【')
        .unwrap_or(signature)
        .strip_suffix('】')
        .unwrap_or_else(|| signature.strip_prefix('【').unwrap_or(signature));
    let bracketed = format!("【{bare}】");
    let trimmed = content.trim();
    if trimmed.starts_with(&bracketed) || trimmed.ends_with(&bracketed) {
        (content.to_owned(), false)
    } else {
        (format!("{content}{bracketed}"), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::SEGMENT_RULE_70_66;

    const TEMPLATE: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。";

    fn codes(e: &Estimate) -> Vec<Option<i64>> {
        e.warnings.iter().map(|w| w.code).collect()
    }

    #[test]
    fn the_vendor_template_is_one_segment() {
        let e = estimate(Product::Sms, TEMPLATE, Some("【互亿无线】"));
        assert_eq!(e.message, format!("{TEMPLATE}【互亿无线】"));
        assert!(e.signature_added);
        assert_eq!((e.characters, e.segments), (32, 1));
        assert!(e.acceptable(), "{:?}", e.warnings);
        let again = estimate(Product::Sms, &e.message, Some("互亿无线"));
        assert!(!again.signature_added);
        assert_eq!(again.characters, 32);
    }

    #[test]
    fn segment_boundaries() {
        let sig = "【互亿无线】"; // 6 characters
        for (body, segments) in [(64, 1), (65, 2), (134 - 6, 2), (135 - 6, 3), (300 - 6, 5)] {
            let content = format!("{}{sig}", "验".repeat(body));
            let e = estimate(Product::Sms, &content, None);
            assert_eq!(e.characters, body + 6);
            assert_eq!(e.segments, segments, "{} characters", body + 6);
            assert!(e.acceptable(), "{:?}", e.warnings);
        }
        assert_eq!(segments_for(SEGMENT_RULE_70_66, 133), 3);
        assert_eq!(segments_for(SEGMENT_RULE_70_67, 133), 2);
        assert_eq!(segments_for(SEGMENT_RULE_70_67, 70), 1);
        assert_eq!(segments_for(SEGMENT_RULE_70_67, 71), 2);
    }

    #[test]
    fn refusals_are_named_with_the_products_codes() {
        let long = format!("{}【互亿无线】", "a".repeat(295));
        assert_eq!(codes(&estimate(Product::Sms, &long, None)), [Some(4073)]);
        let emoji = estimate(Product::Sms, "验证码1234 😀【互亿无线】", None);
        assert_eq!(codes(&emoji), [Some(4074)]);
        assert_eq!(
            emoji.warnings[0].vendor_message,
            Some("短信内容包含 emoji 符号")
        );
        assert_eq!(
            codes(&estimate(Product::Sms, "验证码1234", None)),
            [Some(4070)]
        );
        assert_eq!(
            codes(&estimate(Product::Sms, "[互亿无线]验证码1234", None)),
            [Some(4071)]
        );
        assert_eq!(
            codes(&estimate(Product::Sms, "【互亿无线验证码1234", None)),
            [Some(4071)]
        );
        assert_eq!(
            codes(&estimate(Product::Sms, "【亿】验证码1234", None)),
            [Some(4072)]
        );
        assert_eq!(
            codes(&estimate(Product::Voice, "12345", None)),
            Vec::<Option<i64>>::new()
        );
        assert_eq!(codes(&estimate(Product::Voice, "123", None)), [Some(4070)]);
        // isms has neither 4070 nor 4074 in its table: the emoji is reported without a code.
        assert_eq!(
            codes(&estimate(Product::Isms, "Code 1234 😀", None)),
            [None]
        );
    }

    #[test]
    fn text_style_symbols_are_not_emoji() {
        for ok in ["©", "™", "☎", "★", "①", "#", "→"] {
            let chars: Vec<char> = ok.chars().collect();
            assert!(!is_emoji_at(&chars, 0), "{ok}");
        }
        for emoji in ["😀", "☀\u{FE0F}", "⌚", "🇨", "👍"] {
            let chars: Vec<char> = emoji.chars().collect();
            assert!(is_emoji_at(&chars, 0), "{emoji}");
        }
    }

    #[test]
    fn astral_characters_count_one_and_are_flagged() {
        let e = estimate(Product::Sms, "𠮷野家【吉野家】", None);
        assert_eq!(e.characters, 8);
        assert_eq!(e.utf16_units, 9);
        assert_eq!(e.warnings.len(), 1);
        assert_eq!(e.warnings[0].kind, WarningKind::Astral);
        assert!(e.acceptable());
    }
}
