//! Claim reduction before an opening: all claims on committed columns of one size become claims
//! at one common point.
//!
//! The layer proofs leave many claims (column, point, value), most at distinct points. A WHIR
//! opening pays for every distinct point (an eq table over the column's table in p3), so for each
//! group of columns with `n` variables and `k >= 2` claims, one sumcheck proves
//! `sum_x sum_c col_c(x) W_c(x) = sum_j rho_j v_j` with `W_c = sum_{j on c} rho_j eq(z_j, .)`
//! (the `rho_j` drawn after the values are observed). It ends at a random point `r`: the prover
//! sends `col_c(r)`, the verifier computes `W_c(r)` itself, and the claims `col_c(r)` (one point
//! per group, which the PCS opens in one batch) replace the group's claims. A group with one
//! claim passes through. Soundness: `k / |EF|` for the combination plus `2n / |EF|` for the
//! sumcheck (Schwartz-Zippel, degree 2 per round).
//!
//! Transcript per group (decreasing `n`): observe the values, draw the `rho_j`, the sumcheck
//! rounds, observe `[col_c(r), W_c(r)]` interleaved (the sumcheck's final evaluations).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_layers::Claim;
use zkinfer_poly::{eq_eval, eq_table_scaled};
use zkinfer_sumcheck::{ProductSum, SumcheckProof, prove};
use zkinfer_transcript::FiatShamir;

use crate::ProtocolError;

/// The opening's claims (column, point) for reduced claims, the same list for prover and verifier.
pub(crate) fn pcs_claims(claims: &[(usize, Claim)]) -> Vec<zkinfer_pcs::Claim> {
    claims
        .iter()
        .map(|(poly, c)| zkinfer_pcs::Claim {
            poly: *poly,
            point: c.point.clone(),
        })
        .collect()
}

const LABEL_VALUES: &str = "reduce.values";
const LABEL_RHO: &str = "reduce.rho";

/// Claims on committed columns: `(column, claim)`.
pub type ColumnClaims = Vec<(usize, Claim)>;

/// A claim's column, its combination weight `rho` and its point.
type Weighted<'a> = (usize, EF, &'a [EF]);

/// The reduction of one group of claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupReduction {
    /// The batching sumcheck.
    pub sumcheck: SumcheckProof<EF>,
    /// Each of the group's columns at the sumcheck's point, in increasing column order.
    pub evals: Vec<EF>,
}

/// One group: its variable count, its columns (increasing), and its claims (indices).
struct Group {
    num_vars: usize,
    columns: Vec<usize>,
    claims: Vec<usize>,
}

/// Groups claims by their column's size, largest first; `col_vars[c]` is column `c`'s size.
fn groups(col_vars: &[usize], claims: &[(usize, Claim)]) -> Result<Vec<Group>, ProtocolError> {
    let mut by_size: BTreeMap<usize, Group> = BTreeMap::new();
    for (j, (c, claim)) in claims.iter().enumerate() {
        let n = *col_vars
            .get(*c)
            .ok_or_else(|| ProtocolError::Malformed(format!("claim on unknown column {c}")))?;
        if claim.point.len() != n {
            return Err(ProtocolError::Malformed(format!(
                "claim {j} on column {c}: point of {} coordinates, column has {n} variables",
                claim.point.len()
            )));
        }
        let g = by_size.entry(n).or_insert_with(|| Group {
            num_vars: n,
            columns: vec![],
            claims: vec![],
        });
        g.claims.push(j);
        if !g.columns.contains(c) {
            g.columns.push(*c);
        }
    }
    let mut out: Vec<Group> = by_size.into_values().rev().collect();
    for g in &mut out {
        g.columns.sort_unstable();
    }
    Ok(out)
}

/// The instance `sum_i col_i * W_i` over polynomials `[col_0, W_0, col_1, W_1, ...]`.
fn instance(g: &Group) -> ProductSum<EF> {
    let terms = (0..g.columns.len())
        .map(|i| (EF::ONE, vec![2 * i, 2 * i + 1]))
        .collect();
    ProductSum::new(g.num_vars, terms)
}

