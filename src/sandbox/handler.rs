//! What the sandbox answers to one API call: the platform's checks, in order, from the
//! catalogue's rules and the account state.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::SandboxConfig;
use super::accounts::SandboxAccount;
use super::log::{LoggedRequest, RequestLog};
use super::verify::{PasswordCheck, check_password};
use crate::catalogue::{ContentRule, MobileRule, Product, ResultCode, SEGMENT_RULE_70_67};
use crate::clock::Clock;
use crate::validate::{is_international_mobile, is_mainland_mobile};

/// The shared state of one sandbox.
pub(crate) struct State {
    configured: Vec<SandboxAccount>,
    accounts: Mutex<Vec<SandboxAccount>>,
    pub log: RequestLog,
    clock: Arc<dyn Clock>,
    max_age: u64,
    next_seq: AtomicU64,
    next_id: AtomicU64,
}

/// One API call, as parsed from HTTP.
pub(crate) struct ApiCall<'a> {
    pub product: Product,
    pub method: &'a str,
    pub http_method: &'a str,
    pub path: &'a str,
    pub fields: &'a [(String, String)],
    pub _peer: IpAddr,
}

impl ApiCall<'_> {
    fn field(&self, name: &str) -> Option<&str> {
        // The last occurrence wins: a body field overrides the same name in the query.
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn present(&self, name: &str) -> &str {
        self.field(name).unwrap_or("")
    }
}

/// The API answer to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    Submit { code: i64, msg: String, id: String },
    GetNum { code: i64, msg: String, num: i64 },
}

impl State {
    pub fn new(config: &SandboxConfig) -> State {
        State {
            configured: config.accounts.clone(),
            accounts: Mutex::new(config.accounts.clone()),
            log: RequestLog::new(config.log_capacity),
            clock: Arc::clone(&config.clock),
            max_age: config.dynamic_password_max_age,
            next_seq: AtomicU64::new(1),
            next_id: AtomicU64::new(1),
        }
    }

    pub fn account_for(&self, product: Product) -> Option<SandboxAccount> {
        self.accounts().into_iter().find(|a| a.product == product)
    }

