//! The equality polynomial `eq(x, r) = prod_i (x_i r_i + (1 - x_i)(1 - r_i))`.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use zkinfer_field::Field;

use crate::PolyError;
#[cfg(feature = "parallel")]
use crate::fold::parallel_worth_it;

/// The table of `eq(x, point)` for every `x` in `{0,1}^n`, MSB-first: entry `i` is `eq(bits(i),
/// point)` with `point[0]` matched against the most significant bit of `i`. Costs `2^n`
/// multiplications. Its entries sum to 1, and its inner product with a table `f` is `f(point)`.
pub fn eq_table<EF: Field>(point: &[EF]) -> Vec<EF> {
    eq_table_scaled(point, EF::ONE)
}

/// `scale * eq(x, point)` for every `x`, at the cost of [`eq_table`]. Batching several claims
/// `sum_k alpha_k f(r_k)` into one sumcheck needs exactly this.
pub fn eq_table_scaled<EF: Field>(point: &[EF], scale: EF) -> Vec<EF> {
    let mut table = vec![EF::ZERO; 1 << point.len()];
    if let Some(first) = table.first_mut() {
        *first = scale;
    }
    // Doubling step: the coordinate processed last becomes the most significant bit, so walk the
    // point backwards. Each step writes `t * r` to the new upper half and `t * (1 - r)` below it.
    let mut len = 1;
    for &r in point.iter().rev() {
        let (lo, rest) = table.split_at_mut(len);
        let (hi, _) = rest.split_at_mut(len);
        let step = move |(l, h): (&mut EF, &mut EF)| {
            *h = *l * r;
            *l -= *h;
        };
        #[cfg(feature = "parallel")]
        if parallel_worth_it(2 * len) {
            lo.par_iter_mut().zip(hi.par_iter_mut()).for_each(step);
        } else {
            lo.iter_mut().zip(hi.iter_mut()).for_each(step);
        }
        #[cfg(not(feature = "parallel"))]
        lo.iter_mut().zip(hi.iter_mut()).for_each(step);
        len *= 2;
    }
    table
}

/// `eq(a, b)` for two points of the same length, in `O(n)`. Safe on untrusted lengths.
pub fn eq_eval<EF: Field>(a: &[EF], b: &[EF]) -> Result<EF, PolyError> {
    if a.len() != b.len() {
        return Err(PolyError::PointLength {
            expected: a.len(),
            got: b.len(),
        });
    }
    // a b + (1 - a)(1 - b) = 2ab - a - b + 1
    Ok(a.iter()
        .zip(b)
        .map(|(&x, &y)| (x * y).double() - x - y + EF::ONE)
        .product())
}
