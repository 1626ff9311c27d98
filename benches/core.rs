//! The core's per-message CPU cost: building a signed Submit and parsing its answer, with no I/O.
//! Target: at most 2 µs per message (build + parse) on the project's 2-core machine.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ihuyi::wire::{RequestConfig, parse_submit};
use ihuyi::{ApiKey, Format, PasswordMode, Product};

const ANSWER_XML: &[u8] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SubmitResult xmlns=\"http://106.ihuyi.com/\">\n<code>2</code>\n<msg>提交成功</msg>\n<smsid>16842079209571524017</smsid>\n</SubmitResult>\n".as_bytes();
const ANSWER_JSON: &[u8] =
    "{\"code\":2,\"msg\":\"提交成功\",\"smsid\":\"16842079209571524017\"}".as_bytes();
const CONTENT: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

fn config(format: Format) -> RequestConfig {
    RequestConfig::new(
        Product::Sms,
        "C80000001",
        ApiKey::new("8f14e45fceea167a5a36dedd4bea2543"),
        Some("http://127.0.0.1:8080"),
        PasswordMode::Dynamic,
        format,
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let xml = config(Format::Xml);
    let json = config(Format::Json);
    c.bench_function("sign+build submit", |b| {
        b.iter(|| {
            black_box(
                xml.submit(black_box("13800138000"), black_box(CONTENT), 1_764_000_000)
                    .unwrap(),
            )
        })
    });
    c.bench_function("parse submit xml", |b| {
        b.iter(|| black_box(parse_submit(Product::Sms, 200, black_box(ANSWER_XML)).unwrap()))
    });
    c.bench_function("build+parse per message (xml)", |b| {
        b.iter(|| {
            let request = xml
                .submit(black_box("13800138000"), black_box(CONTENT), 1_764_000_000)
                .unwrap();
            black_box(&request.body);
            black_box(parse_submit(Product::Sms, 200, black_box(ANSWER_XML)).unwrap())
        })
    });
    c.bench_function("build+parse per message (json)", |b| {
        b.iter(|| {
            let request = json
                .submit(black_box("13800138000"), black_box(CONTENT), 1_764_000_000)
                .unwrap();
            black_box(&request.body);
            black_box(parse_submit(Product::Sms, 200, black_box(ANSWER_JSON)).unwrap())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
