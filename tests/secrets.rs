//! With logging at its most verbose (`log` at trace, every target), the API key appears nowhere:
//! not in the bytes sent in dynamic mode (captured by a raw TCP server), the log lines, the
//! messages and Debug output of every error kind, the Debug output of the client, its builder,
//! the key and results, the sandbox's request log, the panic messages of unwrapped errors, nor
//! the CLI's output. One test collects all of them and greps them for the key.

mod common;

use std::sync::{Arc, Mutex};

use common::{RawReply, RawServer, closed_port_url, http_response};
use ihuyi::sandbox::Sandbox;
use ihuyi::{ApiKey, Client, ErrorKind, PasswordMode, Product, Timeouts};

/// Distinctive, and valid as a key.
const KEY: &str = "Zq7secretapikey4b1d9e";

struct CaptureLogger(Mutex<Vec<String>>);

impl log::Log for CaptureLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "{} {} {}:{} {}",
            record.level(),
            record.target(),
            record.file().unwrap_or(""),
            record.line().unwrap_or(0),
            record.args()
        );
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

static LOGGER: CaptureLogger = CaptureLogger(Mutex::new(Vec::new()));

fn builder(base_url: &str, apikey: &str, mode: PasswordMode) -> ihuyi::ClientBuilder {
    Client::builder(Product::Sms)
        .account("C80000001")
        .apikey(apikey)
        .base_url(base_url)
        .password_mode(mode)
        .timeouts(Timeouts::uniform(std::time::Duration::from_secs(2)))
}

const SUBMIT_OK: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SubmitResult xmlns=\"http://106.ihuyi.com/\"><code>2</code><msg>提交成功</msg><smsid>14942311123456789012</smsid></SubmitResult>";
const TEMPLATE: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

