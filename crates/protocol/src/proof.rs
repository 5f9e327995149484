//! The model proof and its parts.

use serde::{Deserialize, Serialize};
use zkinfer_layers::Plain;
use zkinfer_layers::matmul::MatMulProof;
use zkinfer_layers::maxpool::MaxPoolProof;
use zkinfer_layers::requant::RequantProof;
use zkinfer_layers::signed::SignedProof;
use zkinfer_layers::wiring::WiringProof;
use zkinfer_pcs::{Commitment, OpeningProof};

use crate::reduce::GroupReduction;

/// The proof of one node's step, in the order the verifier processes nodes (last node first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum StepProof {
    /// A linear data-movement or sum step.
    Linear(WiringProof<Plain>),
    /// A dense or convolution layer.
    MatMul {
        /// Flat output to the product.
        to_prod: WiringProof<Plain>,
        /// The product.
        matmul: MatMulProof<Plain>,
        /// Patch matrix to the input.
        patches: WiringProof<Plain>,
    },
    /// A requantization.
    Requant(RequantProof),
    /// A max pooling, and one wiring per window cell.
    MaxPool {
        /// The pooling relation.
        pool: MaxPoolProof,
        /// Tap `k` of the input, for each `k`.
        taps: Vec<WiringProof<Plain>>,
    },
}

/// A proof that the committed model maps the input to the output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelProof {
    /// The per-proof witness commitment (every committed column, one commitment); absent when the
    /// model is purely linear and has no committed column.
    pub witness_commitment: Option<Commitment>,
    /// The public output's real entries to the output node.
    pub output_view: WiringProof<Plain>,
    /// One proof per step that had claims, in processing order.
    pub steps: Vec<StepProof>,
    /// One range check per weight column: the weights lie within their declared widths
    /// (`crate::weight_range`).
    pub weight_range: Vec<SignedProof>,
    /// The reduction of the witness claims to one point per column size (crate::reduce).
    pub witness_reduction: Vec<GroupReduction>,
    /// The reduction of the weight claims.
    pub weight_reduction: Vec<GroupReduction>,
    /// One opening of the witness commitment for all its claims (absent with the commitment).
    pub witness_opening: Option<OpeningProof>,
    /// One opening of the weight commitment for all its claims.
    pub weight_opening: OpeningProof,
}
