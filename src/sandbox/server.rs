//! The HTTP side of the sandbox: hyper over tokio, keep-alive, one port for every product.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::handler::{ApiCall, State};
use super::respond::render;
use crate::catalogue::Product;
use crate::wire::parse_form;

/// The largest request body accepted.
const MAX_REQUEST_BODY: usize = 64 * 1024;

pub(crate) async fn serve(
    listener: std::net::TcpListener,
    state: Arc<State>,
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
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, std::convert::Infallible>(answer(req, &state, peer).await) }
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

async fn answer(req: Request<Incoming>, state: &State, peer: SocketAddr) -> Response<Full<Bytes>> {
    let http_method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let body = match Limited::new(req.into_body(), MAX_REQUEST_BODY)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n"),
    };
    // Fields come from the query and, for any method, a form body (the vendor's demos send both
    // shapes; the body wins on a repeated name). The content type is not required.
    let mut fields = parse_form(query.as_bytes());
    fields.extend(parse_form(&body));

    let Some(product) = product_for_path(&path) else {
        state.record_other(&http_method, &path, &fields);
        return plain(StatusCode::NOT_FOUND, "404 Not Found\n");
    };
    let method = fields
        .iter()
        .find(|(k, _)| k == "method")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let json = fields
        .iter()
        .rev()
        .find(|(k, _)| k == "format")
        .is_some_and(|(_, v)| v.eq_ignore_ascii_case("json"));
    let call = ApiCall {
        product,
        method: &method,
        http_method: &http_method,
        path: &path,
        fields: &fields,
        _peer: peer_ip(peer),
    };
    match state.handle(&call) {
        Some(answer) => {
            let (content_type, body) = render(product, &answer, json);
            Response::builder()
                .status(StatusCode::OK)
                .header("content-type", content_type)
                .body(Full::new(Bytes::from(body)))
                .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "error\n"))
        }
        None => plain(
            StatusCode::BAD_REQUEST,
            "unknown method: expected Submit or GetNum\n",
        ),
    }
}

fn product_for_path(path: &str) -> Option<Product> {
    Product::ALL.into_iter().find(|p| p.spec().path == path)
}

fn peer_ip(peer: SocketAddr) -> IpAddr {
    peer.ip().to_canonical()
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
