//! The one catalogue of ihuyi products and result codes.
//!
//! Everything that needs to know a product's endpoint, id field, input rules or a result code's
//! vendor message reads it from here: the client, the validator, the error types, the sandbox and
//! the docs. Messages are the vendor's bytes, typos and spacing included (see
//! `shared/docs/ihuyi-api.md`, "Result codes").

use std::fmt;
use std::str::FromStr;

/// One of the three ihuyi products. Each has its own endpoint and its own APIID/APIKEY.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Product {
    /// Domestic SMS (验证码/通知短信): `sms`.
    Sms,
    /// Voice verification code (语音验证码): `voice`.
    Voice,
    /// International SMS (国际短信): `isms`.
    Isms,
}

/// What a product accepts as a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MobileRule {
    /// One mainland number, `^1[3-9]\d{9}$`.
    Mainland,
    /// `"<country code> <number>"` with exactly one space, e.g. `"63 9171234567"`.
    International,
}

/// What a product accepts as content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentRule {
    /// UTF-8 text of at most `max_chars` characters (Unicode scalar values).
    Text {
        /// The platform's limit (4073 beyond it).
        max_chars: usize,
    },
    /// The verification code itself: ASCII digits only.
    Digits {
        /// Fewest digits accepted.
        min: usize,
        /// Most digits accepted.
        max: usize,
    },
}

/// How the vendor splits long SMS into billed segments (`ihuyi-api.md`, "Limits").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentRule {
    /// A name for the rule, shown by estimates.
    pub name: &'static str,
    /// A message of at most this many characters (signature included) is one segment.
    pub single: usize,
    /// Beyond `single`, each segment carries this many characters.
    pub multi: usize,
}

/// The rule the vendor's API page states: 70 characters, then 67 per segment.
pub const SEGMENT_RULE_70_67: SegmentRule = SegmentRule {
    name: "70/67",
    single: 70,
    multi: 67,
};

/// The vendor's alternative help text figure: 66 per segment beyond the first 70 characters.
pub const SEGMENT_RULE_70_66: SegmentRule = SegmentRule {
    name: "70/66",
    single: 70,
    multi: 66,
};

/// Everything the SDK knows about one product.
#[derive(Debug)]
pub struct ProductSpec {
    /// Which product this is.
    pub product: Product,
    /// The short name used by the CLI, the bindings and the docs: `sms`, `voice`, `isms`.
    pub name: &'static str,
    /// A human title.
    pub title: &'static str,
    /// The vendor's default host (always reached over `https://` unless a base URL overrides it).
    pub host: &'static str,
    /// The product's own path; a base URL override keeps it.
    pub path: &'static str,
    /// The element/field carrying the message id in a Submit answer and in receipts.
    pub id_field: &'static str,
    /// Recipient format.
    pub mobile_rule: MobileRule,
    /// Content format.
    pub content_rule: ContentRule,
    /// Which message column of [`CODES`] holds this product's texts.
    column: usize,
}

static PRODUCTS: [ProductSpec; 3] = [
    ProductSpec {
        product: Product::Sms,
        name: "sms",
        title: "domestic SMS",
        host: "106.ihuyi.com",
        path: "/webservice/sms.php",
        id_field: "smsid",
        mobile_rule: MobileRule::Mainland,
        content_rule: ContentRule::Text { max_chars: 300 },
        column: 0,
    },
    ProductSpec {
        product: Product::Voice,
        name: "voice",
        title: "voice verification code",
        host: "api.voice.ihuyi.com",
        path: "/webservice/voice.php",
        id_field: "voiceid",
        mobile_rule: MobileRule::Mainland,
        content_rule: ContentRule::Digits { min: 4, max: 6 },
        column: 1,
    },
    ProductSpec {
        product: Product::Isms,
        name: "isms",
        title: "international SMS",
        host: "api.isms.ihuyi.com",
        path: "/webservice/isms.php",
        id_field: "ismsid",
        mobile_rule: MobileRule::International,
        content_rule: ContentRule::Text { max_chars: 300 },
        column: 2,
    },
];

impl Product {
    /// All products, in catalogue order.
    pub const ALL: [Product; 3] = [Product::Sms, Product::Voice, Product::Isms];

