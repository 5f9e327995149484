//! Multilinear extension evaluation (a private helper until zkinfer-poly offers one).
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
use rayon::prelude::*;

use crate::LookupError;

const PAR_MIN: usize = 1 << 12;

/// Evaluates the MLE of `values` (length `2^point.len()`) at `point`, MSB-first: fixing the first
/// variable to `r` maps `t` to `(1-r) t[..half] + r t[half..]`.
pub(crate) fn evaluate_mle<F: Field, EF: ExtensionField<F>>(
    values: &[F],
    point: &[EF],
) -> Result<EF, LookupError> {
    if values.len() != 1usize.checked_shl(point.len() as u32).unwrap_or(0) {
        return Err(LookupError::Shape("column length does not match the point"));
    }
    let Some((&r0, rest)) = point.split_first() else {
        return values
            .first()
            .map(|&v| EF::from(v))
            .ok_or(LookupError::Shape("empty column"));
    };
    // The first fold leaves the base field; the later ones are in the extension.
    let (lo, hi) = values.split_at(values.len() / 2);
    let mut t: Vec<EF> = lo
        .par_iter()
        .with_min_len(PAR_MIN)
        .zip(hi)
        .map(|(&a, &b)| r0 * (b - a) + a)
        .collect();
    for &r in rest {
        let half = t.len() / 2;
        let (lo, hi) = t.split_at_mut(half);
        lo.par_iter_mut()
            .with_min_len(PAR_MIN)
            .zip(hi)
            .for_each(|(a, b)| *a += r * (*b - *a));
        t.truncate(half);
    }
    t.first().copied().ok_or(LookupError::Shape("empty column"))
}
