//! `zkinfer setup MODEL.onnx --calibration CAL.json --out DIR`

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use crate::cmd::quant_args::QuantArgs;
use crate::zk::{PROVER_KEY, VERIFIER_KEY, hex, spinner, write_file};

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
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub quant: QuantArgs,
}

/// Quantizes the model, commits to its weights and writes the two keys.
pub fn run(a: Args) -> anyhow::Result<()> {
    let cfg = a.quant.config()?;
    let start = Instant::now();
    let pb = spinner(a.json, "quantizing the model");
    let prep = zkinfer_onnx::prepare(&a.model, &a.calibration, cfg.as_ref())
        .with_context(|| format!("preparing {}", a.model.display()))?;
    pb.set_message("committing to the weights");
    let (pk, vk) = zkinfer_protocol::setup(prep.qmodel)
        .with_context(|| format!("{}: setup failed", a.model.display()))?;
    pb.finish_and_clear();
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("{}: cannot create directory", a.out.display()))?;
    let (pk_path, vk_path) = (a.out.join(PROVER_KEY), a.out.join(VERIFIER_KEY));
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    write_file(&pk_path, &pk_bytes, true)?;
    write_file(&vk_path, &vk_bytes, false)?;
    let hash = hex(&vk.model_hash);
    let commitment = hex(&vk.weight_commitment.to_bytes());
    let digest = super::digest_hex(&vk);
    let secs = start.elapsed().as_secs_f64();
    if a.json {
        let v = serde_json::json!({
            "model_hash": hash,
            "weight_commitment": commitment,
            "weight_digest": digest,
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
    println!("model hash:        {hash}");
    println!("weight commitment: {commitment} (plain proofs)");
    println!("weight digest:     {digest} (zero-knowledge proofs)");
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