    /// This product's catalogue entry.
    pub fn spec(self) -> &'static ProductSpec {
        &PRODUCTS[self as usize]
    }

    /// The short name: `sms`, `voice` or `isms`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks a product up by its short name (case-insensitive).
    pub fn from_name(name: &str) -> Option<Product> {
        PRODUCTS
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.product)
    }

    /// This product's entry for `code`, or `None` when the code is not in its table.
    pub fn code(self, code: i64) -> Option<CodeInfo> {
        let column = self.spec().column;
        CODES.iter().find(|row| row.number == code).and_then(|row| {
            row.messages[column].map(|message| CodeInfo {
                code: row.code,
                number: row.number,
                message,
                meaning: row.meaning,
                class: row.class,
            })
        })
    }

    /// The class of `code` for this product: [`CodeClass::Unknown`] when it is not in the table.
    pub fn class_of(self, code: i64) -> CodeClass {
        self.code(code)
            .map_or(CodeClass::Unknown, |info| info.class)
    }

    /// The vendor's message for `code` in this product's table.
    pub fn message_of(self, code: i64) -> Option<&'static str> {
        self.code(code).map(|info| info.message)
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Product {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The error of parsing an unknown product name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProduct(pub String);

impl fmt::Display for UnknownProduct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.0.chars().take(40).collect();
        write!(f, "unknown product {shown:?}: expected sms, voice or isms")
    }
}

impl std::error::Error for UnknownProduct {}

impl FromStr for Product {
    type Err = UnknownProduct;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Product::from_name(s).ok_or_else(|| UnknownProduct(s.to_owned()))
    }
}

/// Our classification of a result code (the vendor's tables have none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeClass {
    /// Accepted (code 2).
    Ok,
    /// A required field was missing or malformed.
    Input,
    /// Credentials, dynamic password or caller IP refused.
    Auth,
    /// The account itself is frozen.
    Account,
    /// Not enough balance left.
    Balance,
    /// The recipient is blacklisted.
    Recipient,
    /// The content breaks a rule (sensitive words, signature, template, length, emoji).
    Content,
    /// A frequency limit was hit.
    Frequency,
    /// The platform failed (code 0).
    Server,
    /// A code not in the product's table.
    Unknown,
}

impl CodeClass {
    /// The lowercase name used in JSON output and the bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeClass::Ok => "ok",
            CodeClass::Input => "input",
            CodeClass::Auth => "auth",
            CodeClass::Account => "account",
            CodeClass::Balance => "balance",
            CodeClass::Recipient => "recipient",
            CodeClass::Content => "content",
            CodeClass::Frequency => "frequency",
            CodeClass::Server => "server",
            CodeClass::Unknown => "unknown",
        }
    }
}

impl fmt::Display for CodeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every result code documented by the vendor, by name. Products that share a number may give it
/// different meanings (4070 is a signature rule for SMS and the 4–6 digit rule for voice): the
/// names follow the domestic table and the docs on each variant say where others differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResultCode {
    /// 0: the submission failed on the platform.
    SubmitFailed,
    /// 2: accepted (Submit) or answered (GetNum).
    Success,
    /// 400: the caller's IP is not allowed.
    IllegalIp,
    /// 401: `account` is empty.
    AccountEmpty,
    /// 402: `password` is empty.
    PasswordEmpty,
    /// 403: `mobile` is empty.
    MobileEmpty,
    /// 4030: the number is blacklisted.
    MobileBlacklisted,
    /// 404: `content` is empty.
    ContentEmpty,
    /// 405: APIID or APIKEY is wrong.
    BadCredentials,
    /// 4050: the account is frozen.
    AccountFrozen,
    /// 40501: the dynamic password is older than the platform allows (domestic SMS).
    DynamicPasswordExpired,
    /// 40502: the dynamic password does not verify (domestic SMS).
    DynamicPasswordMismatch,
    /// 4051: the balance is exhausted.
    BalanceExhausted,
    /// 4052: the caller's IP is not the registered one.
    IpNotRegistered,
    /// 406: the number's format is wrong.
    MobileInvalid,
    /// 407: the content has sensitive words.
    SensitiveContent,
    /// 4070: SMS: signature format; voice: content must be 4–6 digits.
    ContentFormat,
    /// 4071: SMS: signature format; international: no registered template.
    SignatureOrTemplateMissing,
    /// 4072: SMS: signature format; international: content does not match a registered template.
    TemplateMismatch,
    /// 40722: a template variable is too long.
    VariableTooLong,
    /// 4073: the content is too long.
    ContentTooLong,
    /// 4074: the content contains emoji.
    ContainsEmoji,
    /// 4075: the signature has not been approved.
    SignatureNotApproved,
    /// 408: SMS: too many sends, number blacklisted; voice/international: account frozen as abused.
    SendLimitExceeded,
    /// 4080: more than one send per second to one number.
    PerSecondLimit,
    /// 4082: more than the daily number of sends to one number.
    DailyLimit,
    /// 4085: more than the daily number of verification codes to one number.
    DailyCodeLimit,
}