    pub fn accounts(&self) -> Vec<SandboxAccount> {
        self.accounts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn reset(&self) {
        *self.accounts.lock().unwrap_or_else(|p| p.into_inner()) = self.configured.clone();
        self.log.clear();
    }

    /// Answers one call and logs it.
    pub fn handle(&self, call: &ApiCall<'_>) -> Option<Answer> {
        let now = self.clock.unix_time();
        let answer = match call.method {
            "Submit" => Some(self.submit(call, now)),
            "GetNum" => Some(self.get_num(call, now)),
            _ => None,
        };
        let (code, id) = match &answer {
            Some(Answer::Submit { code, id, .. }) => {
                (Some(*code), (*code == 2).then(|| id.clone()))
            }
            Some(Answer::GetNum { code, .. }) => (Some(*code), None),
            None => (None, None),
        };
        self.record(call, Some(call.product), now, code, id);
        answer
    }

    /// Logs a request that did not reach a product's API (unknown path).
    pub fn record_other(&self, http_method: &str, path: &str, fields: &[(String, String)]) {
        let call = ApiCall {
            product: Product::Sms,
            method: "",
            http_method,
            path,
            fields,
            _peer: IpAddr::from([0, 0, 0, 0]),
        };
        self.record(&call, None, self.clock.unix_time(), None, None);
    }

    fn record(
        &self,
        call: &ApiCall<'_>,
        product: Option<Product>,
        now: u64,
        code: Option<i64>,
        id: Option<String>,
    ) {
        let fields = call
            .fields
            .iter()
            .map(|(k, v)| {
                if k == "password" {
                    (k.clone(), format!("<{} chars>", v.chars().count()))
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect();
        self.log.push(LoggedRequest {
            seq: self.next_seq.fetch_add(1, Ordering::Relaxed),
            unix_time: now,
            product,
            method: call.method.to_owned(),
            http_method: call.http_method.to_owned(),
            path: call.path.to_owned(),
            fields,
            code,
            id,
        });
    }

    fn submit(&self, call: &ApiCall<'_>, now: u64) -> Answer {
        let product = call.product;
        let refuse = |code: ResultCode| Answer::Submit {
            code: code.number(),
            msg: message(product, code),
            id: "0".into(),
        };
        let account = call.present("account");
        let password = call.present("password");
        let mobile = call.present("mobile");
        let content = call.present("content");
        if account.is_empty() {
            return refuse(ResultCode::AccountEmpty);
        }
        if password.is_empty() {
            return refuse(ResultCode::PasswordEmpty);
        }
        if mobile.is_empty() {
            return refuse(ResultCode::MobileEmpty);
        }
        if content.is_empty() {
            return refuse(ResultCode::ContentEmpty);
        }
        if let Err(code) = self.authenticate(call, account, password, &[mobile, content], now) {
            return refuse(code);
        }
        let mobile_ok = match product.spec().mobile_rule {
            MobileRule::Mainland => is_mainland_mobile(mobile),
            MobileRule::International => is_international_mobile(mobile),
        };
        if !mobile_ok {
            return refuse(ResultCode::MobileInvalid);
        }
        let segments = match product.spec().content_rule {
            ContentRule::Digits { min, max } => {
                let n = content.len();
                if !content.bytes().all(|b| b.is_ascii_digit()) || n < min || n > max {
                    return refuse(ResultCode::ContentFormat);
                }
                1
            }
            ContentRule::Text { max_chars } => {
                let chars = content.chars().count();
                if chars > max_chars {
                    return refuse(ResultCode::ContentTooLong);
                }
                segments(chars)
            }
        };
        {
            let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
            let Some(acct) = accounts
                .iter_mut()
                .find(|a| a.product == product && a.account == account)
            else {
                return refuse(ResultCode::BadCredentials);
            };
            if acct.balance < segments {
                return refuse(ResultCode::BalanceExhausted);
            }
            acct.balance -= segments;
        }
        Answer::Submit {
            code: 2,
            msg: message(product, ResultCode::Success),
            id: self.new_id(now),
        }
    }

    fn get_num(&self, call: &ApiCall<'_>, now: u64) -> Answer {
        let product = call.product;
        let refuse = |code: ResultCode| Answer::GetNum {
            code: code.number(),
            msg: message(product, code),
            num: 0,
        };
        let account = call.present("account");
        let password = call.present("password");
        if account.is_empty() {
            return refuse(ResultCode::AccountEmpty);
        }
        if password.is_empty() {
            return refuse(ResultCode::PasswordEmpty);
        }
        if let Err(code) = self.authenticate(call, account, password, &[], now) {
            return refuse(code);
        }
        let num = self
            .accounts()
            .into_iter()
            .find(|a| a.product == product && a.account == account)
            .map_or(0, |a| a.balance);
        Answer::GetNum {
            code: 2,
            msg: crate::catalogue::GET_NUM_SUCCESS_MESSAGE.into(),
            num,
        }
    }

    /// 405 for an unknown account or a wrong key; 40501/40502 for dynamic passwords where the
    /// product's table has them (domestic SMS), 405 elsewhere.
    fn authenticate(
        &self,
        call: &ApiCall<'_>,
        account: &str,
        password: &str,
        signed: &[&str],
        now: u64,
    ) -> Result<(), ResultCode> {
        let product = call.product;
        let apikey = {
            let accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
            match accounts
                .iter()
                .find(|a| a.product == product && a.account == account)
            {
                Some(a) => a.apikey.clone(),
                None => return Err(ResultCode::BadCredentials),
            }
        };
        let has = |code: ResultCode| product.code(code.number()).is_some();
        match check_password(
            account,
            &apikey,
            password,
            signed,
            call.field("time"),
            now,
            self.max_age,
        ) {
            PasswordCheck::Valid => Ok(()),
            PasswordCheck::Expired if has(ResultCode::DynamicPasswordExpired) => {
                Err(ResultCode::DynamicPasswordExpired)
            }
            PasswordCheck::Mismatch if has(ResultCode::DynamicPasswordMismatch) => {
                Err(ResultCode::DynamicPasswordMismatch)
            }
            _ => Err(ResultCode::BadCredentials),
        }
    }

    /// A 20-digit id that exceeds `u64::MAX`, so any binding that parses ids as integers fails
    /// its tests here rather than in production.
    fn new_id(&self, now: u64) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("9{:09}{:010}", now % 1_000_000_000, n % 10_000_000_000)
    }
}

/// The number of billed segments for `chars` characters (signature included).
pub(crate) fn segments(chars: usize) -> i64 {
    let rule = SEGMENT_RULE_70_67;
    if chars <= rule.single {
        1
    } else {
        chars.div_ceil(rule.multi) as i64
    }
}

fn message(product: Product, code: ResultCode) -> String {
    product
        .message_of(code.number())
        .unwrap_or("提交失败")
        .to_owned()
}
