//! Sumcheck (Lund-Fortnow-Karloff-Nisan; Thaler, "Proofs, Arguments, and Zero-Knowledge", §4.1)
//! for sums of products of multilinear polynomials:
//!
//! ```text
//! claimed_sum = sum_{x in {0,1}^n} sum_j c_j prod_{i in S_j} f_i(x)
//! ```
//!
//! described by a [`ProductSum`] that prover and verifier share.
//!
//! # Round messages
//!
//! Round `k` (binding variable `k`, MSB-first: `point[0]` is bound first, see `zkinfer-poly`) sends
//! the univariate round polynomial `s_k` as its **evaluations at `0, 1, ..., degree`**, i.e. exactly
//! `degree + 1` values. The verifier rejects any other length (this is the degree check).
//!
//! # Transcript schedule
//!
//! The sumcheck observes nothing before its first round: the caller must already have bound the
//! statement, the instance's shape and the claimed sum into the transcript. Then, for each round
//! `k = 0 .. num_vars`:
//!
//! 1. observe `s_k(0..=degree)` under the label [`LABEL_ROUND`],
//! 2. draw `r_k` under the label [`LABEL_CHALLENGE`].
//!
//! [`prove`] then observes the final evaluations `f_i(r)` (all of them, in index order) under
//! [`LABEL_FINAL_EVALS`]; [`verify_with_evals`] does the same. A caller that uses [`verify`] and
//! [`verify_final`] separately must call [`observe_final_evals`] between them to stay on the
//! prover's schedule. The eq-weighted variants ([`prove_eq`], [`verify_eq`]) observe only the
//! evaluations of the non-eq factors, since the verifier computes `eq(r, point)` itself.
//!
//! # Zero knowledge
//!
//! [`zk`] is the same product sumcheck with Libra's masking polynomial, so that the round messages
//! reveal nothing about the tables (docs/zk-sumcheck.md).

mod eq;
mod instance;
mod proof;
mod prove;
mod verify;
pub mod zk;

pub use eq::{prove_eq, verify_eq, with_eq_factor};
pub use instance::ProductSum;
pub use proof::{Subclaim, SumcheckError, SumcheckProof};
pub use prove::prove;
pub use verify::{interpolate_at, observe_final_evals, verify, verify_final, verify_with_evals};
pub use zkinfer_transcript::FiatShamir;

/// Transcript label of a round polynomial.
pub const LABEL_ROUND: &str = "sumcheck.round";
/// Transcript label of a round challenge.
pub const LABEL_CHALLENGE: &str = "sumcheck.challenge";
/// Transcript label of the final evaluations.
pub const LABEL_FINAL_EVALS: &str = "sumcheck.final_evals";

#[cfg(test)]
mod soundness_tests;
#[cfg(test)]
mod test_util;
#[cfg(test)]
mod tests;
