//! The frequency guard against the sandbox: sends beyond a limit are refused locally, so the
//! sandbox's request log holds only the sends that were allowed — no request the platform would
//! refuse for frequency ever leaves the client.
//!
//! The sandbox, the client and the guard share one manual clock, so the platform's per-second
//! and per-day windows are the guard's, and the tests run in milliseconds.
#![cfg(feature = "sandbox")]

use std::sync::Arc;

use ihuyi::sandbox::{Sandbox, SandboxConfig};
use ihuyi::{Client, Error, FrequencyGuard, FrequencyLimits, ManualClock, Product};

/// 2024-10-04 09:00 China Standard Time: far from a day boundary.
const START: u64 = 20_000 * 86_400 - 8 * 3600 + 9 * 3600;
const NOTICE: &str = "您的订单已发货,请注意查收。【互亿无线】";
const CODE: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

struct Setup {
    sandbox: Sandbox,
    clock: Arc<ManualClock>,
}

fn setup() -> Setup {
    let clock = Arc::new(ManualClock::new(START));
    let sandbox = Sandbox::start(SandboxConfig {
        clock: clock.clone(),
        ..SandboxConfig::default()
    })
    .expect("sandbox starts");
    Setup { sandbox, clock }
}

impl Setup {
    fn client(&self, guard: Option<&FrequencyGuard>) -> Client {
        let account = self.sandbox.account(Product::Sms);
        let mut builder = Client::builder(Product::Sms)
            .account(account.account)
            .apikey(account.apikey)
            .base_url(self.sandbox.base_url())
            .clock(self.clock.clone());
        if let Some(guard) = guard {
            builder = builder.frequency_guard(guard.clone());
        }
        builder.build().expect("client builds")
    }

    fn guard(&self, limits: FrequencyLimits) -> FrequencyGuard {
        FrequencyGuard::new(limits).with_clock(self.clock.clone())
    }

    /// Submits the sandbox received, as (mobile, code answered).
    fn submits(&self) -> Vec<(String, Option<i64>)> {
        self.sandbox
            .requests()
            .into_iter()
            .filter(|r| r.method == "Submit")
            .map(|r| (r.field("mobile").unwrap_or("").to_owned(), r.code))
            .collect()
    }
}

fn assert_refused_locally(result: Result<ihuyi::SendResult, Error>, code: &str) {
    match result {
        Err(Error::Validation(v)) => {
            assert_eq!(v.field, "frequency", "{v}");
            assert!(v.message.contains(code), "{v}");
            assert!(v.to_string().contains("nothing was sent"), "{v}");
        }
        other => panic!("expected a local {code} refusal, got {other:?}"),
    }
}

#[test]
fn per_second_and_per_day_limits_are_enforced_before_the_sandbox() {
    let s = setup();
    let guard = s.guard(FrequencyLimits::PLATFORM);
    let client = s.client(Some(&guard));
    client.send("13800138000", NOTICE).expect("first send");
    assert_refused_locally(client.send("13800138000", NOTICE), "4080");
    for _ in 0..4 {
        s.clock.advance(1);
        client
            .send("13800138000", NOTICE)
            .expect("within the day's 5");
    }
    s.clock.advance(1);
    assert_refused_locally(client.send("13800138000", NOTICE), "4082");
    // The same number written another way is the same number.
    s.clock.advance(1);
    assert_refused_locally(client.send("+86 138-0013-8000", NOTICE), "4082");
    // Another number is not affected.
    client.send("13900139000", NOTICE).expect("another number");

    let submits = s.submits();
    assert_eq!(submits.len(), 6, "{submits:?}");
    assert!(
        submits.iter().all(|(_, code)| *code == Some(2)),
        "{submits:?}"
    );
    let to_first = submits.iter().filter(|(m, _)| m == "13800138000").count();
    assert_eq!(to_first, 5);

    // The next day (China time) the number may be texted again.
    s.clock.advance(86_400);
    client.send("13800138000", NOTICE).expect("a new day");
    assert_eq!(s.submits().len(), 7);
}

#[test]
fn verification_codes_have_their_own_daily_limit() {
    let s = setup();
    let guard = s.guard(FrequencyLimits {
        per_day: Some(10),
        ..FrequencyLimits::PLATFORM
    });
    let client = s.client(Some(&guard));
    for _ in 0..5 {
        s.clock.advance(1);
        client.send("13700137000", CODE).expect("within 5 codes");
    }
    s.clock.advance(1);
    assert_refused_locally(client.send("13700137000", CODE), "4085");
    s.clock.advance(1);
    client
        .send("13700137000", NOTICE)
        .expect("a notice is not a code");
    let submits = s.submits();
    assert_eq!(submits.len(), 6);
    assert!(
        submits.iter().all(|(_, code)| *code == Some(2)),
        "{submits:?}"
    );
}

