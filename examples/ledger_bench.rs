//! Throughput of sending through the ledger versus a plain send loop, rate limit off, against a
//! sandbox on loopback. Not run by the tests; run it yourself:
//!
//! ```text
//! cargo build --release --bin ihuyi --example ledger_bench
//! target/release/examples/ledger_bench [ROWS] [REPS] [LATENCY_MS]
//! ```
//!
//! With LATENCY_MS > 0 the senders talk to the sandbox through a proxy in this process that
//! holds every answer that long, as a real network's round trip would.
//!
//! The sandbox runs in this process; every sender runs as its own child process, timed by
//! `/usr/bin/time`, so both wall time and the sender's own CPU time (user + system) are
//! reported. On a shared machine the CPU time per message is the steadier number: wall time
//! depends on what else runs. Senders, ROWS messages each (default 5000), REPS rounds
//! (default 3), interleaved, medians printed:
//! - `plain`: `client.send` in a loop;
//! - `send_once`: `Ledger::send_once` per key (`Durability::Normal`, exclusive, as the bulk
//!   command opens its journal);
//! - `send_many`: `Ledger::send_many` over the keys (same settings: one commit per message);
//! - `send_once-full`: `send_once` with `Durability::Full`, the library default (one fsync per
//!   commit; a tenth of the rows);
//! - `bulk-w1` / `bulk-w4`: the `ihuyi bulk` binary next to this example with `--workers 1` /
//!   the default 4, on a CSV of ROWS rows (process start and CSV reading included).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use ihuyi::ledger::{Durability, Ledger, LedgerConfig, Message, SendOptions};
use ihuyi::sandbox::{Sandbox, SandboxConfig, default_accounts};
use ihuyi::{Client, Product};

