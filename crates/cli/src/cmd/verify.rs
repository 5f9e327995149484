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

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use zkinfer_protocol::{Proof, ProofFile, ProtocolError, VerifierKey};
use zkinfer_verifier::input_len;

use crate::cmd::files::{
    BindingHex, dequantize_output, fmt_values, hex, quantize_input_file, read_proof,
    read_verifier_key, spinner,
};
use crate::report::{ErrorKind, classify, error_json, fail, protocol_kind};

// One implementation of what the verdict rests on, shared with the browser verifier (crates/wasm).
pub use zkinfer_verifier::{has_private_input, mode_label, verify_proof};

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

/// Everything read before the proof is checked.
struct Loaded {
    vk: VerifierKey,
    pf: ProofFile,
    input: Option<Vec<i64>>,
    /// The owner's opening, when given: whether it matches the proof's input commitment.
    opening_matches: Option<bool>,
}

fn load(a: &Args) -> anyhow::Result<Loaded> {
    let vk = read_verifier_key(&a.key)?;
    let pf = read_proof(&a.proof)?;
    // Keys serve one mode: say so before checking anything (a usage error, not an invalid proof).
    let (key_zk, proof_zk) = (vk.mode().zero_knowledge(), pf.proof.zero_knowledge());
    if key_zk != proof_zk {
        let kind = |zk: bool| if zk { "zero-knowledge" } else { "plain" };
        return Err(fail(
            ErrorKind::WrongMode,
            format!(
                "{}: a verifier key for {} proofs cannot check {}, a {} proof (setup makes keys \
                 for zero-knowledge proofs by default and for plain ones with --no-zk)",
                a.key.display(),
                kind(key_zk),
                a.proof.display(),
                kind(proof_zk)
            ),
        ));
    }
    let private = has_private_input(&pf.proof);
    let input = match (&a.input, private) {
        (Some(_), true) => {
            return Err(fail(
                ErrorKind::Usage,
                format!(
                    "{}: the proof is of a private input; verify it without --input (check an \
                     input with --input-opening)",
                    a.proof.display()
                ),
            ));
        }
        (None, false) => {
            return Err(fail(
                ErrorKind::Usage,
                format!(
                    "{}: the proof is of a public input; give it with --input",
                    a.proof.display()
                ),
            ));
        }
        (Some(path), false) => Some(quantize_input_file(&vk.architecture, path)?),
        (None, true) => None,
    };
    let opening_matches = match (&a.input_opening, &pf.proof) {
        (None, _) => None,
        (Some(path), Proof::Zk(p)) if p.input_commitment.is_some() => {
            let opening = read_opening(path, input_len(&vk))?;
            let c = opening
                .commitment()
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Some(Some(c) == p.input_commitment)
        }
        (Some(_), _) => {
            return Err(fail(
                ErrorKind::Usage,
                format!(
                    "--input-opening: {} is not a proof of a private input",
                    a.proof.display()
                ),
            ));
        }
    };
    Ok(Loaded {
        vk,
        pf,
        input,
        opening_matches,
    })
}

/// Reads the opening `prove --private-input` wrote, streamed from the file and capped at what an
/// opening of an input of `input_len` values can take: the input and `4 * 2^num_vars` blinder
/// entries, at most 32 bytes each even pretty-printed. (The old fixed 64 MiB cap let a file at
/// the cap decode into 256 MB of integers.)
fn read_opening(path: &Path, input_len: usize) -> anyhow::Result<zkinfer_protocol::InputOpening> {
    let entries = input_len.saturating_add(input_len.next_power_of_two().saturating_mul(4));
    let cap = entries
        .saturating_mul(32)
        .saturating_add(4096)
        .min(64 << 20) as u64;
    let cannot =
        |e: String| anyhow::anyhow!("{}: cannot read the input opening: {e}", path.display());
    let mut file = zkinfer_onnx::open_capped(path, cap).map_err(|e| {
        cannot(format!(
            "{e} (an opening for this key's {input_len}-value input is smaller)"
        ))
    })?;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(&mut file));
    let parsed = serde::Deserialize::deserialize(&mut de).and_then(|o| de.end().map(|()| o));
    drop(de);
    if zkinfer_onnx::over_cap(&file) {
        return Err(cannot(format!(
            "over the {cap}-byte cap for this key's input"
        )));
    }
    parsed.map_err(|e| anyhow::anyhow!("{}: not an input opening: {e}", path.display()))
}

/// Checks the proof; the exit status says whether it is valid (see the module docs).
pub fn run(a: Args) -> ExitCode {
    let Loaded {
        vk,
        pf,
        input,
        opening_matches,
    } = match load(&a) {
        Ok(l) => l,
        Err(e) => {
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
    let pb = spinner(a.json, "verifying");
    let start = Instant::now();
    // The key id first: a proof for another key fails by name, not in its first broken check.
    let res = pf
        .check_key(&vk)
        .and_then(|()| verify_proof(&vk, input.as_deref(), &pf.output, &pf.proof));
    let res = res.and_then(|v| {
        if opening_matches == Some(false) {
            Err(ProtocolError::Structure(
                "the proof's input commitment is not to the input of the given opening".into(),
            ))
        } else {
            Ok(v)
        }
    });
    let private_input = has_private_input(&pf.proof);
    let zero_knowledge = pf.proof.zero_knowledge();
    let secs = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let real = dequantize_output(&vk.architecture, &pf.output);
    let hash = hex(&vk.model_hash);
    let key_id = vk.key_id().to_string();
    // A zero-knowledge key holds (and this prints) the salted digest only, never a commitment.
    let binding = BindingHex::of(&vk);
    let (soundness, error) = match &res {
        Ok(v) => (Some(v.soundness_bits), None),
        Err(e) => {
            let kind = protocol_kind(e)
                .filter(|&k| k == ErrorKind::WrongKey)
                .unwrap_or(ErrorKind::InvalidProof);
            (None, Some((kind, format!("{}: {e}", a.proof.display()))))
        }
    };
    let terms = res.as_ref().map(|v| v.soundness_terms.clone()).ok();
    if a.json {
        let mut v = serde_json::json!({
            "ok": res.is_ok(),
            "valid": res.is_ok(),
            "key_id": key_id,
            "output": real,
            "output_quantized": pf.output,
            "model_hash": hash,
            "weight_commitment": binding.commitment,
            "weight_digest": binding.digest,
            "soundness_bits": soundness,
            "soundness_terms": terms,
            "zero_knowledge": zero_knowledge,
            "private_input": private_input,
            "input_opening_matches": opening_matches,
            "verify_seconds": secs,
        });
        if let (Some((kind, message)), Some(obj)) = (&error, v.as_object_mut()) {
            let e = error_json(*kind, message);
            obj.insert("error".into(), e["error"].clone());
        }
        println!("{v}");
    } else {
        println!("key id:            {key_id}");
        println!("model hash:        {hash}");
        println!("{}", binding.line());
        println!("output:            {}", fmt_values(&real));
        let mode = if private_input {
            "zero knowledge, private input"
        } else {
            mode_label(zero_knowledge)
        };
        if opening_matches == Some(true) {
            println!("input:             the proof's input commitment matches the opening");
        }
        match (soundness, &error) {
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
