//! The masked sumcheck prover. It follows [`super::verify`] message for message.

use zkinfer_field::{ExtensionField, Field};
use zkinfer_transcript::FiatShamir;

use super::mask::eval_no_constant;
use super::{
    LABEL_MASK_EVAL, LABEL_MASK_RHO, LABEL_MASK_SUM, MaskClaim, MaskPoly, ZkProverOutput,
    ZkSumcheckProof,
};
use crate::prove::{RoundOffset, prove_rounds_with_offset};
use crate::{ProductSum, observe_final_evals};

/// Proves `sum_x f(x)` for `f = sum_j c_j prod_{i in S_j} f_i` (the tables `polys`) in zero
/// knowledge, masked by `mask`, on the schedule in the module docs: observes `G`, draws `rho`, runs
/// the rounds on `f + rho * g`, then observes `g(r)` and the final evaluations `f_i(r)`.
///
/// The caller must already have committed `mask.coeffs()` and observed the commitment (and bound
/// the claimed sum `H`, as for [`crate::prove`]). The returned [`MaskClaim`] must be proven by
/// opening that commitment.
///
/// # Panics
///
/// As [`crate::prove`], and if the mask's shape is not `(instance.num_vars, instance.degree)`.
pub fn prove<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    polys: Vec<Vec<F>>,
    mask: MaskPoly<F, EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> ZkProverOutput<EF> {
    assert_eq!(
        (mask.num_vars(), mask.degree()),
        (instance.num_vars, instance.degree),
        "zk sumcheck prover: mask shape (num_vars, degree) must match the instance"
    );
    prove_masked(instance, None, polys, mask, transcript)
}

/// [`prove`] for `sum_x w(x) * f(x)` with a public weight table `w` over `EF` (e.g. an eq table or
/// any linear form the verifier can evaluate at a point): the round degree is `instance.degree + 1`,
/// so the mask must have that degree. The base-field tables stay in `F` for round 0. Only the
/// `f_i(r)` are observed and returned; the verifier checks against
/// [`crate::with_eq_factor`]`(instance)` with `w(r)` as the first final value.
///
/// # Panics
///
/// As [`prove`], if `weight` does not have `2^num_vars` entries, or if the mask's degree is not
/// `instance.degree + 1`.
pub fn prove_weighted<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    weight: Vec<EF>,
    polys: Vec<Vec<F>>,
    mask: MaskPoly<F, EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> ZkProverOutput<EF> {
    assert_eq!(
        (mask.num_vars(), mask.degree()),
        (instance.num_vars, instance.degree + 1),
        "zk sumcheck prover: a weighted instance's mask has degree instance.degree + 1"
    );
    prove_masked(instance, Some(weight), polys, mask, transcript)
}

/// The schedule both entry points share: observe `G`, draw `rho`, the rounds of `(w *) f + rho g`,
/// then observe `g(r)` and the final evaluations.
fn prove_masked<F: Field, EF: ExtensionField<F>>(
    instance: &ProductSum<EF>,
    weight: Option<Vec<EF>>,
    polys: Vec<Vec<F>>,
    mask: MaskPoly<F, EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> ZkProverOutput<EF> {
    // Libra, Sec. 4.1: G is sent before rho, so that rho * G cannot be steered.
    let mask_sum = mask.sum_over_cube();
    transcript.observe(LABEL_MASK_SUM, &[mask_sum]);
    let rho = transcript.challenge(LABEL_MASK_RHO);
    let mut rounds = MaskRounds::new(&mask, rho);
    let (proof, point, final_evals) =
        prove_rounds_with_offset(instance, weight, polys, &mut rounds, transcript);
    let mask_eval = mask.eval(&point);
    debug_assert_eq!(rounds.bound, mask_eval, "mask rounds drifted from g(r)");
    transcript.observe(LABEL_MASK_EVAL, &[mask_eval]);
    observe_final_evals(transcript, &final_evals);
    ZkProverOutput {
        proof: ZkSumcheckProof {
            mask_sum,
            rounds: proof,
            mask_eval,
        },
        mask_claim: MaskClaim {
            point: point.clone(),
            value: mask_eval,
        },
        point,
        final_evals,
    }
}

/// `rho` times the mask's round polynomials, from the univariates in `O(d^2)` per round rather than
/// from a table of `g` over the cube. In round `k` (variables `0..k` bound to `r_0..r_{k-1}`,
/// `m = n - k - 1` still free after `x_k`):
///
/// ```text
/// sum_{x' in {0,1}^m} g(r_0, .., r_{k-1}, t, x')
///     = 2^m (a_0 + sum_{i<k} g_i(r_i) + g_k(t)) + 2^(m-1) sum_{i>k} g_i(1)
/// ```
///
/// since `g_i(0) = 0` and each later variable takes the value 1 on half of the `2^m` points.
pub(super) struct MaskRounds<'a, EF> {
    rho: EF,
    /// The univariates `g_1..g_n` (coefficients of `x^1..=x^d`).
    univariates: Vec<&'a [EF]>,
    /// `g_i(1)` for each variable.
    ones: Vec<EF>,
    /// The round `k`.
    round: usize,
    /// `a_0 + sum_{i<k} g_i(r_i)`; after the last round, `g(r)`.
    bound: EF,
    /// `sum_{i>k} g_i(1)`.
    rest: EF,
}

impl<'a, EF: Field> MaskRounds<'a, EF> {
    pub(super) fn new<F: Field>(mask: &'a MaskPoly<F, EF>, rho: EF) -> Self
    where
        EF: ExtensionField<F>,
    {
        let univariates: Vec<&[EF]> = mask.univariates().collect();
        let ones: Vec<EF> = univariates
            .iter()
            .map(|c| c.iter().copied().sum())
            .collect();
        let rest = ones.iter().skip(1).copied().sum();
        Self {
            rho,
            univariates,
            ones,
            round: 0,
            bound: mask.constant(),
            rest,
        }
    }
}

impl<EF: Field> RoundOffset<EF> for MaskRounds<'_, EF> {
    fn add_round(&self, s: &mut [EF]) {
        let free = self.univariates.len() - self.round - 1;
        let scale = EF::TWO.exp_u64(free as u64);
        let tail = match free.checked_sub(1) {
            Some(m) => EF::TWO.exp_u64(m as u64) * self.rest,
            None => EF::ZERO,
        };
        let g_k = self.univariates[self.round];
        let mut t = EF::ZERO;
        for v in s.iter_mut() {
            *v += self.rho * (scale * (self.bound + eval_no_constant(g_k, t)) + tail);
            t += EF::ONE;
        }
    }

    fn bind(&mut self, r: EF) {
        self.bound += eval_no_constant(self.univariates[self.round], r);
        self.round += 1;
        if let Some(&next) = self.ones.get(self.round) {
            self.rest -= next;
        }
    }
}
