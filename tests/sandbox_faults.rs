//! Every injected fault gives the client error kind the core defines, and the request log shows
//! exactly one request per Submit (the client never retries on its own).

mod sandbox_common;

use std::time::{Duration, Instant};

use ihuyi::sandbox::{Fault, FaultAction, Sandbox, SandboxConfig};
use ihuyi::{Client, Error, ErrorKind, Product, Timeouts, UnknownReason};
use sandbox_common::{TEMPLATE, raw_http};

fn fault(mobile: &str, action: FaultAction) -> Fault {
    Fault {
        mobile: Some(mobile.into()),
        request: None,
        times: None,
        action,
    }
}

fn client(sandbox: &Sandbox, timeout: Duration) -> Client {
    let acct = sandbox.account(Product::Sms);
    Client::builder(Product::Sms)
        .account(acct.account)
        .apikey(acct.apikey)
        .base_url(sandbox.base_url())
        .timeouts(Timeouts::uniform(timeout))
        .build()
        .unwrap()
}

fn balance(sandbox: &Sandbox) -> i64 {
    sandbox.account(Product::Sms).balance
}

fn unknown_reason(result: Result<ihuyi::SendResult, Error>) -> UnknownReason {
    match result {
        Err(Error::OutcomeUnknown(e)) => e.reason,
        other => panic!("expected outcome_unknown, got {other:?}"),
    }
}

/// One Submit under `action`; returns the client's result, the one logged request and the
/// balance change.
fn one_submit(
    action: FaultAction,
    timeout: Duration,
) -> (
    Result<ihuyi::SendResult, Error>,
    ihuyi::sandbox::LoggedRequest,
    i64,
) {
    let mobile = "13800000777";
    let sandbox = Sandbox::start(SandboxConfig {
        faults: vec![fault(mobile, action)],
        ..SandboxConfig::default()
    })
    .unwrap();
    let before = balance(&sandbox);
    let result = client(&sandbox, timeout).send(mobile, TEMPLATE);
    // A handled request is logged before the fault plays out; give a dropped one a moment.
    std::thread::sleep(Duration::from_millis(20));
    let log = sandbox.requests();
    assert_eq!(log.len(), 1, "exactly one request per Submit: {log:?}");
    assert_eq!(log[0].fault, Some(action.name()));
    (result, log[0].clone(), before - balance(&sandbox))
}

#[test]
fn close_before_answering_is_outcome_unknown_and_sends_nothing() {
    let (result, logged, spent) = one_submit(FaultAction::Close, Duration::from_secs(5));
    assert_eq!(unknown_reason(result), UnknownReason::ConnectionLost);
    assert_eq!((logged.code, logged.id, spent), (None, None, 0));
}

#[test]
fn accept_then_drop_is_outcome_unknown_but_the_message_was_sent() {
    let (result, logged, spent) = one_submit(FaultAction::AcceptThenDrop, Duration::from_secs(5));
    assert_eq!(unknown_reason(result), UnknownReason::ConnectionLost);
    assert_eq!(logged.code, Some(2));
    assert_eq!(logged.id.as_ref().map(String::len), Some(20));
    assert_eq!(
        spent, 1,
        "accepted and billed: a blind retry would send twice"
    );
}

#[test]
fn http_500_is_outcome_unknown() {
    let (result, logged, spent) = one_submit(FaultAction::Http500, Duration::from_secs(5));
    assert_eq!(unknown_reason(result), UnknownReason::HttpStatus(500));
    assert_eq!((logged.code, spent), (None, 0));
}

#[test]
fn garbage_is_outcome_unknown() {
    let (result, _, spent) = one_submit(FaultAction::Garbage, Duration::from_secs(5));
    assert_eq!(unknown_reason(result), UnknownReason::UnparseableBody);
    assert_eq!(spent, 0);
}

#[test]
fn a_delay_beyond_the_timeout_is_outcome_unknown() {
    let started = Instant::now();
    let (result, logged, spent) =
        one_submit(FaultAction::Delay { ms: 2_000 }, Duration::from_millis(300));
    assert_eq!(unknown_reason(result), UnknownReason::Timeout);
    assert!(started.elapsed() < Duration::from_millis(1_500));
    assert_eq!((logged.code, spent), (Some(2), 1));
}

