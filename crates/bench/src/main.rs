//! End-to-end benchmark: setup, prove and verify on the shared models, next to EZKL's figures.
//!
//! `cargo run --release -p zkinfer-bench [-- MODEL...]` runs each model in a child process (so peak
//! memory is per model), takes the median of several runs, and writes BENCHMARKS.md's end-to-end
//! table to `docs/bench/e2e.md` (stdout too).

mod measure;

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use measure::{Figures, measure_model};

/// EZKL 23.0.5 on the same machine kind (../shared/ezkl/results.md, default config): prove s, verify s,
/// proof bytes, peak RSS MB.
const EZKL: [(&str, f64, f64, u64, u64); 5] = [
    ("digits_linear", 3.585, 0.030, 3072, 338),
    ("digits_mlp", 3.780, 0.028, 3072, 346),
    ("digits_cnn", 8.286, 0.049, 3072, 656),
    ("lenet5_28", 137.9, 0.729, 4032, 11119),
    ("attention", 116.0, 0.418, 7456, 9941),
];

fn shared_models() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/models")
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, name] = args.as_slice()
        && flag == "--one"
    {
        let f = measure_model(&shared_models().join(name), 3)?;
        println!("{}", serde_json::to_string(&f)?);
        return Ok(());
    }
    let models: Vec<String> = if args.is_empty() {
        ["digits_linear", "digits_mlp", "digits_cnn", "lenet5_28"]
            .map(String::from)
            .to_vec()
    } else {
        args
    };
    let exe = std::env::current_exe()?;
    let mut rows = vec![];
    for name in &models {
        eprintln!("benchmarking {name} ...");
        let out = Command::new(&exe)
            .args(["--one", name])
            .output()
            .context("spawning the benchmark child")?;
        if !out.status.success() {
            bail!("{name}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let f: Figures =
            serde_json::from_slice(&out.stdout).with_context(|| format!("{name}: child output"))?;
        rows.push((name.clone(), f));
    }
    let report = render(&rows)?;
    print!("{report}");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/bench/e2e.md");
    std::fs::write(&path, report).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn sh(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn render(rows: &[(String, Figures)]) -> Result<String> {
    let cpu = sh("sh", &["-c", "lscpu | sed -n 's/^Model name: *//p'"]);
    let mut s = String::new();
    s += "# End-to-end benchmark (zkinfer-bench)\n\n";
    s += &format!("- Date: {}\n", sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"]));
    s += &format!(
        "- Commit: `{}`\n",
        sh("git", &["rev-parse", "--short", "HEAD"])
    );
    s += &format!(
        "- Machine: {} cores, {cpu}; `-C target-cpu=native`\n",
        sh("nproc", &[])
    );
    s += "- Median of 3 runs per figure; peak memory is the child process's VmHWM for setup + 3 proves + 3 verifies.\n";
    s += "- Not zero-knowledge yet (plain WHIR, unmasked sumchecks): compare with EZKL's default config.\n\n";
    s += "| model | setup ms | prove ms | verify ms | proof KiB | peak MB | soundness bits | EZKL prove s | EZKL verify s | EZKL peak MB | prove speed-up |\n";
    s += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (name, f) in rows {
        let ez = EZKL.iter().find(|e| e.0 == name);
        let (ep, ev, em) = ez.map_or((f64::NAN, f64::NAN, 0), |e| (e.1, e.2, e.4));
        s += &format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {:.1} | {ep} | {ev} | {em} | {:.0}x |\n",
            f.setup_ms,
            f.prove_ms,
            f.verify_ms,
            f.proof_kib,
            f.peak_mb,
            f.soundness_bits,
            ep * 1000.0 / f.prove_ms
        );
    }
    s += "\nPer-phase breakdown of the prover (median run, ms):\n\n";
    s += "| model | witness | commit | layer proofs | openings |\n|---|---:|---:|---:|---:|\n";
    for (name, f) in rows {
        s += &format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            f.phases[0], f.phases[1], f.phases[2], f.phases[3]
        );
    }
    Ok(s)
}
