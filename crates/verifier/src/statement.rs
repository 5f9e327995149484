//! What a proof is about, in printable form.

use serde::Serialize;
use zkinfer_field::PrimeField32;
use zkinfer_ir::QModel;
use zkinfer_protocol::{ProofFile, VerifierKey, WeightBinding};

use crate::check::has_private_input;

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a verifier key binds the weights with, in hex: the weight commitment of a plain key
/// (`Commitment::to_bytes`), or the salted weight digest of a zero-knowledge key (its elements'
/// canonical little-endian 32-bit words). A zero-knowledge key has no commitment to print: the
/// plain one is deterministic in the weights, so it would let anyone test a guess of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindingHex {
    /// Plain keys: the weight commitment.
    pub commitment: Option<String>,
    /// Zero-knowledge keys: the salted digest.
    pub digest: Option<String>,
}

impl BindingHex {
    /// The binding of `vk`'s mode.
    pub fn of(vk: &VerifierKey) -> Self {
        match &vk.binding {
            WeightBinding::Plain { weight_commitment } => Self {
                commitment: Some(hex(&weight_commitment.to_bytes())),
                digest: None,
            },
            WeightBinding::ZeroKnowledge { weight_digest } => {
                let bytes: Vec<u8> = weight_digest
                    .iter()
                    .flat_map(|f| f.as_canonical_u32().to_le_bytes())
                    .collect();
                Self {
                    commitment: None,
                    digest: Some(hex(&bytes)),
                }
            }
        }
    }

    /// The text line `setup`, `verify` and `demo` print.
    pub fn line(&self) -> String {
        match (&self.commitment, &self.digest) {
            (Some(c), _) => format!(
                "weight commitment: {c} (plain keys: binds the weights, does not hide them)"
            ),
            (None, Some(d)) => {
                format!("weight digest:     {d} (zero-knowledge keys: salted, hides the weights)")
            }
            (None, None) => "weights:           not bound".into(),
        }
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

/// The real values of a model's quantized output.
pub fn dequantize_output(model: &QModel, output: &[i64]) -> Vec<f64> {
    let scale = model
        .outputs
        .first()
        .and_then(|&o| model.nodes.get(o))
        .map_or(1.0, |n| n.scale);
    zkinfer_ir::dequantize(output, scale)
}

/// The statement a proof file claims for a key: valid only if the proof verifies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The id of the verifier key (hex).
    pub key_id: String,
    /// The id of the key the proof file names (hex); differs from `key_id` for a proof made with
    /// another key.
    pub proof_key_id: String,
    /// `model_hash(architecture)` (hex).
    pub model_hash: String,
    /// The weight commitment (plain keys) or salted digest (zero-knowledge keys), in hex.
    pub weight_commitment: Option<String>,
    /// See [`BindingHex`].
    pub weight_digest: Option<String>,
    /// The claimed output, dequantized at the model's output scale.
    pub output: Vec<f64>,
    /// The claimed output as the proof states it.
    pub output_quantized: Vec<i64>,
    /// Whether the proof is zero knowledge.
    pub zero_knowledge: bool,
    /// Whether the proof is of a private input (it carries a commitment to the input).
    pub private_input: bool,
    /// `"plain"`, `"zero knowledge"` or `"zero knowledge, private input"`.
    pub mode: String,
}

impl Statement {
    /// The statement `pf` claims under `vk`.
    pub fn of(vk: &VerifierKey, pf: &ProofFile) -> Self {
        let binding = BindingHex::of(vk);
        let zero_knowledge = pf.proof.zero_knowledge();
        let private_input = has_private_input(&pf.proof);
        let mode = match (zero_knowledge, private_input) {
            (false, _) => "plain",
            (true, false) => "zero knowledge",
            (true, true) => "zero knowledge, private input",
        };
        Self {
            key_id: vk.key_id().to_string(),
            proof_key_id: pf.key_id.to_string(),
            model_hash: hex(&vk.model_hash),
            weight_commitment: binding.commitment,
            weight_digest: binding.digest,
            output: dequantize_output(&vk.architecture, &pf.output),
            output_quantized: pf.output.clone(),
            zero_knowledge,
            private_input,
            mode: mode.into(),
        }
    }
}
