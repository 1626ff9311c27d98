//! `ihuyi bulk` killed with SIGKILL at random points and resumed: the sandbox (in this test
//! process, so its request log outlives every killed bulk process) proves that every row was
//! sent exactly once, except rows reported unknown, which were sent at most once.
#![cfg(all(feature = "cli", feature = "ledger", feature = "sandbox"))]

mod ledger_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ihuyi::Product;
use ihuyi::sandbox::Sandbox;
use ledger_support::Rng;
use serde_json::Value;

const ROWS: usize = 2400;
/// The bulk command's default `--workers`.
const WORKERS: usize = 4;
const TEMPLATE: &str = "{name}，您的验证码是:{code}。请不要把验证码泄露给其他人。【互亿无线】";

struct Run {
    dir: PathBuf,
    url: String,
    account: String,
    apikey: String,
}

impl Run {
    fn new(sandbox: &Sandbox, name: &str, rows: usize) -> Run {
        let dir = std::env::temp_dir().join(format!(
            "ihuyi-bulk-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut csv = String::from("mobile,name,code\n");
        for i in 0..rows {
            csv.push_str(&format!("{},user{i},{:04}\n", mobile(i + 1), i % 10_000));
        }
        std::fs::write(dir.join("recipients.csv"), csv).unwrap();
        let account = sandbox.account(Product::Sms);
        Run {
            dir,
            url: sandbox.base_url().to_owned(),
            account: account.account,
            apikey: account.apikey,
        }
    }

    fn command(&self, n: usize, extra: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ihuyi"));
        cmd.arg("bulk")
            .args(["--base-url", &self.url, "--account", &self.account])
            .arg("--csv")
            .arg(self.dir.join("recipients.csv"))
            .args(["--content", TEMPLATE])
            .arg("--journal")
            .arg(self.dir.join("run.db"))
            .arg("--report")
            .arg(self.dir.join(format!("report-{n}.jsonl")))
            .args(["--output", "json"])
            .args(extra)
            .env("IHUYI_APIKEY", &self.apikey)
            .env_remove("IHUYI_BASE_URL")
            .stdout(Stdio::from(
                std::fs::File::create(self.dir.join(format!("stdout-{n}"))).unwrap(),
            ))
            .stderr(Stdio::from(
                std::fs::File::create(self.dir.join(format!("stderr-{n}"))).unwrap(),
            ));
        cmd
    }

    fn stderr(&self, n: usize) -> String {
        std::fs::read_to_string(self.dir.join(format!("stderr-{n}"))).unwrap()
    }

    fn summary(&self, n: usize) -> Value {
        let out = std::fs::read_to_string(self.dir.join(format!("stdout-{n}"))).unwrap();
        serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out:?}"))
    }

    fn report(&self, n: usize) -> Vec<Value> {
        read_jsonl(&self.dir.join(format!("report-{n}.jsonl")))
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            eprintln!("kept {} for inspection", self.dir.display());
        }
    }
}

