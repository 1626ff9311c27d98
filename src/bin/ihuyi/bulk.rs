//! `ihuyi bulk`: one message per CSV row, each sent at most once through the ledger, resumable
//! after a crash or a kill.
//!
//! Keys: row `r` (the r-th data row, from 1; the header is not counted) of a run whose
//! `--content` template has MD5 `h` gets the key `bulk:<first 16 hex digits of h>:<r>` in the
//! journal. The journal file scopes the keys; the template hash makes a different message a
//! different campaign (its rows are all sendable); and the ledger ties each key to the rendered
//! mobile and content, so a row edited in the CSV between runs is reported as `conflict`, never
//! sent again. Use one journal per campaign (CSV + template).
//!
//! A rerun with the same journal sends only the rows never attempted (and the rows that found
//! the server unreachable, or were refused 4051 for the balance). Rows whose outcome is unknown
//! (in flight when the process died, timeouts, lost connections) are listed and never resent
//! unless `--resend-unknown` is given, or until `--resolve-unknown sent|not-sent` settles them
//! (after checking the vendor's console or delivery receipts).
//!
//! `--workers N` (default 4) requests may be in flight at once, taking rows in order; `--rate`
//! paces them as one stream. A stop (4051, unreachable) lets the requests in flight finish and
//! starts no new one. The `--report` file is written at the end, in row order; the journal is
//! the record that survives a kill.
//!
//! Exit codes: 0 every row accepted (now or earlier); 1 finished, but some rows were refused,
//! invalid or in conflict; 2 usage or input error (bad flags, CSV or template: nothing sent);
//! 3 stopped because the server was unreachable (rerun later); 4 finished, but some rows have an
//! unknown outcome (listed; resolve them, or rerun with `--resend-unknown`); 5 stopped on a
//! balance refusal (4051: top up and rerun); 6 the journal failed (rerun once fixed).

mod progress;
mod rate;
mod report;

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use clap::{Args, ValueEnum};
use ihuyi::ledger::{
    Durability, EntryState, Ledger, LedgerConfig, LedgerError, Message, Resolution, SendOptions,
};
use ihuyi::{Error, ResultCode};
use serde_json::json;

use crate::common::{CommonArgs, OutputArg};
use crate::template::Template;
use progress::Progress;
use rate::{Pacer, Rate};
use report::{ReportFile, RowOutcome, RowReport, Tally};

/// The codes after which the run stops (resumable): the balance.
const STOP_CODES: [i64; 1] = [4051];

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DurabilityArg {
    /// Sync every journal commit (survives power loss; slower).
    Full,
    /// Sync at checkpoints (survives any kill or crash of this process).
    Normal,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ResolveArg {
    /// They went out (found in the vendor's console or a receipt): count them as accepted.
    Sent,
    /// They did not go out: this run sends them.
    NotSent,
}

#[derive(Args, Debug)]
pub struct BulkArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The recipients: a CSV file with a header row and a `mobile` column.
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// The message template; `{column}` is replaced by the row's value, `{{`/`}}` are braces.
    #[arg(long)]
    pub content: String,
    /// The journal (a SQLite ledger): rerun with the same file to resume.
    #[arg(long, value_name = "FILE")]
    pub journal: PathBuf,
    /// At most this many requests: N or N/s per second, N/min per minute, or off.
    #[arg(long, default_value = "off")]
    pub rate: Rate,
    /// Also send the rows whose outcome is unknown (this may text their recipients twice).
    #[arg(long)]
    pub resend_unknown: bool,
    /// Settle the rows whose outcome is unknown before this run, after checking them yourself.
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        conflicts_with = "resend_unknown"
    )]
    pub resolve_unknown: Option<ResolveArg>,
    /// How many requests may be in flight at once (1 to 64). More workers hide the network's
    /// latency; each one killed mid-request can leave one row with an unknown outcome.
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
    /// Write every row's outcome to this file: CSV, or JSON lines if it ends in .jsonl.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// How hard journal commits are synced to disk.
    #[arg(long, value_enum, default_value = "normal")]
    pub durability: DurabilityArg,
}

/// Why the run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Balance,
    Unreachable,
    Journal,
}

