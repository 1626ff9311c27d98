//! The checks of every fuzz target, as plain functions of the raw input bytes: the cargo-fuzz
//! targets (fuzz_targets/*.rs) call them, and so does tests/fuzz_regressions.rs, which replays
//! the saved reproducers (fuzz/regressions/<target>/) in the ordinary test suite. Structured
//! inputs are decoded as libfuzzer-sys decodes a typed `fuzz_target!` input
//! (`Arbitrary::arbitrary_take_rest`), so corpora and reproducers mean the same in both.
#![allow(dead_code)] // each target uses one of them

use arbitrary::{Arbitrary, Unstructured};

use std::sync::OnceLock;

use ihuyi::sandbox::{RawAnswer, RawSandbox, SandboxConfig, default_credentials};
use ihuyi::wire::{RequestConfig, encode_form_value, parse_form};
use ihuyi::{
    ApiKey, ErrorKind, Format, PasswordMode, Product, get_num_outcome, sign, submit_outcome,
};

/// Any bytes, any status, any product: the answer parser returns a reply or a protocol error,
/// never panics, and never loses an id's digits.
pub fn parse_response(data: &[u8]) {
    let Ok(input) = <(u8, u16, &[u8])>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let (which, status, body) = input;
    let product = Product::ALL[which as usize % 3];
    if let Ok(sent) = submit_outcome(product, "http://fuzz/", status, body) {
        assert_eq!(sent.code, 2);
        assert_eq!(status, 200);
    }
    if let Ok(balance) = get_num_outcome(product, "http://fuzz/", status, body) {
        assert_eq!(balance.code, 2);
    }
}

/// Any push body: a receipt with a non-empty id, or an error; never a panic.
pub fn parse_receipt(body: &[u8]) {
    if let Ok(receipt) = ihuyi::parse_receipt(body) {
        assert!(!receipt.id.is_empty());
        assert_eq!(receipt.delivered(), receipt.code == Some(2));
    }
}

#[derive(Arbitrary, Debug)]
struct BuildInput<'a> {
    product: u8,
    account: &'a str,
    apikey: &'a str,
    mobile: &'a str,
    content: &'a str,
    time: u64,
    plain: bool,
    json: bool,
}

/// Arbitrary field values: building a request either refuses them (validation) or produces a
/// body that decodes back to exactly the fields given, with the right dynamic password, and
/// without the key.
pub fn build_request(data: &[u8]) {
    let Ok(input) = <BuildInput<'_>>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let product = Product::ALL[input.product as usize % 3];
    let mode = if input.plain {
        PasswordMode::Plain
    } else {
        PasswordMode::Dynamic
    };
    let format = if input.json {
        Format::Json
    } else {
        Format::Xml
    };
    let Ok(config) = RequestConfig::new(
        product,
        input.account,
        ApiKey::new(input.apikey),
        None,
        mode,
        format,
    ) else {
        return;
    };
    let Ok(request) = config.submit(input.mobile, input.content, input.time) else {
        return;
    };
    let fields = parse_form(request.body.as_bytes());
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("account"), Some(input.account));
    assert_eq!(get("mobile"), Some(input.mobile));
    assert_eq!(get("content"), Some(input.content));
    assert_eq!(get("format").is_some(), input.json);
    match mode {
        PasswordMode::Plain => assert_eq!(get("password"), Some(input.apikey)),
        PasswordMode::Dynamic => {
            let expected = sign::submit_password(
                input.account,
                input.apikey,
                input.mobile,
                input.content,
                input.time,
            );
            assert_eq!(get("password"), Some(expected.as_str()));
            assert_eq!(get("time"), Some(input.time.to_string().as_str()));
            // The key travels in no field: a decoded value may contain it only when it is a
            // value that holds it by coincidence (the caller's own fields, the public hex
            // password, the time, the fixed method and format words). Comparing the raw body
            // instead gives false alarms: a key like "4" is in the time's digits, "a" in
            // "account=", "2" in "%E4".
            let time = input.time.to_string();
            let public = [
                input.account,
                input.mobile,
                input.content,
                expected.as_str(),
                time.as_str(),
                "Submit",
                "json",
            ];
            for (name, value) in &fields {
                assert!(
                    !value.contains(input.apikey) || public.contains(&value.as_str()),
                    "the key is in field {name}={value:?}: {input:?}"
                );
            }
        }
    }
    // The URL is the vendor's fixed one: a key long enough to be a real key is never in it.
    if input.apikey.len() >= 8 {
        assert!(!request.url.contains(input.apikey));
    }
}

