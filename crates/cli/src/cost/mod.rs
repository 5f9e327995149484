//! The cost model behind `zkinfer estimate`: which features of a [`Profile`] each predicted
//! quantity (per proof mode) is linear in, the calibration (the fitted per-unit costs of this machine), and the
//! prediction. See docs/estimate.md.
//!
//! - [`synth`]: the synthetic models a calibration times;
//! - [`measure`]: one timed proof in a child process (time per phase, peak memory, proof bytes);
//! - [`fit`]: non-negative least squares on relative errors;
//! - [`calibrate`]: runs the series and fits every target;
//! - [`defaults`]: the built-in calibration, measured on the development machine.

pub mod calibrate;
pub mod defaults;
pub mod fit;
pub mod measure;
pub mod synth;
pub mod target;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use zkinfer_protocol::ProofMode;
use zkinfer_protocol::cost::CommitmentCost;

pub use target::{Profile, Target};

/// Version of the calibration file format.
pub const FORMAT: u32 = 2;

/// One target's fitted coefficients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// [`Target::name`].
    pub target: String,
    /// [`Target::feature_names`], so a file from another version is recognised.
    pub features: Vec<String>,
    /// Cost per unit of each feature: nanoseconds (times) or bytes (memory).
    pub coefficients: Vec<f64>,
    /// Largest relative error of the fit on the calibration runs.
    pub max_fit_error: f64,
}

/// The per-unit costs of one machine, and the opening sizes of the commitment parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// [`FORMAT`].
    pub format: u32,
    /// The machine measured (CPU model and cores).
    pub machine: String,
    /// When it was measured.
    pub date: String,
    /// One entry per [`Target`].
    pub targets: Vec<Fitted>,
    /// `[stacked variables, bytes]` of a one-claim opening, by increasing variables.
    pub opening_bytes: Vec<[u64; 2]>,
    /// Bytes each further opened point adds (with its first value).
    pub point_bytes: f64,
    /// Bytes each further value at an opened point adds.
    pub value_bytes: f64,
    /// `[variables of Q, bytes]` of the zero-knowledge back end's HVZK-WHIR opening (one
    /// polynomial, two points), by increasing variables.
    pub zk_opening_bytes: Vec<[u64; 2]>,
}

/// What `estimate` predicts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Prover phases (witness, commit, layers, openings), ms.
    pub phases_ms: [f64; 4],
    /// Their sum, ms.
    pub prove_ms: f64,
    /// Verification, ms.
    pub verify_ms: f64,
    /// Peak resident memory of the prover, MiB.
    pub peak_mb: f64,
    /// Encoded proof (the `ModelProof`, without the proof file's header and output), bytes.
    pub proof_bytes: f64,
}

impl Calibration {
    /// The fitted coefficients of `t` (checked present by [`Calibration::check`]).
    fn coefficients(&self, t: Target) -> &[f64] {
        self.targets
            .iter()
            .find(|f| f.target == t.name())
            .map_or(&[], |f| f.coefficients.as_slice())
    }

    fn eval(&self, t: Target, p: &Profile) -> f64 {
        let x = t.features(p);
        x.iter().zip(self.coefficients(t)).map(|(a, c)| a * c).sum()
    }

    /// Bytes of the opening of one commitment.
    pub fn opening_bytes(&self, c: &CommitmentCost) -> f64 {
        if c.columns == 0 {
            return 0.0;
        }
        let base = interpolate(&self.opening_bytes, c.stacked_vars);
        let points = c.opened_points.max(1);
        base + self.point_bytes * (points - 1) as f64
            + self.value_bytes * c.opened_values.saturating_sub(points) as f64
    }

    /// Bytes of the HVZK-WHIR opening of a hidden commitment of `q_vars` variables.
    pub fn zk_opening_bytes(&self, q_vars: usize) -> f64 {
        interpolate(&self.zk_opening_bytes, q_vars)
    }

