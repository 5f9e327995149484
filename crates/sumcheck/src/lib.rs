//! zkinfer-sumcheck (placeholder)