impl Stop {
    fn as_str(self) -> &'static str {
        match self {
            Stop::Balance => "balance",
            Stop::Unreachable => "unreachable",
            Stop::Journal => "journal",
        }
    }
}

struct Input {
    rows: Vec<(String, String)>,
    template_hash: String,
}

pub fn run(args: BulkArgs) -> i32 {
    let input = match read_input(&args) {
        Ok(input) => input,
        Err(message) => return usage_error(args.common.output, &message),
    };
    let (client, _sandbox) = match args.common.client() {
        Ok(pair) => pair,
        Err(e) => return usage_error(args.common.output, &e.to_string()),
    };
    let config = LedgerConfig {
        durability: match args.durability {
            DurabilityArg::Full => Durability::Full,
            DurabilityArg::Normal => Durability::Normal,
        },
        // One run per journal at a time: a second run on the same journal fails fast instead
        // of interleaving with this one.
        exclusive: true,
        busy_timeout: std::time::Duration::from_secs(2),
    };
    let ledger = match Ledger::open_with(&args.journal, config) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error (journal): {e} (is another bulk run using this journal?)");
            return 6;
        }
    };
    // Create the report now so a bad path fails before anything is sent; it is filled at the end.
    if let Some(path) = &args.report
        && let Err(message) = ReportFile::create(path)
    {
        return usage_error(args.common.output, &message);
    }
    let prefix = format!("bulk:{}:", input.template_hash);
    let earlier = match earlier_entries(&ledger, &prefix)
        .and_then(|earlier| resolve_unknown(&ledger, args.resolve_unknown, earlier, &prefix))
    {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error (journal): {e}");
            return 6;
        }
    };
    announce_unresolved(&earlier, args.resend_unknown);

    let options = SendOptions {
        resend_unknown: args.resend_unknown,
        resend_refused: STOP_CODES.to_vec(),
    };
    let total = input.rows.len();
    let shared = Shared {
        rows: &input.rows,
        prefix: &prefix,
        earlier: &earlier,
        options: &options,
        ledger: &ledger,
        client: &client,
        next: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        pacer: Mutex::new(Pacer::new(args.rate)),
        paced: args.rate.interval.is_some(),
    };
    let mut progress = Progress::new(total);
    let mut running = Tally::default();
    let mut lines: Vec<Option<RowReport>> = vec![None; total];
    let mut stop = None;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        for _ in 0..args.workers.clamp(1, MAX_WORKERS) {
            let (tx, shared) = (tx.clone(), &shared);
            scope.spawn(move || shared.work(&tx));
        }
        drop(tx);
        for (line, stopped) in rx {
            if stop.is_none() && stopped.is_some() {
                stop = stopped;
                shared.stopping.store(true, Ordering::SeqCst);
            }
            announce_row(&progress, &line);
            running.add(&line);
            progress.tick(running.done, || running.short());
            let index = line.row - 1;
            lines[index] = Some(line);
        }
    });
    progress.finish();
    let mut tally = Tally::default();
    let lines: Vec<RowReport> = lines
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            line.unwrap_or_else(|| {
                let mut line = RowReport::new(
                    index + 1,
                    format!("{prefix}{}", index + 1),
                    &input.rows[index].0,
                );
                line.outcome = RowOutcome::NotAttempted;
                line
            })
        })
        .collect();
    for line in &lines {
        tally.add(line);
    }
    if let Some(path) = &args.report
        && let Err(e) = write_report(path, &lines)
    {
        eprintln!("error: writing the report failed: {e}");
    }
    summarize(&args, &tally, total, stop)
}

/// The most `--workers` allowed.
const MAX_WORKERS: usize = 64;

/// What the workers share: rows are taken in order from `next` until the end or a stop.
struct Shared<'a> {
    rows: &'a [(String, String)],
    prefix: &'a str,
    earlier: &'a HashMap<usize, ihuyi::ledger::Entry>,
    options: &'a SendOptions,
    ledger: &'a Ledger,
    client: &'a ihuyi::Client,
    next: AtomicUsize,
    stopping: AtomicBool,
    pacer: Mutex<Pacer>,
    paced: bool,
}

