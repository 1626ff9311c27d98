//! A load driver for benchmarks: T threads share one client and send for D seconds.
//! Prints one JSON line: sends, errors, seconds, per-second rate, p50 and p99 latency (µs).
//!
//! `cargo run --release --example bench_client -- BASE_URL THREADS SECONDS [ACCOUNT APIKEY]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use ihuyi::{Client, Product};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: bench_client BASE_URL THREADS SECONDS [ACCOUNT APIKEY]");
        std::process::exit(2);
    }
    let threads: usize = args[2].parse().expect("THREADS");
    let seconds: f64 = args[3].parse().expect("SECONDS");
    let account = args.get(4).map_or("C80000001", String::as_str);
    let apikey = args
        .get(5)
        .map_or("8f14e45fceea167a5a36dedd4bea2543", String::as_str);
    let client = Arc::new(
        Client::builder(Product::Sms)
            .account(account)
            .apikey(apikey)
            .base_url(&args[1])
            .build()
            .expect("client"),
    );
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                let mut latencies = Vec::with_capacity(1 << 16);
                let mut errors = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match client.send("13800138000", "您的验证码是:1234。【互亿无线】")
                    {
                        Ok(_) => latencies.push(t.elapsed().as_micros() as u64),
                        Err(_) => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().expect("thread");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{{\"surface\":\"rust\",\"threads\":{threads},\"sends\":{},\"errors\":{errors},\"seconds\":{elapsed:.3},\"rate\":{:.1},\"p50_us\":{},\"p99_us\":{}}}",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
}
