//! The masked-factor verifier: the reference [`super::prove`] follows.

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
    ClearSumcheckProof, DeferredMaskClaim, MaskedInstance, MaskedSubclaim, MaskedSumcheckProof,
};
use crate::zk::{LABEL_MASK_RHO, LABEL_MASK_SUM};
use crate::{SumcheckError, observe_final_evals};

/// Runs the rounds for the public value `claimed_value = v` and observes the masked final values.
///
/// Checks, in order: the instance is well formed and reveals no factor in the clear; then observes `G`, draws `rho` and runs
/// [`crate::verify`] against `v + rho * G` with the instance's (masked) degree, so the number of
/// rounds, every message's length `degree + 1` and each `s_k(0) + s_k(1)` are checked as in the
/// plain sumcheck; then that the proof has one final value per masked factor, which it observes.
/// The caller must have bound `v` and the commitments before. Never panics on a malformed proof.
pub fn verify<EF: Field>(
    instance: &MaskedInstance<EF>,
    claimed_value: EF,
    proof: &MaskedSumcheckProof<EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MaskedSubclaim<EF>, SumcheckError> {
    instance.validate_for(true)?;
    transcript.observe(LABEL_MASK_SUM, &[proof.mask_sum]);
    let rho = transcript.challenge(LABEL_MASK_RHO);
    // Libra, Sec. 4.1: a wrong G (or v) survives only if rho hits the one root of
    // (v - v*) + rho (G - G*): probability 1/|EF|.
    let masked_sum = claimed_value + rho * proof.mask_sum;
    rounds_and_values(
        instance,
        masked_sum,
        rho,
        &proof.rounds,
        &proof.final_values,
        transcript,
    )
}

/// The clear run's verifier (plain proofs): [`verify`] with no mask, so no `G` and `rho = 0` in
/// the subclaim, for an instance that masks no factor. The revealed factors' final values are the
/// subclaim's `final_values`; with no hidden constant, the caller either checks the final
/// equation ([`verify_final`] then gives a zero `value`) or solves it for a deferred factor.
pub fn verify_clear<EF: Field>(
    instance: &MaskedInstance<EF>,
    claimed_value: EF,
    proof: &ClearSumcheckProof<EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MaskedSubclaim<EF>, SumcheckError> {
    instance.validate_for(false)?;
    rounds_and_values(
        instance,
        claimed_value,
        EF::ZERO,
        &proof.rounds,
        &proof.final_values,
        transcript,
    )
}

/// The rounds against `sum`, then the count of sent final values, which it observes.
fn rounds_and_values<EF: Field>(
    instance: &MaskedInstance<EF>,
    sum: EF,
    rho: EF,
    rounds: &crate::SumcheckProof<EF>,
    final_values: &[EF],
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MaskedSubclaim<EF>, SumcheckError> {
    let subclaim = crate::verify(&instance.sum, sum, rounds, transcript)?;
    let expected = instance.num_sent();
    if final_values.len() != expected {
        return Err(SumcheckError::WrongFinalEvalCount {
            expected,
            got: final_values.len(),
        });
    }
    observe_final_evals(transcript, final_values);
    Ok(MaskedSubclaim {
        point: subclaim.point,
        rho,
        expected_eval: subclaim.expected_eval,
        final_values: final_values.to_vec(),
    })
}

/// Combines the masked final values with `public_evals` (the public factors' values at the point,
/// in index order, computed by the caller) into `f(r)`, and returns the claim
/// `rho * g(r) + K / 2^n = s_{n-1}(r_{n-1}) - f(r)`.
///
/// Nothing is checked here beyond the counts: the last round is checked when the caller proves the
/// returned claim on its commitments, and each `T^_i(r)` when it proves the final values.
pub fn verify_final<EF: Field>(
    instance: &MaskedInstance<EF>,
    subclaim: &MaskedSubclaim<EF>,
    public_evals: &[EF],
) -> Result<DeferredMaskClaim<EF>, SumcheckError> {
    let values = instance.merge(&subclaim.final_values, public_evals)?;
    let f_at_r = instance.sum.combine(&values)?;
    Ok(DeferredMaskClaim {
        point: subclaim.point.clone(),
        rho: subclaim.rho,
        value: subclaim.expected_eval - f_at_r,
        num_vars: instance.num_vars(),
        degree: instance.degree(),
    })
}
