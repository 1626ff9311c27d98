//! The sandbox inbox: its JSON endpoints, the server-rendered page (escaping, CSP), receipt
//! states, the long poll, and the admin access switch. The page in a browser: scripts/test-browser.sh.

mod sandbox_common;

use std::io::BufRead;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ihuyi::sandbox::{AdminAccess, Sandbox, SandboxConfig, ScaledClock, Scenario};
use ihuyi::{Client, Product};
use sandbox_common::{Listener, TEMPLATE, ihuyi, raw_http};
use serde_json::Value;

const SCRIPT: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>验证码 7310【互亿无线】";

fn client(sandbox: &Sandbox, product: Product) -> Client {
    let acct = sandbox.account(product);
    Client::builder(product)
        .account(acct.account)
        .apikey(acct.apikey)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

fn get_at(addr: SocketAddr, path: &str) -> sandbox_common::RawAnswer {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    raw_http(addr, request.as_bytes())
}

fn get(sandbox: &Sandbox, path: &str) -> sandbox_common::RawAnswer {
    get_at(sandbox.addr(), path)
}

fn json(sandbox: &Sandbox, path: &str) -> Value {
    let answer = get(sandbox, path);
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

fn header<'a>(answer: &'a sandbox_common::RawAnswer, name: &str) -> Option<&'a str> {
    answer.head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Four products' worth of sends plus one refusal.
fn sample(sandbox: &Sandbox) {
    let sms = client(sandbox, Product::Sms);
    sms.send("13800138000", TEMPLATE).unwrap();
    sms.send("13900139000", SCRIPT).unwrap();
    client(sandbox, Product::Voice)
        .send("13800138000", "4821")
        .unwrap();
    client(sandbox, Product::Isms)
        .send("63 9171234567", "Your verification code is 5566")
        .unwrap();
    let wrong = Client::builder(Product::Sms)
        .account("C80000001")
        .apikey("0".repeat(32))
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    assert!(wrong.send("13700137000", "hello").is_err());
}

#[test]
fn inbox_pages_newest_first_with_filters_and_counts() {
    let sandbox = Sandbox::start_default().unwrap();
    sample(&sandbox);
    let page = json(&sandbox, "/_sandbox/inbox");
    let messages = page["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5);
    assert_eq!(page["matched"], 5);
    assert_eq!(page["counts"]["sms"], 3);
    assert_eq!(page["counts"]["voice"], 1);
    assert_eq!(messages[0]["mobile"], "13700137000");
    assert_eq!(messages[0]["accepted"], false);
    assert_eq!(messages[0]["code"], 40502);
    assert_eq!(messages[0]["id"], Value::Null);
    let voice = &messages[2];
    assert_eq!(voice["product"], "voice");
    assert_eq!(voice["display"], "call: 4 8 2 1");
    assert_eq!(voice["content"], "4821");
    assert_eq!(voice["msg"], "提交成功");
    let id = voice["id"].as_str().unwrap();
    assert_eq!(id.len(), 20, "ids stay strings: {id}");
    assert_eq!(messages[4]["characters"], 32);
    assert_eq!(messages[4]["segments"], 1);
    assert_eq!(messages[3]["display"], SCRIPT);

    // Filters: number, text (any case), id, product; paging.
    let by_number = json(&sandbox, "/_sandbox/inbox?q=1380013");
    assert_eq!(by_number["matched"], 2);
    let by_text = json(&sandbox, "/_sandbox/inbox?q=VERIFICATION");
    assert_eq!(by_text["matched"], 1);
    assert_eq!(by_text["messages"][0]["product"], "isms");
    let by_id = json(&sandbox, &format!("/_sandbox/inbox?q={id}"));
    assert_eq!(by_id["matched"], 1);
    let voice_only = json(&sandbox, "/_sandbox/inbox?product=voice");
    assert_eq!(voice_only["matched"], 1);
    assert_eq!(voice_only["counts"]["all"], 5);
    let second = json(&sandbox, "/_sandbox/inbox?limit=2&offset=2");
    let seqs: Vec<u64> = second["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [3, 2]);

    // The phone view: oldest first, every product.
    let phone = json(&sandbox, "/_sandbox/phone?mobile=13800138000");
    assert_eq!(phone["total"], 2);
    assert_eq!(phone["messages"][0]["content"], TEMPLATE);
    assert_eq!(phone["messages"][1]["display"], "call: 4 8 2 1");
    let isms = json(&sandbox, "/_sandbox/phone?mobile=63+9171234567");
    assert_eq!(isms["total"], 1);

    // Reset empties it; GET endpoints are not logged.
    sandbox.reset();
    assert_eq!(json(&sandbox, "/_sandbox/inbox")["matched"], 0);
    assert!(sandbox.requests().is_empty());
}

#[test]
fn the_page_escapes_content_and_forbids_inline_scripts() {
    let sandbox = Sandbox::start_default().unwrap();
    sample(&sandbox);
    let page = get(&sandbox, "/_sandbox/");
    assert_eq!(page.status, 200);
    assert_eq!(
        header(&page, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = header(&page, "content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header(&page, "x-content-type-options"), Some("nosniff"));
    assert!(
        page.body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;")
    );
    assert_eq!(
        page.body.matches("<script").count(),
        1,
        "only the page's own script tag"
    );
    assert!(
        page.body
            .contains("<script src=\"ui/app.js\" defer></script>")
    );
    assert!(!page.body.contains("<img"));
    assert!(page.body.contains("call: 4 8 2 1"));
    assert!(page.body.contains("C80000001"));
    assert!(
        !page.body.contains(&sandbox.account(Product::Sms).apikey),
        "the page never shows a key"
    );

    // Reflected parameters are escaped too.
    let evil = get(
        &sandbox,
        "/_sandbox/?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E",
    );
    assert!(
        evil.body
            .contains("value=\"&quot;&gt;&lt;script&gt;alert(3)")
    );
    assert_eq!(evil.body.matches("<script").count(), 1);
    let phone = get(&sandbox, "/_sandbox/?phone=%3Cb%3Ex%3C/b%3E");
    assert!(phone.body.contains("&lt;b&gt;x&lt;/b&gt;"));
    assert!(!phone.body.contains("<b>"));

    // The fragment live updates fetch, and the embedded assets.
    let view = get(&sandbox, "/_sandbox/ui/view?product=voice");
    assert!(view.body.starts_with("<div id=\"view\""));
    assert!(view.body.contains("call: 4 8 2 1"));
    assert!(!view.body.contains("13900139000"));
    let js = get(&sandbox, "/_sandbox/ui/app.js");
    assert_eq!(
        header(&js, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("changes?since="));
    let css = get(&sandbox, "/_sandbox/ui/style.css");
    assert_eq!(
        header(&css, "content-type"),
        Some("text/css; charset=utf-8")
    );
    // Other admin endpoints are untouched.
    assert_eq!(get(&sandbox, "/_sandbox/nope").status, 404);
    assert_eq!(
        json(&sandbox, "/_sandbox/requests")
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn ledger_shows_counters_frozen_accounts_and_lists() {
    let sandbox = Sandbox::start(SandboxConfig {
        clock: Arc::new(ScaledClock::from_now(0.0)),
        ..SandboxConfig::faithful()
    })
    .unwrap();
    let scenario = Scenario::from_json(
        r#"{
            "clock": { "scale": 0 },
            "blacklist": ["13700137000"],
            "sensitive_words": ["赌博"],
            "accounts": [{ "product": "voice", "frozen": true, "balance": 50 }]
        }"#,
    )
    .unwrap();
    sandbox.apply_scenario(&scenario).unwrap();
    let sms = client(&sandbox, Product::Sms);
    sms.send("13800138000", TEMPLATE).unwrap();
    sandbox.advance_clock(1);
    sms.send("13800138000", "您的订单已发货。【互亿无线】")
        .unwrap();
    assert_eq!(
        sms.send("13700137000", TEMPLATE).unwrap_err().api_code(),
        Some(4030)
    );
    let ledger = json(&sandbox, "/_sandbox/ledger");
    assert_eq!(ledger["limits"]["per_day"], 5);
    let counters = ledger["counters"].as_array().unwrap();
    assert_eq!(counters.len(), 1, "{counters:?}");
    assert_eq!(counters[0]["mobile"], "13800138000");
    assert_eq!(counters[0]["today"], 2);
    assert_eq!(counters[0]["codes_today"], 1);
    assert_eq!(counters[0]["this_second"], 1);
    assert_eq!(ledger["blacklist"][0], "13700137000");
    assert_eq!(ledger["sensitive_words"][0], "赌博");
    let accounts = ledger["accounts"].as_array().unwrap();
    let voice = accounts.iter().find(|a| a["product"] == "voice").unwrap();
    assert_eq!(voice["frozen"], true);
    assert_eq!(voice["balance"], 50);
    let sms_acct = accounts.iter().find(|a| a["product"] == "sms").unwrap();
    assert_eq!(
        sms_acct["balance"],
        sms_acct["initial_balance"].as_i64().unwrap() - 2
    );
    assert!(!ledger.to_string().contains("apikey"));

    let page = get(&sandbox, "/_sandbox/").body;
    assert!(page.contains("frozen (4050)"));
    assert!(page.contains("<li>13700137000</li>"));
    assert!(page.contains("5/day (4082)"));
    // A day later the counts read zero again.
    sandbox.advance_clock(86_400);
    assert!(
        json(&sandbox, "/_sandbox/ledger")["counters"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn receipt_states_follow_the_pushes() {
    // The listener refuses every receipt's first push, so each is retried once.
    let listener = Listener::start("inbox-receipts", &["--fail-first", "1"]);
    let sandbox = Sandbox::start_default().unwrap();
    let scenario = format!(
        r#"{{
            "limits": {{ "enabled": false }},
            "time_scale": 600,
            "receipt_delay_seconds": 0,
            "receipts": [{{ "mobile": "13900139000", "code": 0, "msg": "UNDELIV" }}],
            "accounts": [
                {{ "product": "sms", "push_url": "{}receipts" }},
                {{ "product": "voice", "push_url": "http://127.0.0.1:9/closed" }}
            ]
        }}"#,
        listener.url
    );
    sandbox
        .apply_scenario(&Scenario::from_json(&scenario).unwrap())
        .unwrap();
    let sms = client(&sandbox, Product::Sms);
    sms.send("13800138000", TEMPLATE).unwrap();
    sms.send("13900139000", TEMPLATE).unwrap();
    client(&sandbox, Product::Voice)
        .send("13800138000", "4821")
        .unwrap();
    client(&sandbox, Product::Isms)
        .send("63 9171234567", "code 5566")
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    let labels = loop {
        let page = json(&sandbox, "/_sandbox/inbox");
        let receipts: Vec<Value> = page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["receipt"].clone())
            .collect();
        let done = receipts
            .iter()
            .all(|r| r.is_null() || r["finished"] == true);
        if done || Instant::now() > deadline {
            break receipts;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Newest first: isms (no push URL), voice, sms 13900139000, sms 13800138000.
    assert_eq!(labels[0], Value::Null);
    assert_eq!(
        labels[1]["label"],
        "delivered · retried 2 times · not acknowledged"
    );
    assert_eq!(labels[1]["pushes"], 3);
    assert_eq!(labels[2]["label"], "failed (UNDELIV) · retried 1 time");
    assert_eq!(labels[2]["state"], "failed");
    assert_eq!(labels[3]["label"], "delivered · retried 1 time");
    assert_eq!(labels[3]["acknowledged"], true);
    let page = get(&sandbox, "/_sandbox/").body;
    assert!(page.contains("failed (UNDELIV) · retried 1 time"));
}

#[test]
fn changes_waits_for_the_next_change() {
    let sandbox = Sandbox::start_default().unwrap();
    let first = json(&sandbox, "/_sandbox/changes?since=999999&wait=5")["version"]
        .as_u64()
        .unwrap();
    let started = Instant::now();
    let same = json(
        &sandbox,
        &format!("/_sandbox/changes?since={first}&wait=0.3"),
    );
    assert_eq!(same["version"], first);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let base = sandbox.base_url().to_owned();
    let acct = sandbox.account(Product::Sms);
    let sender = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        Client::builder(Product::Sms)
            .account(acct.account)
            .apikey(acct.apikey)
            .base_url(base)
            .build()
            .unwrap()
            .send("13800138000", TEMPLATE)
            .unwrap();
    });
    let started = Instant::now();
    let changed = json(
        &sandbox,
        &format!("/_sandbox/changes?since={first}&wait=10"),
    );
    assert!(changed["version"].as_u64().unwrap() > first);
    assert!(started.elapsed() < Duration::from_secs(5));
    sender.join().unwrap();
}

/// A local address other than loopback, when the machine has one.
fn non_loopback_ip() -> Option<std::net::IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn the_admin_prefix_can_be_off_or_loopback_only() {
    let off = Sandbox::start(SandboxConfig {
        admin: AdminAccess::Off,
        ..SandboxConfig::default()
    })
    .unwrap();
    let answer = get(&off, "/_sandbox/");
    assert_eq!(answer.status, 404);
    assert_eq!(answer.body, "404 Not Found\n");
    assert_eq!(get(&off, "/_sandbox/requests").status, 404);
    assert_eq!(
        off.requests().len(),
        2,
        "an unknown path is logged like any other"
    );
    client(&off, Product::Sms)
        .send("13800138000", TEMPLATE)
        .unwrap();

    let loopback = Sandbox::start(SandboxConfig {
        bind: "0.0.0.0:0".parse().unwrap(),
        admin: AdminAccess::Loopback,
        ..SandboxConfig::default()
    })
    .unwrap();
    let port = loopback.addr().port();
    let local = SocketAddr::from(([127, 0, 0, 1], port));
    assert_eq!(get_at(local, "/_sandbox/").status, 200);
    assert_eq!(get_at(local, "/_sandbox/ledger").status, 200);
    match non_loopback_ip() {
        Some(ip) => {
            let answer = get_at(SocketAddr::new(ip, port), "/_sandbox/");
            assert_eq!(answer.status, 403, "{ip}");
            assert!(answer.body.contains("loopback peers only"));
            // The API itself still answers that peer.
            let api = get_at(
                SocketAddr::new(ip, port),
                "/webservice/sms.php?method=Submit",
            );
            assert_eq!(api.status, 200);
        }
        None => eprintln!("no non-loopback address here: the refusal is covered by access.rs"),
    }
}

#[test]
fn the_cli_banner_names_the_inbox_and_admin_off_removes_it() {
    for (flag, expect_inbox) in [("all", true), ("off", false)] {
        let mut child = ihuyi()
            .args(["sandbox", "--permissive", "--port", "0", "--output", "json"])
            .args(["--admin", flag])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        let banner: Value = serde_json::from_str(&line).unwrap();
        let base = banner["base_url"].as_str().unwrap();
        if expect_inbox {
            assert_eq!(banner["inbox"], format!("{base}/_sandbox/"));
        } else {
            assert_eq!(banner["inbox"], Value::Null);
        }
    }
}

#[test]
fn a_page_of_another_origin_cannot_reset_the_sandbox() {
    let sandbox = Sandbox::start_default().unwrap();
    sample(&sandbox);
    let before = sandbox.requests().len();
    let host = sandbox.addr().to_string();
    let post = |extra: &str| {
        let request = format!(
            "POST /_sandbox/reset HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
        );
        raw_http(sandbox.addr(), request.as_bytes())
    };
    let refused = post("Origin: http://evil.example\r\n");
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = post("Sec-Fetch-Site: cross-site\r\n");
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(sandbox.requests().len(), before, "nothing was reset");
    // The page itself (same origin) and non-browser clients (no Origin) may reset.
    let same = post(&format!("Origin: http://{host}\r\n"));
    assert_eq!(same.status, 200, "{}", same.body);
    sample(&sandbox);
    assert_eq!(post("").status, 200);
    assert!(sandbox.requests().is_empty());
}
