//! Measuring one model in this process.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use zkinfer_ir::quantize_value;

/// The figures of one model (medians).
#[derive(Debug, Serialize, Deserialize)]
pub struct Figures {
    pub setup_ms: f64,
    pub prove_ms: f64,
    pub verify_ms: f64,
    pub proof_kib: f64,
    pub peak_mb: f64,
    pub soundness_bits: f64,
    /// witness, commitments, layer proofs, openings (from the prover's timer).
    pub phases: [f64; 4],
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Imports, sets up, proves and verifies the model in `dir` `runs` times.
pub fn measure_model(dir: &Path, runs: usize) -> Result<Figures> {
    let prep = zkinfer_onnx::prepare(
        &dir.join("network.onnx"),
        &dir.join("calibration.json"),
        None,
    )
    .with_context(|| format!("importing {}", dir.display()))?;
    let input = zkinfer_onnx::read_input_file(&dir.join("input.json"))?;
    let x = input.input_data.first().cloned().unwrap_or_default();
    let node = &prep.qmodel.nodes[prep.qmodel.inputs[0]];
    let xq: Vec<i64> = x
        .iter()
        .map(|&v| quantize_value(v as f64, node.scale, node.bound))
        .collect();
    let (mut setup, mut prove, mut verify, mut phases) = (vec![], vec![], vec![], vec![]);
    let (mut size, mut bits) = (0usize, 0f64);
    for _ in 0..runs {
        let t = Instant::now();
        let (pk, vk) = zkinfer_protocol::setup(prep.qmodel.clone())?;
        setup.push(ms(t));
        let t = Instant::now();
        let (out, proof, timing) = zkinfer_protocol::prove_timed(&pk, &xq)?;
        prove.push(ms(t));
        phases.push(timing);
        let t = Instant::now();
        let v = zkinfer_protocol::verify(&vk, &xq, &out, &proof)?;
        verify.push(ms(t));
        size = postcard::to_allocvec(&proof)?.len();
        bits = v.soundness_bits;
    }
    let mid = median(prove.clone());
    let phase = phases
        .iter()
        .zip(&prove)
        .find(|(_, p)| **p == mid)
        .map_or([0.0; 4], |(ph, _)| ph.as_ms());
    Ok(Figures {
        setup_ms: median(setup),
        prove_ms: mid,
        verify_ms: median(verify),
        proof_kib: size as f64 / 1024.0,
        peak_mb: peak_mb(),
        soundness_bits: bits,
        phases: phase,
    })
}
