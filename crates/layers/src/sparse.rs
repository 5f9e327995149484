//! Fixed sparse linear maps between flat tensors: the wiring of every data-movement layer.

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use crate::LayerError;

/// `out[q] = sum over entries (q, j, c) of c * in[j]`, for `q < out_len`, `j < in_len`.
///
/// Entries only ever name real (unpadded) positions, so the padding of `in` is never read and the
/// padding of `out` is zero by definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SparseMap {
    /// Real length of the output.
    pub out_len: usize,
    /// Real length of the input.
    pub in_len: usize,
    /// `(out index, in index, coefficient)`.
    pub entries: Vec<(u32, u32, i32)>,
}

impl SparseMap {
    /// Builds a map, checking every entry against the domains.
    pub fn new(
        out_len: usize,
        in_len: usize,
        entries: Vec<(u32, u32, i32)>,
    ) -> Result<Self, LayerError> {
        for &(q, j, _) in &entries {
            if q as usize >= out_len || j as usize >= in_len {
                return Err(LayerError::MapEntry {
                    out: q as usize,
                    inp: j as usize,
                    out_len,
                    in_len,
                });
            }
        }
        Ok(Self {
            out_len,
            in_len,
            entries,
        })
    }

    /// Whether the map is the zero matrix (no entries, or coefficients that cancel).
    pub fn is_zero(&self) -> bool {
        let mut sums = std::collections::BTreeMap::<(u32, u32), i64>::new();
        for &(q, j, c) in &self.entries {
            *sums.entry((q, j)).or_default() += i64::from(c);
        }
        sums.values().all(|&c| c == 0)
    }

    /// The identity on the first `len` entries.
    pub fn identity(len: usize) -> Self {
        let entries = (0..len as u32).map(|i| (i, i, 1)).collect();
        Self {
            out_len: len,
            in_len: len,
            entries,
        }
    }

    /// Number of variables of the (padded) output domain.
    pub fn out_vars(&self) -> usize {
        crate::log2_ceil(self.out_len)
    }

    /// Number of variables of the (padded) input domain.
    pub fn in_vars(&self) -> usize {
        crate::log2_ceil(self.in_len)
    }

    /// Applies the map to a padded input table, giving the padded output table.
    pub fn apply(&self, input: &[F]) -> Vec<F> {
        let mut out = vec![F::ZERO; crate::padded_len(self.out_len)];
        for &(q, j, c) in &self.entries {
            if let (Some(o), Some(&x)) = (out.get_mut(q as usize), input.get(j as usize)) {
                *o += coeff(c) * x;
            }
        }
        out
    }

    /// `M[j] = sum over entries (q, j, c) of c * weights[q]`: the table the wiring sumcheck pairs
    /// with the input, for output weights `E` (an eq table or a combination of them).
    pub fn pull_back(&self, weights: &[EF]) -> Vec<EF> {
        let mut m = vec![EF::ZERO; crate::padded_len(self.in_len)];
        for &(q, j, c) in &self.entries {
            if let (Some(mj), Some(&w)) = (m.get_mut(j as usize), weights.get(q as usize)) {
                *mj += w * coeff(c);
            }
        }
        m
    }

    /// `sum over entries (q, j, c) of c * out_weights[q] * in_weights[j]`: the multilinear extension
    /// of the pulled-back table at a point, given the eq table of that point as `in_weights`.
    pub fn bilinear(&self, out_weights: &[EF], in_weights: &[EF]) -> EF {
        let mut acc = EF::ZERO;
        for &(q, j, c) in &self.entries {
            if let (Some(&a), Some(&b)) = (out_weights.get(q as usize), in_weights.get(j as usize))
            {
                acc += a * b * coeff(c);
            }
        }
        acc
    }
}

fn coeff(c: i32) -> F {
    let m = F::from_u32(c.unsigned_abs());
    if c < 0 { -m } else { m }
}
