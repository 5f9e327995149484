//! The masked-factor prover. It follows [`super::verify`] message for message.

use zkinfer_field::{ExtensionField, Field};
use zkinfer_poly::{fold_first, fold_first_in_place};
use zkinfer_transcript::FiatShamir;

#[cfg(test)]
use super::generic_kernel::round_poly_generic;
use super::round;
use super::{
    ClearProverOutput, ClearSumcheckProof, DeferredMaskClaim, Factor, MaskedInstance,
    MaskedProverOutput, MaskedSumcheckProof, Table,
};
use crate::prove::{RoundOffset, send_round};
use crate::zk::prove::MaskRounds;
use crate::zk::{LABEL_MASK_RHO, LABEL_MASK_SUM, MaskPoly};
use crate::{SumcheckProof, interpolate_at, observe_final_evals};

/// Proves `v = sum_x f(x) + K` for `f = sum_j c_j prod_{i in S_j} T_i` (each masked `T_i` read as
/// `T^_i`), with `hidden = K`, masked by `mask`, on the schedule in the module docs: observes `G`,
/// draws `rho`, runs the rounds on `f + K / 2^n + rho * g`, then observes the masked factors' final
/// values `T^_i(r)` (and neither `g(r)` nor `K`).
///
/// The caller must already have committed the mask's coefficients, the masked tables and their
/// coefficients `c` (and what `K` is made of), and bound the public value `v`.
///
/// # Panics
///
/// If the instance is malformed, `factors` do not match its kinds, a table does not have
/// `2^num_vars` entries, a masked factor does not have `num_vars` coefficients, or the mask's shape
/// is not `(num_vars, instance.degree())`: the prover trusts its caller.
pub fn prove<F: Field, EF: ExtensionField<F>>(
    instance: &MaskedInstance<EF>,
    factors: Vec<Factor<F, EF>>,
    hidden: EF,
    mask: MaskPoly<F, EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> MaskedProverOutput<EF> {
    prove_with(Kernel::Fast, instance, factors, hidden, mask, transcript)
}

/// The clear run of the same engine (plain proofs): no mask, no hidden constant, and the
/// [`Factor::Revealed`] factors' final values sent as they are. Proves `v = sum_x f(x)` on the
/// schedule of [`crate::prove`] (rounds, then the revealed values under
/// [`crate::LABEL_FINAL_EVALS`]); the caller has bound `v`.
///
/// # Panics
///
/// As [`prove`], and if a factor is masked (a clear run has no mask to pair it with).
pub fn prove_clear<F: Field, EF: ExtensionField<F>>(
    instance: &MaskedInstance<EF>,
    factors: Vec<Factor<F, EF>>,
    transcript: &mut impl FiatShamir<EF>,
) -> ClearProverOutput<EF> {
    let run = run(Kernel::Fast, instance, factors, EF::ZERO, None, transcript);
    ClearProverOutput {
        proof: ClearSumcheckProof {
            rounds: run.rounds,
            final_values: run.final_values,
        },
        point: run.point,
        evals: run.evals,
    }
}

/// Which code computes the round polynomials; both give the same values.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kernel {
    /// [`super::round::round_poly`].
    Fast,
    /// The node-by-node product [`round_poly_generic`], the reference the tests compare to.
    #[cfg(test)]
    Generic,
}

/// [`prove`] with the round polynomials computed by `kernel`.
pub(super) fn prove_with<F: Field, EF: ExtensionField<F>>(
    kernel: Kernel,
    instance: &MaskedInstance<EF>,
    factors: Vec<Factor<F, EF>>,
    hidden: EF,
    mask: MaskPoly<F, EF>,
    transcript: &mut impl FiatShamir<EF>,
) -> MaskedProverOutput<EF> {
    let (n, d) = (instance.num_vars(), instance.degree());
    let run = run(kernel, instance, factors, hidden, Some(&mask), transcript);
    let value = run.rho * mask.eval(&run.point) + hidden.div_2exp_u64(n as u64);
    MaskedProverOutput {
        proof: MaskedSumcheckProof {
            mask_sum: run.mask_sum,
            rounds: run.rounds,
            final_values: run.final_values,
        },
        deferred: DeferredMaskClaim {
            point: run.point.clone(),
            rho: run.rho,
            value,
            num_vars: n,
            degree: d,
        },
        point: run.point,
        evals: run.evals,
    }
}

/// What one run of the engine produced, masked or clear.
struct Run<EF> {
    /// `G` (zero in a clear run, where it is not sent).
    mask_sum: EF,
    /// `rho` (zero in a clear run).
    rho: EF,
    rounds: SumcheckProof<EF>,
    final_values: Vec<EF>,
    point: Vec<EF>,
    evals: Vec<EF>,
}

