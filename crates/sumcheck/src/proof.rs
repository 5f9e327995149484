//! Proof, subclaim and error types.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A sumcheck proof: one message per round, each the round polynomial's evaluations at
/// `0, 1, ..., degree`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SumcheckProof<EF> {
    /// `round_polys[k][t] = s_k(t)` for `t = 0..=degree`.
    pub round_polys: Vec<Vec<EF>>,
}

/// What remains to check after the rounds: `sum_j c_j prod_i f_i(point) == expected_eval`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subclaim<EF> {
    /// The random point `(r_0, ..., r_{n-1})`, MSB-first like every table.
    pub point: Vec<EF>,
    /// The value the combination of the polynomials must take at `point`.
    pub expected_eval: EF,
}

/// Why a sumcheck proof (or an instance) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SumcheckError {
    /// The proof has a different number of rounds than the instance has variables.
    #[error("sumcheck proof has {got} rounds, expected {expected}")]
    WrongRoundCount {
        /// Number of variables of the instance.
        expected: usize,
        /// Number of round messages in the proof.
        got: usize,
    },
    /// A round message has the wrong number of evaluations (`expected = degree + 1`).
    #[error("sumcheck round {round} sends {got} evaluations, expected {expected} (degree + 1)")]
    WrongDegree {
        /// The round.
        round: usize,
        /// `degree + 1`.
        expected: usize,
        /// Number of values sent.
        got: usize,
    },
    /// `s_k(0) + s_k(1)` differs from the running claim.
    #[error("sumcheck round {round}: s(0) + s(1) does not equal the running claim")]
    RoundSumMismatch {
        /// The round.
        round: usize,
    },
    /// The number of final evaluations differs from the number of polynomials.
    #[error("sumcheck got {got} final evaluations, expected {expected}")]
    WrongFinalEvalCount {
        /// Number of polynomials of the instance.
        expected: usize,
        /// Number of evaluations given.
        got: usize,
    },
    /// The final evaluations do not combine to the last round's claim.
    #[error("sumcheck final evaluations do not match the last round's claim")]
    FinalEvalMismatch,
    /// A masked sumcheck's final check failed: `f(r) + rho * g(r)`, from the final evaluations and
    /// the claimed mask value, differs from the last round's claim.
    #[error("masked sumcheck: f(r) + rho * g(r) does not match the last round's claim")]
    MaskedFinalMismatch,
    /// An eq-weighted instance whose eq point has the wrong length.
    #[error("eq point has {got} coordinates, instance has {expected} variables")]
    EqPointLength {
        /// Number of variables of the instance.
        expected: usize,
        /// Length of the eq point.
        got: usize,
    },
    /// An instance without terms.
    #[error("sumcheck instance has no terms")]
    NoTerms,
    /// An instance of degree 0.
    #[error("sumcheck instance has degree 0")]
    ZeroDegree,
    /// An instance whose term has more factors than the declared degree.
    #[error("sumcheck term {term} has {factors} factors, more than the degree {degree}")]
    TermDegreeTooHigh {
        /// The term.
        term: usize,
        /// Its number of factors.
        factors: usize,
        /// The declared degree.
        degree: usize,
    },
    /// A masked-factor instance whose list of factor kinds does not match its polynomials.
    #[error("masked sumcheck instance has {got} factor kinds for {expected} polynomials")]
    FactorKindCount {
        /// Number of polynomials of the instance.
        expected: usize,
        /// Number of kinds given.
        got: usize,
    },
    /// A masked-factor instance whose term needs a higher degree than the declared one (a masked
    /// factor counts 2, a public one 1).
    #[error("masked sumcheck term {term} has degree {needed}, more than the degree {degree}")]
    MaskedTermDegreeTooHigh {
        /// The term.
        term: usize,
        /// Its degree per variable.
        needed: usize,
        /// The declared degree.
        degree: usize,
    },
    /// A factor whose role does not suit the run: a factor revealed in the clear in a masked
    /// (zero-knowledge) run, or a masked factor in a clear run.
    #[error(
        "sumcheck factor {factor} has a role a {} run cannot take",
        if *masked { "masked" } else { "clear" }
    )]
    FactorKindForRun {
        /// The factor.
        factor: usize,
        /// Whether the run is masked.
        masked: bool,
    },
}
