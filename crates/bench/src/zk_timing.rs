//! `--zk-data-timing MODEL [RUNS]`: does the zero-knowledge prover's time depend on the secret data
//! (docs/pitfalls.md, 13's neighbour: a timing side channel)? Proves one shared model with its real
//! weights and input, with a zero input, and with mostly-zero weights and a zero input, the runs of
//! the cases interleaved, and prints each case's median and its ratio to the real case.
//!
//! The mostly-zero weights keep, in each weighted node, only what sets its static bound (the row,
//! channel or constant of largest magnitude, and a convolution's biases) and zero the rest, so the model's bounds, plan and
//! proof shape are exactly the real model's: only the data differs.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use zkinfer_ir::{Op, QModel};
use zkinfer_protocol::{ProofMode, strip_weights};

use crate::stats::{median, ms};

/// CPU time of every thread of this process so far, ms (Linux `schedstat`; 0 elsewhere).
fn cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let ns: u64 = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

/// Index of the largest `key` (the first on ties).
fn argmax(keys: impl Iterator<Item = i128>) -> usize {
    let mut best = (0, i128::MIN);
    for (i, k) in keys.enumerate() {
        if k > best.1 {
            best = (i, k);
        }
    }
    best.0
}

fn sum_abs(xs: &[i64]) -> i128 {
    xs.iter().map(|&v| (v as i128).abs()).sum()
}

/// Zeroes every chunk of `len` values of `w` except chunk `keep`.
fn keep_chunk(w: &mut [i64], len: usize, keep: usize) {
    for (i, c) in w.chunks_mut(len.max(1)).enumerate() {
        if i != keep {
            c.fill(0);
        }
    }
}

/// `model` with every weight zero except those that set its node's static bound.
pub fn mostly_zero(model: &QModel) -> QModel {
    let mut m = model.clone();
    let in_bound = |node: &zkinfer_ir::Node| {
        node.inputs
            .first()
            .map_or(0, |&i| model.nodes[i].bound as i128)
    };
    for node in &mut m.nodes {
        let b = in_bound(node);
        match &mut node.op {
            Op::Const { values } => {
                let keep = argmax(values.iter().map(|&v| (v as i128).abs()));
                keep_chunk(values, 1, keep);
            }
            Op::Dense {
                weight,
                in_features,
                ..
            } => {
                let keep = argmax(weight.chunks(*in_features).map(sum_abs));
                keep_chunk(weight, *in_features, keep);
            }
            Op::Conv2d {
                weight,
                weight_shape,
                bias,
                ..
            } => {
                let k = weight_shape[1] * weight_shape[2] * weight_shape[3];
                let scores = weight
                    .chunks(k)
                    .zip(bias.iter())
                    .map(|(w, &c)| sum_abs(w) * b + (c as i128).abs());
                let keep = argmax(scores);
                // The biases (one per channel) stay: the public bound counts their largest.
                keep_chunk(weight, k, keep);
            }
            _ => {}
        }
    }
    m
}

/// Proves the cases `runs` times each (interleaved) and prints each one's fastest run (the least
/// disturbed by other processes), median and layer phase, with its difference to the real case.
pub fn run(dir: &Path, runs: usize) -> Result<()> {
    let (prep, xq) = crate::measure::import(dir)?;
    let real = prep.qmodel.clone();
    let zero = mostly_zero(&real);
    zero.validate()
        .context("the mostly-zero model changes the bounds")?;
    let (pk, _) = zkinfer_protocol::setup(real, ProofMode::ZeroKnowledge)?;
    let (pkz, _) = zkinfer_protocol::setup(zero, ProofMode::ZeroKnowledge)?;
    ensure!(
        strip_weights(&pk.model) == strip_weights(&pkz.model),
        "the two models' architectures differ"
    );
    let zeros = vec![0i64; xq.len()];
    let cases = [
        ("real weights, real input", &pk, &xq),
        ("real weights, zero input", &pk, &zeros),
        ("mostly-zero weights, zero input", &pkz, &zeros),
    ];
    // Per case: wall time, CPU time of all threads (less disturbed by other processes on a shared
    // machine), and the layer phase (the sumchecks, where the data could matter).
    let mut times = vec![[vec![], vec![], vec![]]; cases.len()];
    zkinfer_protocol::prove_zk(&pk, &xq)?; // warm up
    for _ in 0..runs.max(1) {
        for (i, (_, key, x)) in cases.iter().enumerate() {
            let (t, cpu) = (Instant::now(), cpu_ms());
            let (.., timing) = zkinfer_protocol::prove_zk_timed(key, x)?;
            times[i][0].push(ms(t));
            times[i][1].push(cpu_ms() - cpu);
            times[i][2].push(timing.layers.as_secs_f64() * 1e3);
        }
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    let base: Vec<f64> = times[0].iter().map(|v| min(v)).collect();
    println!(
        "{}: zero-knowledge prove, {runs} runs each; fastest wall, CPU (all threads) and layer \
         phase, and their difference to the first case",
        dir.display()
    );
    for ((name, ..), t) in cases.iter().zip(&times) {
        let cols: Vec<String> = ["wall", "cpu", "layers"]
            .iter()
            .zip(t.iter().zip(&base))
            .map(|(what, (v, b))| {
                format!(
                    "{what} {:8.1} ms {:+5.1}%",
                    min(v),
                    (min(v) / b - 1.0) * 100.0
                )
            })
            .collect();
        println!(
            "  {name:32} {}  (median wall {:.1} ms)",
            cols.join("  "),
            median(t[0].clone())
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkinfer_protocol::test_support;

    /// Only the bound-setting weights survive, and the bounds do not change.
    #[test]
    fn mostly_zero_keeps_the_bounds() {
        for m in [test_support::mlp(3), test_support::cnn(4)] {
            let z = mostly_zero(&m);
            z.validate().unwrap();
            let nonzero = |m: &QModel| {
                m.nodes
                    .iter()
                    .flat_map(|n| match &n.op {
                        Op::Dense { weight, .. } | Op::Conv2d { weight, .. } => weight.clone(),
                        Op::Const { values } => values.clone(),
                        _ => vec![],
                    })
                    .filter(|&v| v != 0)
                    .count()
            };
            assert!(nonzero(&z) * 2 < nonzero(&m));
            assert_eq!(strip_weights(&z), strip_weights(&m));
        }
    }
}
