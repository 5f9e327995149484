//! Verifier of the fractional-sum GKR. It is the reference for the transcript schedule; the prover
//! (prove.rs) repeats it message for message.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use p3_field::Field;
use zkinfer_sumcheck::verify_eq;
use zkinfer_transcript::FiatShamir;

use super::{FractionSumProof, GkrError, LeafClaim, combine_claims, labels, layer_instance};

/// Verifies that `Σ_i Σ_x p_i(x)/q_i(x) = 0` over trees of the given depths (fixed by the
/// verifier's instance, never read from the proof), and returns one leaf claim per tree, in order.
///
/// The caller must check every returned claim against data it trusts (a PCS opening, a public
/// table, a constant); without that, the proof says nothing. Challenges are drawn from
/// `transcript`, which must already have observed everything the leaves depend on.
pub fn verify_fraction_sums<EF: Field, T: FiatShamir<EF>>(
    depths: &[usize],
    proof: &FractionSumProof<EF>,
    transcript: &mut T,
) -> Result<Vec<LeafClaim<EF>>, GkrError> {
    let max_depth = depths.iter().copied().max().unwrap_or(0);
    if depths.is_empty() || proof.roots.len() != depths.len() {
        return Err(GkrError::Shape("one root per tree"));
    }
    if proof.layers.len() != max_depth {
        return Err(GkrError::Shape("one layer proof per depth"));
    }

    // Root check (Papini-Haböck, section 3): the signed fractions cancel, denominators nonzero.
    let mut total = EF::ZERO;
    for (i, [p, q]) in proof.roots.iter().enumerate() {
        let q_inv = q.try_inverse().ok_or(GkrError::ZeroDenominator(i))?;
        total += *p * q_inv;
    }
    if total != EF::ZERO {
        return Err(GkrError::RootSum);
    }
    transcript.observe(
        labels::ROOTS,
        &proof.roots.iter().flatten().copied().collect::<Vec<_>>(),
    );

    let mut claims: Vec<(EF, EF)> = proof.roots.iter().map(|[p, q]| (*p, *q)).collect();
    let mut point: Vec<EF> = Vec::new();
    let mut leaves: Vec<Option<LeafClaim<EF>>> = vec![None; depths.len()];
    settle_finished(depths, 0, &point, &claims, &mut leaves);

    for (depth, layer) in proof.layers.iter().enumerate() {
        let active: Vec<usize> = (0..depths.len())
            .filter(|&i| depths.get(i) > Some(&depth))
            .collect();
        if layer.children.len() != active.len() {
            return Err(GkrError::Shape("one children entry per active tree"));
        }
        let lambda = transcript.challenge(labels::LAMBDA);
        let active_claims: Vec<(EF, EF)> = active
            .iter()
            .filter_map(|&i| claims.get(i).copied())
            .collect();
        let claim = combine_claims(&active_claims, lambda);

        // Σ_x eq(point, x) Σ_i (λ^{2i}(p0 q1 + p1 q0) + λ^{2i+1} q0 q1)(x) = claim, degree 3 in
        // each variable; verify_eq checks the round count, each degree, each round sum, and the
        // children (observed as final evaluations) against the last round's claim.
        let inner = layer_instance(depth, active.len(), lambda);
        let children: Vec<EF> = layer.children.iter().flatten().copied().collect();
        let s = verify_eq(
            &point,
            &inner,
            claim,
            &layer.sumcheck,
            &children,
            transcript,
        )
        .map_err(|source| GkrError::Sumcheck {
            layer: depth,
            source,
        })?;
        let mu = transcript.challenge(labels::MU);
        for (&i, [p0, p1, q0, q1]) in active.iter().zip(&layer.children) {
            if let Some(c) = claims.get_mut(i) {
                *c = (*p0 + mu * (*p1 - *p0), *q0 + mu * (*q1 - *q0));
            }
        }
        point = core::iter::once(mu).chain(s).collect();
        settle_finished(depths, depth + 1, &point, &claims, &mut leaves);
    }
    leaves
        .into_iter()
        .map(|c| c.ok_or(GkrError::Shape("tree without a leaf claim")))
        .collect()
}

/// Records the leaf claim of every tree whose leaf layer is at `depth`.
fn settle_finished<EF: Field>(
    depths: &[usize],
    depth: usize,
    point: &[EF],
    claims: &[(EF, EF)],
    leaves: &mut [Option<LeafClaim<EF>>],
) {
    for ((&d, &(numerator, denominator)), leaf) in depths.iter().zip(claims).zip(leaves.iter_mut())
    {
        if d == depth {
            *leaf = Some(LeafClaim {
                point: point.to_vec(),
                numerator,
                denominator,
            });
        }
    }
}
