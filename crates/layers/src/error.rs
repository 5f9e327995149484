//! Why a layer proof was rejected.

use thiserror::Error;
use zkinfer_lookup::LookupError;
use zkinfer_sumcheck::SumcheckError;

/// A layer proof failed to verify, or a layer was described inconsistently.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LayerError {
    /// A sumcheck inside the layer failed.
    #[error("{layer}: {source}")]
    Sumcheck {
        /// Which sub-protocol.
        layer: &'static str,
        /// The sumcheck's own error.
        source: SumcheckError,
    },
    /// A point has the wrong number of coordinates.
    #[error("{layer}: point has {got} coordinates, expected {expected}")]
    PointLength {
        /// Which sub-protocol.
        layer: &'static str,
        /// Expected length.
        expected: usize,
        /// Received length.
        got: usize,
    },
    /// A layer was given no claims to reduce.
    #[error("{layer}: no claims to reduce")]
    NoClaims {
        /// Which sub-protocol.
        layer: &'static str,
    },
    /// The proof has a different number of parts than the layer has inputs.
    #[error("{layer}: proof has {got} parts, expected {expected}")]
    PartCount {
        /// Which sub-protocol.
        layer: &'static str,
        /// Expected count.
        expected: usize,
        /// Received count.
        got: usize,
    },
    /// The prover's partial sums do not add up to the claim.
    #[error("{layer}: partial sums do not add up to the claimed value")]
    PartialSums {
        /// Which sub-protocol.
        layer: &'static str,
    },
    /// A sparse map refers outside its domains.
    #[error("sparse map entry ({out}, {inp}) outside its domains ({out_len} x {in_len})")]
    MapEntry {
        /// Output index.
        out: usize,
        /// Input index.
        inp: usize,
        /// Output length.
        out_len: usize,
        /// Input length.
        in_len: usize,
    },
    /// A lookup table would exceed the size this layer builds.
    #[error("lookup table of 2^{bits} rows exceeds the limit of 2^{max}")]
    TableTooLarge {
        /// Bits needed.
        bits: usize,
        /// The limit.
        max: usize,
    },
    /// A lookup inside the layer failed (or the honest prover's witness is outside a table).
    #[error("lookup: {0}")]
    Lookup(#[from] LookupError),
    /// A layer's evaluations have the wrong count.
    #[error("{layer}: {got} evaluations, expected {expected}")]
    EvalCount {
        /// Which sub-protocol.
        layer: &'static str,
        /// Expected count.
        expected: usize,
        /// Received count.
        got: usize,
    },
    /// A layer parameter makes the relation meaningless (e.g. a zero multiplier).
    #[error("{layer}: {detail}")]
    Parameter {
        /// Which sub-protocol.
        layer: &'static str,
        /// What is wrong.
        detail: String,
    },
}
