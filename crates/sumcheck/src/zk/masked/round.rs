//! The masked prover's round polynomial with as little extension arithmetic as each term allows.
//!
//! It returns exactly what the node-by-node product of `round_poly_generic` (prove.rs) returns:
//! field arithmetic is exact, so every algebraically equal way of computing a value gives the same
//! element, and the proof is bit-identical. The savings:
//!
//! - a term with one masked factor `u`, taken `k` times, is expanded by the binomial theorem
//!   ([`Plan::Expand`]): its sums need `|public| + k + 1` nodes instead of `degree` (5 instead of
//!   7 for `Wt U^3`), `k` products per node, no shift per point, and a base-field table's line
//!   (round 0) multiplies as `EF x F`;
//! - a public factor whose line is zero (e.g. a lane selector) skips the term at that point. Only
//!   a [`super::Factor::Public`] table's: skipping on a hidden table's zeros would make the
//!   prover's time depend on hidden data (a timing side channel), so those lines are summed like
//!   any other;
//! - the other terms multiply the factors' values node by node, each distinct factor raised to
//!   its multiplicity once.

use zkinfer_field::{ExtensionField, Field};

use super::Table;
use crate::prove::{line, par_sum};

/// How one term `prod_{i in S} T^_i` of the instance is summed over the cube in one round.
enum Plan {
    /// `P (u + sigma)^k`: one masked factor (table `masked`, whose line is `u` and whose shift
    /// `sigma(t)` is the same at every `x'`) taken `k = power` times, times the public factors
    /// `public` (listed with repetition; their product is `P`). By the binomial theorem the sum is
    /// `sum_j C(k, j) sigma^(k - j) S_j` with `S_j(t) = sum_{x'} P u^j`, of degree
    /// `|public| + j` in `t`: it is summed at the nodes `0..=|public| + j` only and extended to the
    /// others by their differences. `P u^j` is a running product, so a line `u` over `F` costs
    /// `EF x F` products only.
    Expand {
        public: Vec<usize>,
        masked: usize,
        power: usize,
    },
    /// The product at each node; each distinct factor `(table, multiplicity)` is raised to its
    /// multiplicity.
    Direct { factors: Vec<(usize, usize)> },
}

impl Plan {
    /// Expands a term with a single (distinct) masked factor; multiplies the others directly.
    fn new<EF>(factors: &[usize], shifts: &[Option<Vec<EF>>]) -> Self {
        let mut distinct: Vec<(usize, usize)> = Vec::with_capacity(factors.len());
        for &i in factors {
            match distinct.iter_mut().find(|(j, _)| *j == i) {
                Some((_, count)) => *count += 1,
                None => distinct.push((i, 1)),
            }
        }
        let (masked, public): (Vec<_>, Vec<_>) =
            distinct.iter().partition(|&&(i, _)| shifts[i].is_some());
        match masked.as_slice() {
            &[(m, power)] => Self::Expand {
                public: public
                    .iter()
                    .flat_map(|&(i, count)| std::iter::repeat_n(i, count))
                    .collect(),
                masked: m,
                power,
            },
            _ => Self::Direct { factors: distinct },
        }
    }

    /// Number of sums the plan accumulates: `S_j` at `|public| + j + 1` nodes for each `j`, or
    /// one per node.
    fn width(&self, nodes: usize) -> usize {
        match self {
            Self::Expand { public, power, .. } => (0..=*power).map(|j| public.len() + j + 1).sum(),
            Self::Direct { .. } => nodes,
        }
    }
}

