//! `zkinfer estimate MODEL.onnx --calibration CAL.json [--no-zk]`: predicted prove time, verify
//! time, peak memory and proof size of a zero-knowledge proof (the default) or a plain one, from
//! the model's compiled plan and a calibration of this machine, without proving. `--calibrate` measures the calibration; `--compare INPUT.json` also proves (in a child
//! process) and prints the measured figures beside the estimate.

use std::path::PathBuf;

use anyhow::{Context, bail};
use zkinfer_protocol::ProofMode;
use zkinfer_protocol::cost::cost_profile;
use zkinfer_protocol::zk::zk_cost_profile;

use crate::cmd::files::spinner;
use crate::cmd::quant_args::QuantArgs;
use crate::cost::calibrate::{Sample, calibrate};
use crate::cost::measure::{KeyDir, Measured, in_child, worker};
use crate::cost::synth::series;
use crate::cost::{Calibration, Estimate, Profile, default_path, defaults};
use crate::report::name_phases;
use zkinfer_api::ZK_BY_DEFAULT;

/// Arguments of `estimate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ONNX model.
    #[arg(required_unless_present_any = ["calibrate", "worker"])]
    pub model: Option<PathBuf>,
    /// Calibration samples for the quantizer (as for `setup`).
    #[arg(long, required_unless_present_any = ["calibrate", "worker"])]
    pub calibration: Option<PathBuf>,
    /// The machine calibration to read (or, with --calibrate, to write); default: a file in the
    /// user's cache directory, and built-in coefficients when it does not exist.
    #[arg(long)]
    pub calibration_file: Option<PathBuf>,
    /// Measure this machine: time proofs of synthetic models, fit the per-unit costs, write the
    /// calibration file.
    #[arg(long, conflicts_with_all = ["model", "compare"])]
    pub calibrate: bool,
    /// With --calibrate: how many models of the series to time, smallest first (default: all 11).
    #[arg(long)]
    pub models: Option<usize>,
    /// With --calibrate or --compare: runs per model (medians are used).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// With --calibrate: largest commitment (in variables) whose opening size is measured.
    #[arg(long, default_value_t = 22)]
    pub max_open_vars: usize,
    /// Also set up and prove the model on this input (EZKL format) and print the measured figures.
    #[arg(long)]
    pub compare: Option<PathBuf>,
    /// Estimate a zero-knowledge proof (the default), as `setup` and `prove` make by default.
    #[arg(long, conflicts_with = "no_zk")]
    pub zk: bool,
    /// Estimate a plain proof (`setup --no-zk`, `prove --no-zk`).
    #[arg(long)]
    pub no_zk: bool,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Internal: measure one proof of the keys in this directory (used by --calibrate, --compare).
    #[arg(long, hide = true)]
    pub worker: Option<PathBuf>,
    #[command(flatten)]
    pub quant: QuantArgs,
}

