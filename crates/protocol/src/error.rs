//! Errors of the model proof.

use thiserror::Error;
use zkinfer_layers::LayerError;

/// Why a model could not be proven, or a proof was rejected.
#[derive(Debug, Error)]
pub enum ProtocolError {
    /// The model uses something this prover does not support yet (names the node and op).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The model or a key is inconsistent.
    #[error("malformed model: {0}")]
    Malformed(String),
    /// The reference evaluator refused the input.
    #[error("evaluation: {0}")]
    Eval(#[from] zkinfer_ir::IrError),
    /// A layer sub-protocol failed (verifier: the proof is invalid).
    #[error("layer {node} ({name}): {source}")]
    Layer {
        /// Node id.
        node: usize,
        /// Node name.
        name: String,
        /// The layer's error.
        source: LayerError,
    },
    /// A layer error outside any node (plan construction).
    #[error("{0}")]
    Plan(#[from] LayerError),
    /// The commitment scheme failed (verifier: an opening is invalid).
    #[error("commitment ({what}): {source}")]
    Pcs {
        /// Which commitment.
        what: &'static str,
        /// The PCS error.
        source: zkinfer_pcs::PcsError,
    },
    /// The proof's structure does not match the verifier's plan.
    #[error("proof structure: {0}")]
    Structure(String),
    /// The statement could not be built.
    #[error("statement: {0}")]
    Statement(#[from] zkinfer_transcript::StatementError),
    /// The weights do not match the key's commitment.
    #[error("the prover key's weights do not match its weight commitment")]
    WeightMismatch,
    /// A key of one proof mode used for the other (setup chooses the mode; docs/cli.md).
    #[error(
        "the key was set up for {key} proofs and cannot make or check {wanted} ones (setup makes \
         zero-knowledge keys by default, plain ones with --no-zk)"
    )]
    WrongMode {
        /// The key's mode.
        key: crate::ProofMode,
        /// The mode asked for.
        wanted: crate::ProofMode,
    },
    /// A proof made for another verifier key than the one checking it (`key_id.rs`): a key of
    /// another model, or of another run of setup.
    #[error(
        "this proof was made for key {proof}, not for this verifier key {key}: the key is of \
         another model or of another run of setup (each zero-knowledge setup makes new keys), and \
         a proof verifies only with the key it was made for"
    )]
    WrongKey {
        /// The key id the proof file records.
        proof: crate::KeyId,
        /// The id of the verifier key given.
        key: crate::KeyId,
    },
    /// The zero-knowledge back end or schedule failed (verifier: the proof is invalid).
    #[error("zero knowledge: {0}")]
    Zk(String),
    /// Claims reach a fused node, which has no proof or column to settle them: they would be
    /// dropped unchecked (docs/pitfalls.md, 10). Both verifiers and both provers refuse.
    #[error("node {node} ({name}): claims reach a fused node, which has no proof to settle them")]
    ClaimOnFused {
        /// Node id.
        node: usize,
        /// Node name.
        name: String,
    },
    /// A claimed output value is outside its node's static bound `|y| <= bound` (or is not a
    /// canonical small signed integer): no admissible run of the model gives it.
    #[error(
        "output node {node} ({name}): value {value} at index {index} is outside the static bound \
         |y| <= {bound}"
    )]
    OutputOutOfBound {
        /// The output node's id.
        node: usize,
        /// The output node's name.
        name: String,
        /// Index of the value in the flat output.
        index: usize,
        /// The claimed value.
        value: i64,
        /// The node's static bound.
        bound: i64,
    },
}

/// The error of node `id`'s layer sub-protocol, named by the node (an id out of range, which only a
/// hostile key can give a verifier, gets an empty name).
pub(crate) fn layer_error(
    model: &zkinfer_ir::QModel,
    id: usize,
) -> impl Fn(LayerError) -> ProtocolError + '_ {
    move |source| ProtocolError::Layer {
        node: id,
        name: model
            .nodes
            .get(id)
            .map(|n| n.name.clone())
            .unwrap_or_default(),
        source,
    }
}
