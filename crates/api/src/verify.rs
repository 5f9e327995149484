//! Verify: check a proof against a verifier key, the input (a proof of a public input) or the
//! input commitment it carries (a private input), and the output the proof file claims.
//!
//! A proof of a public input needs the input; one of a private input refuses it, and with the
//! opening its owner kept also checks that the commitment is to that input. The proof file names
//! the key it was made for: a proof made with another key is rejected by name first.

use std::path::Path;
use std::time::Instant;

use zkinfer_protocol::{
    InputOpening, Proof, ProofFile, ProtocolError, SoundnessTerm, Verified, VerifierKey,
};

use crate::error::{ApiError, ErrorKind, invalid, protocol_kind};
use crate::files::{
    BindingHex, Input, dequantize_output, hex, quantize_input, read_proof, read_verifier_key,
};

/// What messages call the key, the proof and the two optional arguments (the CLI's paths and
/// flags, or a library's parameter names).
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// The verifier key.
    pub key: &'a str,
    /// The proof.
    pub proof: &'a str,
    /// How the input is given (`--input`).
    pub input_arg: &'a str,
    /// How the input's opening is given (`--input-opening`).
    pub opening_arg: &'a str,
}

/// A private input's opening, as `prove` made it: a file, or the value.
#[derive(Debug, Clone, Copy)]
pub enum Opening<'a> {
    /// The JSON file `prove --private-input` wrote.
    File(&'a Path),
    /// The opening.
    Value(&'a InputOpening),
}

/// The outcome of a verification whose files and arguments could be used.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The verifier key's id, hex.
    pub key_id: String,
    /// The model hash, hex.
    pub model_hash: String,
    /// The key's weight binding.
    pub binding: BindingHex,
    /// The output the proof claims, quantized.
    pub output: Vec<i64>,
    /// The same, dequantized.
    pub output_real: Vec<f64>,
    /// The proof's kind.
    pub zero_knowledge: bool,
    /// Whether the proof is of a private input.
    pub private_input: bool,
    /// With an opening: whether the proof's input commitment is to its input.
    pub input_opening_matches: Option<bool>,
    /// Valid: the soundness, in bits, and its terms; invalid: the kind and the reason.
    pub result: Result<Verified, (ErrorKind, String)>,
    /// Wall time of the check.
    pub verify_seconds: f64,
}

impl Verification {
    /// Whether the proof is valid.
    pub fn valid(&self) -> bool {
        self.result.is_ok()
    }

    /// The soundness in bits, when valid.
    pub fn soundness_bits(&self) -> Option<f64> {
        self.result.as_ref().ok().map(|v| v.soundness_bits)
    }

    /// The soundness terms, when valid.
    pub fn soundness_terms(&self) -> Option<&[SoundnessTerm]> {
        self.result.as_ref().ok().map(|v| &v.soundness_terms[..])
    }
}

// The verdict itself is the verifier crate's, which the browser verifier runs too.
pub use zkinfer_verifier::{has_private_input, verify_proof};

/// Reads the key and the proof file and verifies ([`verify`]).
pub fn verify_files(
    key: &Path,
    proof: &Path,
    input: Option<Input<'_>>,
    opening: Option<Opening<'_>>,
    names: &Names<'_>,
) -> Result<Verification, ApiError> {
    let vk = read_verifier_key(key)?;
    let pf = read_proof(proof)?;
    verify(&vk, &pf, input, opening, names)
}

