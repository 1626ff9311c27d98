//! `ihuyi bulk` per-row outcomes against a scripted server: frequency refusals reported per row,
//! a balance refusal stopping the run (resumable after a top-up), input errors, edited rows,
//! an unreachable server, and the CSV report.
#![cfg(all(feature = "cli", feature = "ledger"))]

mod ledger_support;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use ledger_support::{Behaviour, RawServer};
use serde_json::Value;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path = std::env::temp_dir().join(format!(
            "ihuyi-bulk-out-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mobile(row: usize) -> String {
    format!("139{row:08}")
}

fn write_csv(dir: &Dir, rows: usize) {
    let mut csv = String::from("mobile,name\n");
    for r in 1..=rows {
        csv.push_str(&format!("{},n{r}\n", mobile(r)));
    }
    std::fs::write(dir.file("r.csv"), csv).unwrap();
}

fn bulk(dir: &Dir, url: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ihuyi"))
        .arg("bulk")
        .args(["--base-url", url, "--account", "C80000001"])
        .args(["--apikey", "8f14e45fceea167a5a36dedd4bea2543"])
        .arg("--csv")
        .arg(dir.file("r.csv"))
        .args(["--content", "{name}，您的验证码是:1234。【互亿无线】"])
        .arg("--journal")
        .arg(dir.file("j.db"))
        .args(["--output", "json"])
        .args(extra)
        .env_remove("IHUYI_BASE_URL")
        .output()
        .unwrap()
}

fn summary(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code_rows(s: &Value, outcome: &str, code: i64) -> u64 {
    s["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == outcome && c["code"] == code)
        .map_or(0, |c| c["rows"].as_u64().unwrap())
}

/// Rows 5, 10, 15 hit the frequency limits; each acceptance takes one from `balance`; while
/// `drop_row` is set, that row's request is read and its connection dropped unanswered.
fn scripted(balance: Arc<AtomicI64>) -> RawServer {
    scripted_dropping(balance, Arc::new(AtomicI64::new(0)))
}

fn scripted_dropping(balance: Arc<AtomicI64>, drop_row: Arc<AtomicI64>) -> RawServer {
    RawServer::start(Behaviour::Answer(Arc::new(move |fields| {
        script(fields, &balance, &drop_row)
    })))
}

fn script(
    fields: &[(String, String)],
    balance: &AtomicI64,
    drop_row: &AtomicI64,
) -> Option<(i64, String)> {
    {
        let to = fields
            .iter()
            .find(|(k, _)| k == "mobile")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let code = match to.as_str() {
            m if m == mobile(drop_row.load(Ordering::SeqCst) as usize) => return None,
            m if m == mobile(5) => return Some((4080, "同一手机号码1秒内只能提交一条".into())),
            m if m == mobile(10) => return Some((4082, "已超出当日发送上限".into())),
            m if m == mobile(15) => return Some((4085, "验证码超出当日上限".into())),
            _ => 2,
        };
        if balance.fetch_sub(1, Ordering::SeqCst) <= 0 {
            balance.fetch_add(1, Ordering::SeqCst);
            return Some((4051, "剩余条数不足".into()));
        }
        Some((code, "提交成功".into()))
    }
}

#[test]
fn frequency_refusals_per_row_and_a_balance_stop_resumable_after_top_up() {
    let dir = Dir::new("balance");
    write_csv(&dir, 40);
    let balance = Arc::new(AtomicI64::new(20));
    let server = scripted(Arc::clone(&balance));
    let report = dir.file("first.jsonl");
    // One worker, so exactly one row is in flight when the balance runs out.
    let out = bulk(
        &dir,
        &server.base_url(),
        &["--workers", "1", "--report", report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["stopped"], "balance");
    assert_eq!(s["counts"]["accepted"], 20);
    assert_eq!(code_rows(&s, "refused", 4080), 1);
    assert_eq!(code_rows(&s, "refused", 4082), 1);
    assert_eq!(code_rows(&s, "refused", 4085), 1);
    assert_eq!(code_rows(&s, "refused", 4051), 1, "{s}\n{}", stderr(&out));
    // 20 accepted + 3 frequency refusals, then row 24 is refused for the balance.
    assert_eq!(s["counts"]["not_attempted"], 40 - 24);
    assert_eq!(server.count(), 24);
    let err = stderr(&out);
    for (row, code) in [(5, 4080), (10, 4082), (15, 4085), (24, 4051)] {
        assert!(
            err.contains(&format!("row {row} ({}): refused {code}", mobile(row))),
            "row {row} reported:\n{err}"
        );
    }
    assert!(err.contains("top up"), "{err}");
    let lines: Vec<Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40);
    assert_eq!(lines[4]["code"], 4080);
    assert_eq!(lines[23]["code"], 4051);
    assert_eq!(lines[24]["outcome"], "not_attempted");

    // Top up and rerun: the 4051 row and the rest are sent; the frequency refusals stay
    // refused (replayed from the journal, not resent).
    balance.store(100, Ordering::SeqCst);
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["stopped"], Value::Null);
    assert_eq!(s["counts"]["accepted"], 37);
    assert_eq!(s["accepted_now"], 17);
    assert_eq!(code_rows(&s, "refused", 4080), 1);
    assert_eq!(code_rows(&s, "refused", 4051), 0);
    assert_eq!(server.count(), 24 + 17);
    let mut per_mobile: HashMap<String, usize> = HashMap::new();
    for r in server.received() {
        *per_mobile
            .entry(r.field("mobile").unwrap().to_owned())
            .or_default() += 1;
    }
    for row in 1..=40 {
        let expected = if row == 24 { 2 } else { 1 };
        assert_eq!(per_mobile[&mobile(row)], expected, "row {row}");
    }
}

#[test]
fn input_errors_stop_before_anything_is_sent() {
    let server = scripted(Arc::new(AtomicI64::new(100)));
    let dir = Dir::new("input");
    std::fs::write(dir.file("r.csv"), "phone,name\n13900000001,a\n").unwrap();
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        summary(&out)["detail"]
            .as_str()
            .unwrap()
            .contains("no `mobile` column")
    );

    std::fs::write(dir.file("r.csv"), "mobile,nom\n13900000001,a\n").unwrap();
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(summary(&out)["detail"].as_str().unwrap().contains("{name}"));

    std::fs::write(
        dir.file("r.csv"),
        "mobile,name\n13900000001,a\n13900000002,b,extra\n",
    )
    .unwrap();
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(2));

    std::fs::write(dir.file("r.csv"), "mobile,name\n").unwrap();
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(2));

    write_csv(&dir, 2);
    let out = bulk(&dir, &server.base_url(), &["--rate", "fast"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(server.count(), 0);
}

#[test]
fn invalid_and_edited_rows_are_reported_not_sent() {
    let server = scripted(Arc::new(AtomicI64::new(100)));
    let dir = Dir::new("edited");
    std::fs::write(
        dir.file("r.csv"),
        "mobile,name\n13900000001,a\n12345,b\n13900000003,c\n",
    )
    .unwrap();
    let report = dir.file("rows.csv");
    let out = bulk(
        &dir,
        &server.base_url(),
        &["--report", report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(summary(&out)["counts"]["invalid"], 1);
    assert_eq!(server.count(), 2);
    let mut reader = csv::Reader::from_path(&report).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "row", "key", "mobile", "outcome", "code", "id", "msg", "sent_now", "detail"
        ]
    );
    let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[1][3], "invalid");
    assert_eq!(&rows[2][3], "accepted");

    // Row 3 edited between runs: its key stands for the old message, so it is a conflict.
    std::fs::write(
        dir.file("r.csv"),
        "mobile,name\n13900000001,a\n13900000002,b\n13900000009,c\n",
    )
    .unwrap();
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["counts"]["conflict"], 1);
    assert_eq!(s["counts"]["accepted"], 2);
    assert_eq!(s["accepted_now"], 1, "the fixed row 2 is sent");
    assert_eq!(server.count(), 3);
    assert!(stderr(&out).contains("row 3 (13900000009): conflict"));
}

