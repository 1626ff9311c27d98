//! # libihuyi
//!
//! The SDK for the ihuyi (互亿无线) messaging API: domestic SMS (`sms`), voice verification codes
//! (`voice`) and international SMS (`isms`).
//!
//! ```no_run
//! use ihuyi::{Client, Product};
//!
//! let client = Client::builder(Product::Sms)
//!     .account("C12345678")
//!     .apikey("your-apikey")
//!     .build()?;
//! let sent = client.send("13800138000", "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】")?;
//! println!("accepted as {}", sent.id);
//! # Ok::<(), ihuyi::Error>(())
//! ```
//!
//! Layers: [`catalogue`] (products and result codes, as data) · [`validate`] · [`sign`] ·
//! [`wire`] (sans-IO request building and answer parsing) · [`receipt`] · the [`Client`] over a
//! pooled ureq transport · with the `ledger` feature, an idempotency [`ledger`](crate::ledger) that
//! sends each key at most once · and, with the `sandbox` feature, a local ihuyi server.
//!
//! Before sending: [`estimate()`] (characters, billed segments, what the platform would refuse),
//! [`normalize_mobile`] (what people type → what the API accepts; the client applies it on every
//! send) and an optional local [`FrequencyGuard`] (refuses what would hit 4080/4082/4085).
//!
//! Errors come in four kinds that never blur ([`ErrorKind`]). **A Submit is never retried
//! automatically**: when the outcome is unknown the SDK says so and leaves the decision to you.

#![warn(missing_docs)]

pub mod catalogue;
pub mod client;
pub mod clock;
pub mod error;
pub mod estimate;
pub mod guard;
pub mod normalize;
pub mod outcome;
pub mod receipt;
pub mod secret;
pub mod sign;
pub mod transport;
pub mod validate;
pub mod wire;

#[cfg(feature = "ledger")]
pub mod ledger;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use catalogue::{CodeClass, CodeInfo, Product, ResultCode};
pub use client::{Balance, Client, ClientBuilder, SendResult};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{
    ApiError, Error, ErrorKind, OutcomeUnknownError, UnknownReason, UnreachableError,
    ValidationError,
};
pub use estimate::{Estimate, Warning, WarningKind, estimate, estimate_with_rule};
pub use guard::{
    Counts, FrequencyGuard, FrequencyLimits, GuardRefusal, GuardStore, MemoryStore, Reservation,
};
pub use normalize::normalize_mobile;
pub use outcome::{get_num_outcome, submit_outcome};
pub use receipt::{Receipt, ReceiptDeduper, parse_receipt};
pub use secret::ApiKey;
pub use transport::Timeouts;
pub use wire::{ApiMethod, Format, PasswordMode};

/// The crate version, which the C ABI and the bindings report and check.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