fn mobile(row: usize) -> String {
    format!("138{row:08}")
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Requests per mobile in the sandbox log.
fn requests_by_mobile(sandbox: &Sandbox) -> HashMap<String, Vec<Option<String>>> {
    let mut map: HashMap<String, Vec<Option<String>>> = HashMap::new();
    for r in sandbox.requests() {
        assert_eq!(r.method, "Submit");
        map.entry(r.field("mobile").unwrap().to_owned())
            .or_default()
            .push(r.id.clone());
    }
    map
}

fn kill_when(child: &mut Child, sandbox: &Sandbox, target: usize, deadline: Duration) -> bool {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("bulk finished ({status}) before it could be killed");
        }
        if sandbox.requests().len() >= target || start.elapsed() > deadline {
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn sigkill_and_resume_sends_every_row_at_most_once() {
    let sandbox = Sandbox::start_default().unwrap();
    let run = Run::new(&sandbox, "resume", ROWS);
    let mut rng = Rng::from_env_or_clock();

    // One kill before or right at the first requests, then kills after a random number of
    // further requests, each while the process is mid-run.
    let mut kills = 0;
    let mut n = 0;
    {
        let mut child = run.command(n, &[]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.range(0, 40)));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        n += 1;
    }
    for _ in 0..6 {
        let before = sandbox.requests().len();
        let target = before + rng.range(1, (ROWS / 8) as u64) as usize;
        if target >= ROWS - 50 {
            break;
        }
        let mut child = run.command(n, &[]).spawn().unwrap();
        if rng.next() % 2 == 0 && ROWS - before > 800 {
            // At a random moment instead (start-up, reading the journal, mid-send, recording).
            let at = Duration::from_millis(rng.range(5, 250));
            kill_when(&mut child, &sandbox, usize::MAX, at);
        } else {
            kill_when(&mut child, &sandbox, target, Duration::from_secs(60));
        }
        kills += 1;
        n += 1;
    }
    let killed_runs = n;

    // Resume to the end.
    let status = run.command(n, &[]).status().unwrap();
    let summary = run.summary(n);
    let report = run.report(n);
    let last = n;
    assert_eq!(report.len(), ROWS);
    let unknown_rows: Vec<u64> = report
        .iter()
        .filter(|r| r["outcome"] == "unknown")
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    eprintln!(
        "{kills} kills, {} requests so far, {} unknown rows: {unknown_rows:?}",
        sandbox.requests().len(),
        unknown_rows.len()
    );
    assert!(
        unknown_rows.len() <= kills * WORKERS,
        "at most one row in flight per worker per kill"
    );
    let expected_exit = if unknown_rows.is_empty() { 0 } else { 4 };
    assert_eq!(status.code(), Some(expected_exit), "{}", run.stderr(last));
    assert_eq!(summary["exit"], expected_exit);
    assert_eq!(summary["rows"], ROWS);
    assert_eq!(summary["counts"]["accepted"], ROWS - unknown_rows.len());

    // The proof, from the server's side.
    let by_mobile = requests_by_mobile(&sandbox);
    assert!(
        by_mobile
            .keys()
            .all(|m| (1..=ROWS).any(|r| mobile(r) == *m))
    );
    for line in &report {
        let row = line["row"].as_u64().unwrap() as usize;
        let seen = by_mobile.get(&mobile(row)).map_or(0, Vec::len);
        match line["outcome"].as_str().unwrap() {
            "accepted" => {
                assert_eq!(seen, 1, "row {row} accepted but sent {seen} times");
                let logged = by_mobile[&mobile(row)][0].as_deref();
                assert_eq!(
                    logged,
                    line["id"].as_str(),
                    "row {row}: the id the server gave"
                );
            }
            "unknown" => assert!(seen <= 1, "row {row} unknown but sent {seen} times"),
            other => panic!("row {row}: unexpected outcome {other}"),
        }
    }
    // Each unknown row is listed by the final run.
    let stderr = run.stderr(last);
    for row in &unknown_rows {
        assert!(
            stderr.contains(&format!("row {row} (")),
            "row {row} listed:\n{stderr}"
        );
    }
    // The killed runs made progress between them: nothing was sent twice above, and the final
    // run sent only what was left.
    let earlier = summary["accepted_earlier"].as_u64().unwrap() as usize;
    let now = summary["accepted_now"].as_u64().unwrap() as usize;
    assert_eq!(earlier + now, ROWS - unknown_rows.len());
    assert!(killed_runs >= 2);

    // A rerun changes nothing and sends nothing.
    let before = sandbox.requests().len();
    n += 1;
    let status = run.command(n, &[]).status().unwrap();
    assert_eq!(status.code(), Some(expected_exit));
    assert_eq!(sandbox.requests().len(), before);
    assert_eq!(run.summary(n)["accepted_now"], 0);

    // --resend-unknown sends exactly the unknown rows once more.
    n += 1;
    let status = run.command(n, &["--resend-unknown"]).status().unwrap();
    assert_eq!(status.code(), Some(0), "{}", run.stderr(n));
    assert_eq!(sandbox.requests().len(), before + unknown_rows.len());
    let after = requests_by_mobile(&sandbox);
    for row in &unknown_rows {
        let m = mobile(*row as usize);
        assert_eq!(
            after[&m].len(),
            by_mobile.get(&m).map_or(0, Vec::len) + 1,
            "row {row}"
        );
    }
}

#[test]
fn a_plain_run_reports_every_row() {
    let sandbox = Sandbox::start_default().unwrap();
    let run = Run::new(&sandbox, "plain", 30);
    let start = Instant::now();
    let status = run.command(0, &["--rate", "200/s"]).status().unwrap();
    let took = start.elapsed();
    assert_eq!(status.code(), Some(0), "{}", run.stderr(0));
    let report = run.report(0);
    assert_eq!(report.len(), 30);
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 30);
    // The template was rendered per row.
    let row5 = requests
        .iter()
        .find(|r| r.field("mobile") == Some(mobile(5).as_str()))
        .unwrap();
    assert_eq!(
        row5.field("content").unwrap(),
        "user4，您的验证码是:0004。请不要把验证码泄露给其他人。【互亿无线】"
    );
    assert_eq!(report[4]["key"].as_str().unwrap().split(':').count(), 3);
    // Plain progress lines go to stderr when it is not a terminal; stdout has only the result.
    let summary = run.summary(0);
    assert_eq!(summary["counts"]["accepted"], 30);
    // The pacing held: 30 requests at 200/s, 5 ms apart, take at least 145 ms.
    assert!(took >= Duration::from_millis(145), "{took:?}");
}
