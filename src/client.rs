//! The blocking client: validation, signing, one pooled transport, typed errors.
//!
//! A [`Client`] serves one product with that product's APIID/APIKEY. It is immutable after
//! [`ClientBuilder::build`], `Send + Sync`, and meant to be shared by every thread.
//!
//! **A Submit is never retried automatically.** When the SDK cannot know whether the server
//! processed a request it returns [`Error::OutcomeUnknown`]; resending is the application's
//! decision, because a resend may text the recipient twice.

use std::fmt;
use std::sync::Arc;

use crate::catalogue::Product;
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, ErrorKind, OutcomeUnknownError, UnreachableError};
use crate::guard::FrequencyGuard;
use crate::normalize::normalize_mobile;
use crate::outcome;
use crate::secret::ApiKey;
use crate::transport::{HttpAnswer, Timeouts, Transport, TransportFailure};
use crate::wire::{Format, PasswordMode, PreparedRequest, RequestConfig};

/// The environment variable the account falls back to.
pub const ENV_ACCOUNT: &str = "IHUYI_ACCOUNT";
/// The environment variable the API key falls back to.
pub const ENV_APIKEY: &str = "IHUYI_APIKEY";
/// The environment variable the base URL falls back to (CLI and bindings).
pub const ENV_BASE_URL: &str = "IHUYI_BASE_URL";

/// Idle keep-alive connections kept per host by default: enough for 64 threads sharing a client.
pub const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 64;

/// An accepted Submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendResult {
    /// The product used.
    pub product: Product,
    /// The message id (流水号), a string of up to 20 digits.
    pub id: String,
    /// The result code: always 2.
    pub code: i64,
    /// The server's message (`提交成功`).
    pub msg: String,
}

/// An answered GetNum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The product asked about.
    pub product: Product,
    /// The remaining balance (剩余条数).
    pub num: i64,
    /// The result code: always 2.
    pub code: i64,
    /// The server's message.
    pub msg: String,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    product: Product,
    account: Option<String>,
    apikey: Option<ApiKey>,
    base_url: Option<String>,
    password_mode: PasswordMode,
    format: Format,
    timeouts: Timeouts,
    max_idle_connections: usize,
    clock: Arc<dyn Clock>,
    strict_mobile: bool,
    guard: Option<FrequencyGuard>,
}

impl ClientBuilder {
    /// Starts a builder for `product` with the defaults: vendor `https://` host, dynamic password,
    /// XML, [`Timeouts::default`], the system clock.
    pub fn new(product: Product) -> ClientBuilder {
        ClientBuilder {
            product,
            account: None,
            apikey: None,
            base_url: None,
            password_mode: PasswordMode::Dynamic,
            format: Format::Xml,
            timeouts: Timeouts::default(),
            max_idle_connections: DEFAULT_MAX_IDLE_CONNECTIONS,
            clock: Arc::new(SystemClock),
            strict_mobile: false,
            guard: None,
        }
    }

    /// The APIID.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// The APIKEY.
    pub fn apikey(mut self, apikey: impl Into<ApiKey>) -> Self {
        self.apikey = Some(apikey.into());
        self
    }

    /// Fills the account and key not set yet from `IHUYI_ACCOUNT` and `IHUYI_APIKEY`.
    pub fn credentials_from_env(mut self) -> Self {
        if self.account.is_none() {
            self.account = std::env::var(ENV_ACCOUNT).ok();
        }
        if self.apikey.is_none() {
            self.apikey = std::env::var(ENV_APIKEY).ok().map(ApiKey::new);
        }
        self
    }

    /// Replaces the origin for every product (`scheme://host[:port]`); the product's own path is
    /// kept. This is how tests point a client at the sandbox.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Dynamic (default) or plain password.
    pub fn password_mode(mut self, mode: PasswordMode) -> Self {
        self.password_mode = mode;
        self
    }