#[test]
fn the_key_appears_nowhere() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let mut shown: Vec<String> = Vec::new();
    let panics = Arc::new(Mutex::new(Vec::<String>::new()));
    {
        let panics = Arc::clone(&panics);
        std::panic::set_hook(Box::new(move |info| {
            panics.lock().unwrap().push(info.to_string())
        }));
    }

    // 1. The wire bytes, dynamic mode: a raw server records every request byte.
    let wire = RawServer::start(RawReply::Bytes(http_response("200 OK", SUBMIT_OK)));
    let client = builder(&wire.base_url, KEY, PasswordMode::Dynamic)
        .build()
        .unwrap();
    let sent = client.send("13800138000", TEMPLATE).unwrap();
    shown.push(format!("{sent:?}"));
    let _ = client.balance(); // an unparseable GetNum answer: outcome unknown
    let requests = wire.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let text = String::from_utf8_lossy(request);
        assert!(text.contains("password="), "{text}");
        assert!(
            !text.contains(KEY),
            "the key is on the wire in dynamic mode: {text}"
        );
        assert!(!request.windows(KEY.len()).any(|w| w == KEY.as_bytes()));
    }

    // 2. Every error kind, both modes, Display and Debug; Debug of the client, builder, key.
    let sandbox = Sandbox::start_default().unwrap();
    let echo = RawServer::start(RawReply::Bytes(http_response(
        "500 Oops",
        &format!("you sent password={KEY}"),
    )));
    let hang_up = RawServer::start(RawReply::Close);
    for mode in [PasswordMode::Dynamic, PasswordMode::Plain] {
        let b = builder(sandbox.base_url(), KEY, mode);
        shown.push(format!("{b:?}"));
        let c = b.build().unwrap();
        shown.push(format!("{c:?}"));
        let errors = vec![
            c.send("123", "x").unwrap_err(),              // validation
            c.send("13800138000", TEMPLATE).unwrap_err(), // api: the sandbox refuses this key
            c.balance().unwrap_err(),                     // api
            builder(&closed_port_url(), KEY, mode)
                .build()
                .unwrap()
                .send("13800138000", TEMPLATE)
                .unwrap_err(),
            builder("http://sandbox.invalid", KEY, mode)
                .build()
                .unwrap()
                .send("13800138000", TEMPLATE)
                .unwrap_err(),
            builder(&echo.base_url, KEY, mode)
                .build()
                .unwrap()
                .send("13800138000", TEMPLATE)
                .unwrap_err(),
            builder(&hang_up.base_url, KEY, mode)
                .build()
                .unwrap()
                .send("13800138000", TEMPLATE)
                .unwrap_err(),
            builder(sandbox.base_url(), &format!("{KEY} \n"), mode)
                .build()
                .unwrap_err(), // a bad key
            builder(&format!("http://u:{KEY}@127.0.0.1:1"), KEY, mode)
                .build()
                .map(|_| ())
                .err()
                .unwrap_or_else(|| {
                    builder(&format!("http://u:{KEY}@127.0.0.1:1"), KEY, mode)
                        .build()
                        .unwrap()
                        .balance()
                        .unwrap_err()
                }),
        ];
        let kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
        assert_eq!(
            kinds[..7],
            [
                ErrorKind::Validation,
                ErrorKind::Api,
                ErrorKind::Api,
                ErrorKind::Unreachable,
                ErrorKind::Unreachable,
                ErrorKind::OutcomeUnknown,
                ErrorKind::OutcomeUnknown,
            ]
        );
        for e in &errors {
            shown.push(format!("{e} | {e:?} | {:?}", std::error::Error::source(e)));
        }
        // 3. Panic messages: users unwrap.
        for e in errors {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| unwrap(Err(e))));
        }
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            builder(sandbox.base_url(), &format!("{KEY}\0"), mode)
                .build()
                .unwrap()
        }));
        let own = sandbox.account(Product::Sms);
        let good = Client::builder(Product::Sms)
            .account(own.account)
            .apikey(own.apikey)
            .base_url(sandbox.base_url())
            .password_mode(mode)
            .build()
            .unwrap();
        shown.push(format!("{:?}", good.send("13800138000", TEMPLATE).unwrap()));
        shown.push(format!("{:?}", good.balance().unwrap()));
    }
    shown.push(format!("{:?}", ApiKey::new(KEY)));
    // 4. The sandbox's request log (plain mode sent the key as the password).
    for request in sandbox.requests() {
        shown.push(format!("{request:?}"));
        shown.push(serde_json::to_string(&request).unwrap());
    }
    let sandbox_key = sandbox.account(Product::Sms).apikey;

    // 5. The CLI: its output and errors, with the key given by the environment and by flag.
    for (flag, env) in [(false, true), (true, false)] {
        for base_url in [
            echo.base_url.as_str(),
            sandbox.base_url(),
            &closed_port_url(),
        ] {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ihuyi"));
            cmd.args([
                "send",
                "--product",
                "sms",
                "--base-url",
                base_url,
                "--account",
                "C80000001",
            ])
            .args([
                "--mobile",
                "13800138000",
                "--content",
                TEMPLATE,
                "--timeout",
                "2",
            ])
            .env_remove("IHUYI_APIKEY")
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "1");
            if flag {
                cmd.args(["--apikey", KEY]);
            }
            if env {
                cmd.env("IHUYI_APIKEY", KEY);
            }
            for output in ["text", "json"] {
                let out = cmd.clone_args_with(["--output", output]).output().unwrap();
                assert!(!out.status.success());
                shown.push(String::from_utf8_lossy(&out.stdout).into_owned());
                shown.push(String::from_utf8_lossy(&out.stderr).into_owned());
            }
        }
    }

    let _ = std::panic::take_hook();
    let logs = LOGGER.0.lock().unwrap().clone();
    let panics = panics.lock().unwrap().clone();
    assert!(
        logs.iter().any(|l| l.starts_with("TRACE")),
        "trace lines were captured: {logs:?}"
    );
    assert!(panics.len() >= 18, "the unwraps panicked: {panics:?}");
    let everything: Vec<&String> = shown.iter().chain(&logs).chain(&panics).collect();
    for text in &everything {
        assert!(!text.contains(KEY), "the key leaked into: {text}");
        assert!(
            !text.contains(&sandbox_key),
            "the sandbox's key leaked into: {text}"
        );
    }
    assert!(everything.len() > 100, "{}", everything.len());
}

/// What a user's `.unwrap()` on a failed send does: panic with the error's Debug output.
fn unwrap(result: Result<(), ihuyi::Error>) {
    result.unwrap();
}

/// `Command` has no clone: rebuild one with the same program, arguments and environment.
trait CloneArgs {
    fn clone_args_with<const N: usize>(&self, extra: [&str; N]) -> std::process::Command;
}

impl CloneArgs for std::process::Command {
    fn clone_args_with<const N: usize>(&self, extra: [&str; N]) -> std::process::Command {
        let mut cmd = std::process::Command::new(self.get_program());
        cmd.args(self.get_args()).args(extra);
        for (k, v) in self.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd
    }
}