impl ResultCode {
    /// The wire number of this code.
    pub fn number(self) -> i64 {
        CODES
            .iter()
            .find(|row| row.code == self)
            .map(|row| row.number)
            .expect("every ResultCode has a catalogue row")
    }

    /// The named code for a wire number, if the vendor documents it for any product.
    pub fn from_number(number: i64) -> Option<ResultCode> {
        CODES
            .iter()
            .find(|row| row.number == number)
            .map(|row| row.code)
    }
}

/// One product's view of a documented result code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// The named code.
    pub code: ResultCode,
    /// Its wire number.
    pub number: i64,
    /// The vendor's message for this product, byte for byte.
    pub message: &'static str,
    /// What it means, in English.
    pub meaning: &'static str,
    /// Our class.
    pub class: CodeClass,
}

/// One row of the vendor's result-code tables: a message per product (`None` where the product's
/// table lacks the code), in the order sms, voice, isms.
#[derive(Debug)]
pub struct CodeRow {
    /// The named code.
    pub code: ResultCode,
    /// Its wire number.
    pub number: i64,
    /// Our class.
    pub class: CodeClass,
    /// What it means, in English.
    pub meaning: &'static str,
    /// The vendor's message per product: `[sms, voice, isms]`.
    pub messages: [Option<&'static str>; 3],
}

const fn row(
    code: ResultCode,
    number: i64,
    class: CodeClass,
    meaning: &'static str,
    messages: [Option<&'static str>; 3],
) -> CodeRow {
    CodeRow {
        code,
        number,
        class,
        meaning,
        messages,
    }
}

const fn all(message: &'static str) -> [Option<&'static str>; 3] {
    [Some(message), Some(message), Some(message)]
}

use CodeClass as C;
use ResultCode as R;

/// The result codes of the three products (`ihuyi-api.md`, "Result codes").
pub static CODES: [CodeRow; 27] = [
    row(
        R::SubmitFailed,
        0,
        C::Server,
        "submission failed",
        all("提交失败"),
    ),
    row(R::Success, 2, C::Ok, "accepted", all("提交成功")),
    row(
        R::IllegalIp,
        400,
        C::Auth,
        "caller IP not allowed",
        all("非法ip访问"),
    ),
    row(
        R::AccountEmpty,
        401,
        C::Input,
        "account is empty",
        all("帐号不能为空"),
    ),
    row(
        R::PasswordEmpty,
        402,
        C::Input,
        "password is empty",
        all("密码不能为空"),
    ),
    row(
        R::MobileEmpty,
        403,
        C::Input,
        "mobile is empty",
        all("手机号码不能为空"),
    ),
    row(
        R::MobileBlacklisted,
        4030,
        C::Recipient,
        "number is blacklisted",
        all("手机号码已被列入黑名单"),
    ),
    row(
        R::ContentEmpty,
        404,
        C::Input,
        "content is empty",
        [
            Some("短信内容不能为空"),
            Some("语音内容不能为空"),
            Some("短信内容不能为空"),
        ],
    ),
    row(
        R::BadCredentials,
        405,
        C::Auth,
        "APIID or APIKEY is wrong",
        [
            Some("API ID 或 API KEY 不正确"),
            Some("用户名或密码不正确"),
            Some("用户名或密码不正确"),
        ],
    ),
    row(
        R::AccountFrozen,
        4050,
        C::Account,
        "account is frozen",
        all("账号被冻结"),
    ),
    row(
        R::DynamicPasswordExpired,
        40501,
        C::Auth,
        "dynamic password expired",
        [Some("动态密码已过期"), None, None],
    ),
    row(
        R::DynamicPasswordMismatch,
        40502,
        C::Auth,
        "dynamic password does not verify",
        [Some("动态密码校验失败"), None, None],
    ),
    row(
        R::BalanceExhausted,
        4051,
        C::Balance,
        "balance exhausted",
        all("剩余条数不足"),
    ),
    row(
        R::IpNotRegistered,
        4052,
        C::Auth,
        "caller IP is not the registered IP",
        [
            Some("访问 ip 与备案 ip 不符"),
            Some("访问ip与备案ip不符"),
            Some("访问ip与备案ip不符"),
        ],
    ),
    row(
        R::MobileInvalid,
        406,
        C::Input,
        "mobile format is wrong",
        all("手机格式不正确"),
    ),
    row(
        R::SensitiveContent,
        407,
        C::Content,
        "content has sensitive words",
        all("短信内容含有敏感字符"),
    ),
    row(
        R::ContentFormat,
        4070,
        C::Content,
        "signature format (sms) / content must be 4-6 digits (voice)",
        [
            Some("签名格式不正确"),
            Some("语音验证码内容必须为4-6位数字"),
            None,
        ],
    ),
    row(
        R::SignatureOrTemplateMissing,
        4071,
        C::Content,
        "signature format (sms) / no registered template (isms)",
        [Some("签名格式不正确"), None, Some("没有提交备案模板")],
    ),
    row(
        R::TemplateMismatch,
        4072,
        C::Content,
        "signature format (sms) / content does not match a registered template (isms)",
        [
            Some("签名格式不正确"),
            None,
            Some("你提交过来短信内容必须与报备过的模板格式相匹配"),
        ],
    ),
    row(
        R::VariableTooLong,
        40722,
        C::Content,
        "template variable too long",
        [
            Some("变量内容超过指定的长度【8】"),
            None,
            Some("变量内容超过指的的长度"),
        ],
    ),
    row(
        R::ContentTooLong,
        4073,
        C::Content,
        "content too long",
        [
            Some("短信内容超出长度限制"),
            None,
            Some("短信内容超出长度限制"),
        ],
    ),
    row(
        R::ContainsEmoji,
        4074,
        C::Content,
        "content contains emoji",
        [Some("短信内容包含 emoji 符号"), None, None],
    ),
    row(
        R::SignatureNotApproved,
        4075,
        C::Content,
        "signature not approved",
        [Some("签名未通过审核"), None, None],
    ),
    row(
        R::SendLimitExceeded,
        408,
        C::Frequency,
        "send limit exceeded (sms: number blacklisted; voice/isms: account frozen)",
        [
            Some("发送超限([20]条),已加入黑名单,可登入平台解除"),
            Some("您的帐户疑被恶意利用,已被自动冻结,如有疑问请与客服联系。"),
            Some("您的帐户疑被恶意利用,已被自动冻结,如有疑问请与客服联系。"),
        ],
    ),
    row(
        R::PerSecondLimit,
        4080,
        C::Frequency,
        "more than 1 send per second to one number",
        [
            Some("同一手机号码同一秒钟之内发送频率不能超过 1 条"),
            None,
            None,
        ],
    ),
    row(
        R::DailyLimit,
        4082,
        C::Frequency,
        "daily send limit for one number reached",
        [Some("超出同一手机号一天之内【5】条短信限制"), None, None],
    ),
    row(
        R::DailyCodeLimit,
        4085,
        C::Frequency,
        "daily verification-code limit for one number reached",
        [Some("同一手机号验证码短信发送超出【5】条"), None, None],
    ),
];

/// The success message of a GetNum answer (the Submit one is `提交成功`).
pub const GET_NUM_SUCCESS_MESSAGE: &str = "查询成功";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_code_has_exactly_one_row() {
        for row in &CODES {
            let same: Vec<_> = CODES.iter().filter(|r| r.code == row.code).collect();
            assert_eq!(same.len(), 1, "{:?}", row.code);
            assert_eq!(ResultCode::from_number(row.number), Some(row.code));
            assert_eq!(row.code.number(), row.number);
        }
    }

    #[test]
    fn messages_differ_per_product_as_the_vendor_wrote_them() {
        assert_eq!(
            Product::Sms.message_of(405),
            Some("API ID 或 API KEY 不正确")
        );
        assert_eq!(Product::Voice.message_of(405), Some("用户名或密码不正确"));
        assert_eq!(
            Product::Voice.message_of(4070),
            Some("语音验证码内容必须为4-6位数字")
        );
        assert_eq!(Product::Isms.message_of(4070), None);
        assert_eq!(
            Product::Isms.message_of(40722),
            Some("变量内容超过指的的长度")
        );
        assert_eq!(Product::Sms.class_of(4051), CodeClass::Balance);
        assert_eq!(Product::Sms.class_of(4053), CodeClass::Unknown);
        assert_eq!(Product::Voice.class_of(40501), CodeClass::Unknown);
    }

    #[test]
    fn product_names_round_trip() {
        for p in Product::ALL {
            assert_eq!(p.spec().product, p);
            assert_eq!(p.name().parse::<Product>(), Ok(p));
        }
        assert_eq!("SMS".parse::<Product>(), Ok(Product::Sms));
        assert!("mms".parse::<Product>().is_err());
    }
}
