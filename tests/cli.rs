//! The `ihuyi` CLI against the sandbox: every product, format and password mode, every error kind
//! with its exit code and JSON object, and the key never printed.

mod common;

use std::process::{Command, Output};

use common::{RawReply, RawServer, closed_port_url, http_response};
use ihuyi::Product;
use ihuyi::sandbox::Sandbox;
use serde_json::Value;

fn ihuyi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ihuyi"));
    cmd.args(args)
        .env_remove("IHUYI_ACCOUNT")
        .env_remove("IHUYI_APIKEY")
        .env_remove("IHUYI_BASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run ihuyi")
}

fn json_of(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "exactly one JSON object on stdout, got {stdout:?}"
    );
    serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn content_for(product: Product) -> &'static str {
    match product {
        Product::Voice => "482193",
        _ => "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】",
    }
}

fn mobile_for(product: Product) -> &'static str {
    match product {
        Product::Isms => "63 9171234567",
        _ => "13800138000",
    }
}

#[test]
fn every_product_format_and_password_mode() {
    let sandbox = Sandbox::start_default().unwrap();
    for product in Product::ALL {
        let account = sandbox.account(product);
        let env = [
            ("IHUYI_ACCOUNT", account.account.as_str()),
            ("IHUYI_APIKEY", account.apikey.as_str()),
            ("IHUYI_BASE_URL", sandbox.base_url()),
        ];
        for format in ["xml", "json"] {
            for plain in [false, true] {
                let mut args = vec![
                    "send",
                    "--product",
                    product.name(),
                    "--mobile",
                    mobile_for(product),
                    "--content",
                    content_for(product),
                    "--format",
                    format,
                    "--output",
                    "json",
                ];
                if plain {
                    args.push("--plain-password");
                }
                let out = ihuyi(&args, &env);
                let v = json_of(&out);
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{product} {format} plain={plain}: {v}"
                );
                assert_eq!(v["ok"], true);
                assert_eq!(v["error"], Value::Null);
                assert_eq!(v["code"], 2);
                assert_eq!(v["product"], product.name());
                let id = v["id"].as_str().expect("id is a string");
                assert_eq!(id.len(), 20, "{id}");
                assert!(id.parse::<u64>().is_err(), "sandbox ids exceed u64: {id}");
                let logged = sandbox.requests();
                let last = logged.last().unwrap();
                assert_eq!(last.product, Some(product));
                assert_eq!(last.field("time").is_some(), !plain);
                assert_eq!(last.field("format").is_some(), format == "json");

                let mut args = vec![
                    "balance",
                    "--product",
                    product.name(),
                    "--format",
                    format,
                    "--output",
                    "json",
                ];
                if plain {
                    args.push("--plain-password");
                }
                let out = ihuyi(&args, &env);
                let v = json_of(&out);
                assert_eq!(out.status.code(), Some(0), "{v}");
                assert!(v["num"].as_i64().unwrap() > 0);
            }
        }
    }
}

#[test]
fn sandbox_flag_is_the_zero_setup_main_job() {
    let out = ihuyi(
        &[
            "send",
            "--sandbox",
            "--product",
            "sms",
            "--mobile",
            "13800138000",
            "--content",
            "您的验证码是:1234。【互亿无线】",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap();
    assert_eq!(id.trim().len(), 20);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("accepted"), "{stderr}");
}

#[test]
fn validation_error_exits_2_and_sends_nothing() {
    let sandbox = Sandbox::start_default().unwrap();
    let account = sandbox.account(Product::Sms);
    let cases: [&[&str]; 4] = [
        &["--mobile", "12345", "--content", "hi"],
        &["--mobile", "13800138000", "--content", ""],
        &["--mobile", "13800138000", "--content", "tab\tinside"],
        &[
            "--product",
            "voice",
            "--mobile",
            "13800138000",
            "--content",
            "12ab",
        ],
    ];
    for extra in cases {
        let mut args = vec![
            "send",
            "--output",
            "json",
            "--account",
            &account.account,
            "--base-url",
            sandbox.base_url(),
        ];
        args.extend_from_slice(extra);
        let out = ihuyi(&args, &[("IHUYI_APIKEY", &account.apikey)]);
        let v = json_of(&out);
        assert_eq!(out.status.code(), Some(2), "{v}");
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"], "validation");
        assert_eq!(v["code"], Value::Null);
        assert_eq!(v["id"], Value::Null);
    }
    // Missing credentials and a bad base URL are validation errors too.
    let out = ihuyi(
        &[
            "balance",
            "--output",
            "json",
            "--base-url",
            sandbox.base_url(),
        ],
        &[],
    );
    assert_eq!(json_of(&out)["error"], "validation");
    let out = ihuyi(
        &["balance", "--output", "json", "--base-url", "ftp://x"],
        &[("IHUYI_ACCOUNT", "a"), ("IHUYI_APIKEY", "k")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(sandbox.requests().is_empty(), "nothing reached the sandbox");
}

#[test]
fn api_refusals_exit_1_with_code_msg_and_class() {
    let sandbox = Sandbox::start_default().unwrap();
    let account = sandbox.account(Product::Sms);
    let wrong_key = "0123456789abcdef0123456789abcdef";
    let out = ihuyi(
        &[
            "send",
            "--output",
            "json",
            "--account",
            &account.account,
            "--base-url",
            sandbox.base_url(),
            "--mobile",
            "13800138000",
            "--content",
            "hi",
        ],
        &[("IHUYI_APIKEY", wrong_key)],
    );
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(1), "{v}");
    assert_eq!(v["error"], "api");
    assert_eq!(v["code"], 40502);
    assert_eq!(v["msg"], "动态密码校验失败");
    assert_eq!(v["class"], "auth");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(wrong_key));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(wrong_key));

    let out = ihuyi(
        &[
            "balance",
            "--output",
            "json",
            "--plain-password",
            "--product",
            "voice",
            "--account",
            "V-nobody",
            "--base-url",
            sandbox.base_url(),
        ],
        &[("IHUYI_APIKEY", wrong_key)],
    );
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        (v["code"].as_i64(), v["msg"].as_str()),
        (Some(405), Some("用户名或密码不正确"))
    );
    assert_eq!(v["num"], Value::Null);
}

