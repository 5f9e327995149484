//! `zkinfer inspect MODEL.onnx [--calibration CAL.json]`: the operators, shapes, parameters and
//! MACs of a model, and per operator and overall whether it evaluates and proves in each mode.

use std::path::PathBuf;

use anyhow::Context;

use super::inspect_proof::{ProofReport, check};

/// Arguments of `inspect`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ONNX model.
    pub model: PathBuf,
    /// Calibration samples, for the bounds the proving check quantizes with (as `setup`); without
    /// it, synthetic inputs in [-1, 1].
    #[arg(long)]
    pub calibration: Option<PathBuf>,
    /// One JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Per node: "UNSUPPORTED" (no integer lowering), "no proof" (either mode), "no zk proof", or
/// "proves" (the node's IR has proof steps; the model as a whole may still be refused).
fn status(report: &ProofReport, unsupported: bool, node: &str) -> &'static str {
    match (unsupported, report.refusal(node)) {
        (true, _) => "UNSUPPORTED",
        (false, Some(r)) if r.zk_only => "no zk proof",
        (false, Some(_)) => "no proof",
        (false, None) if !report.evaluates => "-",
        (false, None) => "proves",
    }
}

fn verdict(ok: bool, why: &Option<String>) -> String {
    match (ok, why) {
        (true, _) => "yes".into(),
        (false, Some(w)) => format!("no: {w}"),
        (false, None) => "no".into(),
    }
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let typed = zkinfer_onnx::load_typed(&a.model)
        .with_context(|| format!("inspecting {}", a.model.display()))?;
    let nodes = zkinfer_onnx::describe(&typed);
    let issues = zkinfer_onnx::unsupported_nodes(&typed);
    drop(typed);
    let names: Vec<String> = nodes.iter().map(|n| n.name.clone()).collect();
    let report = check(
        &a.model,
        a.calibration.as_deref(),
        &names,
        issues.is_empty(),
    );
    let params: usize = nodes.iter().map(|n| n.params).sum();
    let macs: usize = nodes.iter().map(|n| n.macs).sum();
    let is_unsupported = |name: &str| issues.iter().any(|x| x.node == name);
    if a.json {
        let nodes: Vec<serde_json::Value> = nodes
            .iter()
            .map(|n| {
                let refusal = report.refusal(&n.name);
                let evaluates = !is_unsupported(&n.name);
                let checked = report.evaluates;
                let mut v = serde_json::to_value(n).unwrap_or_default();
                v["evaluates"] = evaluates.into();
                v["proves_plain"] = (checked && refusal.is_none_or(|r| r.zk_only)).into();
                v["proves_zk"] = (checked && refusal.is_none()).into();
                v["proof_refusal"] = refusal.map(|r| r.reason.clone()).into();
                v
            })
            .collect();
        let v = serde_json::json!({
            "ok": true,
            "model": a.model.display().to_string(),
            "nodes": nodes,
            "params": params,
            "macs": macs,
            "unsupported": issues,
            "evaluates": report.evaluates,
            "proves_plain": report.proves_plain,
            "proves_zk": report.proves_zk,
            "plain_refusal": report.plain_refusal,
            "zk_refusal": report.zk_refusal,
            "calibration": report.calibration,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("{}", a.model.display());
    println!(
        "{:<4} {:<36} {:<14} {:<18} {:>9} {:>10}  status",
        "#", "node", "op", "shape", "params", "MACs"
    );
    for (i, n) in nodes.iter().enumerate() {
        let shape = format!("{:?}", n.shape);
        println!(
            "{i:<4} {:<36} {:<14} {shape:<18} {:>9} {:>10}  {}",
            n.name,
            n.op,
            n.params,
            n.macs,
            status(&report, is_unsupported(&n.name), &n.name)
        );
    }
    println!(
        "total: {} nodes, {params} parameters, {macs} MACs",
        nodes.len()
    );
    if issues.is_empty() {
        println!("evaluates:               yes (every operator has an integer lowering)");
    } else {
        println!(
            "evaluates:               no, unsupported ({}):",
            issues.len()
        );
        for x in &issues {
            println!("  {}: {}", x.node, x.reason);
        }
    }
    println!(
        "proves plain (--no-zk):  {}",
        verdict(report.proves_plain, &report.plain_refusal)
    );
    println!(
        "proves zero knowledge:   {}",
        verdict(report.proves_zk, &report.zk_refusal)
    );
    for r in report.nodes.iter() {
        let mode = if r.zk_only {
            "zero knowledge"
        } else {
            "either mode"
        };
        println!("  no proof in {mode}: {}: {}", r.node, r.reason);
    }
    if report.evaluates && a.calibration.is_none() {
        println!(
            "(checked with bounds from synthetic inputs in [-1, 1]; --calibration CAL.json checks \
             with the model's own, as setup does)"
        );
    }
    Ok(())
}
