//! Throughput of sending through the ledger versus a plain send loop, rate limit off, against an
//! in-process sandbox on loopback. Not run by the tests; run it yourself:
//!
//! ```text
//! cargo build --release --bin ihuyi --example ledger_bench
//! target/release/examples/ledger_bench [ROWS] [REPS]
//! ```
//!
//! Four ways to send ROWS messages (default 5000), each repeated REPS times (default 3),
//! interleaved, medians printed:
//! - `plain`: `client.send` in a loop;
//! - `ledger-normal` / `ledger-full`: `Ledger::send_once` per key with `Durability::Normal`
//!   (the bulk default) / `Durability::Full` (the library default, one fsync per commit; run on
//!   a tenth of the rows); `ledger-excl`: Normal with `exclusive` (as the bulk command opens
//!   its journal);
//! - `bulk-cli` / `bulk-cli-w1`: the `ihuyi bulk` binary next to this example (default 4
//!   workers / `--workers 1`), on a CSV of ROWS rows (process start and CSV reading included);
//! - `plain-4thr`: the plain loop split over 4 threads, the bulk command's default concurrency.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ihuyi::ledger::{Durability, Ledger, LedgerConfig};
use ihuyi::sandbox::{Sandbox, SandboxConfig, default_accounts};
use ihuyi::{Client, Product};

const CONTENT: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().map_or(Ok(5000), |a| a.parse())?;
    let reps: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let mut accounts = default_accounts();
    for a in &mut accounts {
        a.balance = i64::MAX / 2;
    }
    let sandbox = Sandbox::start(SandboxConfig {
        accounts,
        log_capacity: 1000,
        ..SandboxConfig::default()
    })?;
    let account = sandbox.account(Product::Sms);
    let client = Client::builder(Product::Sms)
        .account(&account.account)
        .apikey(account.apikey.as_str())
        .base_url(sandbox.base_url())
        .build()?;
    let dir = std::env::temp_dir().join(format!("ihuyi-ledger-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mobiles: Vec<String> = (0..rows).map(|i| format!("138{i:08}")).collect();
    let mut csv = String::from("mobile\n");
    for m in &mobiles {
        csv.push_str(m);
        csv.push('\n');
    }
    std::fs::write(dir.join("r.csv"), csv)?;
    let bin = std::env::current_exe()?
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("ihuyi"))
        .filter(|p| p.exists());

    for m in mobiles.iter().take(200) {
        client.send(m, CONTENT)?;
    }
    let mut results: Vec<(&str, Vec<f64>)> = vec![
        ("plain", vec![]),
        ("ledger-normal", vec![]),
        ("ledger-full", vec![]),
        ("ledger-excl", vec![]),
        ("bulk-cli", vec![]),
        ("plain-4thr", vec![]),
        ("bulk-cli-w1", vec![]),
    ];
    for rep in 0..reps {
        let t = Instant::now();
        for m in &mobiles {
            client.send(m, CONTENT)?;
        }
        results[0].1.push(rate(rows, t.elapsed()));

        for (slot, durability, exclusive) in [
            (1, Durability::Normal, false),
            (2, Durability::Full, false),
            (3, Durability::Normal, true),
        ] {
            let path = dir.join(format!("ledger-{rep}-{slot}.db"));
            let ledger = Ledger::open_with(
                &path,
                LedgerConfig {
                    durability,
                    exclusive,
                    ..LedgerConfig::default()
                },
            )?;
            // Full syncs twice per message: a tenth of the rows is enough to measure it.
            let n = if durability == Durability::Full {
                rows.div_ceil(10)
            } else {
                rows
            };
            let t = Instant::now();
            for (i, m) in mobiles.iter().take(n).enumerate() {
                ledger.send_once(&client, &format!("bench:{i}"), m, CONTENT)?;
            }
            results[slot].1.push(rate(n, t.elapsed()));
        }

        // The same loop on 4 threads: the bulk command's default concurrency.
        let t = Instant::now();
        std::thread::scope(|scope| {
            for chunk in mobiles.chunks(rows.div_ceil(4)) {
                let client = &client;
                scope.spawn(move || {
                    for m in chunk {
                        client.send(m, CONTENT).expect("send");
                    }
                });
            }
        });
        results[5].1.push(rate(rows, t.elapsed()));

        for (slot, workers) in [(4, "4"), (6, "1")] {
            let Some(bin) = &bin else { break };
            let t = Instant::now();
            let status = Command::new(bin)
                .args(["bulk", "--base-url", sandbox.base_url()])
                .args(["--account", &account.account, "--apikey", &account.apikey])
                .arg("--csv")
                .arg(dir.join("r.csv"))
                .args(["--content", CONTENT, "--rate", "off"])
                .arg("--journal")
                .arg(dir.join(format!("bulk-{rep}-{workers}.db")))
                .args(["--workers", workers])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            let took = t.elapsed();
            if status.success() {
                results[slot].1.push(rate(rows, took));
            } else {
                eprintln!("bulk-cli exited with {status}");
            }
        }
    }
    let plain = median(&results[0].1);
    println!("{rows} rows x {reps} reps, medians (messages/s), ratio to plain:");
    for (name, rates) in &results {
        if rates.is_empty() {
            println!("{name:<14} (not run: build the ihuyi binary in the same profile)");
            continue;
        }
        let m = median(rates);
        println!(
            "{name:<14} {m:>9.0}  {:>5.2}x   runs: {}",
            m / plain,
            rates
                .iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn rate(rows: usize, took: Duration) -> f64 {
    rows as f64 / took.as_secs_f64()
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