/// The engine: with a `mask`, observes `G`, draws `rho` and adds `rho * g + K / 2^n` to every
/// round; without, runs the bare rounds (`hidden` must then be zero). Then observes the sent
/// factors' final values.
fn run<F: Field, EF: ExtensionField<F>>(
    kernel: Kernel,
    instance: &MaskedInstance<EF>,
    factors: Vec<Factor<F, EF>>,
    hidden: EF,
    mask: Option<&MaskPoly<F, EF>>,
    transcript: &mut impl FiatShamir<EF>,
) -> Run<EF> {
    if let Err(e) = instance.validate_for(mask.is_some()) {
        panic!("masked sumcheck prover given a malformed instance: {e}");
    }
    let (n, d) = (instance.num_vars(), instance.degree());
    if let Some(mask) = mask {
        assert_eq!(
            (mask.num_vars(), mask.degree()),
            (n, d),
            "masked sumcheck prover: mask shape (num_vars, degree) must match the instance"
        );
    } else {
        assert!(hidden.is_zero(), "a clear sumcheck has no hidden constant");
    }
    let kinds: Vec<_> = factors.iter().map(Factor::kind).collect();
    assert_eq!(
        kinds, instance.kinds,
        "masked sumcheck prover: factor kinds"
    );
    // Only public tables' zeros and equal halves may be skipped (module docs of `round`).
    let public: Vec<bool> = factors
        .iter()
        .map(|f| matches!(f, Factor::Public(_)))
        .collect();
    let (mut tables, mut randomizers) = split(factors, n);

    // Libra, Sec. 4.1: G is sent before rho, so that rho * G cannot be steered.
    let (mask_sum, rho) = match mask {
        Some(mask) => {
            let mask_sum = mask.sum_over_cube();
            transcript.observe(LABEL_MASK_SUM, &[mask_sum]);
            (mask_sum, transcript.challenge(LABEL_MASK_RHO))
        }
        None => (EF::ZERO, EF::ZERO),
    };

    // Round k's share of K / 2^n over the 2^(n-k-1) free points is K / 2^(k+1).
    let mut offset = HiddenAndMask {
        mask: mask.map(|m| MaskRounds::new(m, rho)),
        hidden_share: hidden.halve(),
    };
    let products: Vec<usize> = (0..=d).map(|t| t * t.saturating_sub(1)).collect();
    let mut round_polys = Vec::with_capacity(n);
    let mut point = Vec::with_capacity(n);
    let mut claim = None;
    for k in 0..n {
        // c_k t (1 - t) = -c_k t (t - 1) at the nodes t = 0..=d.
        let shifts: Vec<Option<Vec<EF>>> = randomizers
            .iter()
            .map(|m| m.as_ref().map(|m| m.shifts(k, &products)))
            .collect();
        let half = 1 << (n - k - 1);
        let s = match kernel {
            Kernel::Fast => round::round_poly(
                &instance.sum.terms,
                d,
                &tables,
                &public,
                &shifts,
                half,
                claim,
            ),
            #[cfg(test)]
            Kernel::Generic => round_poly_generic(instance, &tables, &shifts, half, claim),
        };
        let (sent, r) = send_round(transcript, &mut offset, &s);
        claim = Some(interpolate_at(&s, r));
        round_polys.push(sent);
        point.push(r);
        for (t, &public) in tables.iter_mut().zip(&public) {
            t.fold(r, public);
        }
        for m in randomizers.iter_mut().flatten() {
            m.bind(k, r);
        }
    }

    let evals: Vec<EF> = tables
        .iter()
        .zip(&randomizers)
        .map(|(t, m)| t.first() + m.as_ref().map_or(EF::ZERO, |m| m.bound))
        .collect();
    let final_values: Vec<EF> = evals
        .iter()
        .zip(&instance.kinds)
        .filter_map(|(&v, k)| k.is_sent().then_some(v))
        .collect();
    observe_final_evals(transcript, &final_values);
    Run {
        mask_sum,
        rho,
        rounds: SumcheckProof { round_polys },
        final_values,
        point,
        evals,
    }
}

/// The running state of a masked factor's randomizer `offset + sum_k c_k x_k (1 - x_k)`.
struct Randomizer<EF> {
    coeffs: Vec<EF>,
    /// `A_k = offset + sum_{i<k} c_i r_i (1 - r_i)`; after the last round, the randomizer at `r`.
    bound: EF,
}

