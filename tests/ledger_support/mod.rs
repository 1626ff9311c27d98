//! Test helpers shared by the ledger and bulk tests: a raw TCP server that misbehaves on purpose
//! (reads a whole request, counts it, then drops the connection, hangs, or answers a scripted
//! ihuyi XML body), and a small seeded random source.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The answer `(code, msg)` to a request's form fields; `None` drops the connection.
pub type Script = Arc<dyn Fn(&[(String, String)]) -> Option<(i64, String)> + Send + Sync>;

/// What the server does once it has read a whole request.
#[derive(Clone)]
pub enum Behaviour {
    /// Close the connection without a byte of answer (accept-then-drop).
    Drop,
    /// Keep the connection open and never answer.
    Hang,
    /// Answer `(code, msg)` for the request's form fields, as the vendor's XML; `None`: drop
    /// the connection without answering.
    Answer(Script),
}

/// One request as received: its form fields (query and body).
#[derive(Debug, Clone)]
pub struct Received {
    pub fields: Vec<(String, String)>,
}

impl Received {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A raw HTTP/1.1 server on a loopback port, one thread per connection.
pub struct RawServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    count: Arc<AtomicUsize>,
}

impl RawServer {
    pub fn start(behaviour: Behaviour) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let (r, c) = (Arc::clone(&received), Arc::clone(&count));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (r, c, b) = (Arc::clone(&r), Arc::clone(&c), behaviour.clone());
                std::thread::spawn(move || serve(stream, &b, &r, &c));
            }
        });
        RawServer {
            addr,
            received,
            count,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many whole requests arrived.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived (or panics after 20 s).
    pub fn wait_for(&self, n: usize) {
        let start = std::time::Instant::now();
        while self.count() < n {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "only {} of {n} requests arrived",
                self.count()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn serve(
    stream: TcpStream,
    behaviour: &Behaviour,
    received: &Mutex<Vec<Received>>,
    count: &AtomicUsize,
) {
    let mut reader = BufReader::new(stream);
    loop {
        let Some(fields) = read_request(&mut reader) else {
            return;
        };
        received.lock().unwrap().push(Received {
            fields: fields.clone(),
        });
        count.fetch_add(1, Ordering::SeqCst);
        match behaviour {
            Behaviour::Drop => return,
            Behaviour::Hang => {
                std::thread::sleep(Duration::from_secs(3600));
                return;
            }
            Behaviour::Answer(f) => {
                let Some((code, msg)) = f(&fields) else {
                    return;
                };
                let id = if code == 2 {
                    format!(
                        "{:020}",
                        10_000_000_000_000_000_000u128 + count.load(Ordering::SeqCst) as u128
                    )
                } else {
                    "0".to_owned()
                };
                let body = format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SubmitResult xmlns=\"http://106.ihuyi.com/\">\n<code>{code}</code>\n<msg>{msg}</msg>\n<smsid>{id}</smsid>\n</SubmitResult>\n"
                );
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/xml; charset=utf-8\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let stream = reader.get_mut();
                if stream.write_all(head.as_bytes()).is_err()
                    || stream.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
            }
        }
    }
}

/// Reads one whole request (head and `content-length` body); `None` at EOF.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Vec<(String, String)>> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).ok()? == 0 {
        return None;
    }
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let target = request_line.split_whitespace().nth(1).unwrap_or("");
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let mut fields: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    fields.extend(form_urlencoded::parse(&body).into_owned());
    Some(fields)
}

/// xorshift64*, seeded from the clock unless `LEDGER_TEST_SEED` is set; the seed is printed so a
/// failing run can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn from_env_or_clock() -> Rng {
        let seed = std::env::var("LEDGER_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("random seed: LEDGER_TEST_SEED={seed}");
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}