    /// The prediction for a profile, in `mode` (a zero-knowledge prediction reads `p.zk`).
    pub fn predict(&self, p: &Profile, mode: ProofMode) -> Estimate {
        let [
            witness,
            commit,
            sumchecks,
            lookups,
            openings,
            verify,
            memory,
        ] = Target::of(mode);
        let ms = |t| self.eval(t, p).max(0.0) / 1e6;
        let phases_ms = [
            ms(witness),
            ms(commit),
            ms(sumchecks) + ms(lookups),
            ms(openings),
        ];
        let proof_bytes = match (mode, &p.zk) {
            (ProofMode::ZeroKnowledge, Some(z)) => {
                z.proof_body_bytes as f64 + self.zk_opening_bytes(z.q_vars)
            }
            (ProofMode::ZeroKnowledge, None) => f64::NAN,
            (ProofMode::Plain, _) => {
                let q = &p.plain;
                q.proof_body_bytes as f64
                    + self.opening_bytes(&q.witness)
                    + self.opening_bytes(&q.weights)
            }
        };
        Estimate {
            phases_ms,
            prove_ms: phases_ms.iter().sum(),
            verify_ms: ms(verify),
            peak_mb: self.eval(memory, p).max(0.0) / (1 << 20) as f64,
            proof_bytes,
        }
    }

    /// Checks that the calibration fits this version of the cost model.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.format != FORMAT {
            bail!(
                "format {} (this zkinfer reads format {FORMAT})",
                self.format
            );
        }
        for t in Target::ALL {
            let Some(f) = self.targets.iter().find(|f| f.target == t.name()) else {
                bail!("no coefficients for '{}'", t.name());
            };
            if f.features != t.feature_names() || f.coefficients.len() != f.features.len() {
                bail!(
                    "'{}' has features {:?} and {} coefficients; this zkinfer uses {:?}",
                    t.name(),
                    f.features,
                    f.coefficients.len(),
                    t.feature_names()
                );
            }
            if f.coefficients.iter().any(|c| !c.is_finite() || *c < 0.0) {
                bail!("'{}' has a negative or non-finite coefficient", t.name());
            }
        }
        for (name, table) in [
            ("opening_bytes", &self.opening_bytes),
            ("zk_opening_bytes", &self.zk_opening_bytes),
        ] {
            if table.is_empty() || !table.windows(2).all(|w| w[0][0] < w[1][0]) {
                bail!("{name} must list [variables, bytes] by increasing variables");
            }
        }
        for (name, v) in [
            ("point_bytes", self.point_bytes),
            ("value_bytes", self.value_bytes),
        ] {
            if !v.is_finite() || v < 0.0 {
                bail!("{name} must be a non-negative number");
            }
        }
        Ok(())
    }

    /// Reads and checks a calibration file; errors name the path and the problem.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        // A regular file of at most 1 MiB (the files --calibrate writes are a few KiB): `/dev/zero`
        // once streamed without end here (2 GB in 5 s).
        let text = zkinfer_onnx::read_capped(path, 1 << 20).map_err(|e| {
            anyhow::anyhow!("{}: cannot read calibration file: {e}", path.display())
        })?;
        let cal: Self = serde_json::from_slice(&text).with_context(|| {
            format!(
                "{}: not a calibration file (expected the JSON `zkinfer estimate --calibrate` writes)",
                path.display()
            )
        })?;
        cal.check().with_context(|| {
            format!(
                "{}: unusable calibration (run `zkinfer estimate --calibrate` again)",
                path.display()
            )
        })?;
        Ok(cal)
    }

    /// Writes the calibration as JSON, creating the parent directory.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("{}: cannot write calibration file", path.display()))
    }
}

/// `bytes` at `vars` from a table of `[variables, bytes]`: exact where measured, linear between or
/// beyond the nearest two points otherwise.
fn interpolate(table: &[[u64; 2]], vars: usize) -> f64 {
    let table: Vec<(f64, f64)> = table.iter().map(|&[v, b]| (v as f64, b as f64)).collect();
    let n = vars as f64;
    let i = table
        .iter()
        .position(|&(v, _)| v >= n)
        .unwrap_or(table.len());
    let (a, b) = match (i, table.len()) {
        (_, 0) => return 0.0,
        (_, 1) => (table[0], table[0]),
        (0, _) => (table[0], table[1]),
        (i, len) if i >= len => (table[len - 2], table[len - 1]),
        (i, _) => (table[i - 1], table[i]),
    };
    if b.0 == a.0 {
        a.1
    } else {
        a.1 + (b.1 - a.1) * (n - a.0) / (b.0 - a.0)
    }
}

/// The default calibration file: `$XDG_CACHE_HOME/zkinfer/calibration.json`, else
/// `$HOME/.cache/zkinfer/calibration.json`; `None` when neither variable is set.
pub fn default_path() -> Option<PathBuf> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let cache = nonempty("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| nonempty("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("zkinfer").join("calibration.json"))
}

/// The CPU model and core count of this machine, for the record.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores")
}

#[cfg(test)]
mod tests;
