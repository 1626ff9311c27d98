//! `ihuyi estimate`: characters, billed segments and what the platform would refuse, before
//! sending; with `--csv`, the totals of a bulk file.
//!
//! Nothing is sent and no credentials are needed. Exit codes: 0 the platform should accept every
//! message, 2 some message would be refused (a warning with a result code) or the input is
//! unusable (bad flags, unreadable CSV, unknown column).
//!
//! CSV: the file has a header row. Each row's message is either the column named by `--column`
//! (default `content`), or, when `--content` is given, that text as a template whose `{name}`
//! placeholders are replaced by the row's `name` column (`{{` and `}}` stand for literal braces).
//! Rows are reported by their line in the file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use ihuyi::catalogue::{SEGMENT_RULE_70_66, SEGMENT_RULE_70_67, SegmentRule};
use ihuyi::{Estimate, Product, estimate_with_rule};
use serde_json::{Value, json};

use crate::common::{OutputArg, ProductArg};
use crate::template::Template;

/// The help's closing notes.
pub const AFTER_HELP: &str = "\
Characters count as the vendor counts them: one per letter, digit, symbol, space or Chinese
character (one per Unicode code point; emoji are refused with 4074 anyway).

CSV: the first row names the columns. Each row's message is the --column column, or with
--content a template whose {name} placeholders take the row's `name` value ({{ and }} are
literal braces), e.g. --content \"{name}您好,您的验证码是{code}。【互亿无线】\".

Exit codes: 0 the platform should accept every message; 2 some message would be refused (a
warning with a result code), or the input is unusable.";

/// How many per-row warnings a CSV report lists (all are counted).
const MAX_LISTED_WARNINGS: usize = 100;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RuleArg {
    /// 70 characters in one segment, 67 per segment beyond (the vendor's API page).
    #[value(name = "70/67")]
    R7067,
    /// 70, then 66 per segment (the vendor's alternative help-text figure).
    #[value(name = "70/66")]
    R7066,
}

impl RuleArg {
    fn rule(self) -> SegmentRule {
        match self {
            RuleArg::R7067 => SEGMENT_RULE_70_67,
            RuleArg::R7066 => SEGMENT_RULE_70_66,
        }
    }
}

#[derive(Args, Debug)]
pub struct EstimateArgs {
    /// Which product the message is for.
    #[arg(long, value_enum, default_value = "sms")]
    pub product: ProductArg,
    /// The message text (sms/isms) or the code (voice); with --csv, a template with {column}
    /// placeholders.
    #[arg(long, required_unless_present = "csv")]
    pub content: Option<String>,
    /// A signature (with or without 【】) appended unless the content already carries it.
    #[arg(long)]
    pub signature: Option<String>,
    /// The segment rule.
    #[arg(long, value_enum, default_value = "70/67")]
    pub rule: RuleArg,
    /// Estimate every row of a CSV file (with a header row) and print the totals.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// With --csv and no --content: the column holding each message.
    #[arg(long, default_value = "content")]
    pub column: String,
    /// How results are printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub output: OutputArg,
}

pub fn run(args: EstimateArgs) -> i32 {
    let product: Product = args.product.into();
    let result = match &args.csv {
        Some(path) => run_csv(&args, product, path),
        None => Ok(run_one(&args, product)),
    };
    result.unwrap_or_else(|message| {
        match args.output {
            OutputArg::Json => println!(
                "{}",
                json!({ "ok": false, "product": product.name(), "error": "validation", "detail": message })
            ),
            OutputArg::Text => eprintln!("error (validation): {message}"),
        }
        2
    })
}

fn run_one(args: &EstimateArgs, product: Product) -> i32 {
    let content = args.content.as_deref().unwrap_or_default();
    let e = estimate_with_rule(
        product,
        content,
        args.signature.as_deref(),
        args.rule.rule(),
    );
    match args.output {
        OutputArg::Json => {
            let mut object = json!({ "ok": true });
            if let (Some(target), Ok(Value::Object(fields))) =
                (object.as_object_mut(), serde_json::to_value(&e))
            {
                target.extend(fields);
            }
            object["acceptable"] = json!(e.acceptable());
            println!("{object}");
        }
        OutputArg::Text => print_text(&e),
    }
    if e.acceptable() { 0 } else { 2 }
}