/// Observes the group's values, draws its `rho_j`, returns the claimed sum and `(column, rho, z)`.
fn combine<'a>(
    g: &Group,
    claims: &'a [(usize, Claim)],
    t: &mut impl FiatShamir<EF>,
) -> (EF, Vec<Weighted<'a>>) {
    let members: Vec<&(usize, Claim)> = g.claims.iter().filter_map(|&j| claims.get(j)).collect();
    let values: Vec<EF> = members.iter().map(|(_, c)| c.value).collect();
    t.observe(LABEL_VALUES, &values);
    let rhos = t.challenges(LABEL_RHO, members.len());
    let sum = values.iter().zip(&rhos).map(|(&v, &r)| v * r).sum();
    let weighted = members
        .iter()
        .zip(rhos)
        .map(|((c, claim), rho)| (*c, rho, claim.point.as_slice()))
        .collect();
    (sum, weighted)
}

/// Proves the reduction of `claims` on `columns`; returns the group proofs and the reduced claims
/// (pass-through claims first in their group's place, then each group's columns at its point).
pub fn prove_reduction(
    columns: &[Vec<F>],
    claims: &[(usize, Claim)],
    t: &mut impl FiatShamir<EF>,
) -> Result<(Vec<GroupReduction>, ColumnClaims), ProtocolError> {
    let col_vars: Vec<usize> = columns
        .iter()
        .map(|c| c.len().trailing_zeros() as usize)
        .collect();
    let mut proofs = vec![];
    let mut reduced = vec![];
    for g in groups(&col_vars, claims)? {
        if g.claims.len() == 1 {
            reduced.extend(g.claims.iter().filter_map(|&j| claims.get(j).cloned()));
            continue;
        }
        let (_, weighted) = combine(&g, claims, t);
        let mut polys = Vec::with_capacity(2 * g.columns.len());
        for &c in &g.columns {
            let col = columns.get(c).map(Vec::as_slice).unwrap_or_default();
            let mut w = vec![EF::ZERO; 1 << g.num_vars];
            for &(_, rho, z) in weighted.iter().filter(|(cc, _, _)| *cc == c) {
                for (a, e) in w.iter_mut().zip(eq_table_scaled(z, rho)) {
                    *a += e;
                }
            }
            polys.push(col.iter().map(|&v| EF::from(v)).collect());
            polys.push(w);
        }
        let (sumcheck, point, finals) = prove(&instance(&g), polys, t);
        let evals: Vec<EF> = finals.iter().step_by(2).copied().collect();
        for (&c, &value) in g.columns.iter().zip(&evals) {
            reduced.push((
                c,
                Claim {
                    point: point.clone(),
                    value,
                },
            ));
        }
        proofs.push(GroupReduction { sumcheck, evals });
    }
    Ok((proofs, reduced))
}

/// Verifies the reduction of `claims` on columns of sizes `col_vars`; returns the reduced claims
/// (the prover's order) to check against the commitment.
pub fn verify_reduction(
    col_vars: &[usize],
    claims: &[(usize, Claim)],
    proofs: &[GroupReduction],
    t: &mut impl FiatShamir<EF>,
) -> Result<ColumnClaims, ProtocolError> {
    let bad = |what: String| ProtocolError::Malformed(format!("claim reduction: {what}"));
    let mut proofs = proofs.iter();
    let mut reduced = vec![];
    for g in groups(col_vars, claims)? {
        if g.claims.len() == 1 {
            reduced.extend(g.claims.iter().filter_map(|&j| claims.get(j).cloned()));
            continue;
        }
        let p = proofs
            .next()
            .ok_or_else(|| bad("fewer group proofs than groups".into()))?;
        if p.evals.len() != g.columns.len() {
            return Err(bad(format!(
                "{} evaluations for {} columns",
                p.evals.len(),
                g.columns.len()
            )));
        }
        let (sum, weighted) = combine(&g, claims, t);
        let inst = instance(&g);
        // The final evaluations the prover observed: each column's value and W_c at the point,
        // which needs the point; so check the rounds first, then rebuild them.
        let subclaim = zkinfer_sumcheck::verify(&inst, sum, &p.sumcheck, t)
            .map_err(|e| bad(format!("sumcheck: {e}")))?;
        let mut finals = Vec::with_capacity(2 * g.columns.len());
        for (&c, &v) in g.columns.iter().zip(&p.evals) {
            let mut w = EF::ZERO;
            for &(_, rho, z) in weighted.iter().filter(|(cc, _, _)| *cc == c) {
                w += rho * eq_eval(z, &subclaim.point).map_err(|_| bad("point length".into()))?;
            }
            finals.push(v);
            finals.push(w);
        }
        zkinfer_sumcheck::observe_final_evals(t, &finals);
        zkinfer_sumcheck::verify_final(&inst, &subclaim, &finals)
            .map_err(|e| bad(format!("final check: {e}")))?;
        for (&c, &value) in g.columns.iter().zip(&p.evals) {
            reduced.push((
                c,
                Claim {
                    point: subclaim.point.clone(),
                    value,
                },
            ));
        }
    }
    if proofs.next().is_some() {
        return Err(bad("more group proofs than groups".into()));
    }
    Ok(reduced)
}

