//! `send_once` never makes a second request for a key whose first request may have been
//! processed: accept-then-drop, a timeout, a process killed mid-send; and several processes
//! sharing one ledger file send each key once.
#![cfg(all(feature = "ledger", feature = "sandbox"))]

mod ledger_support;

use std::process::{Command, Stdio};
use std::time::Duration;

use ihuyi::ledger::{EntryState, Ledger, LedgerError, LedgerErrorKind, Resolution};
use ihuyi::sandbox::Sandbox;
use ihuyi::{Client, Product, Timeouts, UnknownReason};
use ledger_support::{Behaviour, RawServer};

const CONTENT: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";
const MOBILE: &str = "13800138000";
const ACCOUNT: &str = "C80000001";
const APIKEY: &str = "8f14e45fceea167a5a36dedd4bea2543";

fn client(base_url: &str, timeout: Duration) -> Client {
    Client::builder(Product::Sms)
        .account(ACCOUNT)
        .apikey(APIKEY)
        .base_url(base_url)
        .timeouts(Timeouts::uniform(timeout))
        .build()
        .unwrap()
}

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ihuyi-faults-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("ledger.db")
}

fn assert_unresolved(e: LedgerError, key: &str, state: EntryState) {
    assert_eq!(e.kind(), LedgerErrorKind::OutcomeUnknown, "{e}");
    match &e {
        LedgerError::Unresolved {
            key: k, state: s, ..
        } => {
            assert_eq!(k, key);
            assert_eq!(*s, state);
        }
        other => panic!("expected Unresolved, got {other:?}"),
    }
    assert!(e.to_string().contains(key), "the error names the key: {e}");
}

#[test]
fn accept_then_drop_is_never_sent_twice() {
    let server = RawServer::start(Behaviour::Drop);
    let client = client(&server.base_url(), Duration::from_secs(5));
    let db = temp_db("drop");
    let ledger = Ledger::open(&db).unwrap();
    let e = ledger
        .send_once(&client, "otp-1", MOBILE, CONTENT)
        .unwrap_err();
    assert_eq!(e.kind(), LedgerErrorKind::OutcomeUnknown, "{e}");
    assert!(!e.is_replayed());
    assert_eq!(server.count(), 1);
    for _ in 0..5 {
        let e = ledger
            .send_once(&client, "otp-1", MOBILE, CONTENT)
            .unwrap_err();
        assert_unresolved(e, "otp-1", EntryState::Unknown);
    }
    // Another handle on the file (as another process would open it) says the same.
    let other = Ledger::open(&db).unwrap();
    let e = other
        .send_once(&client, "otp-1", MOBILE, CONTENT)
        .unwrap_err();
    assert_unresolved(e, "otp-1", EntryState::Unknown);
    assert_eq!(server.count(), 1, "no second request for the key");
    let entry = ledger.get("otp-1").unwrap().unwrap();
    assert_eq!(entry.state, EntryState::Unknown);
    assert_eq!(entry.attempts, 1);
    assert!(entry.detail.unwrap().starts_with("connection_lost"));
    assert_eq!(ledger.unresolved().unwrap().len(), 1);

    // Another key makes its own request.
    ledger
        .send_once(&client, "otp-2", MOBILE, CONTENT)
        .unwrap_err();
    assert_eq!(server.count(), 2);

    // Resolved as sent: replayed as accepted with the id given.
    ledger
        .resolve(
            "otp-1",
            Resolution::Sent {
                id: Some("123".into()),
            },
        )
        .unwrap();
    let sent = ledger.send_once(&client, "otp-1", MOBILE, CONTENT).unwrap();
    assert_eq!((sent.id.as_str(), sent.code), ("123", 2));
    // Resolved as not sent: the next call sends (once).
    ledger.resolve("otp-2", Resolution::NotSent).unwrap();
    ledger
        .send_once(&client, "otp-2", MOBILE, CONTENT)
        .unwrap_err();
    assert_eq!(server.count(), 3);
    // The explicit override sends an unknown key again.
    ledger
        .send_once_resending_unknown(&client, "otp-2", MOBILE, CONTENT)
        .unwrap_err();
    assert_eq!(server.count(), 4);
    assert_eq!(ledger.get("otp-2").unwrap().unwrap().attempts, 3);
}

