//! What the sandbox answers to one API call: the platform's checks, in order, from the
//! catalogue's rules, the settings in force and the account state.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::SandboxConfig;
use super::accounts::SandboxAccount;
use super::clock::SandboxClock;
use super::faults::{Fault, FaultPlan};
use super::limits::{CounterView, Counters, Limits, is_verification_code};
use super::log::{LoggedRequest, RequestLog};
use super::push::{self, PushJob, PushLog, ReceiptRule};
use super::rules::{find_sensitive, matches_template};
use super::verify::{PasswordCheck, check_password};
use crate::catalogue::{ContentRule, MobileRule, Product, ResultCode, SEGMENT_RULE_70_67};
use crate::validate::{is_international_mobile, is_mainland_mobile};

/// The settings in force: replaced whole (never mutated) when a scenario or faults are set, so a
/// request reads them with one short read lock.
pub(crate) struct Settings {
    pub policy: Policy,
    pub faults: FaultPlan,
}

/// Every setting but the faults.
#[derive(Clone)]
pub(crate) struct Policy {
    pub accounts: Vec<SandboxAccount>,
    pub limits: Limits,
    pub blacklist: HashSet<String>,
    pub sensitive_words: Vec<String>,
    pub denied_ips: Vec<IpAddr>,
    pub receipts: HashMap<String, ReceiptRule>,
    pub time_scale: f64,
    pub receipt_delay_seconds: f64,
    pub max_age: u64,
}

impl Policy {
    fn from_config(config: &SandboxConfig) -> Policy {
        Policy {
            accounts: config.accounts.clone(),
            limits: config.limits,
            blacklist: config.blacklist.iter().cloned().collect(),
            sensitive_words: config.sensitive_words.clone(),
            denied_ips: config
                .denied_ips
                .iter()
                .map(|ip| ip.to_canonical())
                .collect(),
            receipts: config
                .receipts
                .iter()
                .map(|r| (r.mobile.clone(), r.clone()))
                .collect(),
            time_scale: config.time_scale,
            receipt_delay_seconds: config.receipt_delay_seconds,
            max_age: config.dynamic_password_max_age,
        }
    }
}

/// Balances and per-number counts: one lock, so a check and its effect are one step.
struct Ledger {
    accounts: Vec<SandboxAccount>,
    counters: Counters,
}

/// The shared state of one sandbox.
pub(crate) struct State {
    settings: RwLock<Arc<Settings>>,
    ledger: Mutex<Ledger>,
    pub log: RequestLog,
    pub pushes: Arc<PushLog>,
    pub clock: Arc<SandboxClock>,
    next_seq: AtomicU64,
    next_id: AtomicU64,
    api_requests: AtomicU64,
}

/// One API call, as parsed from HTTP.
pub(crate) struct ApiCall<'a> {
    pub product: Option<Product>,
    pub method: &'a str,
    pub http_method: &'a str,
    pub path: &'a str,
    pub fields: &'a [(String, String)],
    pub peer: IpAddr,
}

