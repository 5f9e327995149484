//! Multilinear extension evaluation: zkinfer-poly's evaluator with this crate's error.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use p3_field::{ExtensionField, Field};

use crate::LookupError;

/// Evaluates the MLE of `values` (length `2^point.len()`) at `point`, MSB-first
/// ([`zkinfer_poly::evaluate_table`]).
pub(crate) fn evaluate_mle<F: Field, EF: ExtensionField<F>>(
    values: &[F],
    point: &[EF],
) -> Result<EF, LookupError> {
    zkinfer_poly::evaluate_table(values, point)
        .map_err(|_| LookupError::Shape("column length does not match the point"))
}
