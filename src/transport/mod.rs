//! The HTTP transport: one pooled ureq agent (rustls, certificates always verified) per client.
//!
//! Only per-phase timeouts are set: ureq 3's global/per-call timeouts resolve the host on a new
//! thread for every request, which halves throughput (`shared/docs/verified-notes.md`). The TCP
//! step of ureq's connector chain is replaced by [`lean_tcp`], which writes each request in one
//! system call and probes pooled connections cheaply (4 system calls per pooled send instead of
//! about 12).

mod lean_tcp;

use std::io;
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ChainedConnector, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout,
    RustlsConnector,
};

use self::lean_tcp::LeanTcpConnector;

use crate::error::UnknownReason;

/// The largest answer body read; the API's answers are a few hundred bytes.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;

/// Per-phase timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Resolving and connecting (including the TLS handshake). Failing here means unreachable.
    pub connect: Duration,
    /// Writing the request. Failing here means the outcome is unknown.
    pub send: Duration,
    /// Waiting for and reading the answer. Failing here means the outcome is unknown.
    pub response: Duration,
}

impl Default for Timeouts {
    /// 5 s to connect, 10 s to send, 15 s for the answer.
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(5),
            send: Duration::from_secs(10),
            response: Duration::from_secs(15),
        }
    }
}

impl Timeouts {
    /// The same limit for every phase.
    pub fn uniform(limit: Duration) -> Timeouts {
        Timeouts {
            connect: limit,
            send: limit,
            response: limit,
        }
    }
}

/// Why a round trip produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TransportFailure {
    /// Nothing can have reached the server.
    Unreachable(String),
    /// The request may have reached the server.
    OutcomeUnknown(UnknownReason, String),
}

/// An HTTP answer: status and body.
pub(crate) struct HttpAnswer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// One pooled agent. Cloning shares the pool.
#[derive(Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
}

impl Transport {
    pub fn new(timeouts: Timeouts, max_idle_per_host: usize) -> Transport {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(timeouts.connect))
            .timeout_send_request(Some(timeouts.send))
            .timeout_send_body(Some(timeouts.send))
            .timeout_recv_response(Some(timeouts.response))
            .timeout_recv_body(Some(timeouts.response))
            .http_status_as_error(false)
            // A redirected POST could be resent as a GET elsewhere: never follow, report it.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("libihuyi/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections(max_idle_per_host.max(1))
            .max_idle_connections_per_host(max_idle_per_host.max(1))
            .build();
        Transport {
            agent: ureq::Agent::with_parts(
                config,
                TaggingConnector::default(),
                TaggingResolver::default(),
            ),
        }
    }

    /// POSTs a form body and reads the whole answer. Never retries.
    pub fn post_form(&self, url: &str, body: &str) -> Result<HttpAnswer, TransportFailure> {
        let mut response = self
            .agent
            .post(url)
            .header("content-type", crate::wire::PreparedRequest::CONTENT_TYPE)
            .send(body.as_bytes())
            .map_err(classify)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| match classify(e) {
                // Once the status line arrived the request was certainly received.
                TransportFailure::Unreachable(detail) => {
                    TransportFailure::OutcomeUnknown(UnknownReason::ConnectionLost, detail)
                }
                unknown => unknown,
            })?;
        Ok(HttpAnswer { status, body })
    }
}

/// Marks an error raised while resolving or connecting, before any request byte was written.
/// ureq writes the request only after its connector chain returns, so every such error means
/// the server cannot have received anything.
#[derive(Debug)]
struct BeforeRequest(String);

impl std::fmt::Display for BeforeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BeforeRequest {}

fn tag_before_request(error: ureq::Error) -> ureq::Error {
    match error {
        // Already unambiguous.
        ureq::Error::Timeout(_) | ureq::Error::HostNotFound => error,
        other => ureq::Error::Io(io::Error::other(BeforeRequest(other.to_string()))),
    }
}

/// The default resolver, with its errors tagged as happening before the request.
#[derive(Debug, Default)]
struct TaggingResolver(DefaultResolver);

impl Resolver for TaggingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(io) => ureq::Error::Io(io::Error::other(BeforeRequest(format!(
                "the host name did not resolve: {io}"
            )))),
            other => tag_before_request(other),
        })
    }
}

/// ureq's default chain with its TCP step replaced by [`LeanTcpConnector`]: an HTTP CONNECT
/// proxy (from the config or the environment), TCP, then rustls for `https`.
type Chain = ChainedConnector<
    (),
    ChainedConnector<(), ConnectProxyConnector, LeanTcpConnector>,
    RustlsConnector,
>;

/// The connector chain, with its errors tagged as happening before the request. Pooled
/// connections do not pass through it.
#[derive(Debug)]
struct TaggingConnector(Chain);

impl Default for TaggingConnector {
    fn default() -> TaggingConnector {
        TaggingConnector(
            ConnectProxyConnector::default()
                .chain(LeanTcpConnector)
                .chain(RustlsConnector::default()),
        )
    }
}

impl Connector<()> for TaggingConnector {
    type Out = <Chain as Connector<()>>::Out;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        self.0.connect(details, chained).map_err(tag_before_request)
    }
}

/// Sorts a ureq error into "nothing was received" and "the request may have been processed".
fn classify(error: ureq::Error) -> TransportFailure {
    use TransportFailure::{OutcomeUnknown, Unreachable};
    match error {
        ureq::Error::Io(e) if before_request(&e).is_some() => {
            Unreachable(before_request(&e).unwrap_or_default())
        }
        ureq::Error::HostNotFound => Unreachable("the host name did not resolve".into()),
        ureq::Error::ConnectionFailed => Unreachable("the connection could not be made".into()),
        ureq::Error::Timeout(ureq::Timeout::Resolve) => {
            Unreachable("resolving the host timed out".into())
        }
        ureq::Error::Timeout(ureq::Timeout::Connect) => Unreachable("connecting timed out".into()),
        ureq::Error::Timeout(phase) => OutcomeUnknown(
            UnknownReason::Timeout,
            format!("timed out ({phase:?}) after the connection was made"),
        ),
        ureq::Error::Io(e)
            if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock =>
        {
            OutcomeUnknown(UnknownReason::Timeout, format!("timed out: {e}"))
        }
        ureq::Error::Io(e) => OutcomeUnknown(
            UnknownReason::ConnectionLost,
            format!("the connection broke: {e}"),
        ),
        other => OutcomeUnknown(UnknownReason::ConnectionLost, other.to_string()),
    }
}

fn before_request(e: &io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<BeforeRequest>())
        .map(|b| b.0.clone())
}
