//! The sumcheck prover. It follows [`crate::verify`] message for message.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use zkinfer_field::{ExtensionField, Field};
use zkinfer_poly::{PAR_MIN_LOG, fold_first, fold_first_in_place};
use zkinfer_transcript::FiatShamir;

use crate::{LABEL_CHALLENGE, LABEL_ROUND, ProductSum, SumcheckProof, observe_final_evals};

/// Proves `sum_x sum_j c_j prod_{i in S_j} f_i(x)` for the tables `polys` (over `F`, or over `EF`
/// itself), on the schedule in the crate docs. Returns the proof, the random point `r` and the
/// final evaluations `f_i(r)`, which it has also observed.
///
/// The first round runs over the `F` tables; they are lifted to `EF` by the first fold, so
/// base-field witnesses pay extension arithmetic only from round 1 on.
///
/// # Panics
///
/// If the instance is malformed, or `polys` does not hold `instance.num_polys()` tables of
/// `2^num_vars` entries each: the prover trusts its caller.
pub fn prove<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    polys: Vec<Vec<F>>,
    transcript: &mut impl FiatShamir<EF>,
) -> (SumcheckProof<EF>, Vec<EF>, Vec<EF>) {
    let (proof, point, final_evals) = prove_rounds(instance, None, polys, transcript);
    observe_final_evals(transcript, &final_evals);
    (proof, point, final_evals)
}

/// [`prove`] without observing the final evaluations, for variants that send only some of them.
///
/// With a `weight` table `w` (over `EF`, e.g. an eq table) it proves
/// `sum_x w(x) * sum_j c_j prod_{i in S_j} f_i(x)`: the round polynomials have degree
/// `instance.degree + 1`, exactly as for [`crate::with_eq_factor`] applied to the instance with `w`
/// as polynomial 0, but the `f_i` stay in `F` for round 0. The returned final evaluations are
/// those of the `f_i` only.
pub(crate) fn prove_rounds<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    weight: Option<Vec<EF>>,
    polys: Vec<Vec<F>>,
    transcript: &mut impl FiatShamir<EF>,
) -> (SumcheckProof<EF>, Vec<EF>, Vec<EF>) {
    prove_rounds_with_offset(instance, weight, polys, &mut (), transcript)
}

/// A polynomial added to every round message before it is sent, which binds its variables to the
/// same challenges: the masking polynomial of [`crate::zk`] (Libra, Sec. 4.1). `()` adds nothing.
pub(crate) trait RoundOffset<EF> {
    /// Adds the offset's round polynomial (its evaluations at `0..=degree`) to `s`.
    fn add_round(&self, s: &mut [EF]);
    /// Binds the current variable to the challenge `r`.
    fn bind(&mut self, r: EF);
}

impl<EF> RoundOffset<EF> for () {
    fn add_round(&self, _: &mut [EF]) {}
    fn bind(&mut self, _: EF) {}
}

