//! `ihuyi`: send, check balance, estimate, run the sandbox.
//!
//! Exit codes: 0 accepted, 1 api refusal, 2 usage or validation (nothing sent), 3 unreachable,
//! 4 outcome unknown (`bulk` adds 5 and 6: see `bulk.rs`). Human text and errors go to stderr; stdout carries only results (the id,
//! the balance, or one JSON object with `--output json`). The key is never printed.

mod bulk;
mod common;
mod estimate;
mod output;
mod receipts_cmd;
mod sandbox_cmd;
mod send;
mod template;

use clap::{Parser, Subcommand};

/// The ihuyi (互亿无线) SMS, voice-code and international SMS API from the command line.
#[derive(Parser, Debug)]
#[command(name = "ihuyi", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send one message (Submit).
    Send(send::SendArgs),
    /// Show the remaining balance (GetNum).
    Balance(send::BalanceArgs),
    /// Count characters and billed segments, and flag what the platform would refuse (nothing
    /// is sent); with --csv, total a bulk file.
    #[command(after_help = estimate::AFTER_HELP)]
    Estimate(estimate::EstimateArgs),
    /// Send one message per CSV row, each at most once, resumable through a journal.
    Bulk(bulk::BulkArgs),
    /// Run the local sandbox server until interrupted.
    Sandbox(sandbox_cmd::SandboxArgs),
    /// Receive delivery receipts pushed by the platform (or the sandbox).
    Receipts(receipts_cmd::ReceiptsArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Send(args) => send::run_send(args),
        Command::Balance(args) => send::run_balance(args),
        Command::Bulk(args) => bulk::run(args),
        Command::Sandbox(args) => sandbox_cmd::run(args),
        Command::Estimate(args) => estimate::run(args),
        Command::Receipts(args) => receipts_cmd::run(args),
    };
    std::process::exit(code);
}
