//! The zero-knowledge model proof (docs/zk-design.md).
//!
//! The same statement as the plain proof, under its own transcript domain, proven so that the
//! verifier learns nothing about the input (when hidden) or the activations beyond the output:
//!
//! - every committed witness column, and every sub-protocol's masks and randomizers, go into one
//!   hiding commitment `Q` made before the first challenge ([`hidden`], [`schedule`]);
//! - every layer runs its zero-knowledge variant (`zkinfer_layers::zk`), passing symbolic claims
//!   from layer to layer; claims on committed columns become linear claims on `Q`;
//! - the zk back end (`zkinfer_settle`) proves every linear claim with one HVZK-WHIR opening of `Q`.
//!
//! The weights are hidden too: the statement holds their salted Poseidon2 digest, the proof's
//! hidden commitment holds a copy of them, and the proof shows that the copy hashes to the digest
//! ([`weights`]); every weight claim is a claim on the copy. The plain weight commitment is not
//! used (see docs/security.md).

mod cost;
pub(crate) mod hidden;
mod input;
#[cfg(feature = "prover")]
mod prove;
pub(crate) mod schedule;
mod verify;
mod verify_walk;
#[cfg(feature = "prover")]
mod walk;
mod weight_range;
pub(crate) mod weights;

#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_layers::Zk;
use zkinfer_layers::hash::ZkHashProof;
use zkinfer_layers::matmul::MatMulProof;
use zkinfer_layers::maxpool::zk::ZkMaxPoolProof;
use zkinfer_layers::range::zk::ZkRangeProof;
use zkinfer_layers::requant::zk::ZkRequantProof;
use zkinfer_layers::wiring::WiringProof;
use zkinfer_pcs::Commitment;

pub use cost::{MaskedWork, ZkCost, zk_cost_profile};
pub use input::{INPUT_OPENING_VERSION, InputOpening};
#[cfg(test)]
pub(crate) use prove::prove_zk_trace;
#[cfg(feature = "prover")]
pub use prove::{ZkProved, prove_zk, prove_zk_private, prove_zk_timed, prove_zk_with};

/// Transcript label of the point where the weight hash's output claim starts.
pub(crate) const LABEL_WEIGHT_HASH_POINT: &str = "model.zk.weight_hash_point";
#[cfg(test)]
pub(crate) use verify::verify_zk_plan;
pub use verify::{verify_zk, verify_zk_private, verify_zk_with};

/// The proof of one node's step, in processing order (last node first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ZkStepProof {
    /// A linear data-movement or sum step.
    Linear(WiringProof<Zk>),
    /// A dense or convolution layer.
    MatMul {
        /// Flat output to the product.
        to_prod: WiringProof<Zk>,
        /// The product.
        matmul: MatMulProof<Zk>,
        /// Patch matrix to the input.
        patches: WiringProof<Zk>,
    },
    /// A requantization: the range check of its limbs and its saturation zero-check.
    Requant {
        /// The limbs' range check.
        range: ZkRangeProof,
        /// The zero-check (absent when the layout has no saturation column).
        zero_check: Option<ZkRequantProof>,
    },
    /// A max pooling: the range check of the differences' limbs, the zero-check, and one wiring
    /// per window cell.
    MaxPool {
        /// The limbs' range check.
        range: ZkRangeProof,
        /// The product zero-check.
        pool: ZkMaxPoolProof,
        /// Tap `k` of the input, for each `k`.
        taps: Vec<WiringProof<Zk>>,
    },
}

/// A zero-knowledge proof that the committed model maps the input to the output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ZkModelProof {
    /// With a private input: its hiding commitment `C_x` (part of the statement).
    pub input_commitment: Option<Commitment>,
    /// With a private input: the value linking `C_x` to the proof's copy of the input.
    pub input_value: Option<zkinfer_field::EF>,
    /// With a private input: the one opening of `C_x`, at the link point.
    pub input_opening: Option<zkinfer_pcs::HidingOpeningProof>,
    /// With a private input: the range check that it lies within the model's input bound.
    pub input_range: Option<ZkRangeProof>,
    /// The hiding commitment to every hidden vector of the proof.
    pub hidden_commitment: Commitment,
    /// The public output's real entries to the output node.
    pub output_view: WiringProof<Zk>,
    /// One proof per step that had claims, in processing order.
    pub steps: Vec<ZkStepProof>,
    /// The weights' width checks, one per weight column (`None` for a zero column): every weight
    /// in `Q` lies within its declared width.
    pub weight_range: Vec<Option<ZkRangeProof>>,
    /// The proof that the hidden copy of the weights hashes to the statement's weight digest.
    pub weight_hash: ZkHashProof,
    /// The back end's proof of every linear claim on the hidden commitment.
    pub opening: zkinfer_settle::OpeningProof,
}