#[test]
fn an_unreachable_server_stops_the_run_and_a_rerun_sends() {
    let dir = Dir::new("unreachable");
    write_csv(&dir, 4);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = bulk(&dir, &url, &["--workers", "1"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["stopped"], "unreachable");
    assert_eq!(s["counts"]["not_sent"], 1);
    assert_eq!(s["counts"]["not_attempted"], 3);
    let server = scripted(Arc::new(AtomicI64::new(100)));
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.count(), 4);
}

#[test]
fn unknown_rows_wait_for_resolve_unknown() {
    let dir = Dir::new("resolve");
    write_csv(&dir, 4);
    let drop_row = Arc::new(AtomicI64::new(3));
    let server = scripted_dropping(Arc::new(AtomicI64::new(100)), Arc::clone(&drop_row));
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["counts"]["unknown"], 1);
    assert_eq!(s["unknown_rows"][0]["row"], 3);
    assert_eq!(server.count(), 4);
    drop_row.store(0, Ordering::SeqCst);
    // Listed, not resent.
    let out = bulk(&dir, &server.base_url(), &[]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("row 3 (13900000003) key bulk:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.count(), 4);
    // Checked and found not sent: this run sends it.
    let out = bulk(&dir, &server.base_url(), &["--resolve-unknown", "not-sent"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(summary(&out)["accepted_now"], 1);
    assert_eq!(server.count(), 5);
}

#[test]
fn with_several_workers_a_balance_stop_leaves_no_gap() {
    let dir = Dir::new("workers");
    write_csv(&dir, 200);
    let balance = Arc::new(AtomicI64::new(100));
    let server = scripted(Arc::clone(&balance));
    let out = bulk(&dir, &server.base_url(), &["--workers", "8"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["counts"]["accepted"], 100);
    let refused_4051 = code_rows(&s, "refused", 4051);
    assert!((1..=8).contains(&refused_4051), "{refused_4051}");
    balance.store(1000, Ordering::SeqCst);
    let out = bulk(&dir, &server.base_url(), &["--workers", "8"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(s["counts"]["accepted"], 197);
    assert_eq!(s["counts"]["refused"], 3);
    let mut per_mobile: HashMap<String, usize> = HashMap::new();
    for r in server.received() {
        *per_mobile
            .entry(r.field("mobile").unwrap().to_owned())
            .or_default() += 1;
    }
    let twice = per_mobile.values().filter(|n| **n == 2).count();
    assert_eq!(
        twice as u64, refused_4051,
        "only the 4051 rows were sent again"
    );
    assert_eq!(per_mobile.len(), 200);
    assert!(per_mobile.values().all(|n| *n <= 2));
}
