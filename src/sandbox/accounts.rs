//! Sandbox accounts: one per product by default, with fixed, documented credentials so tests in
//! every language can use them, and the per-account state the platform keeps.

use std::net::IpAddr;

use serde::Serialize;

use crate::catalogue::Product;

/// An account the sandbox knows. These are sandbox credentials, not secrets: they are printed
/// when the sandbox starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxAccount {
    /// The product.
    pub product: Product,
    /// The APIID.
    pub account: String,
    /// The APIKEY.
    pub apikey: String,
    /// The remaining balance (GetNum answers it; each billed segment takes one; `4051` when a
    /// Submit needs more than is left).
    pub balance: i64,
    /// A frozen account is refused with `4050`.
    pub frozen: bool,
    /// When not empty, only these client addresses may call: others get `4052` (Submit) or
    /// `400` (GetNum, whose table has no `4052`).
    pub allowed_ips: Vec<IpAddr>,
    /// Where delivery receipts are pushed after each accepted Submit (`http://` only); `None`
    /// pushes nothing.
    pub push_url: Option<String>,
    /// International SMS templates: `None` checks nothing; `Some(empty)` refuses every Submit
    /// with `4071`; otherwise the content must match one template (`【变量】` stands for any
    /// non-empty text) or gets `4072`.
    pub templates: Option<Vec<String>>,
}

impl SandboxAccount {
    /// An account with a balance and no other setting.
    pub fn new(
        product: Product,
        account: impl Into<String>,
        apikey: impl Into<String>,
        balance: i64,
    ) -> SandboxAccount {
        SandboxAccount {
            product,
            account: account.into(),
            apikey: apikey.into(),
            balance,
            frozen: false,
            allowed_ips: Vec::new(),
            push_url: None,
            templates: None,
        }
    }
}

/// The default credentials of each product: (APIID, APIKEY).
pub fn default_credentials(product: Product) -> (&'static str, &'static str) {
    match product {
        Product::Sms => ("C80000001", "8f14e45fceea167a5a36dedd4bea2543"),
        Product::Voice => ("V80000001", "c9f0f895fb98ab9159f51fd0297e236d"),
        Product::Isms => ("I80000001", "45c48cce2e2d7fbdea1afc51c7c6ad26"),
    }
}

/// The balance of a default account.
pub const DEFAULT_BALANCE: i64 = 100_000;

/// The default accounts: `C80000001` (sms), `V80000001` (voice), `I80000001` (isms), each with a
/// balance of 100 000 and no other setting.
pub fn default_accounts() -> Vec<SandboxAccount> {
    Product::ALL
        .into_iter()
        .map(|product| {
            let (account, apikey) = default_credentials(product);
            SandboxAccount::new(product, account, apikey, DEFAULT_BALANCE)
        })
        .collect()
}
