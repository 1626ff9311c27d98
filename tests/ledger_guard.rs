//! The frequency guard's counts kept in the ledger hold across ledger handles on one file (as in
//! two processes): together they let through only what the platform would accept.
#![cfg(feature = "ledger")]

use std::sync::Arc;

use ihuyi::ledger::Ledger;
use ihuyi::sandbox::Sandbox;
use ihuyi::{Client, Error, FrequencyGuard, FrequencyLimits, ManualClock, Product};

#[test]
fn two_handles_on_one_ledger_share_the_daily_limit() {
    let dir = std::env::temp_dir().join(format!("ihuyi-ledger-guard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("guard.db");
    let _ = std::fs::remove_file(&path);
    let sandbox = Sandbox::start_default().unwrap();
    let account = sandbox.account(Product::Sms);
    // 01:00 in China, so the sends below stay within one day.
    let clock = Arc::new(ManualClock::new(1_764_000_000 + 3600));
    let process = || {
        let ledger = Arc::new(Ledger::open(&path).unwrap());
        let guard = FrequencyGuard::new(FrequencyLimits::PLATFORM)
            .with_store(ledger)
            .with_clock(clock.clone());
        Client::builder(Product::Sms)
            .account(&account.account)
            .apikey(account.apikey.as_str())
            .base_url(sandbox.base_url())
            .frequency_guard(guard)
            .build()
            .unwrap()
    };
    let (first, second) = (process(), process());
    let mut accepted = 0;
    let mut refused = Vec::new();
    for i in 0..8 {
        clock.advance(2);
        let client = if i % 2 == 0 { &first } else { &second };
        match client.send("13800138000", &format!("notice {i}【互亿无线】")) {
            Ok(_) => accepted += 1,
            Err(Error::Validation(e)) => refused.push(e.message),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(accepted, 5, "the platform's 5 per day, across both handles");
    assert_eq!(refused.len(), 3);
    assert!(refused.iter().all(|m| m.contains("4082")), "{refused:?}");
    assert_eq!(
        sandbox.requests().len(),
        5,
        "refused sends never left the client"
    );
    // A third handle opened later (a new process) still sees today's count.
    clock.advance(2);
    assert!(matches!(
        process().send("13800138000", "later【互亿无线】"),
        Err(Error::Validation(_))
    ));
    let _ = std::fs::remove_dir_all(&dir);
}