impl Shared<'_> {
    fn work(&self, tx: &mpsc::Sender<(RowReport, Option<Stop>)>) {
        let deliver = |row: usize, key: String, mobile: &str, result| {
            let (line, stop) = classify(row, key, mobile, result);
            if stop.is_some() {
                self.stopping.store(true, Ordering::SeqCst);
            }
            tx.send((line, stop)).is_ok()
        };
        if !self.paced {
            // One commit per row instead of two (see `Ledger::send_many`); the rows are pulled
            // without blocking.
            let rows = std::iter::from_fn(|| self.take()).map(|(row, key, mobile, content)| {
                let message = Message {
                    key,
                    mobile: mobile.to_owned(),
                    content: content.to_owned(),
                };
                (row, message)
            });
            self.ledger
                .send_many(self.client, rows, self.options, |row, message, result| {
                    if deliver(row, message.key.clone(), &message.mobile, result) {
                        ControlFlow::Continue(())
                    } else {
                        ControlFlow::Break(())
                    }
                });
            return;
        }
        while let Some((row, key, mobile, content)) = self.take() {
            if will_send(self.earlier.get(&row), self.options) {
                // Holding the lock while waiting spaces the workers' requests as one stream.
                self.pacer.lock().unwrap_or_else(|p| p.into_inner()).wait();
            }
            let result =
                self.ledger
                    .send_once_with(self.client, &key, mobile, content, self.options);
            if !deliver(row, key, mobile, result) {
                return;
            }
        }
    }

    /// The next row to send, unless the run is stopping.
    fn take(&self) -> Option<(usize, String, &str, &str)> {
        if self.stopping.load(Ordering::SeqCst) {
            return None;
        }
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        let (mobile, content) = self.rows.get(index)?;
        let row = index + 1;
        Some((row, format!("{}{row}", self.prefix), mobile, content))
    }
}

/// Per-row lines on stderr: refusals (4080/4082/4085, 4051, …), rows sent now whose outcome is
/// not an acceptance, invalid rows and conflicts.
fn announce_row(progress: &Progress, line: &RowReport) {
    let row = line.row;
    if line.outcome == RowOutcome::Refused
        || (line.sent_now && line.outcome != RowOutcome::Accepted)
    {
        progress.println(&format!(
            "row {row} ({}): {} {}",
            line.mobile,
            line.outcome.as_str(),
            describe(line)
        ));
    } else if matches!(line.outcome, RowOutcome::Invalid | RowOutcome::Conflict) {
        progress.println(&format!(
            "row {row} ({}): {}: {}",
            line.mobile,
            line.outcome.as_str(),
            line.detail.as_deref().unwrap_or("")
        ));
    }
}

fn write_report(path: &std::path::Path, lines: &[RowReport]) -> Result<(), String> {
    let mut file = ReportFile::create(path)?;
    for line in lines {
        file.write(line)?;
    }
    file.finish()
}

/// Reads the CSV and renders every row before anything is sent, so input errors stop the run
/// before its first request.
fn read_input(args: &BulkArgs) -> Result<Input, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::Headers)
        .from_path(&args.csv)
        .map_err(|e| format!("cannot read {}: {e}", args.csv.display()))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{}: {e}", args.csv.display()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let mobile_column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("mobile"))
        .ok_or_else(|| {
            format!(
                "{} has no `mobile` column (columns: {})",
                args.csv.display(),
                headers.join(", ")
            )
        })?;
    let template = Template::parse(&args.content, &headers)?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{} row {}: {e}", args.csv.display(), i + 1))?;
        let mobile = record.get(mobile_column).unwrap_or("").trim().to_owned();
        rows.push((mobile, template.render(&record)));
    }
    if rows.is_empty() {
        return Err(format!("{} has no data rows", args.csv.display()));
    }
    Ok(Input {
        rows,
        template_hash: template_hash(&args.content),
    })
}

