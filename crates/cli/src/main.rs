//! The `zkinfer` command line: a thin dispatcher, one module per subcommand.

mod cmd;
mod cost;
mod zk;

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
    /// Operators, shapes, parameters, MACs and unsupported operators of an ONNX model.
    Inspect(cmd::inspect::Args),
    /// Quantized (dequantized) and float outputs of a model on one input.
    Run(cmd::run::Args),
    /// Float vs quantized accuracy, argmax agreement and max |error| on a test set.
    Accuracy(cmd::accuracy::Args),
    /// Import, quantize and evaluate every model of a folder; a Markdown or JSON report.
    Conformance(cmd::conformance::Args),
    /// Quantize a model, commit to its weights, write DIR/prover.key and DIR/verifier.key.
    Setup(zk::setup::Args),
    /// Prove one inference with DIR/prover.key; write the proof file.
    Prove(zk::prove::Args),
    /// Check a proof: exit 0 valid, 1 invalid, 2 unreadable or malformed files.
    Verify(zk::verify::Args),
    /// Setup, prove and verify a small built-in model (no files, no network).
    Demo(zk::demo::Args),
    /// Predict prove time, verify time, peak memory and proof size without proving.
    Estimate(cmd::estimate::Args),
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Run(a) => cmd::run::run(a),
        Command::Accuracy(a) => cmd::accuracy::run(a),
        Command::Conformance(a) => cmd::conformance::run(a),
        Command::Setup(a) => zk::setup::run(a),
        Command::Prove(a) => zk::prove::run(a),
        Command::Verify(a) => return zk::verify::run(a),
        Command::Demo(a) => zk::demo::run(a),
        Command::Estimate(a) => cmd::estimate::run(a),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Every failure here is bad input (file, model, data or options): status 2.
            ExitCode::from(2)
        }
    }
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