#[test]
fn a_send_the_server_refused_does_not_count() {
    let s = setup();
    let guard = s.guard(FrequencyLimits::PLATFORM);
    let account = s.sandbox.account(Product::Sms);
    let wrong_key = Client::builder(Product::Sms)
        .account(account.account.clone())
        .apikey("0000000000000000000000000000000f")
        .base_url(s.sandbox.base_url())
        .clock(s.clock.clone())
        .frequency_guard(guard.clone())
        .build()
        .unwrap();
    for _ in 0..3 {
        s.clock.advance(1);
        let e = wrong_key.send("13600136000", NOTICE).unwrap_err();
        assert_eq!(e.kind(), ihuyi::ErrorKind::Api, "{e}");
    }
    // Three refusals by the server (40502) left all five of the day's sends.
    let client = s.client(Some(&guard));
    for _ in 0..5 {
        s.clock.advance(1);
        client
            .send("13600136000", NOTICE)
            .expect("refusals were not counted");
    }
    s.clock.advance(1);
    assert_refused_locally(client.send("13600136000", NOTICE), "4082");
    assert_eq!(s.submits().len(), 8);
}

#[test]
fn threads_sharing_a_guard_never_pass_the_limit() {
    let s = setup();
    let guard = s.guard(FrequencyLimits {
        per_second: None,
        ..FrequencyLimits::PLATFORM
    });
    let client = s.client(Some(&guard));
    let mut accepted = 0;
    let mut refused = 0;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| client.send("13500135000", NOTICE)))
            .collect();
        for h in handles {
            match h.join().unwrap() {
                Ok(_) => accepted += 1,
                Err(Error::Validation(v)) if v.field == "frequency" => refused += 1,
                Err(e) => panic!("{e}"),
            }
        }
    });
    assert_eq!((accepted, refused), (5, 3));
    assert_eq!(s.submits().len(), 5);
}

#[test]
fn without_the_guard_every_send_reaches_the_sandbox() {
    let s = setup();
    let client = s.client(None);
    for _ in 0..6 {
        s.clock.advance(1);
        // The sandbox decides; whatever it answers, the request was sent.
        let _ = client.send("13400134000", NOTICE);
    }
    assert_eq!(s.submits().len(), 6);
}

/// A store that cannot save, as a broken database would be.
struct BrokenStore;

impl ihuyi::GuardStore for BrokenStore {
    fn update(&self, _key: &str, _f: &mut dyn FnMut(&mut ihuyi::Counts)) -> std::io::Result<()> {
        Err(std::io::Error::other("disk full"))
    }
}

#[test]
fn a_guard_that_cannot_count_fails_closed() {
    let s = setup();
    let guard = s
        .guard(FrequencyLimits::PLATFORM)
        .with_store(Arc::new(BrokenStore));
    let client = s.client(Some(&guard));
    match client.send("13800138000", NOTICE) {
        Err(Error::Validation(v)) => {
            assert_eq!(v.field, "frequency");
            assert!(v.message.contains("disk full"), "{v}");
        }
        other => panic!("{other:?}"),
    }
    assert!(s.submits().is_empty());
}

#[test]
fn a_shared_store_carries_counts_between_guards() {
    // Two guards (as two processes would have) over one store: the second sees the first's sends.
    let s = setup();
    let store = Arc::new(ihuyi::MemoryStore::new());
    let first = s.guard(FrequencyLimits::PLATFORM).with_store(store.clone());
    let second = s.guard(FrequencyLimits::PLATFORM).with_store(store.clone());
    let a = s.client(Some(&first));
    let b = s.client(Some(&second));
    for _ in 0..5 {
        s.clock.advance(1);
        a.send("13800138000", NOTICE).unwrap();
    }
    s.clock.advance(1);
    assert_refused_locally(b.send("13800138000", NOTICE), "4082");
    let key = FrequencyGuard::key(Product::Sms, "C80000001", "13800138000");
    assert_eq!(store.get(&key).map(|c| c.sends), Some(5));
    assert_eq!(s.submits().len(), 5);
}