#[test]
fn a_short_delay_is_just_slow() {
    let started = Instant::now();
    let (result, _, spent) = one_submit(FaultAction::Delay { ms: 150 }, Duration::from_secs(5));
    assert!(result.is_ok(), "{result:?}");
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(spent, 1);
}

#[test]
fn a_slow_drip_beyond_the_timeout_is_outcome_unknown() {
    let drip = FaultAction::SlowDrip {
        chunk_bytes: 4,
        interval_ms: 100,
    };
    let (result, logged, _) = one_submit(drip, Duration::from_millis(500));
    assert_eq!(unknown_reason(result), UnknownReason::Timeout);
    assert_eq!(logged.code, Some(2));
}

#[test]
fn a_quick_drip_arrives_whole() {
    let drip = FaultAction::SlowDrip {
        chunk_bytes: 16,
        interval_ms: 2,
    };
    let (result, _, _) = one_submit(drip, Duration::from_secs(5));
    let sent = result.unwrap();
    assert_eq!(sent.id.len(), 20);
}

#[test]
fn faults_by_request_index_and_times() {
    let sandbox = Sandbox::start(SandboxConfig {
        faults: vec![
            Fault {
                mobile: None,
                request: Some(2),
                times: None,
                action: FaultAction::Http500,
            },
            Fault {
                mobile: Some("13800000002".into()),
                request: None,
                times: Some(1),
                action: FaultAction::Garbage,
            },
        ],
        ..SandboxConfig::default()
    })
    .unwrap();
    let client = client(&sandbox, Duration::from_secs(5));
    assert!(client.send("13800000001", TEMPLATE).is_ok());
    let second = client.send("13800000001", TEMPLATE).unwrap_err();
    assert_eq!(second.kind(), ErrorKind::OutcomeUnknown);
    let third = client.send("13800000002", TEMPLATE).unwrap_err();
    assert_eq!(third.kind(), ErrorKind::OutcomeUnknown);
    assert!(client.send("13800000002", TEMPLATE).is_ok(), "times = 1");
    let faults: Vec<_> = sandbox.requests().iter().map(|r| r.fault).collect();
    assert_eq!(faults, [None, Some("http_500"), Some("garbage"), None]);
    // After a reset the request index starts again.
    sandbox.reset();
    assert!(client.send("13800000003", TEMPLATE).is_ok());
    assert!(client.send("13800000003", TEMPLATE).is_err());
}

#[test]
fn faults_set_at_runtime_through_the_admin_endpoint() {
    let sandbox = Sandbox::start_default().unwrap();
    let body = r#"[{"mobile":"13800000009","action":"accept_then_drop","times":1}]"#;
    let request = format!(
        "POST /_sandbox/faults HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = raw_http(sandbox.addr(), request.as_bytes());
    assert_eq!(answer.status, 200, "{answer:?}");
    let client = client(&sandbox, Duration::from_secs(5));
    let err = client.send("13800000009", TEMPLATE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert!(client.send("13800000009", TEMPLATE).is_ok());
    let log = sandbox.requests();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|r| r.code == Some(2)));
    // A bad fault list is refused and changes nothing.
    let body = r#"[{"action":"explode"}]"#;
    let request = format!(
        "POST /_sandbox/faults HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(raw_http(sandbox.addr(), request.as_bytes()).status, 400);
}

#[test]
fn the_cli_reports_accept_then_drop_as_outcome_unknown() {
    let sandbox = Sandbox::start(SandboxConfig {
        faults: vec![fault("13800000010", FaultAction::AcceptThenDrop)],
        ..SandboxConfig::default()
    })
    .unwrap();
    let acct = sandbox.account(Product::Sms);
    let (exit, json) = sandbox_common::cli_send(
        sandbox.base_url(),
        "sms",
        &acct.account,
        &acct.apikey,
        "13800000010",
        TEMPLATE,
        &[],
    );
    assert_eq!(exit, 4, "{json}");
    assert_eq!(json["error"], "outcome_unknown");
    assert_eq!(sandbox.requests().len(), 1);
}
