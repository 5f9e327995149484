//! The crate's error type.

use std::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};

use thiserror::Error;

use crate::codec::DecodeError;

/// Everything that can go wrong when committing, opening or verifying.
///
/// p3's own errors are carried as text: the variants here are what callers match on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PcsError {
    /// A commitment must hold at least one polynomial.
    #[error("no polynomials to commit")]
    NoPolynomials,
    /// A polynomial's table length is not a power of two.
    #[error("polynomial {poly}: table length {len} is not a power of two")]
    NotPowerOfTwo {
        /// Index of the polynomial.
        poly: usize,
        /// Its table length.
        len: usize,
    },
    /// A polynomial has more variables than WHIR over KoalaBear allows.
    #[error("polynomial {poly}: {num_vars} variables exceeds the maximum {max}")]
    TooManyVariables {
        /// Index of the polynomial.
        poly: usize,
        /// Its number of variables.
        num_vars: usize,
        /// The limit.
        max: usize,
    },
    /// The polynomials together need a stacked commitment larger than WHIR over KoalaBear allows
    /// (the model is too large for one commitment; it must be split).
    #[error(
        "the committed polynomials need a stacked commitment of 2^{num_vars} entries, more than the \
         maximum 2^{max}; the model is too large to commit in one piece"
    )]
    StackTooLarge {
        /// Variables the stack needs (`usize::MAX` if the total overflows).
        num_vars: usize,
        /// The limit.
        max: usize,
    },
    /// An opening needs at least one claim.
    #[error("no evaluation claims")]
    NoClaims,
    /// A claim names a polynomial that is not in the commitment.
    #[error("claim {claim}: polynomial {poly} out of range ({num_polys} committed)")]
    UnknownPolynomial {
        /// Index of the claim.
        claim: usize,
        /// The polynomial it names.
        poly: usize,
        /// Polynomials in the commitment.
        num_polys: usize,
    },
    /// A claim's point does not have one coordinate per variable of its polynomial.
    #[error("claim {claim}: point has {actual} coordinates, polynomial has {expected} variables")]
    PointLength {
        /// Index of the claim.
        claim: usize,
        /// Variables of the polynomial.
        expected: usize,
        /// Coordinates supplied.
        actual: usize,
    },
    /// The proof carries a different number of evaluations than there are claims.
    #[error("proof carries {actual} evaluations for {expected} claims")]
    ClaimCount {
        /// Claims the verifier checks.
        expected: usize,
        /// Evaluations in the proof.
        actual: usize,
    },
    /// The proof verifies, but for a value other than the one the caller expects.
    #[error("claim {claim}: proven value differs from the expected value")]
    WrongValue {
        /// Index of the claim.
        claim: usize,
    },
    /// The prover data does not belong to this scheme's parameters.
    #[error("prover data does not match: {0}")]
    DataMismatch(String),
    /// p3 refused the parameters for this shape (or the claim budget is exceeded).
    #[error("WHIR configuration: {0}")]
    Config(String),
    /// The soundness bound is unavailable or below the requested target.
    #[error("security: {0}")]
    Security(String),
    /// The prover failed (configuration error surfaced at opening time).
    #[error("opening failed: {0}")]
    Prover(String),
    /// The WHIR verifier rejected the proof.
    #[error("proof rejected: {0}")]
    Rejected(String),
    /// p3's verifier panicked on malformed proof data; caught and turned into a rejection.
    #[error("proof rejected: the WHIR verifier panicked on malformed data")]
    VerifierPanicked,
    /// The operating system's random source failed (hiding mode).
    #[error("OS randomness unavailable: {0}")]
    Entropy(String),
    /// Untrusted bytes could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// Runs a p3 verifier call: its error becomes [`PcsError::Rejected`], and a panic (p3 0.8.0
/// did not panic on any malformed proof the tests built, but nothing promises that) becomes
/// [`PcsError::VerifierPanicked`] instead of unwinding into the caller. The transcript the call
/// borrowed is left in an unspecified state, which is harmless: the proof is rejected.
pub(crate) fn guard<T, E: Display>(f: impl FnOnce() -> Result<T, E>) -> Result<T, PcsError> {
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| PcsError::VerifierPanicked)?
        .map_err(|e| PcsError::Rejected(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_turns_panics_and_errors_into_rejections() {
        assert_eq!(guard(|| Ok::<u8, String>(1)), Ok(1));
        assert_eq!(
            guard(|| Err::<u8, _>("no")),
            Err(PcsError::Rejected("no".into()))
        );
        assert_eq!(
            guard::<u8, String>(|| panic!("malformed")),
            Err(PcsError::VerifierPanicked)
        );
    }
}
