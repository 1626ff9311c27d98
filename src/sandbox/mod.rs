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
//!
//! ## Permissive by default, faithful on request
//!
//! [`SandboxConfig::default`] (and [`Sandbox::start_default`]) is **permissive**: no per-number
//! frequency limit, so unit tests and bindings can send thousands of messages to one number.
//! [`SandboxConfig::faithful`] turns on the platform's documented limits (`4080` one per second,
//! `4082` five per day, `4085` five verification codes per day, per number); so do scenario
//! files and `ihuyi sandbox` (unless `--permissive`).
//!
//! ## What it does
//!
//! - Account state ([`SandboxAccount`]): balance per billed segment (`4051`), frozen (`4050`),
//!   IP allow-list (`4052`, `400` on GetNum), international templates (`4071`, `4072`); platform
//!   lists: blacklist (`4030`), sensitive words (`407`), denied addresses (`400`).
//! - Time from an injectable clock ([`ScaledClock`] runs faster than real time) and
//!   `time_scale` for the waits it schedules: dynamic passwords older than 10 minutes get
//!   `40501`.
//! - Receipt pushes to an account's `push_url`, re-pushed until answered `success`, at most 3
//!   pushes, 60 s then 120 s apart (scaled). See [`push`](self#receipt-pushes).
//! - Faults per number or request index ([`Fault`]).
//! - A request log ([`Sandbox::requests`], `GET /_sandbox/requests`) and admin endpoints under
//!   `/_sandbox/` (reset, scenario, faults, clock, pushes, accounts).
//! - An inbox page at `/_sandbox/`: every Submit as the handset would show it, a phone view
//!   of one number, the accounts and their counters, updated live. [`SandboxConfig::admin`]
//!   turns the admin prefix off or serves it to loopback peers only.
//!
//! ## Receipt pushes
//!
//! After an accepted Submit, when the account has a `push_url`, the sandbox waits
//! `receipt_delay_seconds` (sandbox time), POSTs the product's receipt form (`code`, `msg`,
//! `mobilephone`, the id field, `report_time` or for international `reply_time`), and pushes
//! again 60 s later, then 120 s later, when the answer's body is not `success`. Waits are divided
//! by `time_scale`. The outcome per number comes from [`SandboxConfig::receipts`].
//!
//! ## Raw UTF-8 in the request target
//!
//! The vendor's GET examples put unencoded Chinese text in the query. hyper's parser (httparse)
//! and `http` ≥ 1.3.1 accept valid UTF-8 bytes in the request target, so those requests work.
//! Residual limit: a literal space (or invalid UTF-8) in the request target is not HTTP and is
//! refused with `400 Bad Request` before the sandbox sees it (curl and every HTTP library encode
//! spaces; a body may carry raw spaces and any UTF-8).

mod access;
mod accounts;
mod admin;
mod body;
mod clock;
mod faults;
mod handler;
mod inbox;
mod limits;
mod log;
mod push;
mod raw;
mod respond;
mod rules;
mod scenario;
mod server;
mod verify;

pub use access::AdminAccess;
pub use accounts::{DEFAULT_BALANCE, SandboxAccount, default_accounts, default_credentials};
pub use clock::ScaledClock;
pub use faults::{Fault, FaultAction};
pub use limits::{Limits, is_verification_code};
pub use log::LoggedRequest;
pub use push::{MAX_PUSHES, PUSH_INTERVAL_STEP_SECONDS, PushAttempt, ReceiptRule};
#[doc(hidden)]
pub use raw::{RawAnswer, RawSandbox};
pub use rules::{TEMPLATE_VARIABLE, matches_template};
pub use scenario::{Scenario, ScenarioAccount, ScenarioClock, ScenarioError, ScenarioLimits};

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::catalogue::Product;
use crate::clock::{Clock, SystemClock};

