//! Every platform refusal the sandbox models, reached through the CLI
//! (`ihuyi send --base-url … --output json`) against a sandbox set up by a scenario.

mod sandbox_common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use ihuyi::Product;
use ihuyi::sandbox::{Sandbox, SandboxConfig, Scenario};
use sandbox_common::{TEMPLATE, cli_balance, cli_send, ihuyi, raw_http};
use serde_json::Value;

const SMS_KEY: &str = "8f14e45fceea167a5a36dedd4bea2543";
const ISMS_KEY: &str = "45c48cce2e2d7fbdea1afc51c7c6ad26";
const NOTICE: &str = "您的订单已发货,请注意查收。【互亿无线】";

const SCENARIO: &str = r#"
blacklist = ["13900000030"]
sensitive_words = ["赌博"]

[clock]
scale = 0.0

[[accounts]]
product = "sms"

[[accounts]]
product = "sms"
account = "C80000002"
apikey = "22222222222222222222222222222222"
frozen = true

[[accounts]]
product = "sms"
account = "C80000003"
apikey = "33333333333333333333333333333333"
allowed_ips = ["10.9.8.7"]

[[accounts]]
product = "sms"
account = "C80000004"
apikey = "44444444444444444444444444444444"
balance = 1

[[accounts]]
product = "isms"
templates = ["Your verification code is 【变量】.【互亿无线】"]

[[accounts]]
product = "isms"
account = "I80000002"
apikey = "55555555555555555555555555555555"
templates = []
"#;

fn start(scenario: &str) -> Sandbox {
    let config = Scenario::from_toml(scenario)
        .unwrap()
        .to_config(SandboxConfig::default())
        .unwrap();
    Sandbox::start(config).unwrap()
}

/// Asserts an API refusal with `code` and the catalogue's message for `product`.
fn assert_refused(result: (i32, Value), product: Product, code: i64) {
    let (exit, json) = result;
    assert_eq!(json["code"], code, "{json}");
    assert_eq!(exit, 1, "{json}");
    assert_eq!(json["ok"], false);
    assert_eq!(json["error"], "api");
    assert_eq!(json["msg"], product.message_of(code).unwrap(), "{json}");
}

fn assert_accepted(result: (i32, Value)) -> String {
    let (exit, json) = result;
    assert_eq!((exit, &json["code"]), (0, &Value::from(2)), "{json}");
    json["id"].as_str().unwrap().to_owned()
}

#[test]
fn account_state_codes() {
    let sandbox = start(SCENARIO);
    let url = sandbox.base_url();
    // 4050: frozen.
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000002",
            "22222222222222222222222222222222",
            "13800000001",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        4050,
    );
    // 4052: the caller is not on the allow-list; GetNum's table has no 4052, so 400.
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000003",
            "33333333333333333333333333333333",
            "13800000002",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        4052,
    );
    let (exit, json) = cli_balance(url, "sms", "C80000003", "33333333333333333333333333333333");
    assert_eq!((exit, &json["code"]), (1, &Value::from(400)), "{json}");
    // 4051: one segment left; a two-segment message needs two.
    let long = "长".repeat(71);
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000004",
            "44444444444444444444444444444444",
            "13800000003",
            &long,
            &[],
        ),
        Product::Sms,
        4051,
    );
    assert_accepted(cli_send(
        url,
        "sms",
        "C80000004",
        "44444444444444444444444444444444",
        "13800000003",
        TEMPLATE,
        &[],
    ));
    let (exit, json) = cli_balance(url, "sms", "C80000004", "44444444444444444444444444444444");
    assert_eq!((exit, &json["num"]), (0, &Value::from(0)), "{json}");
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000004",
            "44444444444444444444444444444444",
            "13800000004",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        4051,
    );
    // 4030: blacklisted number; 407: sensitive word.
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13900000030",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        4030,
    );
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13800000005",
            "来赌博吧【互亿无线】",
            &[],
        ),
        Product::Sms,
        407,
    );
    // 40502 and 405: a wrong key.
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000001",
            "00000000000000000000000000000000",
            "13800000006",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        40502,
    );
    assert_refused(
        cli_send(
            url,
            "voice",
            "V80000001",
            "00000000000000000000000000000000",
            "13800000006",
            "1125",
            &[],
        ),
        Product::Voice,
        405,
    );
    // Refused sends are not billed.
    let sms = sandbox
        .accounts()
        .into_iter()
        .find(|a| a.account == "C80000001")
        .unwrap();
    assert_eq!(sms.balance, ihuyi::sandbox::DEFAULT_BALANCE);
}

#[test]
fn international_templates() {
    let sandbox = start(SCENARIO);
    let url = sandbox.base_url();
    assert_refused(
        cli_send(
            url,
            "isms",
            "I80000002",
            "55555555555555555555555555555555",
            "63 9171234567",
            "Your verification code is 1125.【互亿无线】",
            &[],
        ),
        Product::Isms,
        4071,
    );
    assert_refused(
        cli_send(
            url,
            "isms",
            "I80000001",
            ISMS_KEY,
            "63 9171234567",
            "Your code: 1125【互亿无线】",
            &[],
        ),
        Product::Isms,
        4072,
    );
    assert_accepted(cli_send(
        url,
        "isms",
        "I80000001",
        ISMS_KEY,
        "63 9171234567",
        "Your verification code is 1125.【互亿无线】",
        &[],
    ));
}

