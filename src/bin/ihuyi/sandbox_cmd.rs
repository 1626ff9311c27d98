//! `ihuyi sandbox`: the local server in the foreground.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use ihuyi::sandbox::{AdminAccess, Sandbox, SandboxConfig, Scenario};
use serde_json::json;

use crate::common::OutputArg;

#[derive(Args, Debug)]
pub struct SandboxArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// How the start-up banner is printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub output: OutputArg,
    /// A scenario file (TOML, or JSON when it ends in .json): accounts, balances, limits,
    /// blacklist, templates, push URLs, receipt outcomes, faults, clock. See
    /// examples/sandbox/scenario.toml.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Turn the per-number frequency limits off (by default the sandbox enforces the platform's:
    /// 1 per second, 5 per day, 5 verification codes per day).
    #[arg(long, conflicts_with = "scenario")]
    pub permissive: bool,
    /// Who may use the admin endpoints and the inbox page under /_sandbox/: every peer, loopback
    /// peers only (others get 403), or nobody (the prefix is an unknown path like any other).
    #[arg(long, value_enum, default_value = "all")]
    pub admin: AdminArg,
    /// Worker threads serving requests. One is the fastest when clients run on the same small
    /// machine; more help only when the clients have cores of their own.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AdminArg {
    All,
    Loopback,
    Off,
}

impl From<AdminArg> for AdminAccess {
    fn from(a: AdminArg) -> AdminAccess {
        match a {
            AdminArg::All => AdminAccess::All,
            AdminArg::Loopback => AdminAccess::Loopback,
            AdminArg::Off => AdminAccess::Off,
        }
    }
}

pub fn run(args: SandboxArgs) -> i32 {
    let base = SandboxConfig {
        bind: SocketAddr::new(args.bind, args.port),
        admin: args.admin.into(),
        worker_threads: usize::from(args.workers),
        ..if args.permissive {
            SandboxConfig::default()
        } else {
            SandboxConfig::faithful()
        }
    };
    let config = match &args.scenario {
        None => base,
        Some(path) => match Scenario::load(path).and_then(|s| s.to_config(base)) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
    };
    let limits = config.limits;
    let sandbox = match Sandbox::start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: could not start the sandbox on {}:{}: {e}",
                args.bind, args.port
            );
            return 2;
        }
    };
    let accounts = sandbox.accounts();
    let inbox = (args.admin != AdminArg::Off).then(|| format!("{}/_sandbox/", sandbox.base_url()));
    match args.output {
        OutputArg::Json => {
            let accounts: Vec<_> = accounts
                .iter()
                .map(|a| json!({ "product": a.product.name(), "account": a.account, "apikey": a.apikey, "balance": a.balance }))
                .collect();
            println!(
                "{}",
                json!({ "base_url": sandbox.base_url(), "accounts": accounts, "limits": limits, "inbox": inbox })
            );
        }
        OutputArg::Text => {
            println!("ihuyi sandbox listening at {}", sandbox.base_url());
            for a in &accounts {
                println!(
                    "  {:<5} account {}  apikey {}  balance {}",
                    a.product.name(),
                    a.account,
                    a.apikey,
                    a.balance
                );
            }
            if limits.is_off() {
                println!("  per-number limits: off");
            } else {
                println!(
                    "  per-number limits: {}/s (4080), {}/day (4082), {} codes/day (4085); 0 = off",
                    limits.per_second, limits.per_day, limits.codes_per_day
                );
            }
            match &inbox {
                Some(url) => {
                    println!("  inbox: {url}  (open it in a browser)");
                    println!("  admin: {}/_sandbox/requests", sandbox.base_url());
                }
                None => println!("  admin endpoints and inbox: off"),
            }
            println!("(sandbox credentials, not secrets; Ctrl-C stops it)");
        }
    }
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
