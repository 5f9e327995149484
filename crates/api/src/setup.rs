//! Setup: quantize a model, bind its weights for one proof mode, and make (and write) the keys.
//!
//! The keys serve one proof mode: zero knowledge by default (the verifier key holds the salted
//! weight digest and no weight commitment), plain on request. Writing keys refuses to replace keys
//! already in the folder unless forced: new keys have a new key id (always in zero knowledge, whose
//! salt is fresh), and no proof made with the old ones verifies with them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use zkinfer_ir::QuantConfig;
use zkinfer_protocol::{ProofMode, ProverKey, VerifierKey};

use crate::error::{ApiError, ErrorKind};
use crate::files::{BindingHex, PROVER_KEY, VERIFIER_KEY, hex, write_file};
use crate::model::{Model, Samples, Widths, prepare};
use crate::progress::{Progress, report};

/// Whether keys are for zero-knowledge proofs when no mode is asked for. The one place the default
/// lives: the zero-knowledge proof covers every layer the plain one does; plain keys remain for
/// smaller, faster proofs where nothing needs hiding.
pub const ZK_BY_DEFAULT: bool = true;

/// The default mode ([`ZK_BY_DEFAULT`]), or the one asked for.
pub fn mode(zero_knowledge: Option<bool>) -> ProofMode {
    if zero_knowledge.unwrap_or(ZK_BY_DEFAULT) {
        ProofMode::ZeroKnowledge
    } else {
        ProofMode::Plain
    }
}

/// Keys made in memory.
pub struct Keys {
    /// The private key: the quantized model with its weights, and the binding's secrets.
    pub prover: ProverKey,
    /// The public key.
    pub verifier: VerifierKey,
    /// Automatic activation widths passed over because the model does not prove at them, widest
    /// first, with the first reason.
    pub narrowed: Vec<(u32, String)>,
}

/// What `setup` wrote and its figures.
#[derive(Debug, Clone)]
pub struct SetupReport {
    /// The key id (the verifier key's digest), hex.
    pub key_id: String,
    /// The model hash, hex.
    pub model_hash: String,
    /// The keys' mode.
    pub zero_knowledge: bool,
    /// The weight binding of the mode, hex.
    pub binding: BindingHex,
    /// The prover key's file (private).
    pub prover_key: PathBuf,
    /// Its size.
    pub prover_key_bytes: usize,
    /// The verifier key's file (public).
    pub verifier_key: PathBuf,
    /// Its size.
    pub verifier_key_bytes: usize,
    /// Weight bits.
    pub weight_bits: u32,
    /// Activation bits.
    pub act_bits: u32,
    /// IR nodes of the quantized model.
    pub ir_nodes: usize,
    /// Automatic widths passed over (see [`Keys::narrowed`]).
    pub narrowed: Vec<(u32, String)>,
    /// Wall time of the whole setup.
    pub setup_seconds: f64,
}

/// Quantizes the model (passing over automatic widths that do not prove in `mode`) and binds its
/// weights: the keys, in memory.
pub fn make_keys(
    model: Model<'_>,
    calibration: Samples<'_>,
    cfg: Option<&QuantConfig>,
    mode: ProofMode,
    progress: Option<&Progress>,
) -> Result<Keys, ApiError> {
    report(progress, "quantizing the model");
    // A width whose requantizations cannot be proven is passed over (automatic widths) or
    // refused naming one that proves (a forced width), rather than failing after the keys are made.
    let prep = prepare(model, calibration, cfg, Some(mode))?;
    report(progress, "committing to the weights");
    let (prover, verifier) =
        zkinfer_protocol::setup(prep.qmodel, mode).map_err(|source| ApiError::Protocol {
            context: format!("{}: setup failed", model.label()),
            source,
        })?;
    Ok(Keys {
        prover,
        verifier,
        narrowed: prep.narrowed,
    })
}

/// Refuses to replace keys in `dir` without `force` (checked before the model is even read, so
/// the refusal is immediate).
pub fn check_overwrite(dir: &Path, force: bool) -> Result<(), ApiError> {
    if force {
        return Ok(());
    }
    for name in [PROVER_KEY, VERIFIER_KEY] {
        let path = dir.join(name);
        if path.symlink_metadata().is_ok() {
            return Err(ApiError::refused(
                ErrorKind::KeysExist,
                format!(
                    "{} exists: setup would replace the keys, and no proof made with them would \
                     verify any more; pass --force to overwrite them, or choose another --out",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// `setup`: makes the keys and writes `out/prover.key` (private) and `out/verifier.key`,
/// creating `out` if missing; refuses to replace keys there unless `force`.
pub fn setup(
    model: Model<'_>,
    calibration: Samples<'_>,
    widths: Widths,
    mode: ProofMode,
    out: &Path,
    force: bool,
    progress: Option<&Progress>,
) -> Result<SetupReport, ApiError> {
    check_overwrite(out, force)?;
    let cfg = widths.config()?;
    let start = Instant::now();
    let keys = make_keys(model, calibration, cfg.as_ref(), mode, progress)?;
    std::fs::create_dir_all(out).map_err(|source| ApiError::Io {
        context: format!("{}: cannot create directory", out.display()),
        source,
    })?;
    let (pk_path, vk_path) = (out.join(PROVER_KEY), out.join(VERIFIER_KEY));
    let (pk_bytes, vk_bytes) = (keys.prover.to_bytes(), keys.verifier.to_bytes());
    write_file(&pk_path, &pk_bytes, true)?;
    write_file(&vk_path, &vk_bytes, false)?;
    let config = &keys.prover.model.config;
    Ok(SetupReport {
        key_id: keys.verifier.key_id().to_string(),
        model_hash: hex(&keys.verifier.model_hash),
        zero_knowledge: mode.zero_knowledge(),
        binding: BindingHex::of(&keys.verifier),
        prover_key: pk_path,
        prover_key_bytes: pk_bytes.len(),
        verifier_key: vk_path,
        verifier_key_bytes: vk_bytes.len(),
        weight_bits: config.weight_bits,
        act_bits: config.act_bits,
        ir_nodes: keys.prover.model.nodes.len(),
        narrowed: keys.narrowed,
        setup_seconds: start.elapsed().as_secs_f64(),
    })
}
