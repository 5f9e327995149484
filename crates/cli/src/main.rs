//! The `zkinfer` command line: a thin dispatcher, one module per subcommand.

mod cmd;
mod cost;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "zkinfer",
    version,
    about = "Zero-knowledge proofs of quantized ML inference"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Operators, shapes, parameters and MACs of an ONNX model, and whether each operator and the
    /// model evaluate and prove in each mode.
    Inspect(cmd::inspect::Args),
    /// Quantized (dequantized) and float outputs of a model on one input.
    Run(cmd::run::Args),
    /// Float vs quantized accuracy, argmax agreement and max |error| on a test set.
    Accuracy(cmd::accuracy::Args),
    /// Import, quantize, evaluate and prove (in both modes) every model of a folder, or print the
    /// operator table (--ops); Markdown or JSON.
    Conformance(cmd::conformance::Args),
    /// Quantize a model, commit to its weights, write DIR/prover.key and DIR/verifier.key.
    Setup(cmd::setup::Args),
    /// Prove one inference with DIR/prover.key; write the proof file.
    Prove(cmd::prove::Args),
    /// Check a proof: exit 0 valid, 1 invalid, 2 unreadable or malformed files.
    Verify(cmd::verify::Args),
    /// Setup, prove and verify a small built-in model (no files, no network).
    Demo(cmd::demo::Args),
    /// Predict prove time, verify time, peak memory and proof size without proving.
    Estimate(cmd::estimate::Args),
}

impl Command {
    /// Whether `--json` was given: failures are then reported as JSON too (`report.rs`).
    fn json(&self) -> bool {
        match self {
            Command::Inspect(a) => a.json,
            Command::Run(a) => a.json,
            Command::Accuracy(a) => a.json,
            Command::Conformance(a) => a.json,
            Command::Setup(a) => a.json,
            Command::Prove(a) => a.json,
            Command::Verify(a) => a.json,
            Command::Demo(a) => a.json,
            Command::Estimate(a) => a.json,
        }
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.command.json();
    let res = match cli.command {
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Run(a) => cmd::run::run(a),
        Command::Accuracy(a) => cmd::accuracy::run(a),
        Command::Conformance(a) => cmd::conformance::run(a),
        Command::Setup(a) => cmd::setup::run(a),
        Command::Prove(a) => cmd::prove::run(a),
        Command::Verify(a) => return cmd::verify::run(a),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Estimate(a) => cmd::estimate::run(a),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                let kind = report::classify(&e);
                println!("{}", report::error_json(kind, &format!("{e:#}")));
            }
            eprintln!("error: {e:#}");
            // Every failure here is bad input (file, model, data or options): status 2.
            ExitCode::from(2)
        }
    }
}

/// Arguments clap refuses: its usual message and status 2, and with `--json` anywhere among the
/// arguments also the JSON error object (help and version requests are printed as usual).
fn usage_error(e: clap::Error) -> ExitCode {
    let json = std::env::args_os().skip(1).any(|a| a == "--json");
    if !e.use_stderr() || !json {
        e.exit();
    }
    let detail = e.render().to_string();
    // The error without clap's usage lines and hints, on one line.
    let head = detail.split("\n\n").next().unwrap_or_default();
    let text = head.strip_prefix("error: ").unwrap_or(head);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    println!("{}", report::error_json(report::ErrorKind::Usage, &text));
    eprint!("{detail}");
    ExitCode::from(2)
}

/// Rust starts programs with SIGPIPE ignored, so a write to a closed pipe (`zkinfer verify ... |
/// head -1`) fails and `println!` panics (exit 101). With the default action restored, the process
/// ends quietly on a closed stdout, as other command-line tools do.
fn restore_sigpipe() {
    // SAFETY: called first thing in `main`, before any thread exists; `signal` with `SIG_DFL`
    // installs no handler of ours.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