/// The tables' round polynomial `s(t) = sum_{x'} sum_j c_j prod_{i in S_j} T^_i(r_<k, t, x')` at
/// `t = 0..=degree`, with `half = 2^(n-k-1)` points `x'` and `shifts[i]` the randomizer of masked
/// factor `i` at the nodes. With the running `claim` known, `s(1) = claim - s(0)` is derived.
#[allow(clippy::too_many_arguments)]
pub(super) fn round_poly<F: Field, EF: ExtensionField<F>>(
    terms: &[(EF, Vec<usize>)],
    degree: usize,
    tables: &[Table<F, EF>],
    public: &[bool],
    shifts: &[Option<Vec<EF>>],
    half: usize,
    claim: Option<EF>,
) -> Vec<EF> {
    let nodes: Vec<usize> = (0..=degree)
        .filter(|&t| t != 1 || claim.is_none())
        .collect();
    let plans: Vec<Plan> = terms.iter().map(|(_, s)| Plan::new(s, shifts)).collect();
    let widths: Vec<usize> = plans.iter().map(|p| p.width(nodes.len())).collect();
    let sums = par_sum(half, widths.iter().sum(), |range| {
        let mut acc: Vec<EF> = Vec::with_capacity(widths.iter().sum());
        for (plan, &w) in plans.iter().zip(&widths) {
            let start = acc.len();
            acc.resize(start + w, EF::ZERO);
            let out = &mut acc[start..];
            let range = range.clone();
            match plan {
                Plan::Expand {
                    public: unmasked,
                    masked,
                    power,
                } => {
                    let t = Tables { tables, public };
                    match &tables[*masked] {
                        Table::Base(u) => {
                            expand_range::<F, EF, F>(t, unmasked, u, *power, half, range, out)
                        }
                        Table::Ext(u) => {
                            expand_range::<F, EF, EF>(t, unmasked, u, *power, half, range, out)
                        }
                    }
                }
                Plan::Direct { factors } => {
                    let t = Tables { tables, public };
                    direct_range(t, shifts, factors, degree, &nodes, half, range, out);
                }
            }
        }
        acc
    });
    // Coefficients and shifts are applied once per term, after summing over the hypercube.
    let mut s = vec![EF::ZERO; degree + 1];
    let mut rest = sums.as_slice();
    for (((c, _), plan), &w) in terms.iter().zip(&plans).zip(&widths) {
        let (sums, tail) = rest.split_at(w);
        rest = tail;
        match plan {
            Plan::Expand {
                public,
                masked,
                power,
            } => {
                let sigma = shifts[*masked].as_deref().unwrap_or_default();
                for (st, v) in s
                    .iter_mut()
                    .zip(expanded(sums, public.len(), *power, sigma))
                {
                    *st += *c * v;
                }
            }
            Plan::Direct { .. } => {
                for (&t, &sum) in nodes.iter().zip(sums) {
                    s[t] += *c * sum;
                }
            }
        }
    }
    if let Some(claim) = claim {
        s[1] = claim - s[0];
    }
    s
}

/// `sum_j C(k, j) sigma(t)^(k - j) S_j(t)` at the nodes of `sigma`, where `sums` holds `S_j` at
/// the nodes `0..=public + j` for `j = 0..=k` in turn.
fn expanded<EF: Field>(sums: &[EF], public: usize, k: usize, sigma: &[EF]) -> Vec<EF> {
    let mut value = vec![EF::ZERO; sigma.len()];
    let mut rest = sums;
    let mut binomial = 1;
    for j in 0..=k {
        let (block, tail) = rest.split_at(public + j + 1);
        rest = tail;
        // Horner in sigma: (C(k, 0) S_0) sigma + C(k, 1) S_1, and so on.
        let s_j = extend(block, sigma.len());
        let c = EF::from_usize(binomial);
        for ((v, &sig), &s) in value.iter_mut().zip(sigma).zip(&s_j) {
            *v = *v * sig + c * s;
        }
        binomial = binomial * (k - j) / (j + 1);
    }
    value
}

/// The values at `0..len` of the polynomial of degree below `values.len()` that takes `values` at
/// `0, 1, ...`, by stepping its backward differences (additions only).
fn extend<EF: Field>(values: &[EF], len: usize) -> Vec<EF> {
    // diffs[j] = nabla^j f at the last node; nabla^(values.len() - 1) f is constant.
    let mut diffs = Vec::with_capacity(values.len());
    let mut row = values.to_vec();
    while let Some(&last) = row.last() {
        diffs.push(last);
        row = row.windows(2).map(|w| w[1] - w[0]).collect();
    }
    let mut out = values.to_vec();
    while out.len() < len {
        for j in (1..diffs.len()).rev() {
            let higher = diffs[j];
            diffs[j - 1] += higher;
        }
        out.push(diffs.first().copied().unwrap_or(EF::ZERO));
    }
    out
}

/// The tables, and which of them hold public data (whose zero lines may be skipped).
#[derive(Clone, Copy)]
struct Tables<'a, F, EF> {
    tables: &'a [Table<F, EF>],
    public: &'a [bool],
}

impl<F: Field, EF: ExtensionField<F>> Tables<'_, F, EF> {
    /// Whether table `i` is public and zero at both ends of the line at `x`: the term vanishes
    /// there. Never for a hidden table, whose lines are all summed (module docs).
    #[inline(always)]
    fn public_zero_line(&self, i: usize, lo: EF, hi: EF) -> bool {
        let skip = self.public.get(i).copied().unwrap_or(false) && lo.is_zero() && hi.is_zero();
        if skip {
            count_skip();
        }
        skip
    }
}