impl ApiCall<'_> {
    pub fn field(&self, name: &str) -> Option<&str> {
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
            settings: RwLock::new(Arc::new(Settings {
                policy: Policy::from_config(config),
                faults: FaultPlan::new(config.faults.clone()),
            })),
            ledger: Mutex::new(Ledger {
                accounts: config.accounts.clone(),
                counters: Counters::default(),
            }),
            log: RequestLog::new(config.log_capacity),
            pushes: Arc::new(PushLog::new(config.log_capacity)),
            clock: Arc::new(SandboxClock::new(Arc::clone(&config.clock))),
            next_seq: AtomicU64::new(1),
            next_id: AtomicU64::new(1),
            api_requests: AtomicU64::new(0),
        }
    }

    pub fn settings(&self) -> Arc<Settings> {
        Arc::clone(&self.settings.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The 1-based position of a new API request since start or reset.
    pub fn next_api_index(&self) -> u64 {
        self.api_requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn account_for(&self, product: Product) -> Option<SandboxAccount> {
        let ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        ledger
            .accounts
            .iter()
            .find(|a| a.product == product)
            .cloned()
    }

    pub fn accounts(&self) -> Vec<SandboxAccount> {
        self.ledger
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .accounts
            .clone()
    }

    /// Every number's frequency counts at `now` (empty while the limits are off: nothing counts).
    pub fn counters(&self, now: u64) -> Vec<CounterView> {
        self.ledger
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .counters
            .view(now)
    }

    /// Restores the configured balances, forgets counts, logs, pushes, fault hits and clock moves.
    pub fn reset(&self) {
        let settings = self.settings();
        settings.faults.reset();
        {
            let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
            ledger.accounts = settings.policy.accounts.clone();
            ledger.counters.clear();
        }
        self.log.clear();
        self.pushes.clear();
        self.clock.clear_offset();
        self.api_requests.store(0, Ordering::Relaxed);
    }

    /// Puts a whole new configuration in force (accounts, limits, lists, faults; the clock when
    /// `clock_too`), then resets.
    pub fn apply(&self, config: &SandboxConfig, clock_too: bool) {
        let settings = Arc::new(Settings {
            policy: Policy::from_config(config),
            faults: FaultPlan::new(config.faults.clone()),
        });
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
        if clock_too {
            self.clock.replace(Arc::clone(&config.clock));
        }
        self.reset();
    }

    /// Replaces the faults only (their hit counts start again).
    pub fn set_faults(&self, faults: Vec<Fault>) {
        let mut slot = self.settings.write().unwrap_or_else(|p| p.into_inner());
        *slot = Arc::new(Settings {
            policy: slot.policy.clone(),
            faults: FaultPlan::new(faults),
        });
    }

    /// Answers one call and logs it; `fault` names an injected fault that lets it be handled.
    /// `None` for a method other than Submit and GetNum.
    pub fn handle(
        &self,
        call: &ApiCall<'_>,
        settings: &Settings,
        fault: Option<&'static str>,
    ) -> Option<Answer> {
        let now = self.clock.now();
        let answer = match (call.product, call.method) {
            (Some(product), "Submit") => {
                let (answer, job) = self.submit(product, call, &settings.policy, now);
                if let Some(job) = job {
                    self.schedule_push(job, &settings.policy);
                }
                Some(answer)
            }
            (Some(product), "GetNum") => Some(self.get_num(product, call, &settings.policy, now)),
            _ => None,
        };
        let (code, id) = match &answer {
            Some(Answer::Submit { code, id, .. }) => {
                (Some(*code), (*code == 2).then(|| id.clone()))
            }
            Some(Answer::GetNum { code, .. }) => (Some(*code), None),
            None => (None, None),
        };
        self.record(call, now, code, id, fault);
        answer
    }

    /// Logs a request that got no API answer (unknown path, or a fault that refuses it).
    pub fn record_unhandled(&self, call: &ApiCall<'_>, fault: Option<&'static str>) {
        self.record(call, self.clock.now(), None, None, fault);
    }

    fn record(
        &self,
        call: &ApiCall<'_>,
        now: u64,
        code: Option<i64>,
        id: Option<String>,
        fault: Option<&'static str>,
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
            product: call.product,
            method: call.method.to_owned(),
            http_method: call.http_method.to_owned(),
            path: call.path.to_owned(),
            fields,
            code,
            id,
            fault,
        });
    }

    fn schedule_push(&self, job: PushJob, policy: &Policy) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let first = push::scaled(policy.receipt_delay_seconds, policy.time_scale);
        let clock = Arc::clone(&self.clock);
        let log = Arc::clone(&self.pushes);
        runtime.spawn(push::deliver(
            job,
            first,
            policy.time_scale,
            move || clock.now(),
            log,
        ));
    }

    fn submit(
        &self,
        product: Product,
        call: &ApiCall<'_>,
        policy: &Policy,
        now: u64,
    ) -> (Answer, Option<PushJob>) {
        let refuse = |code: ResultCode| {
            let answer = Answer::Submit {
                code: code.number(),
                msg: message(product, code),
                id: "0".into(),
            };
            (answer, None)
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
        if policy.denied_ips.contains(&call.peer) {
            return refuse(ResultCode::IllegalIp);
        }
        let mobile_ok = match product.spec().mobile_rule {
            MobileRule::Mainland => is_mainland_mobile(mobile),
            MobileRule::International => is_international_mobile(mobile),
        };
        let segments = match product.spec().content_rule {
            ContentRule::Digits { min, max } => {
                let n = content.len();
                (content.bytes().all(|b| b.is_ascii_digit()) && n >= min && n <= max)
                    .then_some(1)
                    .ok_or(ResultCode::ContentFormat)
            }
            ContentRule::Text { max_chars } => {
                let chars = content.chars().count();
                (chars <= max_chars)
                    .then(|| segments(chars))
                    .ok_or(ResultCode::ContentTooLong)
            }
        };
        let is_code = is_verification_code(content);

        let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        let Ledger { accounts, counters } = &mut *ledger;
        let Some(acct) = accounts
            .iter_mut()
            .find(|a| a.product == product && a.account == account)
        else {
            return refuse(ResultCode::BadCredentials);
        };
        if let Err(code) = authenticate(
            product,
            acct,
            password,
            &[mobile, content],
            call,
            now,
            policy,
        ) {
            return refuse(code);
        }
        if acct.frozen {
            return refuse(ResultCode::AccountFrozen);
        }
        if !acct.allowed_ips.is_empty()
            && !acct
                .allowed_ips
                .iter()
                .any(|ip| ip.to_canonical() == call.peer)
        {
            return refuse(ResultCode::IpNotRegistered);
        }
        if !mobile_ok {
            return refuse(ResultCode::MobileInvalid);
        }
        let segments = match segments {
            Ok(n) => n,
            Err(code) => return refuse(code),
        };
        if find_sensitive(&policy.sensitive_words, content).is_some() {
            return refuse(ResultCode::SensitiveContent);
        }
        if let (Product::Isms, Some(templates)) = (product, &acct.templates) {
            if templates.is_empty() {
                return refuse(ResultCode::SignatureOrTemplateMissing);
            }
            if !templates.iter().any(|t| matches_template(t, content)) {
                return refuse(ResultCode::TemplateMismatch);
            }
        }
        if policy.blacklist.contains(mobile) {
            return refuse(ResultCode::MobileBlacklisted);
        }
        if let Err(code) = counters.check(&policy.limits, product, mobile, now, is_code) {
            return refuse(code);
        }
        if acct.balance < segments {
            return refuse(ResultCode::BalanceExhausted);
        }
        acct.balance -= segments;
        counters.count(&policy.limits, product, mobile, now, is_code);
        let push_url = acct.push_url.clone();
        drop(ledger);

        let id = self.new_id(now);
        let job = push_url.map(|url| {
            let (code, msg) = policy
                .receipts
                .get(mobile)
                .map_or((2, "DELIVRD".to_owned()), |r| (r.code, r.msg.clone()));
            PushJob {
                product,
                id: id.clone(),
                mobile: mobile.to_owned(),
                code,
                msg,
                url,
            }
        });
        let answer = Answer::Submit {
            code: 2,
            msg: message(product, ResultCode::Success),
            id,
        };
        (answer, job)
    }

    fn get_num(&self, product: Product, call: &ApiCall<'_>, policy: &Policy, now: u64) -> Answer {
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
        if policy.denied_ips.contains(&call.peer) {
            return refuse(ResultCode::IllegalIp);
        }
        let ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        let Some(acct) = ledger
            .accounts
            .iter()
            .find(|a| a.product == product && a.account == account)
        else {
            return refuse(ResultCode::BadCredentials);
        };
        if let Err(code) = authenticate(product, acct, password, &[], call, now, policy) {
            return refuse(code);
        }
        if acct.frozen {
            return refuse(ResultCode::AccountFrozen);
        }
        if !acct.allowed_ips.is_empty()
            && !acct
                .allowed_ips
                .iter()
                .any(|ip| ip.to_canonical() == call.peer)
        {
            // GetNum's table has no 4052: the platform answers 400 there.
            return refuse(ResultCode::IllegalIp);
        }
        Answer::GetNum {
            code: 2,
            msg: crate::catalogue::GET_NUM_SUCCESS_MESSAGE.into(),
            num: acct.balance,
        }
    }

    /// A 20-digit id that exceeds `u64::MAX`, so any binding that parses ids as integers fails
    /// its tests here rather than in production.
    fn new_id(&self, now: u64) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("9{:09}{:010}", now % 1_000_000_000, n % 10_000_000_000)
    }
}

/// 405 for a wrong key; 40501/40502 for dynamic passwords where the product's table has them
/// (domestic SMS), 405 elsewhere.
fn authenticate(
    product: Product,
    acct: &SandboxAccount,
    password: &str,
    signed: &[&str],
    call: &ApiCall<'_>,
    now: u64,
    policy: &Policy,
) -> Result<(), ResultCode> {
    let has = |code: ResultCode| product.code(code.number()).is_some();
    match check_password(
        &acct.account,
        &acct.apikey,
        password,
        signed,
        call.field("time"),
        now,
        policy.max_age,
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
