//! `zkinfer verify DIR/verifier.key PROOF --input INPUT.json`
//!
//! Exit status: 0 valid, 1 invalid (the reason is printed), 2 usage errors and unreadable or
//! malformed files.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use zkinfer_protocol::{Proof, ProofFile, ProtocolError, Verified, VerifierKey};

use crate::zk::{
    dequantize_output, fmt_values, hex, quantize_input_file, read_proof, read_verifier_key, spinner,
};

/// Verifies a proof of either kind with the verifier of its kind.
pub fn verify_proof(
    vk: &VerifierKey,
    input: &[i64],
    output: &[i64],
    proof: &Proof,
) -> Result<Verified, ProtocolError> {
    match proof {
        Proof::Plain(p) => zkinfer_protocol::verify(vk, input, output, p),
        Proof::Zk(p) => zkinfer_protocol::verify_zk(vk, input, output, p),
    }
}

/// How a proof's mode is printed.
pub fn mode_label(zero_knowledge: bool) -> &'static str {
    if zero_knowledge {
        "zero knowledge"
    } else {
        "plain: the proof reveals evaluations of the input and activations"
    }
}

/// Arguments of `verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The verifier key (DIR/verifier.key written by `setup`).
    pub key: PathBuf,
    /// The proof file written by `prove`.
    pub proof: PathBuf,
    /// The input the proof is claimed for (`{"input_data": [[...]]}`).
    #[arg(long)]
    pub input: PathBuf,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Everything read before the proof is checked.
struct Loaded {
    vk: VerifierKey,
    pf: ProofFile,
    input: Vec<i64>,
}

fn load(a: &Args) -> anyhow::Result<Loaded> {
    let vk = read_verifier_key(&a.key)?;
    let pf = read_proof(&a.proof)?;
    let input = quantize_input_file(&vk.architecture, &a.input)?;
    Ok(Loaded { vk, pf, input })
}

/// Checks the proof; the exit status says whether it is valid (see the module docs).
pub fn run(a: Args) -> ExitCode {
    let Loaded { vk, pf, input } = match load(&a) {
        Ok(l) => l,
        Err(e) => {
            if a.json {
                let v = serde_json::json!({ "valid": false, "error": format!("{e:#}"), "usage_error": true });
                println!("{v}");
            }
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let pb = spinner(a.json, "verifying");
    let start = Instant::now();
    let res = verify_proof(&vk, &input, &pf.output, &pf.proof);
    let zero_knowledge = pf.proof.zero_knowledge();
    let secs = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let real = dequantize_output(&vk.architecture, &pf.output);
    let hash = hex(&vk.model_hash);
    let commitment = hex(&vk.weight_commitment.to_bytes());
    let (soundness, error) = match &res {
        Ok(v) => (Some(v.soundness_bits), None),
        Err(e) => (None, Some(format!("{}: {e}", a.proof.display()))),
    };
    if a.json {
        let mut v = serde_json::json!({
            "valid": res.is_ok(),
            "output": real,
            "output_quantized": pf.output,
            "model_hash": hash,
            "weight_commitment": commitment,
            "soundness_bits": soundness,
            "zero_knowledge": zero_knowledge,
            "verify_seconds": secs,
        });
        if let (Some(e), Some(obj)) = (&error, v.as_object_mut()) {
            obj.insert("error".into(), e.clone().into());
        }
        println!("{v}");
    } else {
        println!("model hash:        {hash}");
        println!("weight commitment: {commitment}");
        println!("output:            {}", fmt_values(&real));
        let mode = mode_label(zero_knowledge);
        match (soundness, &error) {
            (Some(bits), _) => println!(
                "VALID ({mode}): proof verified in {secs:.3} s ({bits:.1} bits of soundness)"
            ),
            (None, e) => println!("INVALID ({mode}): {}", e.as_deref().unwrap_or("")),
        }
    }
    match error {
        None => ExitCode::SUCCESS,
        Some(e) => {
            if a.json {
                eprintln!("invalid proof: {e}");
            }
            ExitCode::from(1)
        }
    }
}
