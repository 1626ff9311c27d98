//! `Ledger::send_once` against the sandbox: replays, conflicts, what stays sendable, resolution,
//! and many threads on one key.
#![cfg(all(feature = "ledger", feature = "sandbox"))]

use std::sync::Arc;

use ihuyi::ledger::{EntryState, Ledger, LedgerError, LedgerErrorKind, Resolution, SendOptions};
use ihuyi::sandbox::{Sandbox, SandboxConfig, default_accounts};
use ihuyi::{Client, Error, Product};

const CONTENT: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";
const MOBILE: &str = "13800138000";

fn client(sandbox: &Sandbox, product: Product) -> Client {
    let account = sandbox.account(product);
    Client::builder(product)
        .account(account.account)
        .apikey(account.apikey)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

fn ledger(dir: &tempdir::Dir) -> Ledger {
    Ledger::open(dir.path().join("ledger.db")).unwrap()
}

/// A throwaway directory (no extra dependency for it).
mod tempdir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new(name: &str) -> Dir {
            let path = std::env::temp_dir().join(format!(
                "ihuyi-{name}-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn an_accepted_key_is_replayed_without_a_request() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = client(&sandbox, Product::Sms);
    let dir = tempdir::Dir::new("accepted");
    let ledger = ledger(&dir);
    let first = ledger.send_once(&client, "k1", MOBILE, CONTENT).unwrap();
    assert_eq!(first.code, 2);
    assert_eq!(sandbox.requests().len(), 1);
    assert_eq!(sandbox.requests()[0].id.as_deref(), Some(first.id.as_str()));
    for _ in 0..3 {
        let again = ledger
            .send_once_with(&client, "k1", MOBILE, CONTENT, &SendOptions::default())
            .unwrap();
        assert!(again.replayed);
        assert_eq!(again.result, first);
    }
    // Reopening the file (another process would) replays the same.
    drop(ledger);
    let ledger = self::ledger(&dir);
    assert_eq!(
        ledger.send_once(&client, "k1", MOBILE, CONTENT).unwrap(),
        first
    );
    assert_eq!(sandbox.requests().len(), 1);
    let entry = ledger.get("k1").unwrap().unwrap();
    assert_eq!(entry.state, EntryState::Accepted);
    assert_eq!(entry.attempts, 1);
    assert_eq!(entry.account, "C80000001");
    assert!(entry.content_hash.starts_with("md5:"));
}

#[test]
fn a_refused_key_replays_the_same_api_error() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = Client::builder(Product::Sms)
        .account("C80000001")
        .apikey("not-the-key")
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let dir = tempdir::Dir::new("refused");
    let ledger = ledger(&dir);
    let first = ledger.send_once(&client, "k", MOBILE, CONTENT).unwrap_err();
    assert_eq!(first.kind(), LedgerErrorKind::Api);
    assert!(!first.is_replayed());
    let code = first.api_code().unwrap();
    assert_ne!(code, 2);
    let again = ledger.send_once(&client, "k", MOBILE, CONTENT).unwrap_err();
    assert!(again.is_replayed());
    match (first.client_error(), again.client_error()) {
        (Some(Error::Api(a)), Some(Error::Api(b))) => assert_eq!(a, b),
        other => panic!("expected two API errors, got {other:?}"),
    }
    assert_eq!(sandbox.requests().len(), 1);
    assert_eq!(ledger.get("k").unwrap().unwrap().state, EntryState::Refused);
}

#[test]
fn a_key_stands_for_one_message() {
    let sandbox = Sandbox::start_default().unwrap();
    let sms = client(&sandbox, Product::Sms);
    let dir = tempdir::Dir::new("conflict");
    let ledger = ledger(&dir);
    ledger.send_once(&sms, "k", MOBILE, CONTENT).unwrap();
    let field = |r: Result<_, LedgerError>| match r.unwrap_err() {
        LedgerError::Conflict { field, .. } => field,
        other => panic!("expected a conflict, got {other:?}"),
    };
    assert_eq!(
        field(ledger.send_once(&sms, "k", "13900139000", CONTENT)),
        "mobile"
    );
    assert_eq!(
        field(ledger.send_once(&sms, "k", MOBILE, "另一条【互亿无线】")),
        "content"
    );
    let voice = client(&sandbox, Product::Voice);
    assert_eq!(
        field(ledger.send_once(&voice, "k", MOBILE, "1234")),
        "product"
    );
    let mut accounts = default_accounts();
    accounts[0].account = "C80000002".into();
    let other = Sandbox::start(SandboxConfig {
        accounts,
        ..SandboxConfig::default()
    })
    .unwrap();
    assert_eq!(
        field(ledger.send_once(&client(&other, Product::Sms), "k", MOBILE, CONTENT)),
        "account"
    );
    assert_eq!(sandbox.requests().len(), 1);
    assert!(other.requests().is_empty());
}

#[test]
fn invalid_input_and_unreachable_leave_the_key_sendable() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = client(&sandbox, Product::Sms);
    let dir = tempdir::Dir::new("sendable");
    let ledger = ledger(&dir);

    // Invalid input: nothing built or sent, the key not even recorded.
    let e = ledger
        .send_once(&client, "k", "12345", CONTENT)
        .unwrap_err();
    assert_eq!(e.kind(), LedgerErrorKind::Validation);
    assert!(ledger.get("k").unwrap().is_none());
    let e = ledger.send_once(&client, "", MOBILE, CONTENT).unwrap_err();
    assert_eq!(e.kind(), LedgerErrorKind::Validation);

    // Unreachable: a port nobody listens on. Recorded as not sent, sent by the next call.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let account = sandbox.account(Product::Sms);
    let nowhere = Client::builder(Product::Sms)
        .account(account.account)
        .apikey(account.apikey)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let e = ledger
        .send_once(&nowhere, "k", MOBILE, CONTENT)
        .unwrap_err();
    assert_eq!(e.kind(), LedgerErrorKind::Unreachable, "{e}");
    let entry = ledger.get("k").unwrap().unwrap();
    assert_eq!(entry.state, EntryState::NotSent);
    let sent = ledger.send_once(&client, "k", MOBILE, CONTENT).unwrap();
    assert_eq!(ledger.get("k").unwrap().unwrap().attempts, 2);
    assert_eq!(sandbox.requests().len(), 1);
    assert_eq!(
        ledger.send_once(&client, "k", MOBILE, CONTENT).unwrap(),
        sent
    );
}

#[test]
fn a_balance_refusal_can_be_released_after_a_top_up() {
    let mut accounts = default_accounts();
    accounts[0].balance = 1;
    let poor = Sandbox::start(SandboxConfig {
        accounts,
        ..SandboxConfig::default()
    })
    .unwrap();
    let dir = tempdir::Dir::new("balance");
    let ledger = ledger(&dir);
    let client = client(&poor, Product::Sms);
    ledger.send_once(&client, "a", MOBILE, CONTENT).unwrap();
    let e = ledger.send_once(&client, "b", MOBILE, CONTENT).unwrap_err();
    assert_eq!(e.api_code(), Some(4051));
    let e = ledger.send_once(&client, "c", MOBILE, CONTENT).unwrap_err();
    assert_eq!(e.api_code(), Some(4051));
    // Replayed, not resent, by default.
    assert!(
        ledger
            .send_once(&client, "b", MOBILE, CONTENT)
            .unwrap_err()
            .is_replayed()
    );
    assert_eq!(poor.requests().len(), 3);
    // "Top up": the same account with a fresh balance (a second sandbox).
    let rich = Sandbox::start_default().unwrap();
    let client = self::client(&rich, Product::Sms);
    let options = SendOptions {
        resend_refused: vec![4051],
        ..SendOptions::default()
    };
    let sent = ledger
        .send_once_with(&client, "b", MOBILE, CONTENT, &options)
        .unwrap();
    assert!(!sent.replayed);
    // Or: the application resolves the refused key as not sent.
    ledger.resolve("c", Resolution::NotSent).unwrap();
    assert_eq!(ledger.get("c").unwrap().unwrap().state, EntryState::NotSent);
    ledger.send_once(&client, "c", MOBILE, CONTENT).unwrap();
    assert_eq!(rich.requests().len(), 2);
    assert_eq!(poor.requests().len(), 3);
}

#[test]
fn resolution_rules() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = client(&sandbox, Product::Sms);
    let dir = tempdir::Dir::new("resolve");
    let ledger = ledger(&dir);
    let never = ledger.resolve("never", Resolution::NotSent).unwrap_err();
    assert_eq!(never.kind(), LedgerErrorKind::Conflict);
    ledger.send_once(&client, "done", MOBILE, CONTENT).unwrap();
    for r in [Resolution::NotSent, Resolution::Sent { id: None }] {
        assert_eq!(
            ledger.resolve("done", r).unwrap_err().kind(),
            LedgerErrorKind::Conflict
        );
    }
    assert!(ledger.unresolved().unwrap().is_empty());
}

