//! `zkinfer setup MODEL.onnx --calibration CAL.json --out DIR [--zk | --no-zk] [--force]`
//!
//! The keys serve one proof mode, chosen here: zero knowledge by default (the verifier key holds
//! the salted weight digest and no weight commitment), plain with `--no-zk`. Setup refuses to
//! replace keys already in `DIR` unless `--force` is given: new keys have a new key id (always in
//! zero knowledge, whose salt is fresh), and no proof made with the old ones verifies with them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use crate::cmd::quant_args::QuantArgs;
use crate::report::{ErrorKind, fail};
use zkinfer_protocol::ProofMode;

use crate::cmd::files::{BindingHex, PROVER_KEY, VERIFIER_KEY, hex, spinner, write_file};
use crate::cmd::prove::ZK_BY_DEFAULT;

/// Arguments of `setup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ONNX model.
    pub model: PathBuf,
    /// Calibration samples: EZKL's form (input_data[0] holds k samples concatenated) or, for a
    /// single-input model, one list per sample.
    #[arg(long)]
    pub calibration: PathBuf,
    /// Directory for prover.key (private) and verifier.key (public); created if missing.
    #[arg(long)]
    pub out: PathBuf,
    /// Keys for zero-knowledge proofs (the default): the verifier key binds the weights by a
    /// salted digest and holds no weight commitment
    #[arg(long, conflicts_with = "no_zk")]
    pub zk: bool,
    /// Keys for plain proofs: the verifier key holds the weight commitment, which is
    /// deterministic in the weights (anyone can test a guess of them against it)
    #[arg(long)]
    pub no_zk: bool,
    /// Replace prover.key and verifier.key if the directory holds them already (every proof made
    /// with the old keys stops verifying)
    #[arg(long)]
    pub force: bool,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub quant: QuantArgs,
}

impl Args {
    /// The mode asked for: `--zk`, `--no-zk`, else [`ZK_BY_DEFAULT`].
    pub fn mode(&self) -> ProofMode {
        let zk = match (self.zk, self.no_zk) {
            (true, _) => true,
            (_, true) => false,
            _ => ZK_BY_DEFAULT,
        };
        if zk {
            ProofMode::ZeroKnowledge
        } else {
            ProofMode::Plain
        }
    }
}

/// Refuses to replace keys in `dir` without `force` (checked before the model is even read, so
/// the refusal is immediate).
fn check_overwrite(dir: &Path, force: bool) -> anyhow::Result<()> {
    if force {
        return Ok(());
    }
    for name in [PROVER_KEY, VERIFIER_KEY] {
        let path = dir.join(name);
        if path.symlink_metadata().is_ok() {
            return Err(fail(
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

/// Says which automatic activation widths were passed over and why (the first reason).
fn narrowed_note(narrowed: &[(u32, String)], chosen: u32) -> Option<String> {
    let ((first, why), rest) = narrowed.split_first()?;
    let tried: Vec<String> = std::iter::once(first)
        .chain(rest.iter().map(|(b, _)| b))
        .map(u32::to_string)
        .collect();
    Some(format!(
        "note: activation width {chosen} bits, chosen automatically: at {} bits the model does \
         not prove ({first} bits: {why})",
        tried.join(", ")
    ))
}

/// Quantizes the model, binds its weights for the chosen mode and writes the two keys.
pub fn run(a: Args) -> anyhow::Result<()> {
    check_overwrite(&a.out, a.force)?;
    let cfg = a.quant.config()?;
    let mode = a.mode();
    let start = Instant::now();
    let pb = spinner(a.json, "quantizing the model");
    // A width whose requantizations cannot be proven is passed over (automatic widths) or
    // refused naming one that proves (--act-bits), rather than failing after the keys are made.
    let provable = |q: &zkinfer_ir::QModel| {
        zkinfer_protocol::check_provable(q, mode).map_err(|e| e.to_string())
    };
    let prep = zkinfer_onnx::prepare_checked(&a.model, &a.calibration, cfg.as_ref(), &provable)
        .with_context(|| format!("preparing {}", a.model.display()))?;
    let narrowed = narrowed_note(&prep.narrowed, prep.qmodel.config.act_bits);
    pb.set_message("committing to the weights");
    let (pk, vk) = zkinfer_protocol::setup(prep.qmodel, mode)
        .with_context(|| format!("{}: setup failed", a.model.display()))?;
    pb.finish_and_clear();
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("{}: cannot create directory", a.out.display()))?;
    let (pk_path, vk_path) = (a.out.join(PROVER_KEY), a.out.join(VERIFIER_KEY));
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    write_file(&pk_path, &pk_bytes, true)?;
    write_file(&vk_path, &vk_bytes, false)?;
    let hash = hex(&vk.model_hash);
    let key_id = vk.key_id().to_string();
    let binding = BindingHex::of(&vk);
    let secs = start.elapsed().as_secs_f64();
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "key_id": key_id,
            "model_hash": hash,
            "zero_knowledge": mode.zero_knowledge(),
            "weight_commitment": binding.commitment,
            "weight_digest": binding.digest,
            "prover_key": pk_path,
            "prover_key_bytes": pk_bytes.len(),
            "verifier_key": vk_path,
            "verifier_key_bytes": vk_bytes.len(),
            "weight_bits": pk.model.config.weight_bits,
            "act_bits": pk.model.config.act_bits,
            "setup_seconds": secs,
        });
        println!("{v}");
        return Ok(());
    }
    if let Some(note) = narrowed {
        println!("{note}");
    }
    println!("key id:            {key_id} (every proof made with these keys names it)");
    println!("model hash:        {hash}");
    println!("{}", binding.line());
    println!(
        "mode:              {}",
        if mode.zero_knowledge() {
            "zero knowledge (prove makes zero-knowledge proofs with these keys; the verifier key \
             binds the weights by the salted digest only)"
        } else {
            "plain (prove makes plain proofs with these keys, which do not hide the weights)"
        }
    );
    println!(
        "quantization:      {} weight bits, {} activation bits, {} IR nodes",
        pk.model.config.weight_bits,
        pk.model.config.act_bits,
        pk.model.nodes.len()
    );
    println!(
        "wrote {} ({} bytes, private) and {} ({} bytes, public) in {secs:.2} s",
        pk_path.display(),
        pk_bytes.len(),
        vk_path.display(),
        vk_bytes.len()
    );
    Ok(())
}
