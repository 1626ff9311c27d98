//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::Value;

/// Reads a shared fixture file from tests/fixtures.
pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a raw test server does with each connection after reading one request.
#[derive(Clone)]
pub enum RawReply {
    /// Answer these bytes (a full HTTP response) and close.
    Bytes(Vec<u8>),
    /// Close without answering.
    Close,
    /// Wait, then close without answering.
    Hang(Duration),
}

/// A tiny HTTP server for tests that need an answer the sandbox would never give. It records
/// every request's raw bytes.
pub struct RawServer {
    pub base_url: String,
    pub requests: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl RawServer {
    pub fn start(reply: RawReply) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let seen = Arc::clone(&seen);
                let reply = reply.clone();
                thread::spawn(move || serve_one(stream, &seen, &reply));
            }
        });
        RawServer { base_url, requests }
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

fn serve_one(mut stream: TcpStream, seen: &Mutex<Vec<Vec<u8>>>, reply: &RawReply) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read the head, then the body by Content-Length.
    loop {
        let Ok(n) = stream.read(&mut chunk) else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(head_end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < head_end + 4 + length {
                let Ok(n) = stream.read(&mut chunk) else {
                    return;
                };
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            break;
        }
    }
    seen.lock().unwrap().push(buf);
    match reply {
        RawReply::Bytes(bytes) => {
            let _ = stream.write_all(bytes);
        }
        RawReply::Close => {}
        RawReply::Hang(d) => thread::sleep(*d),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A full HTTP/1.1 response with a body.
pub fn http_response(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A port with nothing listening on it.
pub fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
