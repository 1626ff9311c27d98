//! Runs every case of `tests/fixtures/normalize.json` (shared with the bindings).

use ihuyi::{Error, Product, normalize_mobile};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/normalize.json"
    ))
    .expect("fixture readable");
    let fixture: Value = serde_json::from_str(&text).expect("fixture is JSON");
    fixture["cases"].as_array().expect("cases").clone()
}

#[test]
fn fixture_covers_the_brief() {
    let cases = cases();
    let countries: std::collections::BTreeSet<_> = cases
        .iter()
        .map(|c| c["country"].as_str().unwrap())
        .collect();
    let invalid = cases.iter().filter(|c| c.get("error").is_some()).count();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    assert!(countries.len() >= 10, "{countries:?}");
    assert!(invalid >= 10, "{invalid} invalid cases");
}

#[test]
fn every_fixture_case() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases() {
        let product: Product = case["product"].as_str().unwrap().parse().unwrap();
        if product == Product::Isms && !cfg!(feature = "phonenumbers") {
            continue;
        }
        ran += 1;
        let input = case["input"].as_str().unwrap();
        let got = normalize_mobile(product, input);
        match (
            &got,
            case.get("expected").and_then(Value::as_str),
            case.get("error"),
        ) {
            (Ok(out), Some(expected), None) if out == expected => {}
            (Err(Error::Validation(v)), None, Some(error)) => {
                let contains = error["contains"].as_str().unwrap_or("");
                if v.field != error["field"].as_str().unwrap() || !v.message.contains(contains) {
                    failures.push(format!("{product} {input:?}: {v} (wanted {contains:?})"));
                }
            }
            _ => failures.push(format!("{product} {input:?}: got {got:?}, case {case}")),
        }
    }
    assert!(ran > 0);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