#[test]
fn frequency_limits() {
    let sandbox = start(SCENARIO);
    let url = sandbox.base_url();
    // 4080: the clock is frozen, so a second send to one number falls in the same second.
    assert_accepted(cli_send(
        url,
        "sms",
        "C80000001",
        SMS_KEY,
        "13700000001",
        TEMPLATE,
        &[],
    ));
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13700000001",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        4080,
    );
    // 4085: five verification codes a day to one number, then refused.
    for _ in 0..4 {
        sandbox.advance_clock(2);
        assert_accepted(cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13700000001",
            TEMPLATE,
            &[],
        ));
    }
    sandbox.advance_clock(2);
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13700000001",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        4085,
    );
    // 4082: five messages a day, whatever they are.
    assert_refused(
        cli_send(url, "sms", "C80000001", SMS_KEY, "13700000001", NOTICE, &[]),
        Product::Sms,
        4082,
    );
    let other = "13700000002";
    for _ in 0..5 {
        sandbox.advance_clock(2);
        assert_accepted(cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            other,
            NOTICE,
            &[],
        ));
    }
    sandbox.advance_clock(2);
    assert_refused(
        cli_send(url, "sms", "C80000001", SMS_KEY, other, NOTICE, &[]),
        Product::Sms,
        4082,
    );
    // The next calendar day the counts start again (the plain key: a day-old dynamic password
    // would be refused with 40501).
    sandbox.advance_clock(86_400);
    assert_accepted(cli_send(
        url,
        "sms",
        "C80000001",
        SMS_KEY,
        other,
        NOTICE,
        &["--plain-password"],
    ));
    // Voice has no per-number limits in its table.
    for _ in 0..7 {
        assert_accepted(cli_send(
            url,
            "voice",
            "V80000001",
            "c9f0f895fb98ab9159f51fd0297e236d",
            "13700000003",
            "1125",
            &["--plain-password"],
        ));
    }
}

#[test]
fn expired_dynamic_password() {
    // Sandbox time runs 700 s ahead: a password signed now is older than 600 s.
    let sandbox = start("[clock]\noffset_seconds = 700\n");
    let url = sandbox.base_url();
    assert_refused(
        cli_send(
            url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13800000001",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        40501,
    );
    // The key itself has no age.
    assert_accepted(cli_send(
        url,
        "sms",
        "C80000001",
        SMS_KEY,
        "13800000001",
        TEMPLATE,
        &["--plain-password"],
    ));
}

#[test]
fn denied_address() {
    let sandbox = start("denied_ips = [\"127.0.0.1\"]\n");
    assert_refused(
        cli_send(
            sandbox.base_url(),
            "sms",
            "C80000001",
            SMS_KEY,
            "13800000001",
            TEMPLATE,
            &[],
        ),
        Product::Sms,
        400,
    );
}

/// The CLI checks a voice code locally (nothing is sent), so `4070` is reached by a raw request.
#[test]
fn voice_content_rule() {
    let sandbox = start("");
    let (exit, json) = cli_send(
        sandbox.base_url(),
        "voice",
        "V80000001",
        "c9f0f895fb98ab9159f51fd0297e236d",
        "13800000001",
        "12a4",
        &[],
    );
    assert_eq!(
        (exit, &json["error"]),
        (2, &Value::from("validation")),
        "{json}"
    );
    assert!(sandbox.requests().is_empty());
    let body = "account=V80000001&password=c9f0f895fb98ab9159f51fd0297e236d&mobile=13800000001&content=12a4";
    let request = format!(
        "POST /webservice/voice.php?method=Submit HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = raw_http(sandbox.addr(), request.as_bytes());
    assert!(answer.body.contains("<code>4070</code>"), "{answer:?}");
    assert!(
        answer.body.contains("语音验证码内容必须为4-6位数字"),
        "{answer:?}"
    );
}

/// `ihuyi sandbox --scenario FILE` with the documented example file.
#[test]
fn the_cli_sandbox_runs_the_example_scenario() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/sandbox/scenario.toml"
    );
    let mut child = ihuyi()
        .args([
            "sandbox",
            "--port",
            "0",
            "--output",
            "json",
            "--scenario",
            file,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let banner: Value = serde_json::from_str(&line).unwrap();
    let url = banner["base_url"].as_str().unwrap().to_owned();
    assert_eq!(banner["limits"]["per_day"], 5);
    let results = [
        cli_send(
            &url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13900000030",
            TEMPLATE,
            &[],
        ),
        cli_send(
            &url,
            "sms",
            "C80000002",
            "0123456789abcdef0123456789abcdef",
            "13800000001",
            TEMPLATE,
            &[],
        ),
        cli_send(
            &url,
            "sms",
            "C80000001",
            SMS_KEY,
            "13800000501",
            TEMPLATE,
            &[],
        ),
    ];
    let _ = child.kill();
    let _ = child.wait();
    assert_refused(results[0].clone(), Product::Sms, 4030);
    assert_refused(results[1].clone(), Product::Sms, 4050);
    // The example's http_500 fault for that number.
    assert_eq!(results[2].0, 4, "{}", results[2].1);
    assert_eq!(results[2].1["error"], "outcome_unknown");
}

#[test]
fn a_bad_scenario_is_refused_with_a_message() {
    let dir = std::env::temp_dir().join(format!("ihuyi-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(&file, "[[accounts]]\nproduct = \"fax\"\n").unwrap();
    let output = ihuyi()
        .args(["sandbox", "--port", "0", "--scenario"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fax"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