/// Checks that the key, the proof and the arguments fit together (an `Err` when they do not: a
/// usage error, not an invalid proof), then checks the proof.
pub fn verify(
    vk: &VerifierKey,
    pf: &ProofFile,
    input: Option<Input<'_>>,
    opening: Option<Opening<'_>>,
    names: &Names<'_>,
) -> Result<Verification, ApiError> {
    // Keys serve one mode: say so before checking anything (a usage error, not an invalid proof).
    let (key_zk, proof_zk) = (vk.mode().zero_knowledge(), pf.proof.zero_knowledge());
    if key_zk != proof_zk {
        let kind = |zk: bool| if zk { "zero-knowledge" } else { "plain" };
        return Err(ApiError::refused(
            ErrorKind::WrongMode,
            format!(
                "{}: a verifier key for {} proofs cannot check {}, a {} proof (setup makes keys \
                 for zero-knowledge proofs by default and for plain ones with --no-zk)",
                names.key,
                kind(key_zk),
                names.proof,
                kind(proof_zk)
            ),
        ));
    }
    let private = has_private_input(&pf.proof);
    let usage = |message: String| ApiError::refused(ErrorKind::Usage, message);
    let input = match (input, private) {
        (Some(_), true) => {
            return Err(usage(format!(
                "{}: the proof is of a private input; verify it without {} (check an input with \
                 {})",
                names.proof, names.input_arg, names.opening_arg
            )));
        }
        (None, false) => {
            return Err(usage(format!(
                "{}: the proof is of a public input; give it with {}",
                names.proof, names.input_arg
            )));
        }
        (Some(x), false) => Some(quantize_input(&vk.architecture, x)?),
        (None, true) => None,
    };
    let opening_matches = match (opening, &pf.proof) {
        (None, _) => None,
        (Some(o), Proof::Zk(p)) if p.input_commitment.is_some() => {
            let (read, label);
            let opening = match o {
                Opening::File(path) => {
                    read = read_opening(path, input_len(vk))?;
                    label = path.display().to_string();
                    &read
                }
                Opening::Value(v) => {
                    label = "the input opening".to_string();
                    v
                }
            };
            let c = opening.commitment().map_err(|e| invalid!("{label}: {e}"))?;
            Some(Some(c) == p.input_commitment)
        }
        (Some(_), _) => {
            return Err(usage(format!(
                "{}: {} is not a proof of a private input",
                names.opening_arg, names.proof
            )));
        }
    };
    Ok(check(vk, pf, input.as_deref(), opening_matches, names))
}

/// Checks the proof once its arguments are known to fit.
fn check(
    vk: &VerifierKey,
    pf: &ProofFile,
    input: Option<&[i64]>,
    opening_matches: Option<bool>,
    names: &Names<'_>,
) -> Verification {
    let start = Instant::now();
    // The key id first: a proof for another key fails by name, not in its first broken check.
    let res = pf
        .check_key(vk)
        .and_then(|()| verify_proof(vk, input, &pf.output, &pf.proof));
    let res = res.and_then(|v| {
        if opening_matches == Some(false) {
            Err(ProtocolError::Structure(
                "the proof's input commitment is not to the input of the given opening".into(),
            ))
        } else {
            Ok(v)
        }
    });
    let verify_seconds = start.elapsed().as_secs_f64();
    let result = res.map_err(|e| {
        let kind = protocol_kind(&e)
            .filter(|&k| k == ErrorKind::WrongKey)
            .unwrap_or(ErrorKind::InvalidProof);
        (kind, format!("{}: {e}", names.proof))
    });
    Verification {
        key_id: vk.key_id().to_string(),
        model_hash: hex(&vk.model_hash),
        // A zero-knowledge key holds the salted digest only, never a commitment.
        binding: BindingHex::of(vk),
        output: pf.output.clone(),
        output_real: dequantize_output(&vk.architecture, &pf.output),
        zero_knowledge: pf.proof.zero_knowledge(),
        private_input: has_private_input(&pf.proof),
        input_opening_matches: opening_matches,
        result,
        verify_seconds,
    }
}

/// The number of values in the model's one input (0 if the key names no input node).
fn input_len(vk: &VerifierKey) -> usize {
    let m = &vk.architecture;
    m.inputs.first().map_or(0, |&id| m.len_of(id))
}

/// Reads the opening `prove --private-input` wrote, streamed from the file and capped at what an
/// opening of an input of `input_len` values can take: the input and `4 * 2^num_vars` blinder
/// entries, at most 32 bytes each even pretty-printed. (The old fixed 64 MiB cap let a file at
/// the cap decode into 256 MB of integers.)
pub fn read_opening(path: &Path, input_len: usize) -> Result<InputOpening, ApiError> {
    let entries = input_len.saturating_add(input_len.next_power_of_two().saturating_mul(4));
    let cap = entries
        .saturating_mul(32)
        .saturating_add(4096)
        .min(64 << 20) as u64;
    let cannot = |e: String| invalid!("{}: cannot read the input opening: {e}", path.display());
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
    parsed.map_err(|e| invalid!("{}: not an input opening: {e}", path.display()))
}