/// Dispatches to the worker, the calibration or the estimate.
pub fn run(a: Args) -> anyhow::Result<()> {
    if let Some(dir) = &a.worker {
        println!("{}", serde_json::to_string(&worker(dir)?)?);
        return Ok(());
    }
    if a.calibrate {
        return run_calibrate(&a);
    }
    let (model_path, cal_path) = match (&a.model, &a.calibration) {
        (Some(m), Some(c)) => (m, c),
        _ => bail!("estimate needs MODEL.onnx and --calibration CAL.json (or --calibrate)"),
    };
    let (cal, source) = load_calibration(&a)?;
    let cfg = a.quant.config()?;
    let pb = spinner(a.json, "quantizing the model");
    let mode = a.mode();
    // The same width choice as `setup`: a width whose requantizations cannot be proven is passed
    // over, so the model estimated is the one setup would prove.
    let provable = |q: &zkinfer_ir::QModel| {
        zkinfer_protocol::check_provable(q, mode).map_err(|e| e.to_string())
    };
    let prep = zkinfer_onnx::prepare_checked(model_path, cal_path, cfg.as_ref(), &provable)
        .with_context(|| format!("preparing {}", model_path.display()))?;
    let failed = || format!("{}: setup failed", model_path.display());
    // Zero knowledge also runs the zero-knowledge prover's schedule, so a model it refuses is
    // refused here with its message.
    let profile = match mode {
        ProofMode::Plain => Profile {
            plain: cost_profile(&prep.qmodel).with_context(failed)?,
            zk: None,
        },
        ProofMode::ZeroKnowledge => {
            let (plain, zk) = zk_cost_profile(&prep.qmodel).with_context(failed)?;
            Profile {
                plain,
                zk: Some(zk),
            }
        }
    };
    let est = cal.predict(&profile, mode);
    let measured = match &a.compare {
        Some(input) => {
            pb.set_message("proving to compare");
            let x = zkinfer_api::quantize_input(&prep.qmodel, zkinfer_api::Input::File(input))?;
            let (pk, vk) =
                zkinfer_protocol::setup(prep.qmodel.clone(), mode).with_context(failed)?;
            let dir = KeyDir::create(&pk, &vk, &x)?;
            drop((pk, vk));
            Some(in_child(dir.path(), a.runs)?)
        }
        None => None,
    };
    pb.finish_and_clear();
    let name = model_path.display().to_string();
    if a.json {
        // `phases_ms` by name, as `prove --json` prints it (report.rs).
        let v = serde_json::json!({
            "ok": true,
            "model": name,
            "calibration": { "source": source, "date": cal.date, "machine": cal.machine },
            "mode": mode_name(mode),
            "zero_knowledge": mode == ProofMode::ZeroKnowledge,
            "profile": profile,
            "estimate": name_phases(serde_json::to_value(est)?),
            "measured": measured.map(|m| serde_json::to_value(m).map(name_phases)).transpose()?,
        });
        println!("{v}");
    } else {
        print_text(
            &name,
            &source,
            &cal,
            &profile,
            mode,
            &est,
            measured.as_ref(),
        );
    }
    Ok(())
}

impl Args {
    /// The mode asked for: `--zk`, `--no-zk`, else the default of `setup` and `prove`.
    pub fn mode(&self) -> ProofMode {
        match (self.zk, self.no_zk) {
            (true, _) => ProofMode::ZeroKnowledge,
            (_, true) => ProofMode::Plain,
            _ if ZK_BY_DEFAULT => ProofMode::ZeroKnowledge,
            _ => ProofMode::Plain,
        }
    }
}

fn mode_name(mode: ProofMode) -> &'static str {
    match mode {
        ProofMode::Plain => "plain",
        ProofMode::ZeroKnowledge => "zero_knowledge",
    }
}

/// The calibration to use and where it came from.
fn load_calibration(a: &Args) -> anyhow::Result<(Calibration, String)> {
    if let Some(path) = &a.calibration_file {
        return Ok((Calibration::load(path)?, path.display().to_string()));
    }
    match default_path() {
        Some(path) if path.exists() => Ok((Calibration::load(&path)?, path.display().to_string())),
        _ => Ok((defaults::builtin(), "built-in".into())),
    }
}

fn run_calibrate(a: &Args) -> anyhow::Result<()> {
    let path = match a.calibration_file.clone().or_else(default_path) {
        Some(p) => p,
        None => bail!("no cache directory (HOME unset): pass --calibration-file PATH"),
    };
    let total = a.models.unwrap_or(usize::MAX).clamp(1, series().len());
    let quiet = a.json;
    let progress = |what: &str| {
        if !quiet {
            eprintln!("calibrating: {what}");
        }
    };
    let (cal, samples) = calibrate(total, a.runs, a.max_open_vars, &progress)?;
    cal.save(&path)?;
    if a.json {
        let rows: Vec<_> = samples.iter().map(sample_json).collect();
        let v = serde_json::json!({
            "ok": true,
            "calibration_file": path,
            "calibration": cal,
            "samples": rows,
        });
        println!("{v}");
        return Ok(());
    }
    println!("wrote {} ({}, {})", path.display(), cal.machine, cal.date);
    for f in &cal.targets {
        let unit = if f.target.ends_with("memory") {
            "B"
        } else {
            "ns"
        };
        let terms: Vec<String> = f
            .features
            .iter()
            .zip(&f.coefficients)
            .filter(|(_, c)| **c > 0.0)
            .map(|(n, c)| format!("{c:.4} {unit}/{n}"))
            .collect();
        println!(
            "  {:<9} {} (fit within {:.0}%)",
            f.target,
            terms.join(" + "),
            f.max_fit_error * 100.0
        );
    }
    println!("  {:<9} estimate vs measured", "model");
    for s in &samples {
        let e = cal.predict(&s.profile, s.mode);
        let m = &s.measured;
        println!(
            "  {:<18} {:<5} prove {:>8.1} / {:>8.1} ms   peak {:>6.1} / {:>6.1} MiB   proof {:>6.1} / {:>6.1} KiB",
            s.name,
            mode_name(s.mode).split('_').next().unwrap_or("plain"),
            e.prove_ms,
            m.prove_ms,
            e.peak_mb,
            m.peak_mb,
            e.proof_bytes / 1024.0,
            m.proof_bytes as f64 / 1024.0
        );
    }
    Ok(())
}