fn template_hash(template: &str) -> String {
    use std::fmt::Write;
    let digest = <md5::Md5 as md5::Digest>::digest(template.as_bytes());
    let mut out = String::new();
    for b in &digest[..8] {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The journal's records of this campaign, by row.
fn earlier_entries(
    ledger: &Ledger,
    prefix: &str,
) -> Result<HashMap<usize, ihuyi::ledger::Entry>, LedgerError> {
    let mut map = HashMap::new();
    for entry in ledger.entries_with_prefix(prefix)? {
        if let Ok(row) = entry.key[prefix.len()..].parse::<usize>() {
            map.insert(row, entry);
        }
    }
    Ok(map)
}

/// `--resolve-unknown`: settles every unresolved row of this campaign, then rereads them.
fn resolve_unknown(
    ledger: &Ledger,
    how: Option<ResolveArg>,
    earlier: HashMap<usize, ihuyi::ledger::Entry>,
    prefix: &str,
) -> Result<HashMap<usize, ihuyi::ledger::Entry>, LedgerError> {
    let Some(how) = how else {
        return Ok(earlier);
    };
    let mut settled = 0;
    for entry in earlier.values().filter(|e| e.state.is_unresolved()) {
        let resolution = match how {
            ResolveArg::Sent => Resolution::Sent { id: None },
            ResolveArg::NotSent => Resolution::NotSent,
        };
        ledger.resolve(&entry.key, resolution)?;
        settled += 1;
    }
    eprintln!(
        "resolved {settled} row(s) with an unknown outcome as {}",
        match how {
            ResolveArg::Sent => "sent",
            ResolveArg::NotSent => "not sent",
        }
    );
    earlier_entries(ledger, prefix)
}

fn announce_unresolved(earlier: &HashMap<usize, ihuyi::ledger::Entry>, resend: bool) {
    let mut rows: Vec<_> = earlier
        .iter()
        .filter(|(_, e)| e.state.is_unresolved())
        .collect();
    if rows.is_empty() {
        return;
    }
    rows.sort_by_key(|(row, _)| **row);
    eprintln!(
        "{} row(s) have an unknown outcome from an earlier run ({}):",
        rows.len(),
        if resend {
            "resending them: --resend-unknown"
        } else {
            "not resent; rerun with --resend-unknown to send them again"
        }
    );
    for (row, entry) in rows {
        eprintln!(
            "  row {row} ({}) key {}: {}{}",
            entry.mobile,
            entry.key,
            entry.state,
            entry
                .detail
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        );
    }
}

/// Whether this row will make a request (to pace only real requests).
fn will_send(entry: Option<&ihuyi::ledger::Entry>, options: &SendOptions) -> bool {
    match entry {
        None => true,
        Some(e) => match e.state {
            EntryState::NotSent => true,
            EntryState::Accepted => false,
            EntryState::Refused => e.code.is_some_and(|c| options.resend_refused.contains(&c)),
            EntryState::InFlight | EntryState::Unknown => options.resend_unknown,
        },
    }
}

fn classify(
    row: usize,
    key: String,
    mobile: &str,
    result: Result<ihuyi::ledger::Sent, LedgerError>,
) -> (RowReport, Option<Stop>) {
    let mut line = RowReport::new(row, key, mobile);
    let mut stop = None;
    match result {
        Ok(sent) => {
            line.code = Some(sent.result.code);
            line.id = Some(sent.result.id);
            line.msg = Some(sent.result.msg);
            line.sent_now = !sent.replayed;
        }
        Err(e) => {
            line.detail = Some(e.to_string());
            match e {
                LedgerError::Send {
                    error, replayed, ..
                } => {
                    line.sent_now = !replayed;
                    match error {
                        Error::Api(api) => {
                            line.outcome = RowOutcome::Refused;
                            line.code = Some(api.code);
                            line.msg = Some(api.msg);
                            if STOP_CODES.contains(&api.code) {
                                stop = Some(Stop::Balance);
                            }
                        }
                        Error::Validation(_) => {
                            line.outcome = RowOutcome::Invalid;
                            line.sent_now = false;
                        }
                        Error::Unreachable(_) => {
                            line.outcome = RowOutcome::NotSent;
                            stop = Some(Stop::Unreachable);
                        }
                        _ => line.outcome = RowOutcome::Unknown,
                    }
                }
                LedgerError::Unresolved { .. } => line.outcome = RowOutcome::Unknown,
                LedgerError::Conflict { .. } => line.outcome = RowOutcome::Conflict,
                _ => {
                    line.outcome = RowOutcome::NotAttempted;
                    stop = Some(Stop::Journal);
                }
            }
        }
    }
    (line, stop)
}

fn describe(line: &RowReport) -> String {
    match (line.code, &line.msg) {
        (Some(code), Some(msg)) => {
            let name = ResultCode::from_number(code)
                .map(|c| format!(" {c:?}"))
                .unwrap_or_default();
            format!("{code}{name}: {msg}")
        }
        _ => line.detail.clone().unwrap_or_default(),
    }
}

fn exit_code(tally: &Tally, total: usize, stop: Option<Stop>) -> i32 {
    match stop {
        Some(Stop::Balance) => 5,
        Some(Stop::Unreachable) => 3,
        Some(Stop::Journal) => 6,
        None if tally.count(RowOutcome::Unknown) > 0 => 4,
        None if tally.count(RowOutcome::Accepted) == total => 0,
        None => 1,
    }
}

fn summarize(args: &BulkArgs, tally: &Tally, total: usize, stop: Option<Stop>) -> i32 {
    let code = exit_code(tally, total, stop);
    let accepted = tally.count(RowOutcome::Accepted);
    if !tally.unknown_rows.is_empty() {
        eprintln!(
            "{} row(s) with an unknown outcome (not resent; check them, then rerun with --resolve-unknown sent|not-sent, or --resend-unknown):",
            tally.unknown_rows.len()
        );
        for (row, mobile, detail) in &tally.unknown_rows {
            eprintln!("  row {row} ({mobile}): {detail}");
        }
    }
    match stop {
        Some(Stop::Balance) => eprintln!(
            "stopped: the balance is exhausted (4051); top up and rerun with the same --journal"
        ),
        Some(Stop::Unreachable) => eprintln!(
            "stopped: the server is unreachable (nothing was sent for that row); rerun later with the same --journal"
        ),
        Some(Stop::Journal) => eprintln!("stopped: the journal failed; rerun once fixed"),
        None => {}
    }
    match args.common.output {
        OutputArg::Json => {
            let counts: serde_json::Map<_, _> = tally
                .by_outcome
                .iter()
                .map(|(o, n)| (o.as_str().to_owned(), json!(n)))
                .collect();
            let codes: Vec<_> = tally
                .by_code
                .iter()
                .map(|((o, c), n)| json!({ "outcome": o.as_str(), "code": c, "rows": n }))
                .collect();
            let unknown: Vec<_> = tally
                .unknown_rows
                .iter()
                .map(|(row, mobile, _)| json!({ "row": row, "mobile": mobile }))
                .collect();
            println!(
                "{}",
                json!({
                    "ok": code == 0,
                    "product": args.common.product().name(),
                    "rows": total,
                    "counts": counts,
                    "codes": codes,
                    "accepted_now": tally.accepted_now,
                    "accepted_earlier": accepted - tally.accepted_now,
                    "unknown_rows": unknown,
                    "stopped": stop.map(Stop::as_str),
                    "exit": code,
                })
            );
        }
        OutputArg::Text => {
            println!("rows {total}");
            for (outcome, n) in &tally.by_outcome {
                let extra = if *outcome == RowOutcome::Accepted {
                    format!(
                        " (this run {}, earlier {})",
                        tally.accepted_now,
                        accepted - tally.accepted_now
                    )
                } else {
                    String::new()
                };
                println!("{:<14} {n}{extra}", outcome.as_str());
                for ((o, c), n) in &tally.by_code {
                    if o == outcome && *o != RowOutcome::Accepted {
                        println!("  code {c:<8} {n}");
                    }
                }
            }
        }
    }
    code
}

fn usage_error(output: OutputArg, message: &str) -> i32 {
    match output {
        OutputArg::Json => println!(
            "{}",
            json!({ "ok": false, "error": "validation", "detail": message, "exit": 2 })
        ),
        OutputArg::Text => eprintln!("error (validation): {message} (nothing was sent)"),
    }
    2
}
