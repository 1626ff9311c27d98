//! End to end: the sandbox pushes receipts to `ihuyi receipts listen`, which refuses the first
//! push of some on purpose; thanks to the time scale the re-pushes (60 s later, sandbox time)
//! arrive within milliseconds, and the output holds each receipt exactly once.

mod sandbox_common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ihuyi::sandbox::{ReceiptRule, Sandbox, SandboxConfig, ScaledClock, default_accounts};
use ihuyi::{Client, PasswordMode, Product};
use sandbox_common::{Listener, TEMPLATE};

const SCALE: f64 = 600.0;

fn sandbox_pushing_to(url: &str) -> Sandbox {
    let mut accounts = default_accounts();
    for a in &mut accounts {
        a.push_url = Some(format!("{url}receipts"));
    }
    Sandbox::start(SandboxConfig {
        accounts,
        // Sandbox time runs 600 times real time: one minute is 0.1 s.
        clock: Arc::new(ScaledClock::from_now(SCALE)),
        time_scale: SCALE,
        receipts: vec![ReceiptRule {
            mobile: "13800000404".into(),
            code: 0,
            msg: "UNDELIV".into(),
        }],
        ..SandboxConfig::default()
    })
    .unwrap()
}

fn client(sandbox: &Sandbox, product: Product) -> Client {
    let acct = sandbox.account(product);
    // The sandbox clock runs ahead of the real one, so a dynamic password would soon look old.
    Client::builder(product)
        .account(acct.account)
        .apikey(acct.apikey)
        .base_url(sandbox.base_url())
        .password_mode(PasswordMode::Plain)
        .build()
        .unwrap()
}

#[test]
fn every_receipt_exactly_once_despite_refused_first_pushes() {
    const N: usize = 30;
    let listener = Listener::start("e2e", &["--fail-first", "3"]);
    let sandbox = sandbox_pushing_to(&listener.url);
    let sms = client(&sandbox, Product::Sms);
    let voice = client(&sandbox, Product::Voice);
    // Built before the clock starts: an isms client loads the numbering plans when it is built.
    let isms = client(&sandbox, Product::Isms);
    let started = Instant::now();
    let mut ids = HashSet::new();
    for i in 0..N - 2 {
        let mobile = if i == 0 {
            "13800000404".to_owned()
        } else {
            format!("138{:08}", 10_000 + i)
        };
        ids.insert(sms.send(&mobile, TEMPLATE).unwrap().id);
    }
    ids.insert(voice.send("13900000001", "1125").unwrap().id);
    let isms = isms
        .send(
            "63 9171234567",
            "Your verification code is 1125.【互亿无线】",
        )
        .unwrap();
    ids.insert(isms.id.clone());
    assert_eq!(ids.len(), N);

    let deadline = started + Duration::from_secs(5);
    while listener.lines().len() < N && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    // Settle: nothing more may arrive (a duplicate would be counted, not written).
    std::thread::sleep(Duration::from_millis(300));
    let lines = listener.lines();
    eprintln!(
        "{N} receipts, {} refused first pushes, in {elapsed:?}",
        N / 3
    );
    assert_eq!(lines.len(), N, "exactly N receipts: {lines:#?}");
    let written: HashSet<String> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(written, ids, "no duplicates, none missing");
    assert!(
        elapsed < Duration::from_secs(1),
        "took {elapsed:?}: the time scale should make re-pushes quick"
    );

    let stats = listener.stats();
    assert_eq!(stats["written"], N);
    assert_eq!(stats["refused_on_purpose"], N / 3);
    assert_eq!(stats["duplicates"], 0);
    assert_eq!(stats["malformed"], 0);

    // The undeliverable number and the product-specific fields.
    let undeliv = lines.iter().find(|l| l["mobile"] == "13800000404").unwrap();
    assert_eq!(
        (undeliv["code"].as_i64(), undeliv["delivered"].as_bool()),
        (Some(0), Some(false))
    );
    assert_eq!(undeliv["msg"], "UNDELIV");
    let intl = lines.iter().find(|l| l["id"] == isms.id.as_str()).unwrap();
    assert_eq!(intl["product"], "isms");
    assert!(intl["fields"]["reply_time"].is_string());
    let voice = lines.iter().find(|l| l["product"] == "voice").unwrap();
    assert!(voice["fields"]["report_time"].is_string());

    // The sandbox's side: refused first pushes were pushed again 60 s later (sandbox time).
    let pushes = sandbox.pushes();
    let second: Vec<_> = pushes.iter().filter(|p| p.attempt == 2).collect();
    assert_eq!(second.len(), N / 3);
    for p in second {
        let first = pushes
            .iter()
            .find(|q| q.id == p.id && q.attempt == 1)
            .unwrap();
        assert_eq!((first.status, first.acknowledged), (Some(503), false));
        assert!(p.acknowledged);
        let gap = p.unix_time - first.unix_time;
        // At least the documented minute; scheduling noise on a busy machine only adds.
        assert!((59..180).contains(&gap), "re-push {gap} s later");
    }
}

#[test]
fn at_most_three_pushes_with_growing_intervals() {
    // Nothing listens on port 1: every push fails.
    let mut accounts = default_accounts();
    accounts[0].push_url = Some("http://127.0.0.1:1/receipts".into());
    let scale = 600.0;
    let sandbox = Sandbox::start(SandboxConfig {
        accounts,
        clock: Arc::new(ScaledClock::from_now(scale)),
        time_scale: scale,
        ..SandboxConfig::default()
    })
    .unwrap();
    let id = client(&sandbox, Product::Sms)
        .send("13800138000", TEMPLATE)
        .unwrap()
        .id;
    // 1 s + 60 s + 120 s of sandbox time is about 300 ms; wait past it, then make sure no fourth
    // push follows.
    let deadline = Instant::now() + Duration::from_secs(3);
    while sandbox.pushes().len() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(400));
    let pushes = sandbox.pushes();
    let attempts: Vec<u32> = pushes.iter().map(|p| p.attempt).collect();
    assert_eq!(attempts, [1, 2, 3], "{pushes:#?}");
    assert!(
        pushes
            .iter()
            .all(|p| p.id == id && !p.acknowledged && p.error.is_some())
    );
    let gaps = [
        pushes[1].unix_time - pushes[0].unix_time,
        pushes[2].unix_time - pushes[1].unix_time,
    ];
    // 60 s then 120 s at least; scheduling noise on a busy machine only adds (0.1 s of real
    // delay is 60 s here), so the upper bounds are loose.
    assert!((59..400).contains(&gaps[0]), "{gaps:?}");
    assert!((119..400).contains(&gaps[1]), "{gaps:?}");
}
