//! `ihuyi receipts listen`: a delivery-receipt receiver. It answers `success` to each receipt it
//! has stored, writes each first-seen receipt as one JSON line (written before the answer, so a
//! crash loses nothing acknowledged), counts repeats, and answers a malformed push with an error
//! status. `GET /_stats` gives the counts as JSON.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use clap::{Args, Subcommand};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use ihuyi::receipt::{ACK_BODY, MAX_RECEIPT_BYTES, Receipt, ReceiptDeduper, parse_receipt};
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct ReceiptsArgs {
    #[command(subcommand)]
    command: ReceiptsCommand,
}

#[derive(Subcommand, Debug)]
enum ReceiptsCommand {
    /// Listen for receipt pushes and append each first-seen receipt to a JSON-lines file.
    Listen(ListenArgs),
}

#[derive(Args, Debug)]
struct ListenArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port; 0 picks a free one. The URL is printed as the first line on stdout.
    #[arg(long)]
    port: u16,
    /// The JSON-lines file receipts are appended to.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// For testing re-pushes: refuse (HTTP 503) the first push of every N-th new receipt.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    fail_first: Option<u64>,
}

pub fn run(args: ReceiptsArgs) -> i32 {
    match args.command {
        ReceiptsCommand::Listen(listen) => run_listen(listen),
    }
}

/// Counts shown by `GET /_stats`.
#[derive(Default)]
struct Stats {
    received: AtomicU64,
    written: AtomicU64,
    duplicates: AtomicU64,
    malformed: AtomicU64,
    refused_on_purpose: AtomicU64,
}

/// How many new receipts `--fail-first` has considered, and which it refused once.
type Trial = (u64, HashSet<(Option<ihuyi::Product>, String)>);

struct Receiver {
    deduper: ReceiptDeduper,
    out: Mutex<File>,
    fail_first: Option<u64>,
    /// New receipts considered for `--fail-first`, and the ones already refused once.
    trial: Mutex<Trial>,
    stats: Stats,
}

fn run_listen(args: ListenArgs) -> i32 {
    let out = match OpenOptions::new().create(true).append(true).open(&args.out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot open {}: {e}", args.out.display());
            return 2;
        }
    };
    let listener = match TcpListener::bind(SocketAddr::new(args.bind, args.port))
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
    {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", args.bind, args.port);
            return 2;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return 2;
        }
    };
    let receiver = Arc::new(Receiver {
        deduper: ReceiptDeduper::new(),
        out: Mutex::new(out),
        fail_first: args.fail_first,
        trial: Mutex::new((0, HashSet::new())),
        stats: Stats::default(),
    });
    println!("http://{addr}/");
    let _ = std::io::stdout().flush();
    eprintln!(
        "receiving receipts at http://{addr}/ into {} (answers `{ACK_BODY}`; GET /_stats for counts)",
        args.out.display()
    );
    runtime.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            eprintln!("error: cannot use the listening socket");
            return 2;
        };
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let receiver = Arc::clone(&receiver);
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let receiver = Arc::clone(&receiver);
                    async move { Ok::<_, std::convert::Infallible>(handle(req, &receiver).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

async fn handle(req: Request<Incoming>, receiver: &Receiver) -> Response<Full<Bytes>> {
    if req.method() == Method::GET && req.uri().path() == "/_stats" {
        let s = &receiver.stats;
        let stats = json!({
            "received": s.received.load(Ordering::Relaxed),
            "written": s.written.load(Ordering::Relaxed),
            "duplicates": s.duplicates.load(Ordering::Relaxed),
            "malformed": s.malformed.load(Ordering::Relaxed),
            "refused_on_purpose": s.refused_on_purpose.load(Ordering::Relaxed),
        });
        return reply(StatusCode::OK, stats.to_string());
    }
    if req.method() != Method::POST {
        return reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "error: receipts are POSTed\n".into(),
        );
    }
    receiver.stats.received.fetch_add(1, Ordering::Relaxed);
    let body = match Limited::new(req.into_body(), MAX_RECEIPT_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            receiver.stats.malformed.fetch_add(1, Ordering::Relaxed);
            eprintln!("malformed push: unreadable or too large body: {e}");
            return reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                "error: body unreadable or too large\n".into(),
            );
        }
    };
    let receipt = match parse_receipt(&body) {
        Ok(r) => r,
        Err(e) => {
            receiver.stats.malformed.fetch_add(1, Ordering::Relaxed);
            eprintln!("malformed push ({} bytes): {e}", body.len());
            return reply(StatusCode::BAD_REQUEST, format!("error: {e}\n"));
        }
    };
    if refuse_on_purpose(receiver, &receipt) {
        receiver
            .stats
            .refused_on_purpose
            .fetch_add(1, Ordering::Relaxed);
        eprintln!("refused on purpose (first push): {}", receipt.id);
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "retry: refused on purpose\n".into(),
        );
    }
    if !receiver.deduper.first_seen(&receipt) {
        receiver.stats.duplicates.fetch_add(1, Ordering::Relaxed);
        eprintln!("duplicate: {}", receipt.id);
        return reply(StatusCode::OK, ACK_BODY.into());
    }
    let mut line = json_line(&receipt).to_string();
    line.push('\n');
    let written = {
        let mut out = receiver.out.lock().unwrap_or_else(|p| p.into_inner());
        out.write_all(line.as_bytes()).and_then(|()| out.flush())
    };
    match written {
        Ok(()) => {
            receiver.stats.written.fetch_add(1, Ordering::Relaxed);
            reply(StatusCode::OK, ACK_BODY.into())
        }
        Err(e) => {
            // Not acknowledged, so the platform pushes again; forget it so that push is stored.
            receiver.deduper.forget(&receipt);
            eprintln!("error: cannot write receipt {}: {e}", receipt.id);
            reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error: cannot store\n".into(),
            )
        }
    }
}

/// `--fail-first N`: the first push of every N-th new receipt is refused once.
fn refuse_on_purpose(receiver: &Receiver, receipt: &Receipt) -> bool {
    let Some(every) = receiver.fail_first else {
        return false;
    };
    if receiver.deduper.contains(receipt) {
        return false;
    }
    let key = (receipt.product, receipt.id.clone());
    let mut trial = receiver.trial.lock().unwrap_or_else(|p| p.into_inner());
    let (considered, refused) = &mut *trial;
    if refused.contains(&key) {
        return false;
    }
    *considered += 1;
    if *considered % every == 0 {
        refused.insert(key);
        return true;
    }
    false
}

fn json_line(receipt: &Receipt) -> Value {
    let mut fields = Map::new();
    for (k, v) in &receipt.fields {
        fields.insert(k.clone(), Value::String(v.clone()));
    }
    let received_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    json!({
        "product": receipt.product.map(|p| p.name()),
        "id": receipt.id,
        "code": receipt.code,
        "delivered": receipt.delivered(),
        "msg": receipt.msg,
        "mobile": receipt.mobile,
        "time": receipt.time,
        "fields": fields,
        "received_at": received_at,
    })
}

fn reply(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
