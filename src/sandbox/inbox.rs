//! The sandbox inbox: a page under the admin prefix that shows what an application sent, like
//! Mailpit for SMS. Server-rendered HTML (every value escaped here, see `html`), one small script
//! for live updates, the filter and reset, and JSON endpoints with the same data.
//!
//! | endpoint | answers |
//! |---|---|
//! | `GET /_sandbox/` | the page: `?product=&q=&offset=&limit=` for the inbox, `?phone=N` for one number |
//! | `GET /_sandbox/ui/view?…` | the part of the page live updates replace (same parameters) |
//! | `GET /_sandbox/ui/app.js`, `ui/style.css` | the assets, embedded in the binary |
//! | `GET /_sandbox/inbox?product=&q=&offset=&limit=` | one page of Submits, newest first (JSON) |
//! | `GET /_sandbox/phone?mobile=N` | the Submits to one number, oldest first (JSON) |
//! | `GET /_sandbox/ledger` | accounts, balances, limits, per-number counters, lists (JSON) |
//! | `GET /_sandbox/changes?since=V&wait=S` | `{"version"}` once it differs from `V` (long poll, at most `S` ≤ 30 s) |
//!
//! The page sends a Content-Security-Policy that allows only its own script and stylesheet, so
//! even markup that escaped escaping could not run.

mod html;
mod view;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;
use serde_json::json;

use super::body::Reply;
use super::handler::State;
use crate::wire::parse_form;
use html::Screen;

/// Scripts only from the page's own origin, no inline script or style, no plugins, no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const APP_JS: &str = include_str!("inbox/app.js");
const STYLE_CSS: &str = include_str!("inbox/style.css");

/// The longest a `changes` request waits.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// How often a waiting `changes` request looks at the version (an atomic read).
const WAIT_STEP: Duration = Duration::from_millis(50);

/// A GET under the admin prefix that the inbox answers.
pub(crate) struct UiRequest {
    name: String,
    fields: Vec<(String, String)>,
}

impl UiRequest {
    /// `Some` when `req` is one of the inbox's (GET) requests; `name` is the path after the prefix.
    pub fn of(req: &Request<Incoming>, name: &str) -> Option<UiRequest> {
        if req.method() != Method::GET {
            return None;
        }
        let ours = matches!(
            name,
            "" | "ui/view"
                | "ui/app.js"
                | "ui/style.css"
                | "inbox"
                | "phone"
                | "ledger"
                | "changes"
        );
        ours.then(|| UiRequest {
            name: name.to_owned(),
            fields: parse_form(req.uri().query().unwrap_or("").as_bytes()),
        })
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Answers one inbox request.
pub(crate) async fn answer(req: UiRequest, state: &Arc<State>) -> Response<Reply> {
    match req.name.as_str() {
        "" => {
            let screen = Screen::from_fields(&req.fields);
            let body = html::page(&screen, &render_view(&screen, state));
            respond("text/html; charset=utf-8", body, true)
        }
        "ui/view" => {
            let screen = Screen::from_fields(&req.fields);
            respond(
                "text/html; charset=utf-8",
                render_view(&screen, state),
                true,
            )
        }
        "ui/app.js" => respond("text/javascript; charset=utf-8", APP_JS, false),
        "ui/style.css" => respond("text/css; charset=utf-8", STYLE_CSS, false),
        "inbox" => json(&view::inbox(
            state,
            &view::InboxQuery::from_fields(&req.fields),
        )),
        "phone" => json(&view::phone(state, req.field("mobile").unwrap_or(""))),
        "ledger" => json(&view::ledger(state)),
        "changes" => {
            let since = req.field("since").and_then(|v| v.parse::<u64>().ok());
            let wait = req
                .field("wait")
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|w| w.is_finite() && *w >= 0.0)
                .map_or(MAX_WAIT, |w| Duration::from_secs_f64(w).min(MAX_WAIT));
            let started = Instant::now();
            loop {
                let now = view::version(state);
                if since != Some(now) || started.elapsed() >= wait {
                    return json(&json!({ "version": now }));
                }
                tokio::time::sleep(WAIT_STEP).await;
            }
        }
        _ => json(&json!({ "ok": false, "error": "no such sandbox endpoint" })),
    }
}

fn render_view(screen: &Screen, state: &State) -> String {
    let ledger = view::ledger(state);
    match screen {
        Screen::Inbox(query) => {
            let page = view::inbox(state, query);
            html::view(page.version, Some(&page), None, &ledger)
        }
        Screen::Phone(mobile) => {
            let phone = view::phone(state, mobile);
            html::view(phone.version, None, Some(&phone), &ledger)
        }
    }
}

fn json<T: Serialize>(value: &T) -> Response<Reply> {
    match serde_json::to_vec(value) {
        Ok(bytes) => respond("application/json", bytes, false),
        Err(e) => {
            let mut r = respond(
                "application/json",
                json!({ "ok": false, "error": e.to_string() }).to_string(),
                false,
            );
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
    }
}

fn respond(content_type: &'static str, body: impl Into<Bytes>, page: bool) -> Response<Reply> {
    let mut response = Response::new(Reply::whole(body));
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(hyper::header::CONTENT_TYPE, content_type);
    set(hyper::header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(hyper::header::CACHE_CONTROL, "no-store");
    if page {
        set(hyper::header::CONTENT_SECURITY_POLICY, CSP);
        set(hyper::header::X_FRAME_OPTIONS, "DENY");
        set(hyper::header::REFERRER_POLICY, "no-referrer");
    }
    response
}
