//! `zkinfer verify DIR/verifier.key PROOF [--input INPUT.json] [--input-opening OPENING.json]`
//!
//! `--input` is required for a proof of a public input and refused for one of a private input,
//! which is verified against the input commitment it carries; `--input-opening` (the file
//! `prove --private-input` wrote) also checks that the commitment is to the owner's input.
//!
//! The proof file names the key it was made for: a proof made with another key (of another
//! model, or of another run of setup) is refused by name before anything else is checked.
//!
//! Exit status: 0 valid, 1 invalid (the reason is printed; a proof for another key is invalid for
//! this one), 2 usage errors and unreadable or malformed files.

use std::path::PathBuf;
use std::process::ExitCode;

use zkinfer_api::{Input, Names, Opening};

use crate::cmd::files::{fmt_values, spinner};
use crate::report::{classify, error_json};

pub use zkinfer_verifier::mode_label;

/// Arguments of `verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The verifier key (DIR/verifier.key written by `setup`).
    pub key: PathBuf,
    /// The proof file written by `prove`.
    pub proof: PathBuf,
    /// The input the proof is claimed for (`{"input_data": [[...]]}`); required unless the proof
    /// is of a private input, refused if it is.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// For a proof of a private input: the opening `prove --private-input` wrote; checks that the
    /// proof's input commitment is to that input.
    #[arg(long)]
    pub input_opening: Option<PathBuf>,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Checks the proof; the exit status says whether it is valid (see the module docs).
pub fn run(a: Args) -> ExitCode {
    let (key, proof) = (a.key.display().to_string(), a.proof.display().to_string());
    let names = Names {
        key: &key,
        proof: &proof,
        input_arg: "--input",
        opening_arg: "--input-opening",
    };
    let pb = spinner(a.json, "verifying");
    let checked = zkinfer_api::verify_files(
        &a.key,
        &a.proof,
        a.input.as_deref().map(Input::File),
        a.input_opening.as_deref().map(Opening::File),
        &names,
    );
    pb.finish_and_clear();
    let v = match checked {
        Ok(v) => v,
        Err(e) => {
            let e = anyhow::Error::from(e);
            if a.json {
                let mut v = error_json(classify(&e), &format!("{e:#}"));
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("valid".into(), false.into());
                }
                println!("{v}");
            }
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let secs = v.verify_seconds;
    let error = v.result.as_ref().err();
    if a.json {
        let mut out = serde_json::json!({
            "ok": v.valid(),
            "valid": v.valid(),
            "key_id": v.key_id,
            "output": v.output_real,
            "output_quantized": v.output,
            "model_hash": v.model_hash,
            "weight_commitment": v.binding.commitment,
            "weight_digest": v.binding.digest,
            "soundness_bits": v.soundness_bits(),
            "soundness_terms": v.soundness_terms(),
            "zero_knowledge": v.zero_knowledge,
            "private_input": v.private_input,
            "input_opening_matches": v.input_opening_matches,
            "verify_seconds": secs,
        });
        if let (Some((kind, message)), Some(obj)) = (error, out.as_object_mut()) {
            let e = error_json(*kind, message);
            obj.insert("error".into(), e["error"].clone());
        }
        println!("{out}");
    } else {
        println!("key id:            {}", v.key_id);
        println!("model hash:        {}", v.model_hash);
        println!("{}", v.binding.line());
        println!("output:            {}", fmt_values(&v.output_real));
        let mode = if v.private_input {
            "zero knowledge, private input"
        } else {
            mode_label(v.zero_knowledge)
        };
        if v.input_opening_matches == Some(true) {
            println!("input:             the proof's input commitment matches the opening");
        }
        match (v.soundness_bits(), error) {
            (Some(bits), _) => println!(
                "VALID ({mode}): proof verified in {secs:.3} s ({bits:.1} bits of soundness, \
                 union bound)"
            ),
            (None, e) => println!(
                "INVALID ({mode}): {}",
                e.as_ref().map_or("", |(_, m)| m.as_str())
            ),
        }
    }
    match error {
        None => ExitCode::SUCCESS,
        Some((_, e)) => {
            if a.json {
                eprintln!("invalid proof: {e}");
            }
            ExitCode::from(1)
        }
    }
}
