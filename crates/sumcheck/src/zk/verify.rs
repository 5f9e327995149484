//! The masked sumcheck verifier: the reference [`super::prove`] follows.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::Field;
use zkinfer_transcript::FiatShamir;

use super::{
    LABEL_MASK_EVAL, LABEL_MASK_RHO, LABEL_MASK_SUM, MaskClaim, ZkSubclaim, ZkSumcheckProof,
};
use crate::{ProductSum, SumcheckError, observe_final_evals};

/// Runs the rounds of a masked sumcheck for `claimed_sum = H`, returning what remains to check.
///
/// Observes `G`, draws `rho`, then runs [`crate::verify`] against `H + rho * G` (so every round's
/// degree, the number of rounds and each `s_k(0) + s_k(1)` are checked as in the plain sumcheck),
/// then observes the claimed `g(r)`. The caller must have bound `H` and the mask commitment into
/// the transcript before. Never panics on a malformed proof.
pub fn verify<EF: Field>(
    instance: &ProductSum<EF>,
    claimed_sum: EF,
    proof: &ZkSumcheckProof<EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<ZkSubclaim<EF>, SumcheckError> {
    instance.validate()?;
    transcript.observe(LABEL_MASK_SUM, &[proof.mask_sum]);
    let rho = transcript.challenge(LABEL_MASK_RHO);
    // Libra, Sec. 4.1: a wrong G (or H) survives only if rho hits the one root of
    // (H - H*) + rho (G - G*): probability 1/|EF|.
    let masked_sum = claimed_sum + rho * proof.mask_sum;
    let subclaim = crate::verify(instance, masked_sum, &proof.rounds, transcript)?;
    transcript.observe(LABEL_MASK_EVAL, &[proof.mask_eval]);
    Ok(ZkSubclaim {
        point: subclaim.point,
        rho,
        expected_eval: subclaim.expected_eval,
        mask_eval: proof.mask_eval,
    })
}

/// Checks `f(r) + rho * g(r)` against the last round's claim, with `f(r)` combined from the final
/// evaluations `f_i(r)`. On success returns the [`MaskClaim`] `g(r) = mask_eval` that the caller
/// must still prove by opening the mask commitment (as it must establish each `f_i(r)`).
pub fn verify_final<EF: Field>(
    instance: &ProductSum<EF>,
    subclaim: &ZkSubclaim<EF>,
    final_evals: &[EF],
) -> Result<MaskClaim<EF>, SumcheckError> {
    let f_at_r = instance.combine(final_evals)?;
    if f_at_r + subclaim.rho * subclaim.mask_eval != subclaim.expected_eval {
        return Err(SumcheckError::MaskedFinalMismatch);
    }
    Ok(MaskClaim {
        point: subclaim.point.clone(),
        value: subclaim.mask_eval,
    })
}

/// [`verify`], then [`observe_final_evals`], then [`verify_final`]: the verifier's side of
/// [`super::prove`]. The returned claim's point is also where `final_evals` are claimed.
pub fn verify_with_evals<EF: Field>(
    instance: &ProductSum<EF>,
    claimed_sum: EF,
    proof: &ZkSumcheckProof<EF>,
    final_evals: &[EF],
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MaskClaim<EF>, SumcheckError> {
    let subclaim = verify(instance, claimed_sum, proof, transcript)?;
    observe_final_evals(transcript, final_evals);
    verify_final(instance, &subclaim, final_evals)
}