fn sample_json(s: &Sample) -> serde_json::Value {
    let measured = serde_json::to_value(s.measured).map_or(serde_json::Value::Null, name_phases);
    serde_json::json!({
        "model": s.name,
        "mode": mode_name(s.mode),
        "profile": s.profile,
        "measured": measured,
    })
}

fn print_text(
    name: &str,
    source: &str,
    cal: &Calibration,
    profile: &Profile,
    mode: ProofMode,
    e: &Estimate,
    m: Option<&Measured>,
) {
    let p = &profile.plain;
    println!("model:        {name} ({} nodes, {} MACs)", p.nodes, p.macs);
    println!("calibration:  {source} ({}, {})", cal.machine, cal.date);
    let commit = |c: &zkinfer_protocol::cost::CommitmentCost| {
        format!(
            "{} columns, 2^{} stacked, {} claims opened as {} values at {} points",
            c.columns, c.stacked_vars, c.claims, c.opened_values, c.opened_points
        )
    };
    match &profile.zk {
        Some(z) if mode == ProofMode::ZeroKnowledge => {
            println!("mode:         zero knowledge (the default; --no-zk for a plain proof)");
            println!(
                "hidden Q:     2^{} ({} witness, {} weight-hash input, {} random entries)",
                z.q_vars, z.witness_elems, z.in_elems, z.random_elems
            );
            println!(
                "sub-proofs:   {} masked sumchecks, {} blinded range checks, weight hash of {} \
                 permutations",
                z.layers.sumchecks + z.lookup_layers.sumchecks,
                z.ranges,
                z.hash_perms
            );
        }
        _ => {
            println!("mode:         plain (--no-zk): reveals evaluations of the activations");
            println!("witness:      {}", commit(&p.witness));
            println!("weights:      {}", commit(&p.weights));
        }
    }
    let cmp = |est: f64, got: Option<f64>, unit: &str| match got {
        Some(g) => format!(
            "{est:.1} {unit} (measured {g:.1} {unit}, x{:.2})",
            est / g.max(1e-9)
        ),
        None => format!("{est:.1} {unit}"),
    };
    let ph = e.phases_ms;
    println!(
        "prove time:   {}",
        cmp(e.prove_ms, m.map(|m| m.prove_ms), "ms")
    );
    println!(
        "              witness {:.1}, commitments {:.1}, layer proofs {:.1}, openings {:.1} ms",
        ph[0], ph[1], ph[2], ph[3]
    );
    if let Some(m) = m {
        let q = m.phases_ms;
        println!(
            "   measured   witness {:.1}, commitments {:.1}, layer proofs {:.1}, openings {:.1} ms",
            q[0], q[1], q[2], q[3]
        );
    }
    println!(
        "verify time:  {}",
        cmp(e.verify_ms, m.map(|m| m.verify_ms), "ms")
    );
    println!(
        "peak memory:  {}",
        cmp(e.peak_mb, m.map(|m| m.peak_mb), "MiB")
    );
    let kib = |b: f64| b / 1024.0;
    println!(
        "proof size:   {}",
        cmp(
            kib(e.proof_bytes),
            m.map(|m| kib(m.proof_bytes as f64)),
            "KiB"
        )
    );
}
