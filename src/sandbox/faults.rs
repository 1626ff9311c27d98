//! Fault injection: make chosen API requests fail the ways networks and servers fail.

use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

/// One injected fault: which requests it hits and what happens to them.
///
/// A fault hits an API request (a product path; admin requests never count) when every given
/// selector matches: `mobile` (the request's `mobile` field) and `request` (the request's
/// 1-based position among API requests since start or reset). With neither it hits every API
/// request. `times` caps how many requests it hits (unlimited when absent). The first fault in
/// the list that hits wins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// Hit requests for this recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Hit the request at this 1-based position among API requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// Hit at most this many requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// What happens.
    #[serde(flatten)]
    pub action: FaultAction,
}

/// What a fault does. Whether the message counts as sent (balance, limits, receipt, an id in
/// the log) is stated for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FaultAction {
    /// Handle the request normally, then wait `ms` milliseconds before answering.
    Delay {
        /// The wait.
        ms: u64,
    },
    /// Close the connection before handling the request: nothing is sent, no answer.
    Close,
    /// Handle the request (an accepted Submit is sent: balance, limits, receipt), then close the
    /// connection with no answer: the case where a blind retry sends twice.
    AcceptThenDrop,
    /// Answer `500 Internal Server Error` with an HTML page; nothing is sent.
    #[serde(rename = "http_500")]
    Http500,
    /// Answer `200 OK` with a body that is neither XML nor JSON; nothing is sent.
    Garbage,
    /// Handle the request normally, then send the answer `chunk_bytes` at a time, waiting
    /// `interval_ms` between chunks.
    SlowDrip {
        /// Bytes per chunk (at least 1).
        #[serde(default = "one")]
        chunk_bytes: usize,
        /// The wait between chunks.
        #[serde(default = "hundred")]
        interval_ms: u64,
    },
}

fn one() -> usize {
    1
}

fn hundred() -> u64 {
    100
}

impl FaultAction {
    /// A short name, shown in the request log.
    pub fn name(&self) -> &'static str {
        match self {
            FaultAction::Delay { .. } => "delay",
            FaultAction::Close => "close",
            FaultAction::AcceptThenDrop => "accept_then_drop",
            FaultAction::Http500 => "http_500",
            FaultAction::Garbage => "garbage",
            FaultAction::SlowDrip { .. } => "slow_drip",
        }
    }

    /// True when the request is handled (and an accepted Submit sent) despite the fault.
    pub fn handles_request(&self) -> bool {
        matches!(
            self,
            FaultAction::Delay { .. } | FaultAction::AcceptThenDrop | FaultAction::SlowDrip { .. }
        )
    }
}

/// The faults in force, with how often each has hit.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    faults: Vec<Fault>,
    hits: Vec<AtomicU32>,
}

impl FaultPlan {
    pub fn new(faults: Vec<Fault>) -> FaultPlan {
        let hits = faults.iter().map(|_| AtomicU32::new(0)).collect();
        FaultPlan { faults, hits }
    }

    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// The action for API request number `index` to `mobile`, counting the hit.
    pub fn pick(&self, index: u64, mobile: Option<&str>) -> Option<FaultAction> {
        for (fault, hits) in self.faults.iter().zip(&self.hits) {
            if fault.request.is_some_and(|r| r != index) {
                continue;
            }
            if fault.mobile.as_deref().is_some_and(|m| mobile != Some(m)) {
                continue;
            }
            let claimed =
                hits.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| match fault.times {
                    Some(max) if n >= max => None,
                    _ => Some(n.saturating_add(1)),
                });
            if claimed.is_ok() {
                return Some(fault.action);
            }
        }
        None
    }

    pub fn reset(&self) {
        for h in &self.hits {
            h.store(0, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_and_times() {
        let plan = FaultPlan::new(vec![
            Fault {
                mobile: Some("13800000001".into()),
                request: None,
                times: Some(1),
                action: FaultAction::Close,
            },
            Fault {
                mobile: None,
                request: Some(3),
                times: None,
                action: FaultAction::Garbage,
            },
        ]);
        assert_eq!(plan.pick(1, Some("13800000001")), Some(FaultAction::Close));
        assert_eq!(plan.pick(2, Some("13800000001")), None);
        assert_eq!(
            plan.pick(3, Some("13800000002")),
            Some(FaultAction::Garbage)
        );
        assert_eq!(plan.pick(4, None), None);
        plan.reset();
        assert_eq!(plan.pick(5, Some("13800000001")), Some(FaultAction::Close));
    }

    #[test]
    fn reads_from_json() {
        let f: Fault =
            serde_json::from_str(r#"{"mobile":"13800000001","action":"delay","ms":2500}"#).unwrap();
        assert_eq!(f.action, FaultAction::Delay { ms: 2500 });
        let f: Fault = serde_json::from_str(r#"{"request":2,"action":"slow_drip"}"#).unwrap();
        assert_eq!(
            f.action,
            FaultAction::SlowDrip {
                chunk_bytes: 1,
                interval_ms: 100
            }
        );
    }
}