/// [`prove_rounds`] sending `s_k + o_k` in round `k`, where `o_k` is the `offset`'s round
/// polynomial. The running claim the prover tracks (to derive `s_k(1)`) stays that of the tables
/// alone, so the tables' part of every message is exactly what [`prove_rounds`] would compute
/// from the same challenges.
pub(crate) fn prove_rounds_with_offset<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    weight: Option<Vec<EF>>,
    polys: Vec<Vec<F>>,
    offset: &mut impl RoundOffset<EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> (SumcheckProof<EF>, Vec<EF>, Vec<EF>) {
    if let Err(e) = instance.validate() {
        panic!("sumcheck prover given a malformed instance: {e}");
    }
    assert_eq!(
        polys.len(),
        instance.num_polys(),
        "sumcheck prover: number of tables"
    );
    let n = instance.num_vars;
    let lens = polys
        .iter()
        .map(Vec::len)
        .chain(weight.iter().map(Vec::len));
    for (i, len) in lens.enumerate() {
        assert_eq!(
            len,
            1 << n,
            "sumcheck prover: table {i} has the wrong length"
        );
    }

    let mut round_polys = Vec::with_capacity(n);
    let mut point = Vec::with_capacity(n);
    let final_evals = if n == 0 {
        polys.iter().map(|t| EF::from(t[0])).collect()
    } else {
        let mut weight = weight;
        // Round 0 over the input field, then one fold lifts every table to EF.
        let s = round_poly(instance, &polys, weight.as_deref(), None);
        let (sent, r) = send_round(transcript, offset, &s);
        let mut claim = crate::interpolate_at(&s, r);
        round_polys.push(sent);
        point.push(r);
        let mut tables: Vec<Vec<EF>> = polys
            .iter()
            .map(|t| fold_first(t, r).expect("power-of-two table"))
            .collect();
        drop(polys);
        if let Some(w) = &mut weight {
            fold_first_in_place(w, r).expect("power-of-two table");
        }
        for _ in 1..n {
            let s = round_poly::<EF, EF>(instance, &tables, weight.as_deref(), Some(claim));
            let (sent, r) = send_round(transcript, offset, &s);
            claim = crate::interpolate_at(&s, r);
            round_polys.push(sent);
            point.push(r);
            for t in tables.iter_mut().chain(weight.iter_mut()) {
                fold_first_in_place(t, r).expect("power-of-two table");
            }
        }
        tables.iter().map(|t| t[0]).collect::<Vec<_>>()
    };
    (SumcheckProof { round_polys }, point, final_evals)
}

/// Adds the offset to the tables' round polynomial `s`, observes the sum as the round message,
/// draws the challenge and binds the offset to it. Returns the message and the challenge.
pub(crate) fn send_round<EF: Copy>(
    transcript: &mut impl FiatShamir<EF>,
    offset: &mut impl RoundOffset<EF>,
    s: &[EF],
) -> (Vec<EF>, EF) {
    let mut sent = s.to_vec();
    offset.add_round(&mut sent);
    transcript.observe(LABEL_ROUND, &sent);
    let r = transcript.challenge(LABEL_CHALLENGE);
    offset.bind(r);
    (sent, r)
}

/// The round polynomial `s(t) = sum_{x'} [w(t, x')] sum_j c_j prod_{i in S_j} f_i(t, x')` at
/// `t = 0..=degree`, for tables over `T` (the input field in round 0, `EF` afterwards). With the
/// running `claim` known, `s(1) = claim - s(0)` is derived rather than summed.
fn round_poly<T: Field, EF: ExtensionField<T>>(
    instance: &ProductSum<EF>,
    tables: &[Vec<T>],
    weight: Option<&[EF]>,
    claim: Option<EF>,
) -> Vec<EF> {
    let d = instance.degree + usize::from(weight.is_some());
    let nodes: Vec<usize> = (0..=d).filter(|&t| t != 1 || claim.is_none()).collect();
    let factors: Vec<&[usize]> = instance.terms.iter().map(|(_, s)| s.as_slice()).collect();
    let half = weight.map_or_else(|| tables.first().map_or(0, Vec::len), <[EF]>::len) / 2;
    let width = factors.len() * nodes.len();
    // Coefficients are applied once per term, after summing over the hypercube.
    let mut s = vec![EF::ZERO; d + 1];
    let mut add = |sums: Vec<EF>| {
        for (j, (c, _)) in instance.terms.iter().enumerate() {
            for (k, &t) in nodes.iter().enumerate() {
                s[t] += *c * sums[j * nodes.len() + k];
            }
        }
    };
    match weight {
        None => add(par_sum(half, width, |range| {
            term_sums_range(tables, &factors, d, &nodes, range)
        })
        .into_iter()
        .map(EF::from)
        .collect()),
        Some(w) => add(par_sum(half, width, |range| {
            weighted_sums_range(tables, w, &factors, d, &nodes, range)
        })),
    }
    if let Some(claim) = claim {
        s[1] = claim - s[0];
    }
    s
}

