//! GKR for sums of fractions (Papini & Haböck, "Improving logarithmic derivative lookups using GKR",
//! eprint 2023/1284, section 3): proves claims about `Σ_x p(x) / q(x)` for several "trees" at once.
//!
//! Each tree is a binary tree of (numerator, denominator) pairs. Its leaf layer has `2^depth` entries;
//! layer `k` (with `2^k` entries) is obtained from layer `k+1` by pairing entry `i` with entry
//! `i + 2^k` (the two halves of the table, i.e. the FIRST variable in the MSB-first convention):
//!
//! ```text
//!   p_k(x) = p_{k+1}(0,x) q_{k+1}(1,x) + p_{k+1}(1,x) q_{k+1}(0,x)
//!   q_k(x) = q_{k+1}(0,x) q_{k+1}(1,x)
//! ```
//!
//! so `p_0 / q_0 = Σ_x p_D(x) / q_D(x)`. The prover sends every root; the verifier checks that the
//! root denominators are nonzero and that the signed roots add up to zero, then reduces a claim on
//! layer `k` to a claim on layer `k+1` with one sumcheck of degree 3 over `k` variables:
//!
//! ```text
//!   Σ_x eq(r,x) Σ_i ( λ^{2i} (p0_i q1_i + p1_i q0_i)(x) + λ^{2i+1} (q0_i q1_i)(x) )
//!        = Σ_i λ^{2i} p_i(r) + λ^{2i+1} q_i(r)
//! ```
//!
//! (all trees that are still active at that depth batched by powers of `λ`, section 3.2 of the
//! paper), followed by the four "children" values `p0(s), p1(s), q0(s), q1(s)` of each tree at the
//! sumcheck point `s` and a challenge `μ` that merges them into claims at `(μ, s)`. Trees of
//! different depths share this point schedule: a tree drops out after its leaf layer is reached, and
//! its leaf claim is handed to the caller, who settles it against committed (or public) data.

mod prove;
mod verify;

#[cfg(test)]
mod tests;

pub use prove::{FractionTree, Numerator, prove_fraction_sums};
pub use verify::verify_fraction_sums;

use p3_field::Field;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkinfer_sumcheck::{ProductSum, SumcheckError, SumcheckProof};

/// Transcript labels of the fractional-sum GKR (one schedule for prover and verifier). The layer
/// sumchecks use zkinfer-sumcheck's labels: rounds, challenges, then the children as its final
/// evaluations.
pub(crate) mod labels {
    pub const ROOTS: &str = "logup.gkr.roots";
    pub const LAMBDA: &str = "logup.gkr.lambda";
    pub const MU: &str = "logup.gkr.mu";
}

/// The proof of one layer reduction: an eq-weighted degree-3 sumcheck (zkinfer-sumcheck's format,
/// checked by its `verify_eq`) and the children values, which are its final evaluations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "EF: Serialize + serde::de::DeserializeOwned")]
pub struct LayerProof<EF> {
    /// Round polynomials, one per variable of the layer, each given by its values at 0, 1, 2, 3.
    pub sumcheck: SumcheckProof<EF>,
    /// For every tree still active at this layer, in tree order: `[p0, p1, q0, q1]` at the sumcheck
    /// point, where `p0 = p_{k+1}(0, s)` and `p1 = p_{k+1}(1, s)`.
    pub children: Vec<[EF; 4]>,
}

/// A proof that the signed fractional sums of several trees add up to zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "EF: Serialize + serde::de::DeserializeOwned")]
pub struct FractionSumProof<EF> {
    /// The root `(p, q)` of every tree.
    pub roots: Vec<[EF; 2]>,
    /// One layer proof per depth, from the root (depth 0) to the deepest leaf layer.
    pub layers: Vec<LayerProof<EF>>,
}

/// A claim on the leaf layer of one tree: `p(point) = numerator` and `q(point) = denominator`,
/// where `p`, `q` are the multilinear extensions of the leaf numerators and denominators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafClaim<EF> {
    /// The evaluation point (MSB-first, length = the tree's depth).
    pub point: Vec<EF>,
    /// Claimed value of the numerator MLE at `point`.
    pub numerator: EF,
    /// Claimed value of the denominator MLE at `point`.
    pub denominator: EF,
}

/// Why a fractional-sum proof was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum GkrError {
    /// The proof has the wrong number of roots, layers, rounds or children.
    #[error("malformed proof: {0}")]
    Shape(&'static str),
    /// A root denominator is zero (the fraction would be undefined, and a zero denominator could
    /// hide a lookup value equal to the challenge).
    #[error("root denominator of tree {0} is zero")]
    ZeroDenominator(usize),
    /// The signed root fractions do not add up to zero: the multisets differ.
    #[error("the fractional sums do not cancel")]
    RootSum,
    /// A layer sumcheck was rejected (round count, degree, round sum, or the children values do
    /// not explain its final claim).
    #[error("layer {layer}: {source}")]
    Sumcheck {
        /// The layer (depth of the claim being reduced).
        layer: usize,
        /// The sumcheck's verdict.
        source: SumcheckError,
    },
}

/// The inner polynomial of a layer sumcheck over `num_trees` active trees: polynomials
/// `4i..4i+4` are tree `i`'s `p0, p1, q0, q1`, and the terms are
/// `λ^{2i} (p0 q1 + p1 q0) + λ^{2i+1} q0 q1`. The eq factor is added by zkinfer-sumcheck.
pub(crate) fn layer_instance<EF: Field>(
    num_vars: usize,
    num_trees: usize,
    lambda: EF,
) -> ProductSum<EF> {
    let mut terms = Vec::with_capacity(3 * num_trees);
    let mut coeff = EF::ONE;
    for i in 0..num_trees {
        let [p0, p1, q0, q1] = [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3];
        terms.push((coeff, vec![p0, q1]));
        terms.push((coeff, vec![p1, q0]));
        coeff *= lambda;
        terms.push((coeff, vec![q0, q1]));
        coeff *= lambda;
    }
    ProductSum::new(num_vars, terms)
}

/// The batched claim `Σ_i λ^{2i} p_i + λ^{2i+1} q_i`.
pub(crate) fn combine_claims<EF: Field>(claims: &[(EF, EF)], lambda: EF) -> EF {
    let mut acc = EF::ZERO;
    let mut coeff = EF::ONE;
    for &(p, q) in claims {
        acc += coeff * p;
        coeff *= lambda;
        acc += coeff * q;
        coeff *= lambda;
    }
    acc
}
