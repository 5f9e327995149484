//! Measuring one model in this process: setup, prove and verify times, proof size, peak memory.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use zkinfer_ir::{Op, QModel, quantize_value};
use zkinfer_onnx::Prepared;

use crate::bytes::{self, Bytes};
use crate::stats::{median, ms, peak_mb, reset_peak};
use crate::zk::ZkFigures;

/// The figures of one model (medians).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figures {
    /// Multiply-accumulates of one inference (dense, convolution and matmul layers).
    #[serde(default)]
    pub macs: u64,
    /// Weights, biases and constants.
    #[serde(default)]
    pub params: u64,
    /// Elements of every computed tensor (the trace the prover commits to or reduces).
    #[serde(default)]
    pub activations: u64,
    /// Runs the medians are taken over.
    #[serde(default)]
    pub runs: usize,
    pub setup_ms: f64,
    pub prove_ms: f64,
    /// Prove time with the weights already committed (`zkinfer_protocol::Prover`, what a service
    /// proving many inputs pays per proof), median.
    #[serde(default)]
    pub warm_prove_ms: f64,
    pub verify_ms: f64,
    pub proof_kib: f64,
    /// Peak resident memory (VmHWM) from the moment the model was in memory until after the last
    /// verification, in MiB.
    pub peak_mb: f64,
    pub soundness_bits: f64,
    /// Prover phases of the median run, ms (the prover's own timer): witness, commitments,
    /// sumchecks (wiring and matmul), lookups (requantization and max-pool proofs), openings.
    pub phases: [f64; 5],
    /// Float (tract) accuracy on the model's labelled test set.
    #[serde(default)]
    pub float_acc: Option<f64>,
    /// Accuracy of the quantized model (the one proven) on the same test set.
    #[serde(default)]
    pub quant_acc: Option<f64>,
    /// Where the (last) plain proof's bytes go.
    #[serde(default)]
    pub bytes: Bytes,
    /// The zero-knowledge figures of the same model, measured in their own child process
    /// (`--one-zk`); absent in the scaling series and in `--one`'s output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zk: Option<ZkFigures>,
}

/// Multiply-accumulates of one inference: dense, convolution and batched-matmul layers.
pub fn macs(model: &QModel) -> u64 {
    model
        .nodes
        .iter()
        .enumerate()
        .map(|(id, node)| {
            let out = model.len_of(id) as u64;
            match &node.op {
                Op::Dense { in_features, .. } => out * *in_features as u64,
                Op::Conv2d {
                    weight_shape: [_, c, kh, kw],
                    ..
                } => out * (c * kh * kw) as u64,
                Op::MatMul => {
                    let a = &model.nodes[node.inputs[0]].shape;
                    out * a.last().copied().unwrap_or(0) as u64
                }
                _ => 0,
            }
        })
        .sum()
}

/// Weights, biases and constants of `model`; elements of its other tensors.
pub fn sizes(model: &QModel) -> (u64, u64) {
    let (mut params, mut acts) = (0u64, 0u64);
    for (id, node) in model.nodes.iter().enumerate() {
        match &node.op {
            Op::Const { values } => params += values.len() as u64,
            Op::Dense { weight, .. } => params += weight.len() as u64,
            Op::Conv2d { weight, bias, .. } => params += (weight.len() + bias.len()) as u64,
            _ => {}
        }
        if !matches!(node.op, Op::Const { .. }) {
            acts += model.len_of(id) as u64;
        }
    }
    (params, acts)
}

