//! Fixing the first (most significant) variable of an evaluation table.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use zkinfer_field::{ExtensionField, Field};

use crate::PolyError;

/// Whether a table of `len` entries is worth processing with rayon.
#[cfg(feature = "parallel")]
#[inline]
pub(crate) fn parallel_worth_it(len: usize) -> bool {
    cfg!(feature = "parallel") && len >= 1 << crate::PAR_MIN_LOG
}

fn half_len(len: usize) -> Result<usize, PolyError> {
    if !len.is_power_of_two() {
        return Err(PolyError::NotPowerOfTwo { len });
    }
    if len < 2 {
        return Err(PolyError::NoVariables);
    }
    Ok(len / 2)
}

/// Fixes the first variable of `evals` to `r` in place, `t[x] <- t[x] + r * (t[x + half] - t[x])`
/// for `x < half`, then truncates to `half` entries.
///
/// Every entry pays its product, whatever the values: zero-knowledge provers fold hidden tables
/// with this, and a product skipped where the two entries agree made their time depend on the
/// hidden data (docs/security.md, "Timing").
pub fn fold_first_in_place<T: Field>(evals: &mut Vec<T>, r: T) -> Result<(), PolyError> {
    let half = half_len(evals.len())?;
    let (lo, hi) = evals.split_at_mut(half);
    let step = move |(l, h): (&mut T, &T)| *l += r * (*h - *l);
    #[cfg(feature = "parallel")]
    if parallel_worth_it(half * 2) {
        lo.par_iter_mut().zip(hi.par_iter()).for_each(step);
    } else {
        lo.iter_mut().zip(hi.iter()).for_each(step);
    }
    #[cfg(not(feature = "parallel"))]
    lo.iter_mut().zip(hi.iter()).for_each(step);
    evals.truncate(half);
    Ok(())
}

/// Fixes the first variable of a table over `F` to a point `r` of an extension `EF`, returning the
/// new table over `EF` (half as long). This is how base-field witness tables enter a sumcheck: the
/// difference `hi - lo` is taken in `F`, so only one `EF x F` product is paid per entry.
pub fn fold_first<F: Field, EF: ExtensionField<F>>(
    evals: &[F],
    r: EF,
) -> Result<Vec<EF>, PolyError> {
    let half = half_len(evals.len())?;
    let (lo, hi) = evals.split_at(half);
    let step = move |(&l, &h): (&F, &F)| r * (h - l) + l;
    #[cfg(feature = "parallel")]
    if parallel_worth_it(half * 2) {
        return Ok(lo.par_iter().zip(hi.par_iter()).map(step).collect());
    }
    Ok(lo.iter().zip(hi.iter()).map(step).collect())
}
