//! The HTTP side of the sandbox: hyper over tokio, keep-alive, one port for every product, admin
//! endpoints under `/_sandbox/`, and the injected faults.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::access::{AdminAccess, Gate};
use super::admin;
use super::body::Reply;
use super::faults::FaultAction;
use super::handler::{ApiCall, State};
use super::respond::render;
use crate::catalogue::Product;
use crate::wire::parse_form;

/// The largest request body accepted.
const MAX_REQUEST_BODY: usize = 64 * 1024;

/// The page a `http_500` fault answers, like a PHP front end's error page.
const HTML_500: &str = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request.</p>\n<hr><address>nginx</address></body></html>\n";

/// What a `garbage` fault answers with `200 OK`.
const GARBAGE: &[u8] = b"\x1f\x8b\x08<<<ERR#??>>> upstream said: ok=maybe; code=two\n";

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

pub(crate) async fn serve(
    listener: std::net::TcpListener,
    state: Arc<State>,
    admin: AdminAccess,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                let peer = peer.ip().to_canonical();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { answer(req, state, peer, admin).await }
                    });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

async fn answer(
    req: Request<Incoming>,
    state: Arc<State>,
    peer: IpAddr,
    admin: AdminAccess,
) -> Result<Response<Reply>, Dropped> {
    if req.uri().path().starts_with(admin::PREFIX) {
        match admin.gate(peer) {
            Gate::Serve => return Ok(admin::answer(req, &state).await),
            Gate::Refuse => {
                return Ok(plain(
                    StatusCode::FORBIDDEN,
                    "the sandbox admin endpoints are served to loopback peers only\n",
                ));
            }
            Gate::PassThrough => {}
        }
    }
    let (parts, body) = req.into_parts();
    let http_method = parts.method.as_str();
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("");
    let body = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request body too large\n",
            ));
        }
    };
    // Fields come from the query and, for any method, a form body (the vendor's demos send both
    // shapes; the body wins on a repeated name). The content type is not required.
    let mut fields = parse_form(query.as_bytes());
    fields.extend(parse_form(&body));
    let product = product_for_path(path);
    let method = fields
        .iter()
        .find(|(k, _)| k == "method")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let call = ApiCall {
        product,
        method: if product.is_some() { method } else { "" },
        http_method,
        path,
        fields: &fields,
        peer,
    };
    let Some(product) = product else {
        state.record_unhandled(&call, None);
        return Ok(plain(StatusCode::NOT_FOUND, "404 Not Found\n"));
    };

    let settings = state.settings();
    let index = state.next_api_index();
    let fault = settings.faults.pick(index, call.field("mobile"));
    match fault {
        Some(FaultAction::Close) => {
            state.record_unhandled(&call, Some("close"));
            return Err(Dropped);
        }
        Some(FaultAction::Http500) => {
            state.record_unhandled(&call, Some("http_500"));
            return Ok(with_type(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                Reply::whole(HTML_500),
            ));
        }
        Some(FaultAction::Garbage) => {
            state.record_unhandled(&call, Some("garbage"));
            return Ok(with_type(
                StatusCode::OK,
                "text/html; charset=utf-8",
                Reply::whole(GARBAGE),
            ));
        }
        _ => {}
    }
    let json = call
        .field("format")
        .is_some_and(|v| v.eq_ignore_ascii_case("json"));
    let Some(answer) = state.handle(&call, &settings, fault.map(|f| f.name())) else {
        return Ok(plain(
            StatusCode::BAD_REQUEST,
            "unknown method: expected Submit or GetNum\n",
        ));
    };
    let (content_type, text) = render(product, &answer, json);
    match fault {
        Some(FaultAction::AcceptThenDrop) => Err(Dropped),
        Some(FaultAction::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(with_type(StatusCode::OK, content_type, Reply::whole(text)))
        }
        Some(FaultAction::SlowDrip {
            chunk_bytes,
            interval_ms,
        }) => Ok(with_type(
            StatusCode::OK,
            content_type,
            Reply::drip(text, chunk_bytes, Duration::from_millis(interval_ms)),
        )),
        _ => Ok(with_type(StatusCode::OK, content_type, Reply::whole(text))),
    }
}

fn product_for_path(path: &str) -> Option<Product> {
    Product::ALL.into_iter().find(|p| p.spec().path == path)
}

pub(crate) fn with_type(
    status: StatusCode,
    content_type: &'static str,
    body: Reply,
) -> Response<Reply> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(content_type),
    );
    response
}

pub(crate) fn plain(status: StatusCode, text: &'static str) -> Response<Reply> {
    with_type(
        status,
        "text/plain; charset=utf-8",
        Reply::whole(Bytes::from_static(text.as_bytes())),
    )
}