/// Fields a fuzzer could not guess: a request signed with the account's key, so the checks past
/// the password (mobile, content, balance, limits, templates) are reached too.
#[derive(Arbitrary, Debug)]
struct Signed<'a> {
    get_num: bool,
    mobile: &'a str,
    content: &'a str,
    json: bool,
    plain: bool,
    skew: i16,
}

#[derive(Arbitrary, Debug)]
struct SandboxInput<'a> {
    method: u8,
    raw_method: &'a str,
    path: u8,
    raw_path: &'a str,
    query: &'a str,
    body: &'a [u8],
    signed: Option<Signed<'a>>,
}

fn sandbox() -> &'static RawSandbox {
    static SANDBOX: OnceLock<RawSandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        RawSandbox::new(&SandboxConfig {
            log_capacity: 8,
            ..SandboxConfig::faithful()
        })
    })
}

fn push_field(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    encode_form_value(value, out);
}

/// Any method, path, query and body to the sandbox's request handling (no socket): it answers
/// (or drops, under a fault) without panicking; every API request is logged exactly once with the
/// password masked; and an API answer with status 200 and no fault is one the client's parser
/// accepts (a reply or a refusal with a code, never a protocol error).
pub fn sandbox_request(data: &[u8]) {
    let Ok(input) = <SandboxInput<'_>>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let sandbox = sandbox();
    let method = match input.method % 4 {
        0 => "GET",
        1 | 2 => "POST",
        _ => input.raw_method,
    };
    let product = Product::ALL.get(input.path as usize % 8).copied();
    let admin_path;
    let path = match (product, input.path % 8) {
        (Some(p), _) => p.spec().path,
        (None, 3 | 4) => {
            admin_path = format!("/_sandbox/{}", input.raw_path);
            admin_path.as_str()
        }
        _ => input.raw_path,
    };
    let mut query = input.query.to_owned();
    let mut body = input.body.to_vec();
    if let (Some(product), Some(signed)) = (product, &input.signed) {
        let account = default_credentials(product);
        let time = sandbox.now().saturating_add_signed(i64::from(signed.skew));
        let password = match (signed.plain, signed.get_num) {
            (true, _) => account.1.to_owned(),
            (false, true) => sign::get_num_password(account.0, account.1, time),
            (false, false) => {
                sign::submit_password(account.0, account.1, signed.mobile, signed.content, time)
            }
        };
        let mut form = String::new();
        push_field(
            &mut form,
            "method",
            if signed.get_num { "GetNum" } else { "Submit" },
        );
        push_field(&mut form, "account", account.0);
        push_field(&mut form, "password", &password);
        if !signed.plain {
            push_field(&mut form, "time", &time.to_string());
        }
        if !signed.get_num {
            push_field(&mut form, "mobile", signed.mobile);
            push_field(&mut form, "content", signed.content);
        }
        if signed.json {
            push_field(&mut form, "format", "json");
        }
        // The signed fields come last, so they win over any fuzzed field of the same name.
        if method == "GET" {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&form);
        } else {
            if !body.is_empty() {
                body.push(b'&');
            }
            body.extend_from_slice(form.as_bytes());
        }
    }
    let before = sandbox.last_request().map(|r| r.seq);
    let answer = sandbox.answer(method, path, &query, &body);
    let is_api = !path.starts_with("/_sandbox/") && body.len() <= 64 * 1024 && http_token(method);
    let logged = sandbox.last_request();
    if is_api {
        assert!(
            matches!(
                &answer,
                RawAnswer::Dropped
                    | RawAnswer::Reply {
                        status: 200 | 400 | 404 | 500,
                        ..
                    }
            ),
            "{answer:?}"
        );
        // Exactly one log entry per API request (admin requests are not logged; a reset
        // empties the log, so compare sequence numbers).
        let last = logged.expect("an API request is logged");
        if let Some(before) = before {
            assert_eq!(last.seq, before + 1);
        }
        if let Some(password) = last.fields.iter().find(|(k, _)| k == "password") {
            assert!(
                password.1.starts_with('<') && password.1.ends_with(" chars>"),
                "{password:?}"
            );
        }
        if let (Some(product), RawAnswer::Reply { status: 200, body }) = (product, &answer)
            && last.fault.is_none()
        {
            let method = last.method.as_str();
            let outcome = match method {
                "Submit" => submit_outcome(product, "http://fuzz/", 200, body).err(),
                "GetNum" => get_num_outcome(product, "http://fuzz/", 200, body).err(),
                other => panic!("200 for method {other:?}"),
            };
            if let Some(e) = outcome {
                assert_eq!(
                    e.kind(),
                    ErrorKind::Api,
                    "{e}: {:?}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }
}

fn http_token(method: &str) -> bool {
    !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
