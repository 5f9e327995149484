//! The matrix-multiplication layer (Thaler, "Time-optimal interactive proofs for circuit
//! evaluation", 2013, §5; "Proofs, Arguments, and Zero-Knowledge", §4.4):
//! `prod[o, p] = sum_k w[o, k] x[k, p] + bias[o]`, on padded domains `O x P` and `K x P`.
//!
//! A claim `prod(r_o, r_p) = v` becomes `v - bias(r_o) = sum_k w(r_o, k) x(k, r_p)`, one degree-2
//! sumcheck over `k`, ending in claims `w(r_o, r_k)`, `x(r_k, r_p)` and `bias(r_o)`. The tables use
//! the MSB-first layout: `w` at index `o * K + k`, `x` at `k * P + p`, `prod` at `o * P + p`.
//!
//! Padding: the `K` padding of `x` must be zero, so callers feed `x` through a wiring (which reads
//! only real entries); then the padded columns of `w` never matter. The padded rows of `prod` are
//! whatever `w`'s padded rows give, and no consumer reads them.
//!
//! Transcript schedule: observe the bias evaluation (if there is a bias), then the sumcheck (rounds,
//! final evaluations `[w(r_o, r_k), x(r_k, r_p)]`).

mod prove;
mod verify;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::EF;
use zkinfer_sumcheck::SumcheckProof;

pub use prove::prove;
pub use verify::verify;

/// Transcript label of the bias evaluation.
pub const LABEL_BIAS: &str = "matmul.bias_eval";

/// The shape of a matrix product, in variables (log2 of the padded sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatMulShape {
    /// Output rows (`O`).
    pub o_vars: usize,
    /// Contraction length (`K`).
    pub k_vars: usize,
    /// Output columns (`P`).
    pub p_vars: usize,
    /// Whether a bias is added to each row.
    pub has_bias: bool,
}

/// A matmul proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatMulProof {
    /// `bias(r_o)`, when the layer has a bias.
    pub bias_eval: Option<EF>,
    /// The sumcheck over `k`.
    pub sumcheck: SumcheckProof<EF>,
    /// `w(r_o, r_k)`.
    pub weight_eval: EF,
    /// `x(r_k, r_p)`.
    pub input_eval: EF,
}

/// What a matmul proof leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatMulClaims {
    /// About `w`, at `(r_o, r_k)`.
    pub weight: crate::Claim,
    /// About `x`, at `(r_k, r_p)`.
    pub input: crate::Claim,
    /// About `bias`, at `r_o`.
    pub bias: Option<crate::Claim>,
}