#[test]
fn a_timeout_is_never_sent_twice() {
    let server = RawServer::start(Behaviour::Hang);
    let client = client(&server.base_url(), Duration::from_millis(300));
    let ledger = Ledger::open(temp_db("timeout")).unwrap();
    let e = ledger.send_once(&client, "t", MOBILE, CONTENT).unwrap_err();
    match e.client_error() {
        Some(ihuyi::Error::OutcomeUnknown(u)) => assert_eq!(u.reason, UnknownReason::Timeout),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let e = ledger.send_once(&client, "t", MOBILE, CONTENT).unwrap_err();
    assert_unresolved(e, "t", EntryState::Unknown);
    assert_eq!(server.count(), 1);
}

/// The child half of the tests below: runs only when re-executed with LEDGER_CHILD set.
#[test]
fn child_process() {
    let Ok(role) = std::env::var("LEDGER_CHILD") else {
        return;
    };
    let db = std::env::var("LEDGER_DB").unwrap();
    let url = std::env::var("LEDGER_URL").unwrap();
    if role == "open" {
        // Opens OPEN_ROUNDS new files under the directory LEDGER_DB, each at the same instant as
        // the other children (LEDGER_GO, Unix ms, then every 20 ms).
        let go: u128 = std::env::var("LEDGER_GO").unwrap().parse().unwrap();
        for round in 0..OPEN_ROUNDS {
            let at = go + u128::from(round) * 20;
            while unix_ms() < at {
                std::hint::spin_loop();
            }
            let path = std::path::Path::new(&db).join(format!("ledger-{round}.db"));
            if let Err(e) = Ledger::open(&path) {
                panic!("round {round}: {e}");
            }
        }
        return;
    }
    let ledger = Ledger::open(&db).unwrap();
    let client = client(&url, Duration::from_secs(600));
    match role.as_str() {
        "hang" => {
            let _ = ledger.send_once(&client, "crash", MOBILE, CONTENT);
            unreachable!("the parent kills this process mid-send");
        }
        "race" => {
            for i in 0..40 {
                let key = format!("shared-{i}");
                let mobile = format!("139{i:08}");
                match ledger.send_once(&client, &key, &mobile, CONTENT) {
                    Ok(_) => println!("ok {key}"),
                    Err(LedgerError::Unresolved {
                        state: EntryState::InFlight,
                        ..
                    }) => {
                        println!("inflight {key}")
                    }
                    Err(e) => panic!("{key}: {e}"),
                }
            }
        }
        other => panic!("unknown role {other}"),
    }
}

fn child(role: &str, db: &std::path::Path, url: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "child_process",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("LEDGER_CHILD", role)
    .env("LEDGER_DB", db)
    .env("LEDGER_URL", url);
    cmd
}

#[test]
fn a_process_killed_mid_send_leaves_the_key_in_flight() {
    let server = RawServer::start(Behaviour::Hang);
    let db = temp_db("crash");
    let mut proc = child("hang", &db, &server.base_url())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_for(1);
    proc.kill().unwrap(); // SIGKILL
    proc.wait().unwrap();
    let ledger = Ledger::open(&db).unwrap();
    let client = client(&server.base_url(), Duration::from_secs(5));
    let e = ledger
        .send_once(&client, "crash", MOBILE, CONTENT)
        .unwrap_err();
    assert_unresolved(e, "crash", EntryState::InFlight);
    assert_eq!(server.count(), 1);
    assert_eq!(ledger.unresolved().unwrap()[0].key, "crash");
}

const OPEN_ROUNDS: u32 = 50;

fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

#[test]
fn several_processes_opening_one_new_ledger_together_all_succeed() {
    // Switching a new file to WAL while another process does the same failed at once with
    // "database is locked" (about 1 open in 100 here) before Ledger::open retried it.
    let dir = temp_db("open").parent().unwrap().to_owned();
    let go = unix_ms() + 300;
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = child("open", &dir, "unused");
            cmd.env("LEDGER_GO", go.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a child failed to open: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn several_processes_on_one_ledger_send_each_key_once() {
    let sandbox = Sandbox::start_default().unwrap();
    let db = temp_db("procs");
    let children: Vec<_> = (0..4)
        .map(|_| {
            child("race", &db, sandbox.base_url())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ok = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        ok += String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("ok "))
            .count();
    }
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 40, "each of the 40 keys sent exactly once");
    let mut mobiles: Vec<_> = requests
        .iter()
        .map(|r| r.field("mobile").unwrap().to_owned())
        .collect();
    mobiles.sort();
    mobiles.dedup();
    assert_eq!(mobiles.len(), 40);
    assert!(
        ok >= 40,
        "every key accepted (fresh or replayed) somewhere: {ok}"
    );
}
