//! A faithful local ihuyi server, for tests in every language and for users' own tests.
//!
//! It serves the three product paths on one port (GET and POST, fields in the query or a form
//! body, raw or percent-encoded UTF-8), checks fields and signatures with its own code path
//! (not the client's signer), and answers byte for byte in the vendor's XML or JSON forms.
//!
//! ```no_run
//! use ihuyi::sandbox::Sandbox;
//! use ihuyi::{Client, Product};
//!
//! let sandbox = Sandbox::start_default()?;
//! let account = sandbox.account(Product::Sms);
//! let client = Client::builder(Product::Sms)
//!     .account(account.account)
//!     .apikey(account.apikey)
//!     .base_url(sandbox.base_url())
//!     .build()?;
//! client.send("13800138000", "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】")?;
//! assert_eq!(sandbox.requests().len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod accounts;
mod handler;
mod log;
mod respond;
mod server;
mod verify;

pub use accounts::{SandboxAccount, default_accounts};
pub use log::LoggedRequest;

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::catalogue::Product;
use crate::clock::{Clock, SystemClock};

/// How a sandbox starts.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one. Default `127.0.0.1:0`.
    pub bind: SocketAddr,
    /// The accounts it knows. Default: [`default_accounts`].
    pub accounts: Vec<SandboxAccount>,
    /// Its notion of now (dynamic password age).
    pub clock: Arc<dyn Clock>,
    /// How old a dynamic password may be, in seconds (the platform: 600).
    pub dynamic_password_max_age: u64,
    /// How many requests the log keeps (the oldest are dropped first).
    pub log_capacity: usize,
    /// Worker threads of its runtime.
    pub worker_threads: usize,
}

impl Default for SandboxConfig {
    fn default() -> SandboxConfig {
        SandboxConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            accounts: default_accounts(),
            clock: Arc::new(SystemClock),
            dynamic_password_max_age: 600,
            log_capacity: 100_000,
            worker_threads: 2,
        }
    }
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("bind", &self.bind)
            .field("accounts", &self.accounts)
            .field("dynamic_password_max_age", &self.dynamic_password_max_age)
            .field("log_capacity", &self.log_capacity)
            .finish()
    }
}

/// A running sandbox. Dropping it (or [`Sandbox::stop`]) shuts the server down.
pub struct Sandbox {
    addr: SocketAddr,
    base_url: String,
    state: Arc<handler::State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox with [`SandboxConfig::default`] on a free loopback port.
    pub fn start_default() -> io::Result<Sandbox> {
        Sandbox::start(SandboxConfig::default())
    }

    /// Starts a sandbox on its own thread and returns once it is listening.
    pub fn start(config: SandboxConfig) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("ihuyi-sandbox")
            .enable_io()
            .enable_time()
            .build()?;
        let state = Arc::new(handler::State::new(&config));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let served = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("ihuyi-sandbox-accept".into())
            .spawn(move || {
                runtime.block_on(server::serve(listener, served, rx));
                // Wait (briefly) for the worker threads, so a stopped sandbox leaves no thread
                // behind: programs that exit right after stopping it stay clean under valgrind.
                runtime.shutdown_timeout(std::time::Duration::from_secs(2));
            })?;
        let host = match addr {
            SocketAddr::V4(v4) => v4.ip().to_string(),
            SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
        };
        Ok(Sandbox {
            addr,
            base_url: format!("http://{host}:{}", addr.port()),
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: give it to a client as its base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The first account configured for `product` (the default ones unless configured).
    ///
    /// # Panics
    /// If the configuration has no account for `product`.
    pub fn account(&self, product: Product) -> SandboxAccount {
        self.state
            .account_for(product)
            .unwrap_or_else(|| panic!("the sandbox has no {product} account"))
    }

    /// Every configured account, with its current balance.
    pub fn accounts(&self) -> Vec<SandboxAccount> {
        self.state.accounts()
    }

    /// Every request received, oldest first (the password shown only as its length).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.snapshot()
    }

    /// Forgets the request log and restores the configured balances.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .finish()
    }
}
