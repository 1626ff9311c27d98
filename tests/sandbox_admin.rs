//! The admin endpoints under `/_sandbox/`, the in-process API, and the permissive default
//! versus the faithful preset.

mod sandbox_common;

use std::sync::Arc;

use ihuyi::sandbox::{Limits, Sandbox, SandboxConfig, ScaledClock};
use ihuyi::{Client, ErrorKind, Product};
use sandbox_common::{TEMPLATE, raw_http};
use serde_json::Value;

fn client(sandbox: &Sandbox) -> Client {
    let acct = sandbox.account(Product::Sms);
    Client::builder(Product::Sms)
        .account(acct.account)
        .apikey(acct.apikey)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

fn get(sandbox: &Sandbox, path: &str) -> (u16, Value) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let answer = raw_http(sandbox.addr(), request.as_bytes());
    (answer.status, serde_json::from_str(&answer.body).unwrap())
}

fn post(sandbox: &Sandbox, path: &str, body: &str) -> (u16, Value) {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = raw_http(sandbox.addr(), request.as_bytes());
    (answer.status, serde_json::from_str(&answer.body).unwrap())
}

#[test]
fn request_log_reset_and_accounts() {
    let sandbox = Sandbox::start_default().unwrap();
    let sent = client(&sandbox).send("13800138000", TEMPLATE).unwrap();
    let (status, log) = get(&sandbox, "/_sandbox/requests");
    assert_eq!(status, 200);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 1, "admin requests are not logged");
    assert_eq!(log[0]["product"], "sms");
    assert_eq!(log[0]["method"], "Submit");
    assert_eq!(log[0]["code"], 2);
    assert_eq!(log[0]["id"], sent.id.as_str());
    let fields = log[0]["fields"].to_string();
    assert!(fields.contains("<32 chars>"), "{fields}");
    let key = sandbox.account(Product::Sms).apikey;
    assert!(!serde_json::to_string(&log).unwrap().contains(&key));

    let (_, accounts) = get(&sandbox, "/_sandbox/accounts");
    assert_eq!(accounts[0]["balance"], ihuyi::sandbox::DEFAULT_BALANCE - 1);
    let (status, _) = post(&sandbox, "/_sandbox/reset", "");
    assert_eq!(status, 200);
    assert!(sandbox.requests().is_empty());
    assert_eq!(
        sandbox.account(Product::Sms).balance,
        ihuyi::sandbox::DEFAULT_BALANCE
    );
    let (status, pushes) = get(&sandbox, "/_sandbox/pushes");
    assert_eq!((status, pushes), (200, Value::Array(vec![])));
    let (status, err) = get(&sandbox, "/_sandbox/nothing");
    assert_eq!((status, &err["ok"]), (404, &Value::Bool(false)));
}

#[test]
fn scenario_and_clock_at_runtime() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = client(&sandbox);
    let scenario = r#"{"blacklist":["13900000030"],"clock":{"scale":0.0}}"#;
    let (status, answer) = post(&sandbox, "/_sandbox/scenario", scenario);
    assert_eq!(
        (status, &answer["ok"]),
        (200, &Value::Bool(true)),
        "{answer}"
    );
    let err = client.send("13900000030", TEMPLATE).unwrap_err();
    assert_eq!(err.api_code(), Some(4030));
    // A scenario turns the platform's limits on; the clock is frozen, so: 4080.
    client.send("13800000001", TEMPLATE).unwrap();
    assert_eq!(
        client.send("13800000001", TEMPLATE).unwrap_err().api_code(),
        Some(4080)
    );
    let (_, before) = get(&sandbox, "/_sandbox/clock");
    let (status, moved) = post(&sandbox, "/_sandbox/clock", r#"{"advance_seconds":2}"#);
    assert_eq!(status, 200);
    assert_eq!(
        moved["unix_time"],
        before["unix_time"].as_u64().unwrap() + 2
    );
    client.send("13800000001", TEMPLATE).unwrap();
    // Bad input is refused with a message and changes nothing.
    let (status, err) = post(&sandbox, "/_sandbox/scenario", r#"{"colour":1}"#);
    assert_eq!(status, 400);
    assert!(err["error"].as_str().unwrap().contains("colour"), "{err}");
    assert_eq!(post(&sandbox, "/_sandbox/clock", "{}").0, 400);
}

#[test]
fn the_default_is_permissive_for_many_sends_to_one_number() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = client(&sandbox);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..25 {
                    client.send("13800138000", TEMPLATE).unwrap();
                }
            });
        }
    });
    assert_eq!(sandbox.requests().len(), 200);
    assert!(sandbox.requests().iter().all(|r| r.code == Some(2)));
}

#[test]
fn the_faithful_preset_enforces_the_platform_limits() {
    assert_eq!(SandboxConfig::faithful().limits, Limits::PLATFORM);
    assert_eq!(SandboxConfig::default().limits, Limits::OFF);
    let sandbox = Sandbox::start(SandboxConfig {
        clock: Arc::new(ScaledClock::from_now(0.0)),
        ..SandboxConfig::faithful()
    })
    .unwrap();
    let client = client(&sandbox);
    client.send("13800138000", TEMPLATE).unwrap();
    let err = client.send("13800138000", TEMPLATE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.api_code(), Some(4080));
    // In-process equivalents of the admin endpoints.
    sandbox.advance_clock(1);
    client.send("13800138000", TEMPLATE).unwrap();
    sandbox.reset();
    client.send("13800138000", TEMPLATE).unwrap();
}