#[cfg(test)]
mod tests {
    use zkinfer_layers::mle_eval;
    use zkinfer_transcript::{Statement, Transcript};

    use super::*;
    use crate::test_support::Rng;

    fn setup() -> (Vec<Vec<F>>, Vec<(usize, Claim)>) {
        let mut rng = Rng(7);
        let sizes = [5usize, 3, 5, 5, 2];
        let columns: Vec<Vec<F>> = sizes
            .iter()
            .map(|&n| {
                rng.vec(1 << n, 1000)
                    .into_iter()
                    .map(|v| zkinfer_field::encode_signed(v).unwrap())
                    .collect()
            })
            .collect();
        let mut t = Transcript::new(&Statement::new("reduce-test", 1));
        // Two claims on column 0, one each on 2, 3 (same size), one on 1, one on 4.
        let claims = [0usize, 2, 0, 3, 1, 4]
            .into_iter()
            .map(|c| {
                let point = t.sample_ext_vec("p", sizes[c]);
                let value = mle_eval(&columns[c], &point);
                (c, Claim { point, value })
            })
            .collect();
        (columns, claims)
    }

    fn transcript() -> Transcript {
        Transcript::new(&Statement::new("reduce", 1))
    }

    #[test]
    fn reduced_claims_are_true_and_verify() {
        let (columns, claims) = setup();
        let (proofs, reduced) = prove_reduction(&columns, &claims, &mut transcript()).unwrap();
        // One group needs a sumcheck (size 5: four claims on three columns); sizes 3 and 2 pass.
        assert_eq!(proofs.len(), 1);
        assert_eq!(reduced.len(), 3 + 2);
        for (c, claim) in &reduced {
            assert_eq!(mle_eval(&columns[*c], &claim.point), claim.value);
        }
        let vars: Vec<usize> = columns
            .iter()
            .map(|c| c.len().trailing_zeros() as usize)
            .collect();
        let checked = verify_reduction(&vars, &claims, &proofs, &mut transcript()).unwrap();
        assert_eq!(checked, reduced);
    }

    #[test]
    fn a_false_claim_cannot_be_reduced_to_true_ones() {
        let (columns, mut claims) = setup();
        claims[2].1.value += EF::ONE;
        let vars: Vec<usize> = columns
            .iter()
            .map(|c| c.len().trailing_zeros() as usize)
            .collect();
        let (proofs, _) = prove_reduction(&columns, &claims, &mut transcript()).unwrap();
        // The honest prover's sumcheck starts from the wrong sum: rejected, or reduced claims
        // that are false.
        match verify_reduction(&vars, &claims, &proofs, &mut transcript()) {
            Err(_) => {}
            Ok(reduced) => assert!(
                reduced
                    .iter()
                    .any(|(c, cl)| mle_eval(&columns[*c], &cl.point) != cl.value)
            ),
        }
        // Structure: missing or extra group proofs are refused.
        assert!(verify_reduction(&vars, &claims, &[], &mut transcript()).is_err());
        let mut two = proofs.clone();
        two.push(proofs[0].clone());
        assert!(verify_reduction(&vars, &claims, &two, &mut transcript()).is_err());
        // A claim whose point does not fit its column is refused.
        let mut bad = claims.clone();
        bad[0].1.point.pop();
        assert!(verify_reduction(&vars, &bad, &proofs, &mut transcript()).is_err());
    }
}
