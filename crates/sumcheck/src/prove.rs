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
    let (proof, point, final_evals) = prove_rounds(instance, polys, transcript);
    observe_final_evals(transcript, &final_evals);
    (proof, point, final_evals)
}

/// [`prove`] without observing the final evaluations, for variants that send only some of them.
pub(crate) fn prove_rounds<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    polys: Vec<Vec<F>>,
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
    for (i, t) in polys.iter().enumerate() {
        assert_eq!(
            t.len(),
            1 << n,
            "sumcheck prover: table {i} has the wrong length"
        );
    }

    let mut round_polys = Vec::with_capacity(n);
    let mut point = Vec::with_capacity(n);
    let final_evals = if n == 0 {
        polys.iter().map(|t| EF::from(t[0])).collect()
    } else {
        // Round 0 over the input field, then one fold lifts every table to EF.
        let s = round_poly(instance, &polys, None);
        let r = send_round(transcript, &s);
        let mut claim = crate::interpolate_at(&s, r);
        round_polys.push(s);
        point.push(r);
        let mut tables: Vec<Vec<EF>> = polys
            .iter()
            .map(|t| fold_first(t, r).expect("power-of-two table"))
            .collect();
        drop(polys);
        for _ in 1..n {
            let s = round_poly::<EF, EF>(instance, &tables, Some(claim));
            let r = send_round(transcript, &s);
            claim = crate::interpolate_at(&s, r);
            round_polys.push(s);
            point.push(r);
            for t in &mut tables {
                fold_first_in_place(t, r).expect("power-of-two table");
            }
        }
        tables.iter().map(|t| t[0]).collect::<Vec<_>>()
    };
    (SumcheckProof { round_polys }, point, final_evals)
}

/// Observes a round message and draws its challenge.
fn send_round<EF>(transcript: &mut impl FiatShamir<EF>, s: &[EF]) -> EF {
    transcript.observe(LABEL_ROUND, s);
    transcript.challenge(LABEL_CHALLENGE)
}

/// The round polynomial `s(t) = sum_{x'} sum_j c_j prod_{i in S_j} f_i(t, x')` at
/// `t = 0..=degree`, for tables over `T` (the input field in round 0, `EF` afterwards). With the
/// running `claim` known, `s(1) = claim - s(0)` is derived rather than summed.
fn round_poly<T: Field, EF: ExtensionField<T>>(
    instance: &ProductSum<EF>,
    tables: &[Vec<T>],
    claim: Option<EF>,
) -> Vec<EF> {
    let d = instance.degree;
    let nodes: Vec<usize> = (0..=d).filter(|&t| t != 1 || claim.is_none()).collect();
    let factors: Vec<&[usize]> = instance.terms.iter().map(|(_, s)| s.as_slice()).collect();
    let sums = term_sums(tables, &factors, d, &nodes);
    // Coefficients are applied once per term, after summing over the hypercube.
    let mut s = vec![EF::ZERO; d + 1];
    for (j, (c, _)) in instance.terms.iter().enumerate() {
        for (k, &t) in nodes.iter().enumerate() {
            s[t] += *c * sums[j * nodes.len() + k];
        }
    }
    if let Some(claim) = claim {
        s[1] = claim - s[0];
    }
    s
}

/// `out[j * nodes.len() + k] = sum_{x'} prod_{i in S_j} f_i(nodes[k], x')`, split over rayon
/// for large tables.
fn term_sums<T: Field>(
    tables: &[Vec<T>],
    factors: &[&[usize]],
    degree: usize,
    nodes: &[usize],
) -> Vec<T> {
    let half = tables[0].len() / 2;
    let width = factors.len() * nodes.len();
    #[cfg(feature = "parallel")]
    if half * 2 >= 1 << PAR_MIN_LOG {
        let chunk = (half / (4 * rayon::current_num_threads())).max(1 << 10);
        return (0..half.div_ceil(chunk))
            .into_par_iter()
            .map(|c| {
                let range = c * chunk..((c + 1) * chunk).min(half);
                term_sums_range(tables, factors, degree, nodes, range)
            })
            .reduce(
                || vec![T::ZERO; width],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
    }
    #[cfg(not(feature = "parallel"))]
    let _ = (PAR_MIN_LOG, width);
    term_sums_range(tables, factors, degree, nodes, 0..half)
}

/// The sequential kernel of [`term_sums`] over `x'` in `range`. Each table's restriction to the
/// line `(t, x')` is `lo + t (hi - lo)`, extended to `t = 2..=degree` by repeated addition.
fn term_sums_range<T: Field>(
    tables: &[Vec<T>],
    factors: &[&[usize]],
    degree: usize,
    nodes: &[usize],
    range: std::ops::Range<usize>,
) -> Vec<T> {
    let half = tables[0].len() / 2;
    let w = degree + 1;
    let mut line = vec![T::ZERO; tables.len() * w];
    let mut acc = vec![T::ZERO; factors.len() * nodes.len()];
    for x in range {
        for (table, vals) in tables.iter().zip(line.chunks_exact_mut(w)) {
            let lo = table[x];
            let hi = table[x + half];
            let diff = hi - lo;
            vals[0] = lo;
            vals[1] = hi;
            let mut cur = hi;
            for v in &mut vals[2..] {
                cur += diff;
                *v = cur;
            }
        }
        for (s, out) in factors.iter().zip(acc.chunks_exact_mut(nodes.len())) {
            for (&t, o) in nodes.iter().zip(out) {
                *o += match s.split_first() {
                    Some((&first, rest)) => rest
                        .iter()
                        .fold(line[first * w + t], |p, &i| p * line[i * w + t]),
                    None => T::ONE,
                };
            }
        }
    }
    acc
}