#[cfg(test)]
thread_local! {
    /// Work skipped on this thread (a zero line, or equal halves in a fold), for the tests that
    /// check nothing is skipped on hidden tables. Small tables are processed on the caller's
    /// thread, so a test can read it.
    pub(super) static SKIPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Records one skipped piece of work (tests only).
#[inline(always)]
pub(super) fn count_skip() {
    #[cfg(test)]
    SKIPS.with(|s| s.set(s.get() + 1));
}

/// Adds `S_j(t) = sum_{x' in range} P(t, x') u(t, x')^j` to `out` for `j = 0..=k` and the nodes
/// `t = 0..=|public| + j` ([`Plan::Expand`]), with `u` read in its field `T`.
fn expand_range<F: Field, EF: ExtensionField<F> + ExtensionField<T>, T: Field>(
    tables: Tables<'_, F, EF>,
    public: &[usize],
    u: &[T],
    k: usize,
    half: usize,
    range: std::ops::Range<usize>,
    out: &mut [EF],
) {
    let np = public.len();
    let mut p = vec![EF::ZERO; np + k + 1];
    let mut scratch = vec![EF::ZERO; np + k + 1];
    for x in range {
        if !public_product(tables, public, x, half, &mut p, &mut scratch) {
            continue;
        }
        let (lo, hi) = (u[x], u[x + half]);
        let diff = hi - lo;
        let mut ut = lo;
        for (t, &pt) in p.iter().enumerate() {
            // P u^j by running products; S_j needs the node t iff t <= np + j.
            let mut q = pt;
            if t <= np {
                out[t] += q;
            }
            let mut start = np + 1;
            for j in 1..=k {
                q *= ut;
                if t <= np + j {
                    out[start + t] += q;
                }
                start += np + j + 1;
            }
            ut += diff;
        }
    }
}

/// Writes the product of the unmasked factors' lines at `x` into `p` (one where there are none);
/// returns false, leaving `p` unspecified, if one of the public ones is zero on the whole line.
#[inline(always)]
fn public_product<F: Field, EF: ExtensionField<F>>(
    tables: Tables<'_, F, EF>,
    public: &[usize],
    x: usize,
    half: usize,
    p: &mut [EF],
    scratch: &mut [EF],
) -> bool {
    let Some((&first, rest)) = public.split_first() else {
        p.fill(EF::ONE);
        return true;
    };
    let (lo, hi) = tables.tables[first].pair(x, half);
    if tables.public_zero_line(first, lo, hi) {
        return false;
    }
    line(p, lo, hi);
    for &i in rest {
        let (lo, hi) = tables.tables[i].pair(x, half);
        if tables.public_zero_line(i, lo, hi) {
            return false;
        }
        line(scratch, lo, hi);
        p.iter_mut().zip(&*scratch).for_each(|(a, &b)| *a *= b);
    }
    true
}

/// `out[k] += sum_{x' in range} prod_{(i, m) in factors} T^_i(nodes[k], x')^m` ([`Plan::Direct`]).
#[allow(clippy::too_many_arguments)]
fn direct_range<F: Field, EF: ExtensionField<F>>(
    tables: Tables<'_, F, EF>,
    shifts: &[Option<Vec<EF>>],
    factors: &[(usize, usize)],
    degree: usize,
    nodes: &[usize],
    half: usize,
    range: std::ops::Range<usize>,
    out: &mut [EF],
) {
    let w = degree + 1;
    let mut lines = vec![EF::ZERO; factors.len() * w];
    'points: for x in range {
        for (&(i, _), vals) in factors.iter().zip(lines.chunks_exact_mut(w)) {
            let (lo, hi) = tables.tables[i].pair(x, half);
            match &shifts[i] {
                Some(shift) => {
                    line(vals, lo, hi);
                    vals.iter_mut().zip(shift).for_each(|(v, &s)| *v += s);
                }
                None if tables.public_zero_line(i, lo, hi) => continue 'points,
                None => line(vals, lo, hi),
            }
        }
        for (o, &t) in out.iter_mut().zip(nodes) {
            let product = factors
                .iter()
                .zip(lines.chunks_exact(w))
                .map(|(&(_, m), vals)| power(vals[t], m))
                .reduce(|a, b| a * b);
            *o += product.unwrap_or(EF::ONE);
        }
    }
}

/// `v^m`.
#[inline]
fn power<EF: Field>(v: EF, m: usize) -> EF {
    match m {
        1 => v,
        // Faster than `square` for the quartic extension on this target.
        2 => v * v,
        3 => v * v * v,
        _ => v.exp_u64(m as u64),
    }
}
