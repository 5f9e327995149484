//! The sumcheck verifier: the reference the prover follows.

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

use crate::{
    LABEL_CHALLENGE, LABEL_FINAL_EVALS, LABEL_ROUND, ProductSum, Subclaim, SumcheckError,
    SumcheckProof,
};

/// Runs the rounds of the sumcheck against `claimed_sum`, returning the claim that remains about
/// the polynomials at the random point.
///
/// Checks, in order: the instance is well formed, the proof has `num_vars` rounds, and in each
/// round `k` the message has exactly `degree + 1` values and `s_k(0) + s_k(1)` equals the running
/// claim; then observes the message, draws `r_k` and sets the claim to `s_k(r_k)`. Never panics
/// on a malformed proof.
pub fn verify<EF: Field>(
    instance: &ProductSum<EF>,
    claimed_sum: EF,
    proof: &SumcheckProof<EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Subclaim<EF>, SumcheckError> {
    instance.validate()?;
    let rounds = &proof.round_polys;
    if rounds.len() != instance.num_vars {
        return Err(SumcheckError::WrongRoundCount {
            expected: instance.num_vars,
            got: rounds.len(),
        });
    }
    let weights = lagrange_weights::<EF>(instance.degree);
    let mut claim = claimed_sum;
    let mut point = Vec::with_capacity(rounds.len());
    for (round, evals) in rounds.iter().enumerate() {
        let expected = instance.degree + 1;
        let (Some(&s0), Some(&s1), true) = (evals.first(), evals.get(1), evals.len() == expected)
        else {
            return Err(SumcheckError::WrongDegree {
                round,
                expected,
                got: evals.len(),
            });
        };
        if s0 + s1 != claim {
            return Err(SumcheckError::RoundSumMismatch { round });
        }
        transcript.observe(LABEL_ROUND, evals);
        let r = transcript.challenge(LABEL_CHALLENGE);
        claim = interpolate_with(evals, &weights, r);
        point.push(r);
    }
    Ok(Subclaim {
        point,
        expected_eval: claim,
    })
}

/// Observes the final evaluations, as [`crate::prove`] does after its last round.
pub fn observe_final_evals<EF>(transcript: &mut impl FiatShamir<EF>, final_evals: &[EF]) {
    transcript.observe(LABEL_FINAL_EVALS, final_evals);
}

/// Checks that the final evaluations `f_i(point)` combine to the subclaim's expected value. The
/// caller still has to establish each `f_i(point)` (a PCS opening, or the next layer's claim).
pub fn verify_final<EF: Field>(
    instance: &ProductSum<EF>,
    subclaim: &Subclaim<EF>,
    final_evals: &[EF],
) -> Result<(), SumcheckError> {
    if instance.combine(final_evals)? != subclaim.expected_eval {
        return Err(SumcheckError::FinalEvalMismatch);
    }
    Ok(())
}

/// [`verify`], then [`observe_final_evals`], then [`verify_final`]: the verifier's side of
/// [`crate::prove`]. Returns the random point at which `final_evals` are claimed.
pub fn verify_with_evals<EF: Field>(
    instance: &ProductSum<EF>,
    claimed_sum: EF,
    proof: &SumcheckProof<EF>,
    final_evals: &[EF],
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<EF>, SumcheckError> {
    let subclaim = verify(instance, claimed_sum, proof, transcript)?;
    observe_final_evals(transcript, final_evals);
    verify_final(instance, &subclaim, final_evals)?;
    Ok(subclaim.point)
}

/// The value at `r` of the polynomial of degree `evals.len() - 1` that takes `evals[t]` at
/// `t = 0, 1, ...`. Returns zero for an empty slice.
pub fn interpolate_at<EF: Field>(evals: &[EF], r: EF) -> EF {
    let Some(degree) = evals.len().checked_sub(1) else {
        return EF::ZERO;
    };
    interpolate_with(evals, &lagrange_weights(degree), r)
}

/// `w_k = 1 / prod_{j != k} (k - j)` for the nodes `0..=degree`.
fn lagrange_weights<EF: Field>(degree: usize) -> Vec<EF> {
    (0..=degree)
        .map(|k| {
            let denom: EF = (0..=degree)
                .filter(|&j| j != k)
                .map(|j| EF::from_usize(k) - EF::from_usize(j))
                .product();
            // The nodes are distinct integers below the characteristic, so denom != 0.
            denom.try_inverse().unwrap_or(EF::ZERO)
        })
        .collect()
}

/// Lagrange interpolation through `(t, evals[t])` using prefix and suffix products of `r - j`, so
/// it is exact even when `r` is a node.
fn interpolate_with<EF: Field>(evals: &[EF], weights: &[EF], r: EF) -> EF {
    let n = evals.len();
    let diffs: Vec<EF> = (0..n).map(|j| r - EF::from_usize(j)).collect();
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(EF::ONE);
    let mut acc = EF::ONE;
    for &d in &diffs {
        acc *= d;
        prefix.push(acc);
    }
    let mut suffix = EF::ONE;
    let mut sum = EF::ZERO;
    for (k, ((&e, &w), &d)) in evals.iter().zip(weights).zip(&diffs).enumerate().rev() {
        let before = prefix.get(k).copied().unwrap_or(EF::ONE);
        sum += e * w * before * suffix;
        suffix *= d;
    }
    sum
}