#[test]
fn unreachable_exits_3() {
    let url = closed_port_url();
    let out = ihuyi(
        &[
            "send",
            "--output",
            "json",
            "--base-url",
            &url,
            "--mobile",
            "13800138000",
            "--content",
            "hi",
            "--timeout",
            "2",
        ],
        &[("IHUYI_ACCOUNT", "C1"), ("IHUYI_APIKEY", "secretsecret")],
    );
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(3), "{v}");
    assert_eq!(v["error"], "unreachable");
    assert_eq!(v["code"], Value::Null);
    // A name that cannot resolve is unreachable too.
    let out = ihuyi(
        &[
            "balance",
            "--output",
            "json",
            "--base-url",
            "http://no-such-host.invalid",
            "--timeout",
            "3",
        ],
        &[("IHUYI_ACCOUNT", "C1"), ("IHUYI_APIKEY", "secretsecret")],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn outcome_unknown_exits_4_and_is_never_retried() {
    let env = [("IHUYI_ACCOUNT", "C1"), ("IHUYI_APIKEY", "secretsecret")];
    let replies = [
        RawReply::Bytes(http_response(
            "500 Internal Server Error",
            "<html><body>500 Internal Server Error</body></html>",
        )),
        RawReply::Bytes(http_response("200 OK", "garbage")),
        RawReply::Close,
        RawReply::Hang(std::time::Duration::from_secs(5)),
    ];
    for reply in replies {
        let server = RawServer::start(reply);
        let out = ihuyi(
            &[
                "send",
                "--output",
                "json",
                "--base-url",
                &server.base_url,
                "--mobile",
                "13800138000",
                "--content",
                "hi",
                "--timeout",
                "1",
            ],
            &env,
        );
        let v = json_of(&out);
        assert_eq!(out.status.code(), Some(4), "{v}");
        assert_eq!(v["error"], "outcome_unknown");
        assert_eq!(v["ok"], false);
        assert_eq!(
            server.request_count(),
            1,
            "a Submit is sent exactly once: {v}"
        );
        assert!(!v.to_string().contains("secretsecret"));
    }
}

#[test]
fn the_key_never_travels_in_dynamic_mode() {
    let body = "<SubmitResult><code>2</code><msg>提交成功</msg><smsid>1</smsid></SubmitResult>";
    let server = RawServer::start(RawReply::Bytes(http_response("200 OK", body)));
    let key = "kkkkkkkk-never-on-the-wire-kkkkkk";
    let out = ihuyi(
        &[
            "send",
            "--output",
            "json",
            "--base-url",
            &server.base_url,
            "--mobile",
            "13800138000",
            "--content",
            "hi",
        ],
        &[("IHUYI_ACCOUNT", "C1"), ("IHUYI_APIKEY", key)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let wire = server.requests.lock().unwrap()[0].clone();
    let wire = String::from_utf8_lossy(&wire);
    assert!(!wire.contains(key), "{wire}");
    assert!(
        wire.starts_with("POST /webservice/sms.php?method=Submit HTTP/1.1\r\n"),
        "{wire}"
    );
    assert!(
        wire.to_ascii_lowercase().contains("user-agent: libihuyi/"),
        "{wire}"
    );
    assert!(wire.contains("account=C1&password="), "{wire}");
}

#[test]
fn help_never_shows_the_key_from_the_environment() {
    let out = ihuyi(
        &["send", "--help"],
        &[("IHUYI_APIKEY", "shown-in-help-would-be-bad")],
    );
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("shown-in-help"));
}

#[test]
fn usage_errors_exit_2() {
    let out = ihuyi(
        &[
            "send",
            "--product",
            "mms",
            "--mobile",
            "1",
            "--content",
            "x",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = ihuyi(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
}
