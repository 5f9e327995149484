//! The node-by-node reference for the fast round polynomials (`round.rs`): the equivalence tests
//! prove every instance with both and compare.

use zkinfer_field::{ExtensionField, Field};

use super::{MaskedInstance, Table};
use crate::prove::{line, par_sum, product_at};

/// The tables' round polynomial `s(t) = sum_{x'} sum_j c_j prod_{i in S_j} T^_i(r_<k, t, x')` at
/// `t = 0..=degree`, with `half = 2^(n-k-1)` points `x'`, by multiplying the factors' values at
/// every node and point. With the running `claim` known, `s(1) = claim - s(0)` is derived rather
/// than summed. The reference for [`super::round::round_poly`].
pub(super) fn round_poly_generic<F: Field, EF: ExtensionField<F>>(
    instance: &MaskedInstance<EF>,
    tables: &[Table<F, EF>],
    shifts: &[Option<Vec<EF>>],
    half: usize,
    claim: Option<EF>,
) -> Vec<EF> {
    let d = instance.degree();
    let nodes: Vec<usize> = (0..=d).filter(|&t| t != 1 || claim.is_none()).collect();
    let terms = &instance.sum.terms;
    let factors: Vec<&[usize]> = terms.iter().map(|(_, s)| s.as_slice()).collect();
    let sums = par_sum(half, factors.len() * nodes.len(), |range| {
        sums_range(tables, shifts, &factors, d + 1, &nodes, half, range)
    });
    // Coefficients are applied once per term, after summing over the hypercube.
    let mut s = vec![EF::ZERO; d + 1];
    for ((c, _), sums) in terms.iter().zip(sums.chunks_exact(nodes.len())) {
        for (&t, &sum) in nodes.iter().zip(sums) {
            s[t] += *c * sum;
        }
    }
    if let Some(claim) = claim {
        s[1] = claim - s[0];
    }
    s
}

/// `out[j * nodes.len() + k] = sum_{x' in range} prod_{i in S_j} T^_i(nodes[k], x')`, where a
/// masked factor's value is its table's line plus its shift at that node.
fn sums_range<F: Field, EF: ExtensionField<F>>(
    tables: &[Table<F, EF>],
    shifts: &[Option<Vec<EF>>],
    factors: &[&[usize]],
    w: usize,
    nodes: &[usize],
    half: usize,
    range: std::ops::Range<usize>,
) -> Vec<EF> {
    let mut lines = vec![EF::ZERO; tables.len() * w];
    let mut acc = vec![EF::ZERO; factors.len() * nodes.len()];
    for x in range {
        for ((table, shift), vals) in tables.iter().zip(shifts).zip(lines.chunks_exact_mut(w)) {
            let (lo, hi) = table.pair(x, half);
            line(vals, lo, hi);
            if let Some(shift) = shift {
                vals.iter_mut().zip(shift).for_each(|(v, &s)| *v += s);
            }
        }
        for (s, out) in factors.iter().zip(acc.chunks_exact_mut(nodes.len())) {
            for (&t, o) in nodes.iter().zip(out) {
                *o += product_at(&lines, w, s, t);
            }
        }
    }
    acc
}
