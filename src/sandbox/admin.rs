//! Admin endpoints under `/_sandbox/`: a prefix no ihuyi API path can have (they all live under
//! `/webservice/`). Answers are JSON. Admin requests are not written to the request log.
//!
//! | endpoint | does |
//! |---|---|
//! | `GET /_sandbox/requests` | the request log, oldest first |
//! | `GET /_sandbox/pushes` | every receipt push made, oldest first |
//! | `GET /_sandbox/accounts` | the accounts with their current balances |
//! | `POST /_sandbox/reset` | restore balances; forget counts, logs, pushes, fault hits, clock moves |
//! | `POST /_sandbox/scenario` | put a scenario (JSON, the scenario file's format) in force, then reset |
//! | `GET`/`POST /_sandbox/faults` | the faults in force / replace them with a JSON array |
//! | `GET`/`POST /_sandbox/clock` | sandbox time / move it: `{"advance_seconds": N}` |
//! | `GET /_sandbox/`, `inbox`, `phone`, `ledger`, `changes`, `ui/…` | the inbox page and its data: see `inbox.rs` |

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::Reply;
use super::faults::Fault;
use super::handler::State;
use super::inbox::{self, UiRequest};
use super::scenario::Scenario;
use super::server::with_type;

/// Where the admin endpoints live.
pub(crate) const PREFIX: &str = "/_sandbox/";

/// The largest admin request body.
const MAX_ADMIN_BODY: usize = 1024 * 1024;

/// True when a browser says the request comes from a page of another origin: its `Origin` (or
/// `Sec-Fetch-Site: cross-site`) does not match the `Host` it was sent to. Clients that send no
/// `Origin` (curl, the bindings, tests) are not browsers acting for another site.
fn is_cross_origin(req: &Request<Incoming>) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site").is_some_and(|site| site.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => {
            let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            !authority.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

pub(crate) async fn answer(req: Request<Incoming>, state: &Arc<State>) -> Response<Reply> {
    let method = req.method().clone();
    let name = req.uri().path()[PREFIX.len()..]
        .trim_end_matches('/')
        .to_owned();
    if let Some(ui) = UiRequest::of(&req, &name) {
        return inbox::answer(ui, state).await;
    }
    if method == Method::POST && is_cross_origin(&req) {
        return error(
            StatusCode::FORBIDDEN,
            "admin writes from another origin are refused (a page elsewhere must not reset the sandbox)",
        );
    }
    let body = match Limited::new(req.into_body(), MAX_ADMIN_BODY)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => return error(StatusCode::PAYLOAD_TOO_LARGE, "body too large"),
    };
    match (method, name.as_str()) {
        (Method::GET, "requests") => json_ok(&state.log.snapshot()),
        (Method::GET, "pushes") => json_ok(&state.pushes.snapshot()),
        (Method::GET, "accounts") => json_ok(&state.accounts()),
        (Method::GET, "faults") => json_ok(&state.settings().faults.faults()),
        (Method::GET, "clock") => json_ok(&json!({ "unix_time": state.clock.now() })),
        (Method::POST, "reset") => {
            state.reset();
            json_ok(&json!({ "ok": true }))
        }
        (Method::POST, "faults") => match serde_json::from_slice::<Vec<Fault>>(&body) {
            Ok(faults) => {
                state.set_faults(faults);
                json_ok(&json!({ "ok": true }))
            }
            Err(e) => error(StatusCode::BAD_REQUEST, &format!("faults: {e}")),
        },
        (Method::POST, "clock") => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Move {
                advance_seconds: i64,
            }
            match serde_json::from_slice::<Move>(&body) {
                Ok(m) => {
                    state.clock.advance(m.advance_seconds);
                    json_ok(&json!({ "ok": true, "unix_time": state.clock.now() }))
                }
                Err(e) => error(StatusCode::BAD_REQUEST, &format!("clock: {e}")),
            }
        }
        (Method::POST, "scenario") => {
            let text = String::from_utf8_lossy(&body);
            let applied = Scenario::from_json(&text).and_then(|s| {
                let clock_too = s.clock.is_some();
                s.to_config(Default::default()).map(|c| (c, clock_too))
            });
            match applied {
                Ok((config, clock_too)) => {
                    state.apply(&config, clock_too);
                    json_ok(&json!({ "ok": true }))
                }
                Err(e) => error(StatusCode::BAD_REQUEST, &e.to_string()),
            }
        }
        _ => error(StatusCode::NOT_FOUND, "no such sandbox endpoint"),
    }
}

fn json_ok<T: serde::Serialize + ?Sized>(value: &T) -> Response<Reply> {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_type(
            StatusCode::OK,
            "application/json",
            Reply::whole(Bytes::from(bytes)),
        ),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn error(status: StatusCode, message: &str) -> Response<Reply> {
    let body: Value = json!({ "ok": false, "error": message });
    with_type(
        status,
        "application/json",
        Reply::whole(Bytes::from(body.to_string())),
    )
}
