//! `ihuyi sandbox`: the local server in the foreground.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};

use clap::Args;
use ihuyi::sandbox::{Sandbox, SandboxConfig};
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
}

pub fn run(args: SandboxArgs) -> i32 {
    let config = SandboxConfig {
        bind: SocketAddr::new(args.bind, args.port),
        ..SandboxConfig::default()
    };
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
    match args.output {
        OutputArg::Json => {
            let accounts: Vec<_> = accounts
                .iter()
                .map(|a| json!({ "product": a.product.name(), "account": a.account, "apikey": a.apikey, "balance": a.balance }))
                .collect();
            println!(
                "{}",
                json!({ "base_url": sandbox.base_url(), "accounts": accounts })
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
            println!("(sandbox credentials, not secrets; Ctrl-C stops it)");
        }
    }
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
