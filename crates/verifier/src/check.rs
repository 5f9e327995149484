//! Checking a proof file against a verifier key: what `zkinfer verify` and the browser verifier
//! check, in this order: the key's mode against the proof's, an input given exactly when the proof
//! is of a public input, the key id the proof names, then the verifier of the proof's kind.

use serde::Serialize;
use thiserror::Error;
use zkinfer_protocol::{
    CodecError, Proof, ProofFile, ProtocolError, SoundnessTerm, Verified, VerifierKey,
};

use crate::input::{InputError, parse_input};
use crate::statement::Statement;

/// Verifies a proof of either kind with the verifier of its kind.
pub fn verify_proof(
    vk: &VerifierKey,
    input: Option<&[i64]>,
    output: &[i64],
    proof: &Proof,
) -> Result<Verified, ProtocolError> {
    match (proof, input) {
        (Proof::Plain(p), Some(x)) => zkinfer_protocol::verify(vk, x, output, p),
        (Proof::Plain(_), None) => Err(ProtocolError::Structure(
            "a plain proof is verified against its input: give --input".into(),
        )),
        (Proof::Zk(p), x) => zkinfer_protocol::verify_zk_with(vk, x, output, p),
    }
}

/// Whether a proof carries a commitment to a private input.
pub fn has_private_input(proof: &Proof) -> bool {
    matches!(proof, Proof::Zk(p) if p.input_commitment.is_some())
}

/// Why a check failed, as `zkinfer verify --json` names it (docs/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Arguments that do not fit the proof (an input for a private-input proof, or none for a
    /// public one).
    Usage,
    /// A key file whose contents do not match its integrity digest.
    CorruptKey,
    /// A key or proof file that is not one, of another format version, or malformed.
    MalformedFile,
    /// A key of one proof mode for a proof of the other.
    WrongMode,
    /// The proof was made for another verifier key.
    WrongKey,
    /// The proof is rejected.
    InvalidProof,
    /// The input file is refused.
    BadInput,
}

/// Why a proof file is not valid for a key.
#[derive(Debug, Error)]
pub enum CheckError {
    /// A file that does not decode.
    #[error("{0}")]
    File(#[from] CodecError),
    /// Keys serve one mode.
    #[error(
        "a verifier key for {key} proofs cannot check a {proof} proof (setup makes keys for \
         zero-knowledge proofs by default and for plain ones with --no-zk)"
    )]
    Mode {
        /// The key's mode.
        key: &'static str,
        /// The proof's.
        proof: &'static str,
    },
    /// An input given for a proof of a private input.
    #[error("the proof is of a private input; verify it without an input")]
    InputGiven,
    /// No input for a proof of a public input.
    #[error("the proof is of a public input; give the input it was made for")]
    InputMissing,
    /// The input is refused.
    #[error("input: {0}")]
    Input(#[from] InputError),
    /// The proof is rejected (or names another key).
    #[error("{0}")]
    Protocol(#[from] ProtocolError),
}

impl CheckError {
    /// The kind `--json` prints.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::File(CodecError::Corrupt { .. }) => ErrorKind::CorruptKey,
            Self::File(_) => ErrorKind::MalformedFile,
            Self::Mode { .. } => ErrorKind::WrongMode,
            Self::InputGiven | Self::InputMissing => ErrorKind::Usage,
            Self::Input(_) => ErrorKind::BadInput,
            Self::Protocol(ProtocolError::WrongKey { .. }) => ErrorKind::WrongKey,
            Self::Protocol(ProtocolError::WrongMode { .. }) => ErrorKind::WrongMode,
            Self::Protocol(_) => ErrorKind::InvalidProof,
        }
    }
}

fn mode_name(zero_knowledge: bool) -> &'static str {
    if zero_knowledge {
        "zero-knowledge"
    } else {
        "plain"
    }
}

/// Checks `pf` against `vk`; `input` is the input file's text, required for a proof of a public
/// input and refused for one of a private input.
pub fn check(
    vk: &VerifierKey,
    pf: &ProofFile,
    input: Option<&str>,
) -> Result<Verified, CheckError> {
    let (key_zk, proof_zk) = (vk.mode().zero_knowledge(), pf.proof.zero_knowledge());
    if key_zk != proof_zk {
        return Err(CheckError::Mode {
            key: mode_name(key_zk),
            proof: mode_name(proof_zk),
        });
    }
    let input = match (input, has_private_input(&pf.proof)) {
        (Some(_), true) => return Err(CheckError::InputGiven),
        (None, false) => return Err(CheckError::InputMissing),
        (Some(text), false) => Some(parse_input(&vk.architecture, text)?),
        (None, true) => None,
    };
    // The key id first: a proof for another key fails by name, not in its first broken check.
    pf.check_key(vk)?;
    Ok(verify_proof(vk, input.as_deref(), &pf.output, &pf.proof)?)
}

/// The error of a [`Report`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// What is wrong, and where.
    pub message: String,
}

/// The verdict on a key, a proof file and an input, as the browser verifier returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Whether the proof verifies for the key (and input).
    pub valid: bool,
    /// Why not, when it does not.
    pub error: Option<ReportError>,
    /// What the proof claims (and, when valid, establishes); absent when a file does not decode.
    pub statement: Option<Statement>,
    /// The union bound over every part's soundness error, in bits (valid proofs).
    pub soundness_bits: Option<f64>,
    /// Every part's term (valid proofs).
    pub soundness_terms: Option<Vec<SoundnessTerm>>,
}

impl Report {
    fn failed(e: &CheckError, statement: Option<Statement>) -> Self {
        Self {
            valid: false,
            error: Some(ReportError {
                kind: e.kind(),
                message: e.to_string(),
            }),
            statement,
            soundness_bits: None,
            soundness_terms: None,
        }
    }
}

/// Decodes the verifier key and proof files (the decoders refuse a file over its kind's cap
/// before parsing it) and checks them (see [`check`]).
pub fn check_bytes(key: &[u8], proof: &[u8], input: Option<&str>) -> Report {
    let decoded =
        VerifierKey::from_bytes(key).and_then(|vk| Ok((vk, ProofFile::from_bytes(proof)?)));
    let (vk, pf) = match decoded {
        Ok(d) => d,
        Err(e) => return Report::failed(&CheckError::File(e), None),
    };
    let statement = Statement::of(&vk, &pf);
    match check(&vk, &pf, input) {
        Ok(v) => Report {
            valid: true,
            error: None,
            statement: Some(statement),
            soundness_bits: Some(v.soundness_bits),
            soundness_terms: Some(v.soundness_terms),
        },
        Err(e) => Report::failed(&e, Some(statement)),
    }
}