    /// The answer format asked of the server (the parser accepts either form anyway).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Per-phase timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Idle keep-alive connections kept; at least the number of threads sharing the client.
    pub fn max_idle_connections(mut self, n: usize) -> Self {
        self.max_idle_connections = n;
        self
    }

    /// The clock used for dynamic passwords.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Strict numbers: refuse a mobile that is not already in the API's form instead of
    /// normalizing it (by default `send` applies [`normalize_mobile`], so `+86 138-0013-8000` is
    /// sent as `13800138000`). The refusal names the normalized form.
    pub fn strict_mobile(mut self, strict: bool) -> Self {
        self.strict_mobile = strict;
        self
    }

    /// Refuses locally the sends `guard` counts as over a frequency limit (4080/4082/4085):
    /// an [`Error::Validation`] on `frequency`, nothing sent. Clones of one guard share counts.
    pub fn frequency_guard(mut self, guard: FrequencyGuard) -> Self {
        self.guard = Some(guard);
        self
    }

    /// Validates everything and builds the client. Errors are [`Error::Validation`].
    pub fn build(self) -> Result<Client, Error> {
        let account = self.account.unwrap_or_default();
        let apikey = self.apikey.unwrap_or_else(|| ApiKey::new(""));
        for (name, limit) in [
            ("connect", self.timeouts.connect),
            ("send", self.timeouts.send),
            ("response", self.timeouts.response),
        ] {
            if limit.is_zero() {
                return Err(Error::validation(
                    "timeout",
                    format!("the {name} timeout must be greater than zero"),
                ));
            }
        }
        let config = RequestConfig::new(
            self.product,
            &account,
            apikey,
            self.base_url.as_deref(),
            self.password_mode,
            self.format,
        )?;
        if self.product.spec().mobile_rule == crate::catalogue::MobileRule::International {
            crate::normalize::warm_up();
        }
        Ok(Client {
            config,
            transport: Transport::new(self.timeouts, self.max_idle_connections),
            clock: self.clock,
            strict_mobile: self.strict_mobile,
            guard: self.guard,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("product", &self.product)
            .field("account", &self.account)
            .field("apikey", &self.apikey)
            .field("base_url", &self.base_url)
            .field("password_mode", &self.password_mode)
            .field("format", &self.format)
            .field("timeouts", &self.timeouts)
            .field("strict_mobile", &self.strict_mobile)
            .field("guard", &self.guard)
            .finish()
    }
}

/// A client for one product. Cheap to share: wrap it in an `Arc` or borrow it from many threads.
pub struct Client {
    config: RequestConfig,
    transport: Transport,
    clock: Arc<dyn Clock>,
    strict_mobile: bool,
    guard: Option<FrequencyGuard>,
}

impl Client {
    /// A builder for `product`.
    pub fn builder(product: Product) -> ClientBuilder {
        ClientBuilder::new(product)
    }

    /// The product this client serves.
    pub fn product(&self) -> Product {
        self.config.product()
    }

    /// The request settings (product, account, URLs, modes); `Debug` redacts the key.
    pub fn config(&self) -> &RequestConfig {
        &self.config
    }

    /// Sends `content` to `mobile`. The number is normalized first ([`normalize_mobile`]; refused
    /// instead in [strict mode](ClientBuilder::strict_mobile)), everything is validated locally
    /// and the frequency guard, if any, consulted ([`Error::Validation`], nothing sent); never
    /// retries.
    pub fn send(&self, mobile: &str, content: &str) -> Result<SendResult, Error> {
        let mobile = self.recipient(mobile)?;
        let request = self
            .config
            .submit(&mobile, content, self.clock.unix_time())?;
        let reservation = match &self.guard {
            Some(guard) => {
                Some(guard.reserve(self.product(), self.config.account(), &mobile, content)?)
            }
            None => None,
        };
        let result = self.round_trip(&request).and_then(|answer| {
            outcome::submit_outcome(self.product(), request.url, answer.status, &answer.body)
                .map_err(|e| self.finish_error(e))
        });
        if let (Some(guard), Some(reservation)) = (&self.guard, reservation) {
            // Only a send that may have reached the platform's counters stays counted: an
            // accepted one or one whose outcome is unknown.
            if matches!(&result, Err(e) if e.kind() != ErrorKind::OutcomeUnknown) {
                if let Err(e) = guard.release(reservation) {
                    // The send's own result matters more; an unreleased slot only errs safe.
                    log::warn!("ihuyi guard: {e}");
                }
            }
        }
        let sent = result?;
        log::debug!("ihuyi {} Submit accepted, id {}", sent.product, sent.id);
        Ok(sent)
    }

    /// The recipient as the API takes it: normalized, or checked unchanged in strict mode.
    fn recipient(&self, mobile: &str) -> Result<String, Error> {
        let normalized = normalize_mobile(self.product(), mobile)?;
        if self.strict_mobile && normalized != mobile {
            return Err(Error::validation(
                "mobile",
                format!(
                    "{:?} is not in the API's form (strict mode); it would be {normalized:?}",
                    crate::validate::excerpt(mobile, 32)
                ),
            ));
        }
        Ok(normalized)
    }

    /// Asks for the remaining balance.
    pub fn balance(&self) -> Result<Balance, Error> {
        let request = self.config.get_num(self.clock.unix_time());
        let answer = self.round_trip(&request)?;
        outcome::get_num_outcome(self.product(), request.url, answer.status, &answer.body)
            .map_err(|e| self.finish_error(e))
    }

    fn round_trip(&self, request: &PreparedRequest<'_>) -> Result<HttpAnswer, Error> {
        log::debug!(
            "ihuyi {} {}: POST {}",
            self.product(),
            request.method.as_str(),
            request.url
        );
        log::trace!("ihuyi request body: {}", request.redacted_body());
        self.transport
            .post_form(request.url, &request.body)
            .map_err(|failure| {
                let error = match failure {
                    TransportFailure::Unreachable(detail) => Error::Unreachable(UnreachableError {
                        url: request.url.to_owned(),
                        detail: self.scrub(detail),
                    }),
                    TransportFailure::OutcomeUnknown(reason, detail) => {
                        Error::OutcomeUnknown(OutcomeUnknownError {
                            reason,
                            url: request.url.to_owned(),
                            detail: self.scrub(detail),
                        })
                    }
                };
                log::debug!("ihuyi {} failed: {error}", request.method.as_str());
                error
            })
    }

    /// Scrubs the key from what the server sent back, and logs the failure.
    fn finish_error(&self, error: Error) -> Error {
        let error = match error {
            Error::Api(mut e) => {
                e.msg = self.scrub(e.msg);
                Error::Api(e)
            }
            Error::OutcomeUnknown(mut e) => {
                e.detail = self.scrub(e.detail);
                Error::OutcomeUnknown(e)
            }
            other => other,
        };
        log::debug!("ihuyi {} failed: {error}", self.product());
        error
    }

    /// Removes the key from text the SDK did not write (a server could echo a plain password).
    fn scrub(&self, text: String) -> String {
        let key = self.config.apikey().expose();
        if !key.is_empty() && text.contains(key) {
            text.replace(key, "<redacted>")
        } else {
            text
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Client>();
    }

    #[test]
    fn build_refuses_missing_credentials_and_zero_timeouts() {
        let err = Client::builder(Product::Sms)
            .apikey("k")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Validation(ref v) if v.field == "account"));
        let err = Client::builder(Product::Sms)
            .account("a")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Validation(ref v) if v.field == "apikey"));
        let err = Client::builder(Product::Sms)
            .account("a")
            .apikey("k")
            .timeouts(Timeouts::uniform(std::time::Duration::ZERO))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Validation(ref v) if v.field == "timeout"));
    }

    #[test]
    fn debug_redacts_the_key() {
        let builder = Client::builder(Product::Isms)
            .account("I1")
            .apikey("topsecretkey");
        assert!(!format!("{builder:?}").contains("topsecretkey"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("topsecretkey"));
    }
}
