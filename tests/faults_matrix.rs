//! Every way a send can fail on the network, each with the error kind the core defines for it,
//! and the sandbox's log showing exactly one request per Submit (the client never resends):
//! connection refused, DNS failure, timeout before the request is written (a listener whose
//! accept queue is full), and the sandbox's faults: a delay beyond the timeout (after the
//! request is written), a drop before answering, accept-then-drop, HTTP 500, a garbage 200 and a
//! slow drip. The cases are tests/fixtures/faults.json, which C (tests/c/test_faults.c), Python
//! (bindings/python/tests/test_faults_matrix.py), PHP (bindings/php/tests/FaultsTest.php) and
//! Java (bindings/java/src/test/java/com/ihuyi/FaultsTest.java) read too.

mod common;
mod sandbox_common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::fixture;
use ihuyi::sandbox::{Fault, Sandbox, SandboxConfig};
use ihuyi::{Client, Error, ErrorKind, Product, Timeouts, UnknownReason};
use sandbox_common::TEMPLATE;
use serde_json::Value;

fn client(base_url: &str, timeout_ms: u64) -> Client {
    let (account, apikey) = ihuyi::sandbox::default_credentials(Product::Sms);
    Client::builder(Product::Sms)
        .account(account)
        .apikey(apikey)
        .base_url(base_url)
        .timeouts(Timeouts::uniform(Duration::from_millis(timeout_ms)))
        .build()
        .unwrap()
}

fn kind(case: &Value) -> ErrorKind {
    match case["kind"].as_str().unwrap() {
        "outcome_unknown" => ErrorKind::OutcomeUnknown,
        "unreachable" => ErrorKind::Unreachable,
        other => panic!("unknown kind {other}"),
    }
}

/// The reason's name (`timeout`, `connection_lost`, ...) and its HTTP status, if any.
fn reason(error: &Error) -> Option<(&'static str, Option<u16>)> {
    match error {
        Error::OutcomeUnknown(e) => Some((
            e.reason.as_str(),
            match e.reason {
                UnknownReason::HttpStatus(status) => Some(status),
                _ => None,
            },
        )),
        _ => None,
    }
}

#[test]
fn each_sandbox_fault_gives_its_kind_and_exactly_one_request_per_submit() {
    let matrix = fixture("faults.json");
    let good = matrix["good_mobile"].as_str().unwrap();
    let cases = matrix["sandbox"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    let faults: Vec<Fault> = cases
        .iter()
        .map(|c| serde_json::from_value(c["fault"].clone()).unwrap())
        .collect();
    let sandbox = Sandbox::start(SandboxConfig {
        faults: faults.clone(),
        ..SandboxConfig::default()
    })
    .unwrap();
    for (case, fault) in cases.iter().zip(&faults) {
        let mobile = fault.mobile.as_deref().unwrap();
        let client = client(sandbox.base_url(), case["timeout_ms"].as_u64().unwrap());
        // A good send first, so the faulted one travels on a pooled keep-alive connection: a
        // client that resends on a broken pooled connection would show up as a second request.
        client.send(good, TEMPLATE).unwrap();
        let error = client.send(mobile, TEMPLATE).unwrap_err();
        assert_eq!(error.kind(), kind(case), "{fault:?}: {error}");
        let want = (
            case["reason"].as_str().unwrap(),
            case["http_status"].as_u64().map(|s| s as u16),
        );
        assert_eq!(reason(&error), Some(want), "{fault:?}: {error}");
        // And a good send right after works (the broken connection is not reused).
        client.send(good, TEMPLATE).unwrap();
    }
    // The delayed and dripping answers finish on the server after the client gave up.
    std::thread::sleep(Duration::from_millis(matrix["settle_ms"].as_u64().unwrap()));
    let log = sandbox.requests();
    for fault in &faults {
        let mobile = fault.mobile.as_deref().unwrap();
        let hits: Vec<_> = log
            .iter()
            .filter(|r| r.fields.iter().any(|(k, v)| k == "mobile" && v == mobile))
            .collect();
        assert_eq!(hits.len(), 1, "{fault:?}: one request per Submit: {hits:?}");
        assert_eq!(hits[0].fault, Some(fault.action.name()));
        assert_eq!(hits[0].method, "Submit");
    }
    assert_eq!(log.len(), 3 * cases.len());
}

/// A listener that never accepts, with its accept queue filled: the kernel drops further
/// connection attempts, so a connect hangs until the client's timeout, before any request byte
/// is written. Returns the address and the connections that fill the queue (kept open).
fn full_backlog() -> (TcpListener, SocketAddr, Vec<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    while held.len() < 10_000 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => held.push(stream),
            Err(_) => return (listener, addr, held),
        }
    }
    panic!("the accept queue never filled");
}

#[test]
fn each_unreachable_case_is_unreachable() {
    let matrix = fixture("faults.json");
    let cases = matrix["unreachable"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut _held = None;
        let base_url = match case["target"].as_str().unwrap() {
            "closed_port" => {
                let listener = TcpListener::bind("127.0.0.1:0").unwrap();
                let addr = listener.local_addr().unwrap();
                drop(listener);
                format!("http://{addr}")
            }
            "full_backlog" => {
                let backlog = full_backlog();
                let url = format!("http://{}", backlog.1);
                _held = Some(backlog);
                url
            }
            url => url.to_owned(),
        };
        let client = client(&base_url, case["timeout_ms"].as_u64().unwrap());
        let started = Instant::now();
        let error = client
            .send(case["mobile"].as_str().unwrap(), TEMPLATE)
            .unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(error.kind(), kind(case), "{name}: {error}");
        let contains = case["message_contains"].as_str().unwrap();
        assert!(error.to_string().contains(contains), "{name}: {error}");
        if let Some(within) = case["within_ms"].as_u64() {
            assert!(
                elapsed < Duration::from_millis(within),
                "{name}: {elapsed:?}"
            );
        }
    }
}
