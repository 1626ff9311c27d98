//! Every way a send can fail on the network, each with the error kind the core defines for it,
//! and the sandbox's log showing exactly one request per Submit (the client never resends):
//! connection refused, DNS failure, timeout before the request is written (a listener whose
//! accept queue is full), and the sandbox's faults: a delay beyond the timeout (after the
//! request is written), a drop before answering, accept-then-drop, HTTP 500, a garbage 200 and a
//! slow drip. The same matrix runs from C (tests/c/test_faults.c) and Python
//! (bindings/python/tests/test_faults_matrix.py).

mod sandbox_common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use ihuyi::sandbox::{Fault, FaultAction, Sandbox, SandboxConfig};
use ihuyi::{Client, Error, ErrorKind, Product, Timeouts, UnknownReason};
use sandbox_common::TEMPLATE;

const TIMEOUT: Duration = Duration::from_millis(400);

fn client(base_url: &str) -> Client {
    let (account, apikey) = ihuyi::sandbox::default_credentials(Product::Sms);
    Client::builder(Product::Sms)
        .account(account)
        .apikey(apikey)
        .base_url(base_url)
        .timeouts(Timeouts::uniform(TIMEOUT))
        .build()
        .unwrap()
}

/// What each fault does, keyed by the number it hits, and the error it must give.
fn sandbox_cases() -> Vec<(&'static str, FaultAction, ErrorKind, Option<UnknownReason>)> {
    use ErrorKind::OutcomeUnknown as U;
    vec![
        (
            "13800000101",
            FaultAction::Delay { ms: 1_500 },
            U,
            Some(UnknownReason::Timeout),
        ),
        (
            "13800000102",
            FaultAction::Close,
            U,
            Some(UnknownReason::ConnectionLost),
        ),
        (
            "13800000103",
            FaultAction::AcceptThenDrop,
            U,
            Some(UnknownReason::ConnectionLost),
        ),
        (
            "13800000104",
            FaultAction::Http500,
            U,
            Some(UnknownReason::HttpStatus(500)),
        ),
        (
            "13800000105",
            FaultAction::Garbage,
            U,
            Some(UnknownReason::UnparseableBody),
        ),
        (
            "13800000106",
            FaultAction::SlowDrip {
                chunk_bytes: 2,
                interval_ms: 100,
            },
            U,
            Some(UnknownReason::Timeout),
        ),
    ]
}

fn reason(error: &Error) -> Option<UnknownReason> {
    match error {
        Error::OutcomeUnknown(e) => Some(e.reason),
        _ => None,
    }
}

#[test]
fn each_sandbox_fault_gives_its_kind_and_exactly_one_request_per_submit() {
    let cases = sandbox_cases();
    let sandbox = Sandbox::start(SandboxConfig {
        faults: cases
            .iter()
            .map(|(mobile, action, ..)| Fault {
                mobile: Some((*mobile).into()),
                request: None,
                times: None,
                action: *action,
            })
            .collect(),
        ..SandboxConfig::default()
    })
    .unwrap();
    let client = client(sandbox.base_url());
    // A good send first, so the faulted ones may travel on a pooled keep-alive connection: a
    // client that resends on a broken pooled connection would show up as a second request.
    client.send("13800000100", TEMPLATE).unwrap();
    for (mobile, action, kind, why) in &cases {
        let error = client.send(mobile, TEMPLATE).unwrap_err();
        assert_eq!(error.kind(), *kind, "{action:?}: {error}");
        assert_eq!(reason(&error), *why, "{action:?}: {error}");
        // And a good send right after works (the broken connection is not reused).
        client.send("13800000100", TEMPLATE).unwrap();
    }
    // The delayed and dripping answers finish on the server after the client gave up.
    std::thread::sleep(Duration::from_millis(300));
    let log = sandbox.requests();
    for (mobile, action, ..) in &cases {
        let hits: Vec<_> = log
            .iter()
            .filter(|r| r.fields.iter().any(|(k, v)| k == "mobile" && v == mobile))
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "{action:?}: one request per Submit: {hits:?}"
        );
        assert_eq!(hits[0].fault, Some(action.name()));
        assert_eq!(hits[0].method, "Submit");
    }
    assert_eq!(log.len(), 1 + 2 * cases.len());
}

#[test]
fn connection_refused_is_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let error = client(&format!("http://{addr}"))
        .send("13800000107", TEMPLATE)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unreachable, "{error}");
}

#[test]
fn a_name_that_does_not_resolve_is_unreachable() {
    let error = client("http://sandbox.invalid")
        .send("13800000108", TEMPLATE)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unreachable, "{error}");
}

/// A listener that never accepts, with its accept queue filled: the kernel drops further
/// connection attempts, so a connect hangs until the client's timeout, before any request byte
/// is written. Returns the address and the connections that fill the queue (kept open).
pub fn full_backlog() -> (TcpListener, SocketAddr, Vec<TcpStream>) {
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
fn a_connect_that_times_out_before_the_request_is_written_is_unreachable() {
    let (_listener, addr, _held) = full_backlog();
    let started = std::time::Instant::now();
    let error = client(&format!("http://{addr}"))
        .send("13800000109", TEMPLATE)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unreachable, "{error}");
    assert!(started.elapsed() < TIMEOUT * 5, "{:?}", started.elapsed());
}