const CONTENT: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";
const ACCOUNT: &str = "C80000001";
const APIKEY: &str = "8f14e45fceea167a5a36dedd4bea2543";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        return child(&args[1], &args[2], args[3].parse()?, Path::new(&args[4]));
    }
    let rows: usize = args.first().map_or(Ok(5000), |a| a.parse())?;
    let reps: usize = args.get(1).map_or(Ok(3), |a| a.parse())?;
    let mut accounts = default_accounts();
    for a in &mut accounts {
        a.balance = i64::MAX / 2;
    }
    let sandbox = Sandbox::start(SandboxConfig {
        accounts,
        log_capacity: 1000,
        ..SandboxConfig::default()
    })?;
    let latency: u64 = args.get(2).map_or(Ok(0), |a| a.parse())?;
    let url = if latency > 0 {
        delaying_proxy(sandbox.addr(), std::time::Duration::from_millis(latency))?
    } else {
        sandbox.base_url().to_owned()
    };
    let dir = std::env::temp_dir().join(format!("ihuyi-ledger-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut csv = String::from("mobile\n");
    for i in 0..rows {
        csv.push_str(&format!("138{i:08}\n"));
    }
    std::fs::write(dir.join("r.csv"), csv)?;
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("ihuyi"))
        .filter(|p| p.exists())
        .ok_or("build the ihuyi binary in the same profile first")?;

    let modes = [
        "plain",
        "send_once",
        "send_many",
        "send_once-full",
        "bulk-w1",
        "bulk-w4",
    ];
    // (mode, [(messages/s by wall time, CPU µs per message)])
    let mut results: Vec<(&str, Vec<(f64, f64)>)> = modes.iter().map(|m| (*m, vec![])).collect();
    for rep in 0..reps {
        for (slot, mode) in modes.iter().enumerate() {
            let n = if *mode == "send_once-full" {
                rows.div_ceil(10)
            } else {
                rows
            };
            let run_dir = dir.join(format!("{rep}-{mode}"));
            std::fs::create_dir_all(&run_dir)?;
            let timing = run_dir.join("time");
            let mut cmd = Command::new("/usr/bin/time");
            cmd.arg("-f").arg("%e %U %S").arg("-o").arg(&timing);
            if let Some(workers) = mode.strip_prefix("bulk-w") {
                cmd.arg(&bin)
                    .args(["bulk", "--base-url", &url])
                    .args(["--account", ACCOUNT, "--apikey", APIKEY])
                    .arg("--csv")
                    .arg(dir.join("r.csv"))
                    .args(["--content", CONTENT, "--rate", "off", "--workers", workers])
                    .arg("--journal")
                    .arg(run_dir.join("journal.db"));
            } else {
                cmd.arg(&exe)
                    .args(["child", mode, &url, &n.to_string()])
                    .arg(&run_dir);
            }
            let start = Instant::now();
            let out = cmd.output()?;
            let wall = start.elapsed().as_secs_f64();
            if !out.status.success() {
                eprintln!("{mode} failed: {}", String::from_utf8_lossy(&out.stderr));
                continue;
            }
            let t = std::fs::read_to_string(&timing)?;
            let cpu: f64 = t
                .split_whitespace()
                .skip(1)
                .take(2)
                .map(|x| x.parse::<f64>().unwrap_or(0.0))
                .sum();
            results[slot]
                .1
                .push((n as f64 / wall, cpu * 1e6 / n as f64));
        }
    }
    let plain_rate = median(results[0].1.iter().map(|r| r.0));
    let plain_cpu = median(results[0].1.iter().map(|r| r.1));
    println!(
        "{rows} messages x {reps} rounds, answers delayed {latency} ms (load average {}), medians:",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
    println!(
        "{:<15} {:>9} {:>7} {:>12} {:>7}",
        "sender", "msg/s", "ratio", "CPU µs/msg", "ratio"
    );
    for (name, runs) in &results {
        if runs.is_empty() {
            continue;
        }
        let rate = median(runs.iter().map(|r| r.0));
        let cpu = median(runs.iter().map(|r| r.1));
        println!(
            "{name:<15} {rate:>9.0} {:>6.2}x {cpu:>12.1} {:>6.2}x",
            rate / plain_rate,
            cpu / plain_cpu
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// One sender, in its own process.
fn child(mode: &str, url: &str, n: usize, dir: &Path) -> Res<()> {
    let client = Client::builder(Product::Sms)
        .account(ACCOUNT)
        .apikey(APIKEY)
        .base_url(url)
        .build()?;
    let mobile = |i: usize| format!("138{i:08}");
    let open = |durability| {
        Ledger::open_with(
            dir.join("ledger.db"),
            LedgerConfig {
                durability,
                exclusive: true,
                ..LedgerConfig::default()
            },
        )
    };
    match mode {
        "plain" => {
            for i in 0..n {
                client.send(&mobile(i), CONTENT)?;
            }
        }
        "send_once" | "send_once-full" => {
            let ledger = open(if mode == "send_once" {
                Durability::Normal
            } else {
                Durability::Full
            })?;
            for i in 0..n {
                ledger.send_once(&client, &format!("bench:{i}"), &mobile(i), CONTENT)?;
            }
        }
        "send_many" => {
            let ledger = open(Durability::Normal)?;
            let messages = (0..n).map(|i| {
                let m = Message {
                    key: format!("bench:{i}"),
                    mobile: mobile(i),
                    content: CONTENT.into(),
                };
                (i, m)
            });
            let mut failed = None;
            ledger.send_many(&client, messages, &SendOptions::default(), |_, _, r| {
                if let Err(e) = r {
                    failed = Some(e);
                    return std::ops::ControlFlow::Break(());
                }
                std::ops::ControlFlow::Continue(())
            });
            if let Some(e) = failed {
                return Err(e.into());
            }
        }
        other => return Err(format!("unknown mode {other}").into()),
    }
    Ok(())
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A TCP proxy to `upstream` that holds every chunk the server sends for `delay`.
fn delaying_proxy(upstream: std::net::SocketAddr, delay: std::time::Duration) -> Res<String> {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(upstream) else {
                continue;
            };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n @ 1..) = c_read.read(&mut buf) {
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = s_write.shutdown(std::net::Shutdown::Write);
            });
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n @ 1..) = s_read.read(&mut buf) {
                    std::thread::sleep(delay);
                    if c_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = c_write.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    Ok(url)
}
