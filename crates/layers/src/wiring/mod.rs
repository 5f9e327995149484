//! The wiring layer: claims about `out = sum_i A_i in_i`, for fixed sparse maps `A_i`, reduced to
//! one claim about each `in_i`.
//!
//! With the claims combined into weights `E` over the output (see [`crate::combine_claims`]),
//! `sum_q E(q) out(q) = sum_i sum_j in_i(j) M_i(j)` with `M_i(j) = sum_q E(q) A_i[q, j]`. The prover
//! sends the partial sums `s_i`, the verifier checks they add up to the combined claim, and one
//! degree-2 sumcheck per input proves `s_i = sum_j in_i(j) M_i(j)`. The verifier evaluates the
//! multilinear extension of `M_i` at the final point itself, in `O(nnz(A_i))`: the prover never
//! supplies it.
//!
//! Transcript schedule: combine the claims (draws weights if there are several), observe the partial
//! sums, then for each input in order its sumcheck (rounds, then final evaluations `[in_i(r), M_i(r)]`).

mod prove;
mod verify;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::EF;
use zkinfer_sumcheck::SumcheckProof;

pub use prove::prove;
pub use verify::verify;

/// Transcript label of the partial sums.
pub const LABEL_PARTIAL_SUMS: &str = "wiring.partial_sums";

/// A wiring proof: one partial sum and one sumcheck per input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WiringProof {
    /// `s_i = sum_j in_i(j) M_i(j)`.
    pub partial_sums: Vec<EF>,
    /// One per input.
    pub parts: Vec<WiringPart>,
}

/// The sumcheck for one input, and the input's claimed evaluation at the sumcheck's point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WiringPart {
    /// The degree-2 sumcheck of `in_i * M_i`.
    pub sumcheck: SumcheckProof<EF>,
    /// `in_i(r)`.
    pub input_eval: EF,
}