#[test]
fn many_threads_one_key_one_request() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = Arc::new(client(&sandbox, Product::Sms));
    let dir = tempdir::Dir::new("threads");
    let ledger = Arc::new(ledger(&dir));
    for round in 0..5 {
        let key = format!("race-{round}");
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let (c, l, k) = (Arc::clone(&client), Arc::clone(&ledger), key.clone());
                std::thread::spawn(move || {
                    l.send_once_with(&c, &k, MOBILE, CONTENT, &SendOptions::default())
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let fresh = results
            .iter()
            .filter(|r| matches!(r, Ok(s) if !s.replayed))
            .count();
        assert_eq!(fresh, 1, "exactly one thread sends: {results:?}");
        for r in &results {
            match r {
                Ok(_) => {}
                Err(LedgerError::Unresolved {
                    state: EntryState::InFlight,
                    ..
                }) => {}
                Err(e) => panic!("unexpected {e}"),
            }
        }
    }
    assert_eq!(sandbox.requests().len(), 5);
}

#[test]
fn send_many_stores_every_outcome_and_sends_each_key_once() {
    use ihuyi::ledger::Message;
    use std::ops::ControlFlow;
    let sandbox = Sandbox::start_default().unwrap();
    let client = client(&sandbox, Product::Sms);
    let dir = tempdir::Dir::new("many");
    let ledger = ledger(&dir);
    let message = |i: usize| Message {
        key: format!("m{i}"),
        mobile: if i == 3 {
            "123".into()
        } else {
            format!("139{i:08}")
        },
        content: CONTENT.into(),
    };
    // m2 twice in the sequence, m3 invalid.
    let sequence = [0, 1, 2, 2, 3, 4, 5].map(|i| (i, message(i)));
    let mut seen = Vec::new();
    ledger.send_many(&client, sequence, &SendOptions::default(), |i, m, r| {
        assert_eq!(m.key, format!("m{i}"));
        seen.push((i, r.as_ref().map(|s| s.replayed).map_err(LedgerError::kind)));
        ControlFlow::Continue(())
    });
    assert_eq!(
        seen,
        [
            (0, Ok(false)),
            (1, Ok(false)),
            (2, Ok(false)),
            (2, Ok(true)),
            (3, Err(LedgerErrorKind::Validation)),
            (4, Ok(false)),
            (5, Ok(false)),
        ]
    );
    assert_eq!(sandbox.requests().len(), 5);
    for i in [0, 1, 2, 4, 5] {
        let entry = ledger.get(&format!("m{i}")).unwrap().unwrap();
        assert_eq!(
            entry.state,
            EntryState::Accepted,
            "m{i} stored, the last one too"
        );
    }
    assert!(ledger.get("m3").unwrap().is_none());

    // Break stops after the message; everything sent is stored.
    let mut n = 0;
    ledger.send_many(
        &client,
        (10..20).map(|i| (i, message(i))),
        &SendOptions::default(),
        |_, _, r| {
            r.unwrap();
            n += 1;
            if n == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    assert_eq!(sandbox.requests().len(), 8);
    assert_eq!(
        ledger.get("m12").unwrap().unwrap().state,
        EntryState::Accepted
    );
    assert!(ledger.get("m13").unwrap().is_none());
}