impl<EF: Field> Randomizer<EF> {
    /// `A_k + c_k t (1 - t)` at `t = 0..=d`, given `t (t - 1)` at those nodes. Later variables'
    /// terms vanish on the Boolean `x'` the round sums over.
    fn shifts(&self, k: usize, products: &[usize]) -> Vec<EF> {
        products
            .iter()
            .map(|&p| self.bound - self.coeffs[k] * EF::from_usize(p))
            .collect()
    }

    fn bind(&mut self, k: usize, r: EF) {
        self.bound += self.coeffs[k] * r * (EF::ONE - r);
    }
}

/// The tables, and for each factor its randomizer if it is masked.
type TablesAndRandomizers<F, EF> = (Vec<Table<F, EF>>, Vec<Option<Randomizer<EF>>>);

/// Splits the factors into [`TablesAndRandomizers`], checking their shapes.
fn split<F: Field, EF: ExtensionField<F>>(
    factors: Vec<Factor<F, EF>>,
    n: usize,
) -> TablesAndRandomizers<F, EF> {
    factors
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let (table, randomizer) = match f {
                Factor::Public(t) | Factor::Hidden(t) | Factor::Revealed(t) => (t, None),
                Factor::Masked(m) => {
                    assert_eq!(
                        m.coeffs.len(),
                        n,
                        "masked sumcheck prover: factor {i} needs one coefficient per variable"
                    );
                    let r = Randomizer {
                        coeffs: m.coeffs,
                        bound: m.offset,
                    };
                    (m.table, Some(r))
                }
            };
            assert_eq!(
                table.len(),
                1 << n,
                "masked sumcheck prover: table {i} has the wrong length"
            );
            (table, randomizer)
        })
        .unzip()
}

/// The Libra mask's share of each round plus the hidden constant's, `K / 2^(k+1)` in round `k`.
struct HiddenAndMask<'a, EF> {
    mask: Option<MaskRounds<'a, EF>>,
    hidden_share: EF,
}

impl<EF: Field> RoundOffset<EF> for HiddenAndMask<'_, EF> {
    fn add_round(&self, s: &mut [EF]) {
        if let Some(mask) = &self.mask {
            mask.add_round(s);
        }
        for v in s {
            *v += self.hidden_share;
        }
    }

    fn bind(&mut self, r: EF) {
        if let Some(mask) = &mut self.mask {
            mask.bind(r);
        }
        self.hidden_share = self.hidden_share.halve();
    }
}

impl<F: Field, EF: ExtensionField<F>> Table<F, EF> {
    /// `(T[x], T[x + half])` in `EF`.
    #[inline(always)]
    pub(super) fn pair(&self, x: usize, half: usize) -> (EF, EF) {
        match self {
            Self::Base(t) => (EF::from(t[x]), EF::from(t[x + half])),
            Self::Ext(t) => (t[x], t[x + half]),
        }
    }

    /// Binds the first variable to `r`; a base-field table is lifted to `EF` here. Only a
    /// `public` table skips the product where its two halves agree (a selector's zeros): a hidden
    /// one pays every product, so the time does not depend on its entries.
    fn fold(&mut self, r: EF, public: bool) {
        match self {
            Self::Base(t) => *self = Self::Ext(fold_first(t, r).expect("power-of-two table")),
            Self::Ext(t) if public => fold_skipping_equal(t, r),
            Self::Ext(t) => fold_first_in_place(t, r).expect("power-of-two table"),
        }
    }

    /// The only entry of a table with no variable left.
    fn first(&self) -> EF {
        match self {
            Self::Base(t) => EF::from(t[0]),
            Self::Ext(t) => t[0],
        }
    }
}

/// `t[x] <- t[x] + r (t[x + half] - t[x])` for `x < half`, then truncates to `half`, as
/// [`fold_first_in_place`] does, but with no product where the two entries agree (e.g. the zeros
/// of a lane selector, which stay zero). For public tables only: the skipped products would make
/// the time depend on a hidden table's entries.
fn fold_skipping_equal<EF: Field>(t: &mut Vec<EF>, r: EF) {
    let half = t.len() / 2;
    let (lo, hi) = t.split_at_mut(half);
    let step = |(l, &h): (&mut EF, &EF)| {
        let diff = h - *l;
        if diff.is_zero() {
            round::count_skip();
        } else {
            *l += r * diff;
        }
    };
    #[cfg(feature = "parallel")]
    if half * 2 >= 1 << zkinfer_poly::PAR_MIN_LOG {
        use rayon::prelude::*;
        lo.par_iter_mut().zip(hi.par_iter()).for_each(step);
    } else {
        lo.iter_mut().zip(hi.iter()).for_each(step);
    }
    #[cfg(not(feature = "parallel"))]
    lo.iter_mut().zip(hi.iter()).for_each(step);
    t.truncate(half);
}