/// How a sandbox starts. Build it with `SandboxConfig { field: .., ..SandboxConfig::default() }`
/// or from [`SandboxConfig::faithful`].
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one. Default `127.0.0.1:0`.
    pub bind: SocketAddr,
    /// The accounts it knows. Default: [`default_accounts`].
    pub accounts: Vec<SandboxAccount>,
    /// Its notion of now (dynamic password age, limit windows, receipt times).
    pub clock: Arc<dyn Clock>,
    /// How old a dynamic password may be, in seconds (the platform: 600).
    pub dynamic_password_max_age: u64,
    /// How many requests (and pushes) the logs keep (the oldest are dropped first).
    pub log_capacity: usize,
    /// Worker threads of its runtime. Default 1: one worker serves 50 000-60 000 requests/s on
    /// this project's 2-core machine, and a second one made it slower, not faster, when the
    /// client shares the machine (wrk at 4 connections: 41 000-50 000/s with 2 workers, 55 000-64 000
    /// with 1; at 2 connections the two overlapped; tokio's workers wake each other to share the
    /// work, a context switch per request).
    pub worker_threads: usize,
    /// Per-number frequency limits. Default [`Limits::OFF`]; [`SandboxConfig::faithful`]:
    /// [`Limits::PLATFORM`].
    pub limits: Limits,
    /// Sandbox seconds per real second for the waits it schedules (receipt pushes). Default 1.
    pub time_scale: f64,
    /// Numbers refused with `4030`.
    pub blacklist: Vec<String>,
    /// Words refused in content with `407`.
    pub sensitive_words: Vec<String>,
    /// Client addresses refused with `400`.
    pub denied_ips: Vec<IpAddr>,
    /// Injected faults.
    pub faults: Vec<Fault>,
    /// Receipt outcome per number (others: delivered, `2`/`DELIVRD`).
    pub receipts: Vec<ReceiptRule>,
    /// Sandbox seconds between an accepted Submit and its first receipt push. Default 1.
    pub receipt_delay_seconds: f64,
    /// Who may use the admin endpoints and the inbox page under `/_sandbox/`. Default
    /// [`AdminAccess::All`].
    pub admin: AdminAccess,
}

impl Default for SandboxConfig {
    /// Permissive: default accounts, system clock, no frequency limit, no fault.
    fn default() -> SandboxConfig {
        SandboxConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            accounts: default_accounts(),
            clock: Arc::new(SystemClock),
            dynamic_password_max_age: 600,
            log_capacity: 100_000,
            worker_threads: 1,
            limits: Limits::OFF,
            time_scale: 1.0,
            blacklist: Vec::new(),
            sensitive_words: Vec::new(),
            denied_ips: Vec::new(),
            faults: Vec::new(),
            receipts: Vec::new(),
            receipt_delay_seconds: 1.0,
            admin: AdminAccess::All,
        }
    }
}

impl SandboxConfig {
    /// The default configuration with the platform's documented per-number limits on
    /// ([`Limits::PLATFORM`]): what `ihuyi sandbox` runs.
    pub fn faithful() -> SandboxConfig {
        SandboxConfig {
            limits: Limits::PLATFORM,
            ..SandboxConfig::default()
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
            .field("limits", &self.limits)
            .field("time_scale", &self.time_scale)
            .field("faults", &self.faults)
            .field("admin", &self.admin)
            .finish_non_exhaustive()
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
        let admin = config.admin;
        let thread = std::thread::Builder::new()
            .name("ihuyi-sandbox-accept".into())
            .spawn(move || {
                runtime.block_on(server::serve(listener, served, admin, rx));
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

    /// Restores the configured balances and forgets the request log, pushes, per-number counts,
    /// fault hits and clock moves.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Every receipt push made, oldest first.
    pub fn pushes(&self) -> Vec<PushAttempt> {
        self.state.pushes.snapshot()
    }

    /// Replaces the faults in force.
    pub fn set_faults(&self, faults: Vec<Fault>) {
        self.state.set_faults(faults);
    }

    /// Puts a scenario in force (as `POST /_sandbox/scenario` does), then resets.
    pub fn apply_scenario(&self, scenario: &Scenario) -> Result<(), ScenarioError> {
        let config = scenario.to_config(SandboxConfig::default())?;
        self.state.apply(&config, scenario.clock.is_some());
        Ok(())
    }

    /// Sandbox time, Unix seconds.
    pub fn now(&self) -> u64 {
        self.state.clock.now()
    }

    /// Moves sandbox time by `seconds` (negative goes back); undone by [`Sandbox::reset`].
    pub fn advance_clock(&self, seconds: i64) {
        self.state.clock.advance(seconds);
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
