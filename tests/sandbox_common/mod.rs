//! Helpers shared by the sandbox and receipt integration tests: raw HTTP over a TcpStream, and
//! running the `ihuyi` binary.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;

/// The vendor's test template, which the platform requires during testing.
pub const TEMPLATE: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

/// A raw HTTP answer.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// Sends `request` as is on a new connection and reads one answer: up to its Content-Length, or
/// until the server closes the connection.
pub fn raw_http(addr: SocketAddr, request: &[u8]) -> RawAnswer {
    let mut stream = TcpStream::connect(addr).expect("connect to the sandbox");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).expect("write the request");
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = find(&bytes, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|n| bytes.len() >= end + 4 + n) {
                break;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    RawAnswer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `ihuyi` binary with the caller's IHUYI_* variables removed.
pub fn ihuyi() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ihuyi"));
    for var in ["IHUYI_ACCOUNT", "IHUYI_APIKEY", "IHUYI_BASE_URL"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs `ihuyi send ... --output json` and returns the exit code and the JSON object.
pub fn cli_send(
    base_url: &str,
    product: &str,
    account: &str,
    apikey: &str,
    mobile: &str,
    content: &str,
    extra: &[&str],
) -> (i32, Value) {
    let output = ihuyi()
        .args(["send", "--product", product, "--base-url", base_url])
        .args([
            "--account",
            account,
            "--mobile",
            mobile,
            "--content",
            content,
        ])
        .args(["--output", "json", "--timeout", "5"])
        .args(extra)
        .env("IHUYI_APIKEY", apikey)
        .output()
        .expect("run ihuyi send");
    parse_cli(output)
}

/// Runs `ihuyi balance ... --output json`.
pub fn cli_balance(base_url: &str, product: &str, account: &str, apikey: &str) -> (i32, Value) {
    let output = ihuyi()
        .args(["balance", "--product", product, "--base-url", base_url])
        .args(["--account", account, "--output", "json"])
        .env("IHUYI_APIKEY", apikey)
        .output()
        .expect("run ihuyi balance");
    parse_cli(output)
}

fn parse_cli(output: Output) -> (i32, Value) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {stdout:?}; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), value)
}

/// A running `ihuyi receipts listen`, killed on drop.
pub struct Listener {
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    pub out: std::path::PathBuf,
    dir: std::path::PathBuf,
}

impl Listener {
    /// Starts a listener on a free port writing into a fresh temporary file.
    pub fn start(name: &str, extra: &[&str]) -> Listener {
        use std::io::BufRead;
        let dir = std::env::temp_dir().join(format!("ihuyi-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("receipts.jsonl");
        let mut child = ihuyi()
            .args(["receipts", "listen", "--port", "0", "--out"])
            .arg(&out)
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start ihuyi receipts listen");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
        Listener {
            child,
            url,
            out,
            dir,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap()
    }

    /// The JSON lines written so far.
    pub fn lines(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
            .collect()
    }

    /// `GET /_stats`.
    pub fn stats(&self) -> Value {
        let answer = raw_http(
            self.addr(),
            b"GET /_stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        serde_json::from_str(&answer.body).unwrap()
    }

    /// POSTs a push body; returns the status and body.
    pub fn push(&self, body: &[u8]) -> RawAnswer {
        let mut request = format!(
            "POST /receipts HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        raw_http(self.addr(), &request)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