/// Sets up, proves and verifies `model` on the quantized input `xq`: `runs` setups, then `runs`
/// proves and verifies with the last key, then (if `warm`) `runs` proves by one
/// `zkinfer_protocol::Prover`. The model is consumed so that the process holds one copy
/// of it (inside the prover key) while proving, as a prover would.
pub fn measure_qmodel(model: QModel, xq: &[i64], runs: usize, warm: bool) -> Result<Figures> {
    let runs = runs.max(1);
    let macs = macs(&model);
    let (params, activations) = sizes(&model);
    reset_peak();
    let mut setup = vec![];
    let mut keys = None;
    let mut model = Some(model);
    for i in 0..runs {
        let m = if i + 1 == runs {
            model.take().context("model")?
        } else {
            model.clone().context("model")?
        };
        drop(keys.take()); // free the previous keys before timing the next setup
        let t = Instant::now();
        keys = Some(zkinfer_protocol::setup(
            m,
            zkinfer_protocol::ProofMode::Plain,
        )?);
        setup.push(ms(t));
    }
    let (pk, vk) = keys.context("no setup ran")?;
    let (mut prove, mut verify, mut phases) = (vec![], vec![], vec![]);
    let (mut size, mut bits, mut parts) = (0usize, 0f64, Bytes::default());
    for _ in 0..runs {
        let t = Instant::now();
        let (out, proof, timing) = zkinfer_protocol::prove_timed(&pk, xq)?;
        prove.push(ms(t));
        phases.push(timing);
        let t = Instant::now();
        let v = zkinfer_protocol::verify(&vk, xq, &out, &proof)?;
        verify.push(ms(t));
        size = postcard::to_allocvec(&proof)?.len();
        bits = v.soundness_bits;
        parts = bytes::plain(&proof);
    }
    // Peak memory of the one-shot path, before the warm prover holds its copy of the weight data.
    let peak = peak_mb();
    let mut warm_ms = vec![];
    if warm {
        let prover = zkinfer_protocol::Prover::new(&pk)?;
        for _ in 0..runs {
            let t = Instant::now();
            prover.prove(xq)?;
            warm_ms.push(ms(t));
        }
    }
    let mid = median(prove.clone());
    let phase = phases
        .iter()
        .zip(&prove)
        .find(|(_, p)| **p == mid)
        .map_or([0.0; 5], |(t, _)| {
            [t.witness, t.commit, t.sumchecks, t.lookups, t.openings]
                .map(|d| d.as_secs_f64() * 1000.0)
        });
    Ok(Figures {
        macs,
        params,
        activations,
        runs,
        setup_ms: median(setup),
        prove_ms: mid,
        warm_prove_ms: if warm { median(warm_ms) } else { 0.0 },
        verify_ms: median(verify),
        proof_kib: size as f64 / 1024.0,
        peak_mb: peak,
        soundness_bits: bits,
        phases: phase,
        float_acc: None,
        quant_acc: None,
        bytes: parts,
        zk: None,
    })
}

/// Imports the shared model in `dir` and quantizes its `input.json`.
pub fn import(dir: &Path) -> Result<(Prepared, Vec<i64>)> {
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
    Ok((prep, xq))
}

/// Imports the shared model in `dir`, measures it on its `input.json`, then evaluates float and
/// quantized accuracy on its `test_set.json` (after the peak memory was read).
pub fn measure_shared(dir: &Path, runs: usize) -> Result<Figures> {
    let (prep, xq) = import(dir)?;
    let mut f = measure_qmodel(prep.qmodel.clone(), &xq, runs, true)?;
    let test_set = dir.join("test_set.json");
    if test_set.exists() {
        let ts = zkinfer_onnx::read_test_set(&test_set)?;
        let r = zkinfer_onnx::accuracy(&prep, &ts, &test_set.display().to_string())?;
        f.float_acc = r.float_accuracy;
        f.quant_acc = r.quantized_accuracy;
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkinfer_protocol::test_support;

    #[test]
    fn macs_of_the_test_models() {
        // mlp: 12*6 + 6*3; cnn: conv 2x6x6 outputs x 9 taps, dense 18*4.
        assert_eq!(macs(&test_support::mlp(1)), 12 * 6 + 6 * 3);
        assert_eq!(macs(&test_support::cnn(1)), 2 * 36 * 9 + 18 * 4);
    }

    #[test]
    fn sizes_of_the_test_mlp() {
        // Weights 12*6 + 6*3, biases 6 + 3; tensors: input 12, d1 6, a1 6, q1 6, d2 3, out 3.
        assert_eq!(
            sizes(&test_support::mlp(1)),
            (72 + 18 + 9, 12 + 6 + 6 + 6 + 3 + 3)
        );
    }

    #[test]
    fn median_takes_the_middle() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![5.0]), 5.0);
    }
}
