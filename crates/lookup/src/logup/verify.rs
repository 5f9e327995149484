//! LogUp verifier: the batched GKR, then the leaf checks against the public table.
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
use zkinfer_transcript::FiatShamir;

use super::{LookupClaims, LookupError, LookupInstance, LookupProof, labels};
use crate::gkr::verify_fraction_sums;

/// Verifies a LogUp proof and returns the claims on the committed columns.
///
/// Precondition (soundness: docs/pitfalls.md, 3): `transcript` has already observed the commitment to
/// the lookup columns and the multiplicities, exactly as the prover's did. The proof is accepted
/// only together with the caller's PCS check of every returned claim: `eval_lookups[k]` against
/// column `k` at `point_lookups`, `eval_multiplicities` against the multiplicities at
/// `point_table`.
pub fn verify_lookup<F, EF, T>(
    instance: &LookupInstance<F>,
    proof: &LookupProof<EF>,
    transcript: &mut T,
) -> Result<LookupClaims<EF>, LookupError>
where
    F: Field,
    EF: ExtensionField<F>,
    T: FiatShamir<EF>,
{
    instance.check()?;
    let (alpha, gammas) = instance.draw_challenges::<EF, T>(transcript);
    let depths = [instance.num_vars, instance.table.bits()];
    let leaves = verify_fraction_sums(&depths, &proof.gkr, transcript)?;
    let [lookup_leaf, table_leaf] =
        <[_; 2]>::try_from(leaves).map_err(|_| LookupError::Shape("one leaf claim per tree"))?;

    // Lookup leaves are -1 / (α - Σ γ_k col_k): the numerator MLE is the constant -1, and the
    // denominator MLE is α - Σ γ_k col_k(point), by linearity.
    if lookup_leaf.numerator != EF::NEG_ONE {
        return Err(LookupError::LookupNumerator);
    }
    if proof.lookup_evals.len() != gammas.len() {
        return Err(LookupError::Shape("one lookup evaluation per column"));
    }
    if lookup_leaf.denominator != alpha - fold(&gammas, &proof.lookup_evals) {
        return Err(LookupError::LookupDenominator);
    }

    // Table leaves are m_j / (α - Σ γ_k t_k,j): the verifier evaluates the public table itself;
    // the numerator is the multiplicities' MLE, returned as a claim.
    let table_evals = instance.table.evaluate(&table_leaf.point)?;
    if table_leaf.denominator != alpha - fold(&gammas, &table_evals) {
        return Err(LookupError::TableDenominator);
    }
    transcript.observe(labels::LOOKUP_EVALS, &proof.lookup_evals);

    Ok(LookupClaims {
        point_lookups: lookup_leaf.point,
        eval_lookups: proof.lookup_evals.clone(),
        point_table: table_leaf.point,
        eval_multiplicities: table_leaf.numerator,
    })
}

/// `Σ_k γ_k v_k`.
fn fold<EF: Field>(gammas: &[EF], values: &[EF]) -> EF {
    gammas.iter().zip(values).map(|(&g, &v)| g * v).sum()
}
