//! Sandbox accounts: one per product by default, with fixed, documented credentials so tests in
//! every language can use them.

use crate::catalogue::Product;

/// An account the sandbox knows. These are sandbox credentials, not secrets: they are printed
/// when the sandbox starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxAccount {
    /// The product.
    pub product: Product,
    /// The APIID.
    pub account: String,
    /// The APIKEY.
    pub apikey: String,
    /// The remaining balance (GetNum answers it; each billed segment takes one).
    pub balance: i64,
}

/// The default accounts: `C80000001` (sms), `V80000001` (voice), `I80000001` (isms), each with a
/// balance of 100 000.
pub fn default_accounts() -> Vec<SandboxAccount> {
    [
        (
            Product::Sms,
            "C80000001",
            "8f14e45fceea167a5a36dedd4bea2543",
        ),
        (
            Product::Voice,
            "V80000001",
            "c9f0f895fb98ab9159f51fd0297e236d",
        ),
        (
            Product::Isms,
            "I80000001",
            "45c48cce2e2d7fbdea1afc51c7c6ad26",
        ),
    ]
    .into_iter()
    .map(|(product, account, apikey)| SandboxAccount {
        product,
        account: account.into(),
        apikey: apikey.into(),
        balance: 100_000,
    })
    .collect()
}
