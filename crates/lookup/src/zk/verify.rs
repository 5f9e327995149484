//! The zero-knowledge range-check verifier: the reference for the transcript schedule.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_sumcheck::zk::masked;
use zkinfer_transcript::FiatShamir;

use super::claims::{Claims, column_point, eq_eval, layer_instance, leaf_claims};
use super::{ZkRangeError, ZkRangeIds, ZkRangeProof, ZkRangeSpec, labels};

/// Verifies a zero-knowledge range check and returns the claims the caller must prove on its
/// hiding commitment (the proof is worthless without them): one per layer `k = 1 .. D-1` (the
/// layer sumcheck's deferred mask claim), then the leaf numerator and denominator claims.
///
/// Precondition (docs/pitfalls.md, 3): `transcript` has observed the commitment to every hidden
/// vector named by `ids`. The shapes come from `spec` only, never from the proof; every length is
/// checked, and a malformed proof is an error, never a panic.
pub fn verify(
    spec: &ZkRangeSpec,
    proof: &ZkRangeProof,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, ZkRangeError> {
    verify_traced(spec, proof, ids, transcript).map(|(claims, _, _)| claims)
}

/// [`verify`], also returning the point at which the claims read the committed columns.
pub fn verify_at(
    spec: &ZkRangeSpec,
    proof: &ZkRangeProof,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(Vec<FormClaim<EF>>, Vec<EF>), ZkRangeError> {
    verify_traced(spec, proof, ids, transcript).map(|(claims, _, at)| (claims, at))
}

/// The claims and the sumcheck point of each layer.
type Traced = (Vec<FormClaim<EF>>, Vec<Vec<EF>>, Vec<EF>);

/// [`verify`], also returning the sumcheck point of each layer `k = 1 .. D-1` (for tests).
pub(super) fn verify_traced(
    spec: &ZkRangeSpec,
    proof: &ZkRangeProof,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Traced, ZkRangeError> {
    spec.check()?;
    ids.check(spec)?;
    let depth = spec.depth();
    if proof.layers.len() != depth - 1 {
        return Err(ZkRangeError::Shape("one layer proof per layer 1 .. D-1"));
    }
    transcript.observe(labels::INSTANCE, &spec.encode());
    let alpha = transcript.challenge(labels::ALPHA);

    // Root: q_1(0) q_1(1) != 0 rules out a zero leaf denominator anywhere (with the GKR binding
    // layer 1 to the leaves), including a zero blinder; then p_1(0)/q_1(0) + p_1(1)/q_1(1) = 0.
    let [p0, p1, q0, q1] = proof.root;
    if q0 == EF::ZERO || q1 == EF::ZERO {
        return Err(ZkRangeError::ZeroDenominator);
    }
    if p0 * q1 + p1 * q0 != EF::ZERO {
        return Err(ZkRangeError::RootSum);
    }
    transcript.observe(labels::ROOT, &proof.root);
    let mu = transcript.challenge(labels::MU);
    let mut claims = Claims::root(&proof.root, mu);

    let mut out = Vec::with_capacity(depth + 1);
    let mut points = Vec::with_capacity(depth - 1);
    for (k, layer) in (1..depth).zip(&proof.layers) {
        let err = |source| ZkRangeError::Sumcheck { layer: k, source };
        let lambda = transcript.challenge(labels::LAMBDA);
        let instance = layer_instance(k, lambda);
        // Rounds (count, length 6, sums), then the four masked final values (count, observed).
        let sub = masked::verify(&instance, claims.public_value(lambda), layer, transcript)
            .map_err(err)?;
        if sub.point.len() != k {
            return Err(ZkRangeError::Shape("sumcheck point length"));
        }
        let deferred = masked::verify_final(&instance, &sub, &[eq_eval(&claims.point, &sub.point)])
            .map_err(err)?;
        out.push(claims.layer_claim(&deferred, lambda, ids.mask(k)));
        let values: [EF; 4] = sub
            .final_values
            .as_slice()
            .try_into()
            .map_err(|_| ZkRangeError::Shape("four final values"))?;
        let mu = transcript.challenge(labels::MU);
        claims = Claims::next(&values, &sub.point, mu, ids.randomizers(k));
        points.push(sub.point);
    }
    out.extend(leaf_claims(spec, ids, alpha, &claims)?);
    let at = column_point(spec, &claims.point)?;
    Ok((out, points, at))
}
