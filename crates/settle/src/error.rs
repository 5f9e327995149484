//! What can go wrong, named with where.

use thiserror::Error;
use zkinfer_pcs::PcsError;
use zkinfer_sumcheck::SumcheckError;

/// An error of the zero-knowledge back end. Verifier errors name the claim and term at fault.
#[derive(Debug, Error)]
pub enum ZkError {
    /// The layout holds no room for the requested sizes.
    #[error("layout: {0}")]
    Layout(String),
    /// A segment's data does not fit the layout.
    #[error("segment {segment}: {len} values do not fit its {capacity} slots")]
    SegmentTooLong {
        /// Segment index.
        segment: usize,
        /// Values given.
        len: usize,
        /// Slots in the layout.
        capacity: usize,
    },
    /// Wrong number of segments handed to `commit`.
    #[error("expected {expected} segments, got {got}")]
    SegmentCount {
        /// The layout's count.
        expected: usize,
        /// Given.
        got: usize,
    },
    /// A claim's term does not fit the layout.
    #[error("claim {claim}, term {term}: {what}")]
    BadTerm {
        /// Claim index.
        claim: usize,
        /// Term index within the claim.
        term: usize,
        /// What is wrong.
        what: String,
    },
    /// No claims: nothing to open.
    #[error("no claims to prove")]
    NoClaims,
    /// The batched sumcheck (`which` = "batch") or the mask-region sumcheck ("mask") failed.
    #[error("{which} sumcheck: {source}")]
    Sumcheck {
        /// Which of the two.
        which: &'static str,
        /// The sumcheck's error.
        source: SumcheckError,
    },
    /// The hiding commitment or opening failed.
    #[error("hiding opening: {0}")]
    Pcs(#[from] PcsError),
    /// The prover's own values disagree with the opening (a bug, never a verifier outcome).
    #[error("internal: {0}")]
    Internal(String),
}
