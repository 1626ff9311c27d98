//! The shared fixtures (tests/fixtures/*.json) through the Rust core. Every binding runs the same
//! files through its own surface.

mod common;

use common::fixture;
use ihuyi::{Error, Product, parse_receipt, sign};

fn product(case: &serde_json::Value) -> Product {
    case["product"].as_str().unwrap().parse().unwrap()
}

#[test]
fn signing_vectors() {
    let cases = fixture("signing.json");
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap();
        let time = case["time"].as_u64().unwrap();
        let password = match s("method") {
            "Submit" => {
                sign::submit_password(s("account"), s("apikey"), s("mobile"), s("content"), time)
            }
            "GetNum" => sign::get_num_password(s("account"), s("apikey"), time),
            other => panic!("unknown method {other}"),
        };
        assert_eq!(password, s("password"), "{}", s("name"));
    }
}

#[test]
fn response_cases() {
    let cases = fixture("responses.json");
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let status = case["status"].as_u64().unwrap() as u16;
        let body = case["body"].as_str().unwrap().as_bytes();
        let expect = &case["expect"];
        let url = "http://fixture/webservice/sms.php";
        let outcome = match case["method"].as_str().unwrap() {
            "Submit" => ihuyi::submit_outcome(product(case), url, status, body)
                .map(|r| (r.code, r.msg, Some(r.id), None)),
            _ => ihuyi::get_num_outcome(product(case), url, status, body)
                .map(|r| (r.code, r.msg, None, Some(r.num))),
        };
        match (expect["outcome"].as_str().unwrap(), outcome) {
            ("ok", Ok((code, msg, id, num))) => {
                assert_eq!(code, expect["code"].as_i64().unwrap(), "{name}");
                assert_eq!(msg, expect["msg"].as_str().unwrap(), "{name}");
                if let Some(id) = id {
                    assert_eq!(id, expect["id"].as_str().unwrap(), "{name}");
                }
                if let Some(num) = num {
                    assert_eq!(num, expect["num"].as_i64().unwrap(), "{name}");
                }
            }
            ("api", Err(Error::Api(e))) => {
                assert_eq!(e.code, expect["code"].as_i64().unwrap(), "{name}");
                assert_eq!(e.msg, expect["msg"].as_str().unwrap(), "{name}");
                assert_eq!(
                    e.class.as_str(),
                    expect["class"].as_str().unwrap(),
                    "{name}"
                );
            }
            ("outcome_unknown", Err(Error::OutcomeUnknown(e))) => {
                assert!(!e.detail.is_empty(), "{name}");
            }
            (want, got) => panic!("{name}: expected {want}, got {got:?}"),
        }
    }
}

#[test]
fn receipt_cases() {
    let cases = fixture("receipts.json");
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let parsed = parse_receipt(case["body"].as_str().unwrap().as_bytes());
        if !expect["ok"].as_bool().unwrap() {
            assert!(parsed.is_err(), "{name}");
            continue;
        }
        let r = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            r.product.map(|p| p.name()),
            expect["product"].as_str(),
            "{name}"
        );
        assert_eq!(r.id, expect["id"].as_str().unwrap(), "{name}");
        assert_eq!(r.code, expect["code"].as_i64(), "{name}");
        assert_eq!(
            r.delivered(),
            expect["delivered"].as_bool().unwrap(),
            "{name}"
        );
        assert_eq!(r.mobile, expect["mobile"].as_str().unwrap(), "{name}");
        assert_eq!(r.time, expect["time"].as_str().unwrap(), "{name}");
        assert_eq!(r.msg, expect["msg"].as_str().unwrap(), "{name}");
        if let Some(extra) = expect["extra"].as_object() {
            for (k, v) in extra {
                assert_eq!(r.field(k), v.as_str(), "{name}: {k}");
            }
        }
    }
}
