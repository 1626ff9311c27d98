//! Scenario files: accounts, balances, limits, blacklists, templates, push URLs, receipt outcomes,
//! faults and the clock, in TOML or JSON. `ihuyi sandbox --scenario FILE` reads one;
//! `POST /_sandbox/scenario` takes the same thing as JSON. `examples/sandbox/scenario.toml`
//! documents every key.
//!
//! A scenario describes the platform: its `limits` default to the platform's documented values
//! (1 per second, 5 per day, 5 verification codes per day) unless it says otherwise.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::SandboxConfig;
use super::accounts::{DEFAULT_BALANCE, SandboxAccount, default_credentials};
use super::clock::ScaledClock;
use super::faults::Fault;
use super::limits::Limits;
use super::push::ReceiptRule;
use crate::catalogue::Product;

/// A scenario, as written in a file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The accounts. A product with none listed keeps its default account.
    #[serde(default)]
    pub accounts: Vec<ScenarioAccount>,
    /// Per-number frequency limits (the platform's values unless set).
    #[serde(default)]
    pub limits: ScenarioLimits,
    /// Numbers refused with `4030`.
    #[serde(default)]
    pub blacklist: Vec<String>,
    /// Words whose presence in content is refused with `407`.
    #[serde(default)]
    pub sensitive_words: Vec<String>,
    /// Client addresses refused with `400` for every account.
    #[serde(default)]
    pub denied_ips: Vec<IpAddr>,
    /// Delivery outcome per number (delivered by default).
    #[serde(default)]
    pub receipts: Vec<ReceiptRule>,
    /// Injected faults.
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// The sandbox clock (the system clock when absent).
    #[serde(default)]
    pub clock: Option<ScenarioClock>,
    /// Sandbox seconds per real second for waits the sandbox schedules (receipt pushes and
    /// re-pushes). Default: the clock's scale when it runs, else 1.
    #[serde(default)]
    pub time_scale: Option<f64>,
    /// Sandbox seconds between an accepted Submit and its first receipt push (default 1).
    #[serde(default)]
    pub receipt_delay_seconds: Option<f64>,
    /// How old a dynamic password may be, in seconds (default 600: older ones get `40501`).
    #[serde(default)]
    pub dynamic_password_max_age: Option<u64>,
}

/// One account of a scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioAccount {
    /// `sms`, `voice` or `isms`.
    pub product: String,
    /// The APIID (default: the product's default account).
    #[serde(default)]
    pub account: Option<String>,
    /// The APIKEY (default: the product's default key).
    #[serde(default)]
    pub apikey: Option<String>,
    /// The balance (default 100 000).
    #[serde(default)]
    pub balance: Option<i64>,
    /// Frozen: every call gets `4050`.
    #[serde(default)]
    pub frozen: bool,
    /// The only client addresses allowed (empty: any).
    #[serde(default)]
    pub allowed_ips: Vec<IpAddr>,
    /// Where receipts are pushed (`http://host:port/path`).
    #[serde(default)]
    pub push_url: Option<String>,
    /// International templates (see [`SandboxAccount::templates`]).
    #[serde(default)]
    pub templates: Option<Vec<String>>,
}

/// The `[limits]` table: each limit defaults to the platform's value; `0` turns one off;
/// `enabled = false` turns them all off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioLimits {
    /// False turns every limit off.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `4080` threshold (default 1).
    #[serde(default)]
    pub per_second: Option<u32>,
    /// `4082` threshold (default 5).
    #[serde(default)]
    pub per_day: Option<u32>,
    /// `4085` threshold (default 5).
    #[serde(default)]
    pub codes_per_day: Option<u32>,
}

impl Default for ScenarioLimits {
    fn default() -> ScenarioLimits {
        ScenarioLimits {
            enabled: true,
            per_second: None,
            per_day: None,
            codes_per_day: None,
        }
    }
}

fn yes() -> bool {
    true
}

impl ScenarioLimits {
    /// The limits in force.
    pub fn limits(&self) -> Limits {
        if !self.enabled {
            return Limits::OFF;
        }
        let p = Limits::PLATFORM;
        Limits {
            per_second: self.per_second.unwrap_or(p.per_second),
            per_day: self.per_day.unwrap_or(p.per_day),
            codes_per_day: self.codes_per_day.unwrap_or(p.codes_per_day),
        }
    }
}

/// The `[clock]` table: sandbox time starts at `start` (default: now) plus `offset_seconds`, and
/// runs `scale` times real time (`0` freezes it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioClock {
    /// Unix time at start (default: the system's now).
    #[serde(default)]
    pub start: Option<u64>,
    /// Added to the start (e.g. 700 makes every freshly signed dynamic password look 700 s old).
    #[serde(default)]
    pub offset_seconds: i64,
    /// Sandbox seconds per real second.
    #[serde(default = "one")]
    pub scale: f64,
}

fn one() -> f64 {
    1.0
}