/// Sums `kernel` over `0..half`, split over rayon for large tables.
pub(crate) fn par_sum<A: Field>(
    half: usize,
    width: usize,
    kernel: impl Fn(std::ops::Range<usize>) -> Vec<A> + Sync,
) -> Vec<A> {
    #[cfg(feature = "parallel")]
    if half * 2 >= 1 << PAR_MIN_LOG {
        let chunk = (half / (4 * rayon::current_num_threads())).max(1 << 10);
        return (0..half.div_ceil(chunk))
            .into_par_iter()
            .map(|c| kernel(c * chunk..((c + 1) * chunk).min(half)))
            .reduce(
                || vec![A::ZERO; width],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
    }
    #[cfg(not(feature = "parallel"))]
    let _ = (PAR_MIN_LOG, width);
    kernel(0..half)
}

/// Writes `lo + t (hi - lo)` for `t = 0..vals.len()` (the table's restriction to a line), by
/// repeated addition.
#[inline]
pub(crate) fn line<T: Field>(vals: &mut [T], lo: T, hi: T) {
    let diff = hi - lo;
    let mut cur = lo;
    for v in vals {
        *v = cur;
        cur += diff;
    }
}

/// `prod_{i in factors} line_i(t)`, or one for an empty product.
#[inline]
pub(crate) fn product_at<T: Field>(lines: &[T], w: usize, factors: &[usize], t: usize) -> T {
    match factors.split_first() {
        Some((&first, rest)) => rest
            .iter()
            .fold(lines[first * w + t], |p, &i| p * lines[i * w + t]),
        None => T::ONE,
    }
}

/// `out[j * nodes.len() + k] = sum_{x' in range} prod_{i in S_j} f_i(nodes[k], x')`.
fn term_sums_range<T: Field>(
    tables: &[Vec<T>],
    factors: &[&[usize]],
    degree: usize,
    nodes: &[usize],
    range: std::ops::Range<usize>,
) -> Vec<T> {
    let half = tables[0].len() / 2;
    let w = degree + 1;
    let mut lines = vec![T::ZERO; tables.len() * w];
    let mut acc = vec![T::ZERO; factors.len() * nodes.len()];
    for x in range {
        for (table, vals) in tables.iter().zip(lines.chunks_exact_mut(w)) {
            line(vals, table[x], table[x + half]);
        }
        for (s, out) in factors.iter().zip(acc.chunks_exact_mut(nodes.len())) {
            for (&t, o) in nodes.iter().zip(out) {
                *o += product_at(&lines, w, s, t);
            }
        }
    }
    acc
}

/// As [`term_sums_range`] with every product multiplied by the weight's line: the products stay
/// in `T` and only the weighting is an `EF x T` multiplication.
fn weighted_sums_range<T: Field, EF: ExtensionField<T>>(
    tables: &[Vec<T>],
    weight: &[EF],
    factors: &[&[usize]],
    degree: usize,
    nodes: &[usize],
    range: std::ops::Range<usize>,
) -> Vec<EF> {
    let half = weight.len() / 2;
    let w = degree + 1;
    let mut lines = vec![T::ZERO; tables.len() * w];
    let mut wline = vec![EF::ZERO; w];
    let mut acc = vec![EF::ZERO; factors.len() * nodes.len()];
    for x in range {
        for (table, vals) in tables.iter().zip(lines.chunks_exact_mut(w)) {
            line(vals, table[x], table[x + half]);
        }
        line(&mut wline, weight[x], weight[x + half]);
        for (s, out) in factors.iter().zip(acc.chunks_exact_mut(nodes.len())) {
            for (&t, o) in nodes.iter().zip(out) {
                *o += wline[t] * product_at(&lines, w, s, t);
            }
        }
    }
    acc
}
