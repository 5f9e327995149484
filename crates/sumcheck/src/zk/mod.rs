//! Zero-knowledge product sumcheck by Libra masking (Xie, Zhang, Zhang, Papamanthou, Song,
//! "Libra: Succinct Zero-Knowledge Proofs with Optimal Prover Computation", CRYPTO 2019, Sec. 4.1;
//! the idea of masking with a committed random polynomial is from Chiesa, Forbes, Spooner, "A Zero
//! Knowledge Sumcheck and its Applications", 2017). See docs/zk-sumcheck.md.
//!
//! To prove `H = sum_{x in {0,1}^n} f(x)` for a [`ProductSum`] `f` of degree `d` per variable:
//!
//! 1. the prover samples a mask `g(x) = a_0 + g_1(x_1) + ... + g_n(x_n)` ([`MaskPoly::random`];
//!    each `g_i` of degree `d` without constant term); the **caller** commits
//!    [`MaskPoly::coeffs`] and observes the commitment, and binds `H`, before calling [`prove`];
//! 2. the prover sends `G = sum_x g(x)`; the verifier draws `rho`;
//! 3. the plain sumcheck runs on `f + rho * g` against `H + rho * G`, with the plain degree and
//!    round-count checks; the mask's share of each round message costs `O(d^2)` from the
//!    univariates, never a table of `g`;
//! 4. the prover sends `g(r)` and the final evaluations `f_i(r)`; the verifier checks
//!    `f(r) + rho * g(r)` against the last round's claim and returns a [`MaskClaim`] `g(r) = v`,
//!    which the caller must prove by opening the mask commitment.
//!
//! Round `k`'s message is the unmasked one plus `rho * 2^(n-k-1) * g_k(t)` plus terms fixed
//! before the round, so its `d` top coefficients are uniformly random and the message is uniform
//! given `s_k(0) + s_k(1)`. What stays revealed: `G`, `g(r)` and the `f_i(r)`, which the caller
//! must hide itself (e.g. by committing columns with extra random rows).
//!
//! # Mask coefficients live in `EF`
//!
//! After round 0 the unmasked round messages are `EF`-valued. A mask with base-field coefficients
//! would add `rho * c` with `c` in `F`, a random point on one `F`-line, and leave the other
//! `EXT_DEGREE - 1` coordinates of every coefficient in view. So each coefficient of `g` is a
//! uniform `EF` element, and [`MaskPoly::coeffs`] writes it as its `EXT_DEGREE` basis coordinates
//! in `F`: `EXT_DEGREE * (1 + n*d)` base-field elements, committable with the witness.
//!
//! # Transcript schedule
//!
//! After the caller's binding of the statement, `H` and the mask commitment: observe `G`
//! ([`LABEL_MASK_SUM`]), draw `rho` ([`LABEL_MASK_RHO`]), the rounds exactly as in
//! [`crate::prove`], observe `g(r)` ([`LABEL_MASK_EVAL`]), then the final evaluations
//! ([`crate::LABEL_FINAL_EVALS`]). [`verify`] covers everything up to `g(r)`; a caller of
//! [`verify`] and [`verify_final`] calls [`crate::observe_final_evals`] between them
//! ([`verify_with_evals`] does all three).
//!
//! # Opening the mask claim
//!
//! `g(r)` is linear in the committed vector `c = coeffs()`:
//! `g(r) = <l, c>` with `l = MaskPoly::linear_form(d, r)` ([`MaskPoly::eval_as_linear_form`]), which
//! the verifier computes itself in `O(n*d)`. With a multilinear PCS the caller reduces it to one
//! evaluation by a degree-2 sumcheck on `sum_y l~(y) c~(y)` over `log2 |c|` variables (both padded
//! with zeros), ending at `l~(z) * c~(z)`, where the verifier computes `l~(z)` and `c~(z)` joins the
//! batched opening. That small sumcheck must itself not leak: its round messages are further linear
//! functions of `c`, and every linear function of `c` beyond `g(r)` unmasks part of the round
//! messages above. One way (not implemented here): commit a second uniformly random vector `h` of
//! the padded length next to `c`, send `<l, h>`, draw `rho'`, run the sumcheck on `<l, c + rho' h>`
//! and open only the combination `c~(z) + rho' h~(z)` (one evaluation of the stacked polynomial),
//! never `c~(z)` alone. Everything then seen is a function of the uniform vector `c + rho' h`.
//!
//! A mask hides one sumcheck: [`prove`] consumes it.

pub mod form;
mod mask;
pub mod masked;
mod prove;
mod verify;

pub use mask::MaskPoly;
pub use prove::{prove, prove_weighted};
use serde::{Deserialize, Serialize};
pub use verify::{verify, verify_final, verify_with_evals};

#[cfg(doc)]
use crate::ProductSum;
use crate::SumcheckProof;

/// Transcript label of the mask's sum over the cube, `G`.
pub const LABEL_MASK_SUM: &str = "sumcheck.zk.mask_sum";
/// Transcript label of the challenge `rho` that weights the mask.
pub const LABEL_MASK_RHO: &str = "sumcheck.zk.rho";
/// Transcript label of the mask's value at the final point, `g(r)`.
pub const LABEL_MASK_EVAL: &str = "sumcheck.zk.mask_eval";

/// A masked sumcheck proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkSumcheckProof<EF> {
    /// `G = sum_{x in {0,1}^n} g(x)`.
    pub mask_sum: EF,
    /// The round messages of `f + rho * g`, one per variable, each its evaluations at
    /// `0..=degree`.
    pub rounds: SumcheckProof<EF>,
    /// The claimed `g(r)`, proven later by opening the mask commitment.
    pub mask_eval: EF,
}

/// The claim `g(point) = value` about the committed mask that the caller must prove with its PCS
/// (as the inner product `<MaskPoly::linear_form(degree, point), coeffs> = value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskClaim<EF> {
    /// The sumcheck's random point `r` (also where the final evaluations are claimed).
    pub point: Vec<EF>,
    /// The claimed `g(r)`.
    pub value: EF,
}

/// What remains after the rounds of a masked sumcheck: the final check and the mask claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkSubclaim<EF> {
    /// The random point `r`.
    pub point: Vec<EF>,
    /// The mask weight drawn after `G`.
    pub rho: EF,
    /// The last round's claim: the value `f(r) + rho * g(r)` must take.
    pub expected_eval: EF,
    /// The claimed `g(r)`.
    pub mask_eval: EF,
}

/// Everything the masked prover produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkProverOutput<EF> {
    /// The proof to send.
    pub proof: ZkSumcheckProof<EF>,
    /// The random point `r`.
    pub point: Vec<EF>,
    /// The final evaluations `f_i(r)`, sent and observed like [`crate::prove`]'s.
    pub final_evals: Vec<EF>,
    /// `g(r)`, to prove by opening the mask commitment.
    pub mask_claim: MaskClaim<EF>,
}

#[cfg(test)]
mod soundness_tests;
#[cfg(test)]
mod tests;
