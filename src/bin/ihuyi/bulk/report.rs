//! What became of each row: the per-row record, the counts, and the `--report` file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;

/// The outcome of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// Accepted by the server (now or in an earlier run).
    Accepted,
    /// Refused by the server with a code.
    Refused,
    /// Sent, outcome unknown (timeout, crash mid-send…): not resent without `--resend-unknown`.
    Unknown,
    /// The row's mobile or content is invalid; nothing was sent.
    Invalid,
    /// The row's key was recorded for a different message (the CSV changed); nothing was sent.
    Conflict,
    /// The server was unreachable for this row; nothing was sent (the run stopped).
    NotSent,
    /// The run stopped before this row.
    NotAttempted,
}

impl RowOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RowOutcome::Accepted => "accepted",
            RowOutcome::Refused => "refused",
            RowOutcome::Unknown => "unknown",
            RowOutcome::Invalid => "invalid",
            RowOutcome::Conflict => "conflict",
            RowOutcome::NotSent => "not_sent",
            RowOutcome::NotAttempted => "not_attempted",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// The data row, from 1 (the header is not counted).
    pub row: usize,
    pub key: String,
    pub mobile: String,
    pub outcome: RowOutcome,
    /// The result code: 2 when accepted, the refusal's code.
    pub code: Option<i64>,
    pub id: Option<String>,
    pub msg: Option<String>,
    /// `true` when a request was attempted for the row in this run; `false` when its result
    /// came from the journal, or the row was invalid or not attempted.
    pub sent_now: bool,
    pub detail: Option<String>,
}

impl RowReport {
    /// An accepted row with nothing filled in yet.
    pub fn new(row: usize, key: String, mobile: &str) -> RowReport {
        RowReport {
            row,
            key,
            mobile: mobile.to_owned(),
            outcome: RowOutcome::Accepted,
            code: None,
            id: None,
            msg: None,
            sent_now: false,
            detail: None,
        }
    }
}

/// Counts per outcome and per (outcome, code).
#[derive(Debug, Default)]
pub struct Tally {
    pub by_outcome: BTreeMap<RowOutcome, usize>,
    pub by_code: BTreeMap<(RowOutcome, i64), usize>,
    pub accepted_now: usize,
    pub unknown_rows: Vec<(usize, String, String)>,
    pub done: usize,
}

impl Tally {
    pub fn add(&mut self, r: &RowReport) {
        self.done += 1;
        *self.by_outcome.entry(r.outcome).or_default() += 1;
        if let Some(code) = r.code {
            *self.by_code.entry((r.outcome, code)).or_default() += 1;
        }
        if r.outcome == RowOutcome::Accepted && r.sent_now {
            self.accepted_now += 1;
        }
        if r.outcome == RowOutcome::Unknown {
            self.unknown_rows.push((
                r.row,
                r.mobile.clone(),
                r.detail.clone().unwrap_or_default(),
            ));
        }
    }

    pub fn count(&self, outcome: RowOutcome) -> usize {
        self.by_outcome.get(&outcome).copied().unwrap_or(0)
    }

    /// `accepted 10, refused 2, unknown 1`, for progress lines.
    pub fn short(&self) -> String {
        let parts: Vec<String> = self
            .by_outcome
            .iter()
            .map(|(o, n)| format!("{} {n}", o.as_str()))
            .collect();
        parts.join(", ")
    }
}

/// The `--report` file: CSV, or JSON lines when the name ends in `.jsonl`/`.json`.
pub enum ReportFile {
    Csv(Box<csv::Writer<File>>),
    Jsonl(BufWriter<File>),
}

impl ReportFile {
    pub fn create(path: &Path) -> Result<ReportFile, String> {
        let json = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jsonl" | "json" | "ndjson")
        );
        let file = File::create(path)
            .map_err(|e| format!("cannot create the report {}: {e}", path.display()))?;
        Ok(if json {
            ReportFile::Jsonl(BufWriter::new(file))
        } else {
            ReportFile::Csv(Box::new(csv::Writer::from_writer(file)))
        })
    }

    pub fn write(&mut self, row: &RowReport) -> Result<(), String> {
        match self {
            ReportFile::Csv(w) => w.serialize(row).map_err(|e| e.to_string()),
            ReportFile::Jsonl(w) => {
                serde_json::to_writer(&mut *w, row).map_err(|e| e.to_string())?;
                w.write_all(b"\n").map_err(|e| e.to_string())
            }
        }
    }

    pub fn finish(self) -> Result<(), String> {
        match self {
            ReportFile::Csv(mut w) => w.flush().map_err(|e| e.to_string()),
            ReportFile::Jsonl(mut w) => w.flush().map_err(|e| e.to_string()),
        }
    }
}
