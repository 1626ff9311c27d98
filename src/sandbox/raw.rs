//! The sandbox's request handling without a socket: one raw request in, the status and bytes it
//! would answer out. For the fuzz target (`fuzz/fuzz_targets/sandbox_request.rs`), which needs
//! millions of requests per minute; not a public API.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use hyper::Method;

use super::SandboxConfig;
use super::admin;
use super::handler::State;
use super::log::LoggedRequest;
use super::server::{MAX_REQUEST_BODY, answer_api};

/// What the sandbox does with one request.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawAnswer {
    /// It answers this status and body (a `delay` fault's pause and a drip's pauses skipped).
    Reply {
        /// The HTTP status.
        status: u16,
        /// The whole body.
        body: Vec<u8>,
    },
    /// It closes the connection without answering (a `close` or `accept_then_drop` fault).
    Dropped,
}

/// A sandbox's state and handler, with no server: requests are answered on the caller's thread,
/// from the loopback address. Receipt pushes are not made (there is no runtime to make them on).
#[doc(hidden)]
pub struct RawSandbox {
    state: Arc<State>,
}

impl RawSandbox {
    /// The state `config` describes (its `bind` and `worker_threads` are not used).
    pub fn new(config: &SandboxConfig) -> RawSandbox {
        RawSandbox {
            state: Arc::new(State::new(config)),
        }
    }

    /// Answers one request as the server would once hyper has parsed it: `method` must be an
    /// HTTP token (else `400`, as hyper refuses it), `path` and `query` are the request target's
    /// parts, `body` the whole body.
    pub fn answer(&self, method: &str, path: &str, query: &str, body: &[u8]) -> RawAnswer {
        let Ok(http_method) = Method::from_bytes(method.as_bytes()) else {
            return reply(400, b"bad method".to_vec());
        };
        let response = if let Some(name) = path.strip_prefix(admin::PREFIX) {
            if body.len() > admin::MAX_ADMIN_BODY {
                return reply(413, Vec::new());
            }
            admin::answer_body(&http_method, name.trim_end_matches('/'), body, &self.state)
        } else {
            if body.len() > MAX_REQUEST_BODY {
                return reply(413, Vec::new());
            }
            let peer = IpAddr::V4(Ipv4Addr::LOCALHOST);
            match answer_api(&self.state, peer, http_method.as_str(), path, query, body) {
                Ok((response, _delay)) => response,
                Err(_) => return RawAnswer::Dropped,
            }
        };
        let status = response.status().as_u16();
        reply(status, response.into_body().into_bytes().to_vec())
    }

    /// Every request logged, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.snapshot()
    }

    /// The newest request logged, if any: what a per-input check needs, without cloning the
    /// whole log (up to its capacity) as [`RawSandbox::requests`] does.
    pub fn last_request(&self) -> Option<LoggedRequest> {
        self.state.log.visit(|entries| entries.back().cloned())
    }

    /// Sandbox time, Unix seconds (for signing dynamic passwords).
    pub fn now(&self) -> u64 {
        self.state.clock.now()
    }

    /// As [`super::Sandbox::reset`].
    pub fn reset(&self) {
        self.state.reset();
    }
}

fn reply(status: u16, body: Vec<u8>) -> RawAnswer {
    RawAnswer::Reply { status, body }
}
