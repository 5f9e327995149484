//! One measured proof, in a child process so that its peak memory is the prover's alone: the child
//! (`zkinfer estimate --worker DIR`, hidden) reads the keys and the quantized input from `DIR`, proves
//! and verifies as `zkinfer prove` and `verify` do, and prints its figures as one JSON line.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use zkinfer_protocol::{ProofMode, ProverKey, VerifierKey};

use zkinfer_api::{PROVER_KEY, VERIFIER_KEY, read_prover_key, read_verifier_key, write_file};

/// The quantized input inside a worker's directory (a JSON list of integers).
const INPUT_FILE: &str = "input.ints.json";

/// The figures of one proof (or the medians of several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// witness, commit, layers, openings (the prover's own timer), ms.
    pub phases_ms: [f64; 4],
    /// Of the layers phase: wiring and matmul steps, then requantization and max-pooling steps, ms.
    pub layer_parts_ms: [f64; 2],
    /// `prove_timed` wall time, ms.
    pub prove_ms: f64,
    /// Verification, ms.
    pub verify_ms: f64,
    /// Peak resident memory (VmHWM) of the process after proving, MiB.
    pub peak_mb: f64,
    /// The encoded `ModelProof`, bytes.
    pub proof_bytes: u64,
    /// The witness opening's and the weight opening's bytes (zero knowledge: the HVZK-WHIR
    /// opening of `Q`, and 0).
    pub opening_bytes: [u64; 2],
    /// Whether the proof was a zero-knowledge one (the keys' mode).
    pub zero_knowledge: bool,
}

/// A temporary directory holding keys and an input, removed when dropped.
pub struct KeyDir(PathBuf);

impl KeyDir {
    /// Writes the keys and the quantized input to a fresh temporary directory.
    pub fn create(pk: &ProverKey, vk: &VerifierKey, input: &[i64]) -> anyhow::Result<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("zkinfer-estimate-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        let kd = KeyDir(dir);
        write_file(&kd.0.join(PROVER_KEY), &pk.to_bytes(), true)?;
        write_file(&kd.0.join(VERIFIER_KEY), &vk.to_bytes(), false)?;
        write_file(&kd.0.join(INPUT_FILE), &serde_json::to_vec(input)?, true)?;
        Ok(kd)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for KeyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Peak resident memory of this process so far, MiB (Linux; NaN elsewhere).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The worker's job, in this process: prove and verify the keys and input in `dir`.
pub fn worker(dir: &Path) -> anyhow::Result<Measured> {
    let pk = read_prover_key(&dir.join(PROVER_KEY))?;
    let input_path = dir.join(INPUT_FILE);
    let input: Vec<i64> = serde_json::from_slice(
        &std::fs::read(&input_path)
            .with_context(|| format!("{}: cannot read", input_path.display()))?,
    )
    .with_context(|| format!("{}: not a list of integers", input_path.display()))?;
    let zero_knowledge = pk.mode() == ProofMode::ZeroKnowledge;
    let vk_path = dir.join(VERIFIER_KEY);
    let start = Instant::now();
    if zero_knowledge {
        let (output, proof, timing) = zkinfer_protocol::prove_zk_timed(&pk, &input)?;
        let prove_ms = start.elapsed().as_secs_f64() * 1e3;
        let peak_mb = peak_mb();
        drop(pk);
        let vk = read_verifier_key(&vk_path)?;
        let start = Instant::now();
        zkinfer_protocol::verify_zk(&vk, &input, &output, &proof)?;
        return Ok(Measured {
            phases_ms: timing.as_ms(),
            layer_parts_ms: [timing.sumchecks, timing.lookups].map(|d| d.as_secs_f64() * 1e3),
            prove_ms,
            verify_ms: start.elapsed().as_secs_f64() * 1e3,
            peak_mb,
            proof_bytes: postcard::to_allocvec(&proof)?.len() as u64,
            opening_bytes: [
                postcard::to_allocvec(&proof.opening.opening)?.len() as u64,
                0,
            ],
            zero_knowledge,
        });
    }
    let (output, proof, timing) = zkinfer_protocol::prove_timed(&pk, &input)?;
    let prove_ms = start.elapsed().as_secs_f64() * 1e3;
    let peak_mb = peak_mb();
    drop(pk);
    let vk = read_verifier_key(&vk_path)?;
    let start = Instant::now();
    zkinfer_protocol::verify(&vk, &input, &output, &proof)?;
    let verify_ms = start.elapsed().as_secs_f64() * 1e3;
    let witness_opening = proof.witness_opening.as_ref().map(|o| o.to_bytes().len());
    Ok(Measured {
        phases_ms: timing.as_ms(),
        layer_parts_ms: [timing.sumchecks, timing.lookups].map(|d| d.as_secs_f64() * 1e3),
        prove_ms,
        verify_ms,
        peak_mb,
        proof_bytes: postcard::to_allocvec(&proof)?.len() as u64,
        opening_bytes: [
            witness_opening.unwrap_or(0) as u64,
            proof.weight_opening.to_bytes().len() as u64,
        ],
        zero_knowledge,
    })
}

/// Runs the worker on `dir` in `runs` child processes, one after the other; the median of each
/// figure.
pub fn in_child(dir: &Path, runs: usize) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe().context("cannot find the zkinfer executable")?;
    let mut all = vec![];
    for _ in 0..runs.max(1) {
        let out = Command::new(&exe)
            .arg("estimate")
            .arg("--worker")
            .arg(dir)
            .output()
            .with_context(|| format!("cannot run {}", exe.display()))?;
        if !out.status.success() {
            bail!(
                "the measuring process failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let m: Measured = serde_json::from_slice(&out.stdout).with_context(|| {
            format!(
                "the measuring process printed no figures: {}",
                String::from_utf8_lossy(&out.stdout).trim()
            )
        })?;
        all.push(m);
    }
    Ok(median(&all))
}

fn median_of(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The median of each figure over several runs.
pub fn median(runs: &[Measured]) -> Measured {
    let m = |f: &dyn Fn(&Measured) -> f64| median_of(runs.iter().map(f).collect());
    let mut phases_ms = [0.0; 4];
    for (i, p) in phases_ms.iter_mut().enumerate() {
        *p = m(&|r| r.phases_ms[i]);
    }
    let layer_parts_ms = [0, 1].map(|i| m(&|r| r.layer_parts_ms[i]));
    Measured {
        phases_ms,
        layer_parts_ms,
        prove_ms: m(&|r| r.prove_ms),
        verify_ms: m(&|r| r.verify_ms),
        peak_mb: m(&|r| r.peak_mb),
        proof_bytes: m(&|r| r.proof_bytes as f64) as u64,
        opening_bytes: [
            m(&|r| r.opening_bytes[0] as f64) as u64,
            m(&|r| r.opening_bytes[1] as f64) as u64,
        ],
        zero_knowledge: runs.iter().any(|r| r.zero_knowledge),
    }
}
