//! LogUp prover: builds both fractional-sum trees and runs the batched GKR.

use p3_field::{ExtensionField, Field};
use zkinfer_transcript::FiatShamir;

use super::{LookupClaims, LookupError, LookupInstance, LookupProof, Lookups, labels};
use crate::gkr::{FractionTree, Numerator, prove_fraction_sums};
use crate::mle::evaluate_mle;

/// Proves that every lookup is a row of `instance.table`, with the given multiplicities.
///
/// Precondition (soundness: docs/pitfalls.md, 3): `transcript` has already observed the commitment to
/// the lookup columns and to `multiplicities`; the challenges `β`, `α` are drawn here, after it.
/// Returns the proof and the claims the caller must prove by PCS openings of those commitments.
/// Fails if the witness does not balance (a lookup outside the table, or wrong multiplicities).
pub fn prove_lookup<F, EF, T>(
    instance: &LookupInstance<F>,
    lookups: Lookups<'_, F>,
    multiplicities: &[F],
    transcript: &mut T,
) -> Result<(LookupProof<EF>, LookupClaims<EF>), LookupError>
where
    F: Field,
    EF: ExtensionField<F>,
    T: FiatShamir<EF>,
{
    let (proof, claims) = prove_unchecked(instance, lookups, multiplicities, transcript)?;
    // The honest prover's check: an unbalanced witness would be rejected by the verifier anyway.
    let total = proof.gkr.roots.iter().try_fold(EF::ZERO, |acc, [p, q]| {
        q.try_inverse()
            .map(|inv| acc + *p * inv)
            .ok_or(LookupError::Unbalanced)
    })?;
    if total != EF::ZERO {
        return Err(LookupError::Unbalanced);
    }
    Ok((proof, claims))
}

/// [`prove_lookup`] without the balance check, so that tests can play a cheating prover.
pub(crate) fn prove_unchecked<F, EF, T>(
    instance: &LookupInstance<F>,
    lookups: Lookups<'_, F>,
    multiplicities: &[F],
    transcript: &mut T,
) -> Result<(LookupProof<EF>, LookupClaims<EF>), LookupError>
where
    F: Field,
    EF: ExtensionField<F>,
    T: FiatShamir<EF>,
{
    instance.check()?;
    let columns = lookups.columns();
    if columns.len() != instance.table.width() {
        return Err(LookupError::Shape("lookup has the wrong number of columns"));
    }
    if columns
        .iter()
        .any(|c| c.len() != 1usize << instance.num_vars)
    {
        return Err(LookupError::Shape("lookup column length is not 2^num_vars"));
    }
    if multiplicities.len() != 1usize << instance.table.bits() {
        return Err(LookupError::Shape("one multiplicity per table row"));
    }
    let table_columns = instance.table.columns();

    let (alpha, gammas) = instance.draw_challenges::<EF, T>(transcript);
    let trees = [
        FractionTree {
            numerator: Numerator::Constant(F::NEG_ONE),
            columns: columns.clone(),
        },
        FractionTree {
            numerator: Numerator::Column(multiplicities),
            columns: table_columns.iter().map(Vec::as_slice).collect(),
        },
    ];
    let (gkr, leaves) = prove_fraction_sums(&trees, alpha, &gammas, transcript);
    let [lookup_leaf, table_leaf] =
        <[_; 2]>::try_from(leaves).map_err(|_| LookupError::Shape("one leaf claim per tree"))?;

    let lookup_evals = columns
        .iter()
        .map(|c| evaluate_mle(c, &lookup_leaf.point))
        .collect::<Result<Vec<EF>, _>>()?;
    transcript.observe(labels::LOOKUP_EVALS, &lookup_evals);
    let claims = LookupClaims {
        point_lookups: lookup_leaf.point,
        eval_lookups: lookup_evals.clone(),
        point_table: table_leaf.point,
        eval_multiplicities: table_leaf.numerator,
    };
    Ok((LookupProof { gkr, lookup_evals }, claims))
}
