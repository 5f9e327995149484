//! Measuring the zero-knowledge prover on one model in this process (`--one-zk`): one-shot prove
//! (`prove_zk_timed`, which proves the weights' hash instead of recommitting them), verify,
//! proof size and its parts, peak memory. The plain figures come from their own child process
//! (`--one`), so each mode's peak memory is its own.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use zkinfer_ir::QModel;

use crate::bytes::{self, Bytes};
use crate::stats::{median, ms, peak_mb, reset_peak};

/// The zero-knowledge figures of one model (medians).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ZkFigures {
    /// Runs the medians are taken over.
    pub runs: usize,
    /// One-shot `prove_zk_timed` (public input), ms.
    pub prove_ms: f64,
    /// `verify_zk`, ms.
    pub verify_ms: f64,
    pub proof_kib: f64,
    /// Peak resident memory (VmHWM) from after the import over one setup, the proves and the
    /// verifies, MiB.
    pub peak_mb: f64,
    pub soundness_bits: f64,
    /// Prover phases of the median run, ms (`ProveTiming`): witness (with the weight tree's
    /// trace), commit (the hidden commitment `Q`), layers (every layer's masked sumchecks, range
    /// checks and zero-checks, and the weight hash proof), openings (the zk back end).
    pub phases: [f64; 4],
    /// Where the (last) proof's bytes go.
    pub bytes: Bytes,
}

/// Sets `model` up once, then `runs` zero-knowledge proves and verifies on `xq`; then times the
/// weight commitment alone (after the peak was read).
pub fn measure_zk_qmodel(model: QModel, xq: &[i64], runs: usize) -> Result<ZkFigures> {
    let runs = runs.max(1);
    reset_peak();
    let (pk, vk) = zkinfer_protocol::setup(model, zkinfer_protocol::ProofMode::ZeroKnowledge)?;
    let (mut prove, mut verify, mut phases) = (vec![], vec![], vec![]);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let (out, proof, timing) = zkinfer_protocol::prove_zk_timed(&pk, xq)?;
        prove.push(ms(t));
        phases.push(timing.as_ms());
        let t = Instant::now();
        let v = zkinfer_protocol::verify_zk(&vk, xq, &out, &proof)?;
        verify.push(ms(t));
        last = Some((proof, v.soundness_bits));
    }
    let peak = peak_mb();
    let (proof, bits) = last.context("no proof")?;
    let size = postcard::to_allocvec(&proof)?.len();
    let mid = median(prove.clone());
    let phase = phases
        .iter()
        .zip(&prove)
        .find(|(_, p)| **p == mid)
        .map_or([0.0; 4], |(t, _)| *t);
    Ok(ZkFigures {
        runs,
        prove_ms: mid,
        verify_ms: median(verify),
        proof_kib: size as f64 / 1024.0,
        peak_mb: peak,
        soundness_bits: bits,
        phases: phase,
        bytes: bytes::zk(&proof),
    })
}

/// Imports the shared model in `dir` and measures its zero-knowledge proof on its `input.json`.
/// The import is kept alive and the model cloned, as `measure_shared` does, so both modes' peak
/// memory counts the same copies.
pub fn measure_shared_zk(dir: &Path, runs: usize) -> Result<ZkFigures> {
    let (prep, xq) = crate::measure::import(dir)?;
    let f = measure_zk_qmodel(prep.qmodel.clone(), &xq, runs)?;
    drop(prep);
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkinfer_protocol::test_support;

    #[test]
    fn measures_a_small_model() {
        let model = test_support::maxpool(5);
        let x = test_support::Rng(9).vec(test_support::input_len(&model), 100);
        let f = measure_zk_qmodel(model, &x, 1).unwrap();
        assert_eq!(f.runs, 1);
        assert!(f.prove_ms > 0.0 && f.verify_ms > 0.0 && f.soundness_bits > 90.0);
        assert_eq!(f.bytes.total, (f.proof_kib * 1024.0).round() as u64);
        // The phases are parts of the prove time.
        assert!(f.phases.iter().sum::<f64>() <= f.prove_ms * 1.01, "{f:?}");
    }
}
