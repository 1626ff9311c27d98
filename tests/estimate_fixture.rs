//! Runs every case of `tests/fixtures/estimate.json` (shared with the bindings).

use std::collections::BTreeSet;

use ihuyi::catalogue::{SEGMENT_RULE_70_66, SEGMENT_RULE_70_67};
use ihuyi::{Product, estimate, estimate_with_rule};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/estimate.json"
    ))
    .expect("fixture readable");
    let fixture: Value = serde_json::from_str(&text).expect("fixture is JSON");
    fixture["cases"].as_array().expect("cases").clone()
}

#[test]
fn every_fixture_case() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let product: Product = case["product"].as_str().unwrap().parse().unwrap();
        let content = case["content"].as_str().unwrap();
        let signature = case["signature"].as_str();
        let rule = match case["rule"].as_str().unwrap() {
            "70/66" => SEGMENT_RULE_70_66,
            _ => SEGMENT_RULE_70_67,
        };
        let e = estimate_with_rule(product, content, signature, rule);
        let want = &case["expected"];
        let kinds: BTreeSet<String> = e
            .warnings
            .iter()
            .map(|w| w.kind.as_str().to_owned())
            .collect();
        let want_kinds: BTreeSet<String> = want["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_owned())
            .collect();
        let codes: BTreeSet<Option<i64>> = e.warnings.iter().map(|w| w.code).collect();
        let want_codes: BTreeSet<Option<i64>> = want["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_i64)
            .collect();
        let got = (
            e.message.as_str(),
            e.characters as u64,
            e.segments,
            &kinds,
            &codes,
        );
        let expected = (
            want["message"].as_str().unwrap(),
            want["characters"].as_u64().unwrap(),
            want["segments"].as_u64().unwrap(),
            &want_kinds,
            &want_codes,
        );
        if got != expected {
            failures.push(format!("{name}: got {got:?}, want {expected:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_default_rule_is_the_catalogues_70_67() {
    let content = format!("{}【互亿无线】", "验".repeat(127)); // 133 characters
    assert_eq!(estimate(Product::Sms, &content, None).segments, 2);
    let alt = estimate_with_rule(Product::Sms, &content, None, SEGMENT_RULE_70_66);
    assert_eq!(alt.segments, 3);
    assert_eq!(alt.rule.map(|r| r.name), Some("70/66"));
}

#[test]
fn huge_content_is_counted_without_trouble() {
    let content = "验".repeat(1_000_000);
    let e = estimate(Product::Sms, &content, Some("互亿无线"));
    assert_eq!(e.characters, 1_000_006);
    assert!(e.warnings.iter().any(|w| w.code == Some(4073)));
}