fn print_text(e: &Estimate) {
    println!("characters: {}", e.characters);
    match e.rule {
        Some(rule) => println!(
            "segments: {} (rule {}: up to {} characters in one, {} per segment beyond)",
            e.segments, rule.name, rule.single, rule.multi
        ),
        None => println!("segments: {} (a voice code is one call)", e.segments),
    }
    if e.utf16_units != e.characters {
        println!("utf-16 units: {}", e.utf16_units);
    }
    if e.signature_added {
        println!("message: {}", e.message);
    }
    for w in &e.warnings {
        match (w.code, w.vendor_message) {
            (Some(code), Some(vendor)) => println!("refused {code} ({vendor}): {}", w.message),
            (Some(code), None) => println!("refused {code}: {}", w.message),
            (None, _) => println!("note: {}", w.message),
        }
    }
}

fn run_csv(args: &EstimateArgs, product: Product, path: &PathBuf) -> Result<i32, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    // Padded header names are forgiven here: an estimate only reads the file.
    let names: Vec<&str> = headers.iter().map(str::trim).collect();
    let template = match &args.content {
        Some(source) => Template::parse(source, &names)?,
        None => Template::parse(&format!("{{{}}}", args.column), &names)?,
    };
    let rule = args.rule.rule();
    let (mut rows, mut segments, mut characters, mut refused) = (0u64, 0u64, 0u64, 0u64);
    let mut by_segments: BTreeMap<u64, u64> = BTreeMap::new();
    let mut listed: Vec<Value> = Vec::new();
    let mut warnings = 0u64;
    let mut row = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
        let line = row.position().map_or(0, |p| p.line());
        let message = template.render(&row);
        let e = estimate_with_rule(product, &message, args.signature.as_deref(), rule);
        rows += 1;
        segments += e.segments;
        characters += e.characters as u64;
        *by_segments.entry(e.segments).or_default() += 1;
        refused += u64::from(!e.acceptable());
        for w in &e.warnings {
            warnings += 1;
            if listed.len() < MAX_LISTED_WARNINGS {
                listed.push(
                    json!({ "line": line, "kind": w.kind, "code": w.code, "message": w.message }),
                );
            }
        }
    }
    match args.output {
        OutputArg::Json => println!(
            "{}",
            json!({
                "ok": true,
                "product": product.name(),
                "rows": rows,
                "segments": segments,
                "characters": characters,
                "rule": { "name": rule.name, "single": rule.single, "multi": rule.multi },
                "by_segments": by_segments.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                "refused_rows": refused,
                "warnings_total": warnings,
                "warnings": listed,
            })
        ),
        OutputArg::Text => {
            println!("rows: {rows}");
            println!("segments: {segments} (rule {})", rule.name);
            println!("characters: {characters}");
            for (n, count) in &by_segments {
                println!("  {count} row(s) of {n} segment(s)");
            }
            println!("rows the platform would refuse: {refused}");
            for w in &listed {
                let code = w["code"]
                    .as_i64()
                    .map_or("note".to_owned(), |c| c.to_string());
                println!(
                    "line {}: {code}: {}",
                    w["line"],
                    w["message"].as_str().unwrap_or("")
                );
            }
            if warnings > listed.len() as u64 {
                println!("… and {} more warning(s)", warnings - listed.len() as u64);
            }
        }
    }
    Ok(if refused == 0 { 0 } else { 2 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_templates_forgive_padded_header_names() {
        let headers = csv::StringRecord::from(vec!["mobile", " name ", "code"]);
        let names: Vec<&str> = headers.iter().map(str::trim).collect();
        let template = Template::parse("{{hi}} {name}, code {code}", &names).unwrap();
        let row = csv::StringRecord::from(vec!["13800138000", "王", "1234"]);
        assert_eq!(template.render(&row), "{hi} 王, code 1234");
        assert!(
            Template::parse("{nope}", &names)
                .unwrap_err()
                .contains("nope")
        );
    }
}