/// A scenario that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scenario: {}", self.0)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        serde_json::from_str(text).map_err(|e| ScenarioError(format!("invalid JSON: {e}")))
    }

    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        toml::from_str(text).map_err(|e| ScenarioError(format!("invalid TOML: {e}")))
    }

    /// Reads a file: JSON when it ends in `.json` (or starts with `{`), TOML otherwise.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError(format!("cannot read {}: {e}", path.display())))?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Scenario::from_json(&text)
        } else {
            Scenario::from_toml(&text)
        }
    }

    /// The configuration this scenario describes, keeping `base`'s bind address, log capacity
    /// and worker threads.
    pub fn to_config(&self, base: SandboxConfig) -> Result<SandboxConfig, ScenarioError> {
        let mut accounts = Vec::new();
        for a in &self.accounts {
            accounts.push(account(a)?);
        }
        for product in Product::ALL {
            if !accounts.iter().any(|a| a.product == product) {
                let (account, apikey) = default_credentials(product);
                accounts.push(SandboxAccount::new(
                    product,
                    account,
                    apikey,
                    DEFAULT_BALANCE,
                ));
            }
        }
        let (clock, clock_scale): (Arc<dyn crate::clock::Clock>, f64) = match &self.clock {
            Some(c) => {
                if !(c.scale.is_finite() && c.scale >= 0.0) {
                    return Err(ScenarioError("clock.scale must be a number >= 0".into()));
                }
                let start = c
                    .start
                    .unwrap_or_else(|| crate::clock::Clock::unix_time(&crate::clock::SystemClock));
                let start = u64::try_from(i128::from(start) + i128::from(c.offset_seconds))
                    .map_err(|_| ScenarioError("clock start + offset is before 1970".into()))?;
                (Arc::new(ScaledClock::new(start, c.scale)), c.scale)
            }
            None => (Arc::clone(&base.clock), 1.0),
        };
        let time_scale =
            self.time_scale
                .unwrap_or(if clock_scale > 0.0 { clock_scale } else { 1.0 });
        if !(time_scale.is_finite() && time_scale > 0.0) {
            return Err(ScenarioError("time_scale must be a number > 0".into()));
        }
        let receipt_delay_seconds = self.receipt_delay_seconds.unwrap_or(1.0);
        if !(receipt_delay_seconds.is_finite() && receipt_delay_seconds >= 0.0) {
            return Err(ScenarioError("receipt_delay_seconds must be >= 0".into()));
        }
        Ok(SandboxConfig {
            accounts,
            clock,
            limits: self.limits.limits(),
            time_scale,
            blacklist: self.blacklist.clone(),
            sensitive_words: self.sensitive_words.clone(),
            denied_ips: self.denied_ips.clone(),
            faults: self.faults.clone(),
            receipts: self.receipts.clone(),
            receipt_delay_seconds,
            dynamic_password_max_age: self
                .dynamic_password_max_age
                .unwrap_or(base.dynamic_password_max_age),
            ..base
        })
    }
}

fn account(a: &ScenarioAccount) -> Result<SandboxAccount, ScenarioError> {
    let product = Product::from_name(&a.product).ok_or_else(|| {
        ScenarioError(format!(
            "account product {:?}: expected sms, voice or isms",
            a.product
        ))
    })?;
    let (default_account, default_key) = default_credentials(product);
    if let Some(url) = &a.push_url {
        check_push_url(url)?;
    }
    Ok(SandboxAccount {
        product,
        account: a.account.clone().unwrap_or_else(|| default_account.into()),
        apikey: a.apikey.clone().unwrap_or_else(|| default_key.into()),
        balance: a.balance.unwrap_or(DEFAULT_BALANCE),
        frozen: a.frozen,
        allowed_ips: a.allowed_ips.clone(),
        push_url: a.push_url.clone(),
        templates: a.templates.clone(),
    })
}

fn check_push_url(url: &str) -> Result<(), ScenarioError> {
    let uri: hyper::Uri = url
        .parse()
        .map_err(|e| ScenarioError(format!("push_url {url:?}: {e}")))?;
    if uri.scheme_str() != Some("http") || uri.host().is_none() {
        return Err(ScenarioError(format!(
            "push_url {url:?}: expected http://host[:port]/path"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses() {
        let text = include_str!("../../examples/sandbox/scenario.toml");
        let scenario = Scenario::from_toml(text).unwrap();
        let config = scenario.to_config(SandboxConfig::default()).unwrap();
        assert_eq!(config.limits, Limits::PLATFORM);
        assert!(config.accounts.iter().any(|a| a.product == Product::Isms));
        assert!(!config.faults.is_empty());
    }

    #[test]
    fn the_json_example_loads_from_its_file() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/sandbox/faults.json"
        ));
        let scenario = Scenario::load(path).unwrap();
        let config = scenario.to_config(SandboxConfig::default()).unwrap();
        assert_eq!(config.limits, Limits::OFF);
        assert_eq!(config.faults.len(), 7);
        assert!(Scenario::load(Path::new("/nonexistent/scenario.toml")).is_err());
    }

    #[test]
    fn defaults_and_errors() {
        let s = Scenario::from_json("{}").unwrap();
        let c = s.to_config(SandboxConfig::default()).unwrap();
        assert_eq!(c.limits, Limits::PLATFORM);
        assert_eq!(c.accounts.len(), 3);
        let s = Scenario::from_toml("[limits]\nenabled = false\n").unwrap();
        assert_eq!(s.limits.limits(), Limits::OFF);
        let s = Scenario::from_toml("[limits]\nper_day = 0\n").unwrap();
        assert_eq!(s.limits.limits().per_day, 0);
        assert_eq!(s.limits.limits().per_second, 1);
        assert!(Scenario::from_toml("colour = 1\n").is_err());
        let bad = Scenario::from_json(r#"{"accounts":[{"product":"fax"}]}"#).unwrap();
        assert!(bad.to_config(SandboxConfig::default()).is_err());
        let bad =
            Scenario::from_json(r#"{"accounts":[{"product":"sms","push_url":"https://x/"}]}"#)
                .unwrap();
        assert!(bad.to_config(SandboxConfig::default()).is_err());
    }
}
