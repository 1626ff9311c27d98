//! The library client against the sandbox: sharing between threads, and the key absent from
//! log lines (at trace level), error messages and Debug output.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use common::{RawReply, RawServer, closed_port_url, http_response};
use ihuyi::sandbox::Sandbox;
use ihuyi::{Client, Error, ErrorKind, PasswordMode, Product};

struct CaptureLogger(Mutex<Vec<String>>);

impl log::Log for CaptureLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {}", record.target(), record.args()));
    }
    fn flush(&self) {}
}

static LOGGER: CaptureLogger = CaptureLogger(Mutex::new(Vec::new()));

fn client(sandbox: &Sandbox, product: Product) -> Client {
    let account = sandbox.account(product);
    Client::builder(product)
        .account(account.account)
        .apikey(account.apikey)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

#[test]
fn sixteen_threads_share_one_client_and_every_id_is_distinct() {
    let sandbox = Sandbox::start_default().unwrap();
    let client = Arc::new(client(&sandbox, Product::Sms));
    let handles: Vec<_> = (0..16)
        .map(|t| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                (0..200)
                    .map(|i| {
                        client
                            .send(
                                "13800138000",
                                &format!("thread {t} message {i}【互亿无线】"),
                            )
                            .unwrap_or_else(|e| panic!("{e}"))
                            .id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_eq!(ids.len(), 3200);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        3200,
        "all ids distinct"
    );
    assert_eq!(sandbox.requests().len(), 3200, "one request per send");
    assert_eq!(client.balance().unwrap().num, 100_000 - 3200);
}

#[test]
fn the_key_appears_in_no_log_line_error_or_debug_string() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let sandbox = Sandbox::start_default().unwrap();
    let account = sandbox.account(Product::Sms);
    let key = account.apikey.clone();
    let mut shown = Vec::new();

    for mode in [PasswordMode::Dynamic, PasswordMode::Plain] {
        let good = Client::builder(Product::Sms)
            .account(&account.account)
            .apikey(key.as_str())
            .base_url(sandbox.base_url())
            .password_mode(mode)
            .build()
            .unwrap();
        shown.push(format!("{good:?}"));
        let sent = good.send("13800138000", "hello【互亿无线】").unwrap();
        shown.push(format!("{sent:?}"));
        // Errors of every kind, each shown with Display and Debug.
        let errors = [
            good.send("123", "x").unwrap_err(),
            Client::builder(Product::Sms)
                .account("nobody")
                .apikey(key.as_str())
                .base_url(sandbox.base_url())
                .password_mode(mode)
                .build()
                .unwrap()
                .send("13800138000", "x")
                .unwrap_err(),
            Client::builder(Product::Sms)
                .account("a")
                .apikey(key.as_str())
                .base_url(closed_port_url())
                .password_mode(mode)
                .build()
                .unwrap()
                .balance()
                .unwrap_err(),
        ];
        // A server that echoes the request body (plain mode puts the key in it) is scrubbed.
        let echo = RawServer::start(RawReply::Bytes(http_response(
            "500 Oops",
            &format!("password={key}"),
        )));
        let echoed = Client::builder(Product::Sms)
            .account("a")
            .apikey(key.as_str())
            .base_url(&echo.base_url)
            .password_mode(mode)
            .build()
            .unwrap()
            .send("13800138000", "x")
            .unwrap_err();
        assert_eq!(echoed.kind(), ErrorKind::OutcomeUnknown);
        let kinds: Vec<_> = errors.iter().map(Error::kind).collect();
        assert_eq!(
            kinds,
            [
                ErrorKind::Validation,
                ErrorKind::Api,
                ErrorKind::Unreachable
            ]
        );
        for e in errors.iter().chain([&echoed]) {
            shown.push(format!("{e} {e:?}"));
        }
    }
    let logs = LOGGER.0.lock().unwrap().clone();
    assert!(
        logs.iter().any(|l| l.contains("Submit")),
        "trace logging captured lines: {logs:?}"
    );
    for text in shown.iter().chain(logs.iter()) {
        assert!(!text.contains(&key), "the key leaked into: {text}");
    }
}
