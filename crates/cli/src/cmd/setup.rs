//! `zkinfer setup MODEL.onnx --calibration CAL.json --out DIR [--zk | --no-zk] [--force]`
//!
//! The keys serve one proof mode, chosen here: zero knowledge by default (the verifier key holds
//! the salted weight digest and no weight commitment), plain with `--no-zk`. Setup refuses to
//! replace keys already in `DIR` unless `--force` is given: new keys have a new key id (always in
//! zero knowledge, whose salt is fresh), and no proof made with the old ones verifies with them.

use std::path::PathBuf;

use zkinfer_api::Model;
use zkinfer_api::Samples;
use zkinfer_protocol::ProofMode;

use crate::cmd::files::{progress, spinner};
use crate::cmd::quant_args::QuantArgs;

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
    /// The mode asked for: `--zk`, `--no-zk`, else the library's default
    /// ([`zkinfer_api::ZK_BY_DEFAULT`]).
    pub fn mode(&self) -> ProofMode {
        zkinfer_api::mode(match (self.zk, self.no_zk) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        })
    }
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
    let mode = a.mode();
    let pb = spinner(a.json, "quantizing the model");
    let r = zkinfer_api::setup(
        Model::File(&a.model),
        Samples::File(&a.calibration),
        a.quant.widths(),
        mode,
        &a.out,
        a.force,
        Some(&progress(&pb)),
    )?;
    pb.finish_and_clear();
    let narrowed = narrowed_note(&r.narrowed, r.act_bits);
    let secs = r.setup_seconds;
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "key_id": r.key_id,
            "model_hash": r.model_hash,
            "zero_knowledge": r.zero_knowledge,
            "weight_commitment": r.binding.commitment,
            "weight_digest": r.binding.digest,
            "prover_key": r.prover_key,
            "prover_key_bytes": r.prover_key_bytes,
            "verifier_key": r.verifier_key,
            "verifier_key_bytes": r.verifier_key_bytes,
            "weight_bits": r.weight_bits,
            "act_bits": r.act_bits,
            "setup_seconds": secs,
        });
        println!("{v}");
        return Ok(());
    }
    if let Some(note) = narrowed {
        println!("{note}");
    }
    println!(
        "key id:            {} (every proof made with these keys names it)",
        r.key_id
    );
    println!("model hash:        {}", r.model_hash);
    println!("{}", r.binding.line());
    println!(
        "mode:              {}",
        if r.zero_knowledge {
            "zero knowledge (prove makes zero-knowledge proofs with these keys; the verifier key \
             binds the weights by the salted digest only)"
        } else {
            "plain (prove makes plain proofs with these keys, which do not hide the weights)"
        }
    );
    println!(
        "quantization:      {} weight bits, {} activation bits, {} IR nodes",
        r.weight_bits, r.act_bits, r.ir_nodes
    );
    println!(
        "wrote {} ({} bytes, private) and {} ({} bytes, public) in {secs:.2} s",
        r.prover_key.display(),
        r.prover_key_bytes,
        r.verifier_key.display(),
        r.verifier_key_bytes
    );
    Ok(())
}
