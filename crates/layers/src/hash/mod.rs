//! Zero-knowledge proof that a batch of `2^p` Poseidon2 permutations was computed correctly: a
//! layered (GKR-style) chain of masked sumchecks, one per round, from a symbolic claim on the
//! output states down to a symbolic claim on the input states.
//!
//! **Tables.** Every state of the batch is a table of `2^n` entries, `n = p + 4`, indexed
//! `c * 16 + l` (permutation `c`, lane `l`): the lane is the last 4 variables of a point (points are
//! MSB-first). `states[0]` holds the inputs and `states[i + 1]` the output of round `i`, which is
//! `y = M s(x)` ([`Round`]).
//!
//! **One round.** Claims flow top-down, as in GKR: a claim `y~(r) = v` on round `i`'s output, with
//! `r = (r_c, r_l)`, is `v = sum_{c,l} Wt(c, l) s(c, l)` for the public weights
//! `Wt(c, l) = eq(r_c, c) w(l)`, `w(l) = sum_j eq(r_l, j) M[j][l]`. The S-box input `U = x + C`
//! (the state plus the round constants broadcast over permutations; `U = x` in a linear round) is
//! the one masked factor (Libra, Sec. 4.2) of a masked sumcheck (`zkinfer_sumcheck::zk::masked`,
//! module docs of [`crate::zk`]) over all `n` variables:
//!
//! - linear: `sum Wt U` (round degree 3),
//! - full: `sum Wt U^3` (degree 7),
//! - partial: `sum Wlin U + sum P0 U^3` with `Wlin = Wt [l != 0]` and `P0 = Wt [l = 0]` (degree 7;
//!   splitting `Wt` by lane keeps the lane selector out of the product).
//!
//! Masking `U` rather than `x` folds the constants into the table, so each instance has one or two
//! terms. The hidden constant is `K = -(hidden part of v)` and the public claimed value is `v`'s
//! public part. At the sumcheck's point `s` the proof reveals `U^(s) = U~(s) + <phi(s), c_i>` with
//! `phi(s) = (s_k (1 - s_k))_k`; the verifier computes the public factors at `s` itself (`Wt~(s) =
//! eq(r_c, s_c) w~(s_l)`, `P0~(s) = eq(r_c, s_c) w(0) eq(s_l, 0)`), and the final check becomes the
//! form claim `rho <l(s), g> + K / 2^n = e` on the round's Libra mask and `K`'s form. The next
//! claim is `x~(s) = U^(s) - C~(s_l) - <phi(s), c_i>`: public part `U^(s) - C~(s_l)`, hidden part
//! minus the randomizer's form.
//!
//! **Why one randomizer per state.** Each state table is evaluated exactly once (at the point of
//! the round that reads it), so one revealed `U^` per randomizer `c_i` of `n` coefficients keeps it
//! uniform. The output table is not masked here: its claim is the caller's.
//!
//! Shapes, ids, secrets, the proof's round proofs and the returned mask claims are all indexed by
//! round (round `i` reads `states[i]`); the transcript runs them from the last round to the first,
//! each as: the claim's public part ([`crate::LABEL_CLAIM_VALUES`]), then the masked sumcheck
//! (`G`, `rho`, rounds, the final value `U^(s)`).

mod prove;
mod verify;

#[cfg(test)]
mod soundness_tests;
#[cfg(test)]
mod tests;

pub use prove::prove;
use serde::{Deserialize, Serialize};
pub use verify::verify;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::{eq_eval, eq_table};
use zkinfer_poseidon2::{Round, RoundKind, WIDTH};
use zkinfer_sumcheck::zk::form::{Form, FormClaim, Symbolic, randomizer_form};
use zkinfer_sumcheck::zk::masked::{
    self, FactorKind, MaskedInstance, MaskedSubclaim, MaskedSumcheckProof,
};

use crate::LayerError;
use crate::zk::{SymClaim, ZkIds, ZkShape};

const LAYER: &str = "zk poseidon2";

/// Variables of the lane index: `WIDTH = 2^LANE_VARS`.
pub const LANE_VARS: usize = 4;
const _: () = assert!(WIDTH == 1 << LANE_VARS);

/// A zero-knowledge proof of a batch of permutations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkHashProof {
    /// One masked sumcheck per round, indexed by round; the one final value of round `i`'s is
    /// `U_i^(s)`, the masked S-box input at its point.
    pub rounds: Vec<MaskedSumcheckProof<EF>>,
}

/// What a zero-knowledge hash proof leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkHashClaims {
    /// Round `i`'s final check, `rho <l(s), g_i> + K_i / 2^n = e`, on its Libra mask and the
    /// hidden part of the claim it reduced; indexed by round.
    pub masks: Vec<FormClaim<EF>>,
    /// The claim on the input states `states[0]`.
    pub input: SymClaim,
}

/// Variables of a state table for `2^perm_vars` permutations.
pub fn num_vars(perm_vars: usize) -> usize {
    perm_vars + LANE_VARS
}

/// The round's instance: `[Wt, U]` with `Wt U` (linear) or `Wt U^3` (full), or
/// `[Wlin, P0, U]` with `Wlin U + P0 U^3` (partial); `U` is masked.
fn instance(kind: RoundKind, n: usize) -> MaskedInstance<EF> {
    use FactorKind::{Masked, Public};
    let (terms, kinds) = match kind {
        RoundKind::Linear => (vec![(EF::ONE, vec![0, 1])], vec![Public, Masked]),
        RoundKind::Full => (vec![(EF::ONE, vec![0, 1, 1, 1])], vec![Public, Masked]),
        RoundKind::Partial => (
            vec![(EF::ONE, vec![0, 2]), (EF::ONE, vec![1, 2, 2, 2])],
            vec![Public, Public, Masked],
        ),
    };
    MaskedInstance::new(n, terms, kinds)
}

/// The hidden vectors of each round, indexed by round: a Libra mask `(n, degree)` and one
/// randomizer of `n` coefficients for the round's input state.
pub fn shape(rounds: &[Round], perm_vars: usize) -> Vec<ZkShape> {
    let n = num_vars(perm_vars);
    rounds
        .iter()
        .map(|round| ZkShape {
            num_vars: n,
            degree: instance(round.kind, n).degree(),
            randomizers: vec![n],
        })
        .collect()
}

/// Checks there is at least one round and one set of ids per round, each with one randomizer.
fn check_ids(rounds: &[Round], ids: &[ZkIds]) -> Result<(), LayerError> {
    if rounds.is_empty() {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: "no rounds to prove".into(),
        });
    }
    if ids.len() != rounds.len() || ids.iter().any(|i| i.randomizers.len() != 1) {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "{} id sets for {} rounds, each needs exactly one randomizer id",
                ids.len(),
                rounds.len()
            ),
        });
    }
    Ok(())
}

/// Splits a point into `(permutation part, lane part)`.
fn split_point(point: &[EF]) -> Result<(&[EF], &[EF]), LayerError> {
    point
        .len()
        .checked_sub(LANE_VARS)
        .and_then(|p| point.split_at_checked(p))
        .ok_or(LayerError::PointLength {
            layer: LAYER,
            expected: LANE_VARS,
            got: point.len(),
        })
}

/// `w(l) = sum_j eq(r_l, j) M[j][l]`: `y~(r_c, r_l) = sum_{c,l} eq(r_c, c) w(l) s(c, l)`.
fn lane_weights(round: &Round, r_l: &[EF]) -> [EF; WIDTH] {
    let mut w = [EF::ZERO; WIDTH];
    for (&e, row) in eq_table(r_l).iter().zip(&round.matrix) {
        for (wl, &m) in w.iter_mut().zip(row) {
            *wl += e * m;
        }
    }
    w
}

/// `sum_l eq(s_l, l) v_l`, the multilinear extension of a lane vector at `s_l`.
fn lane_eval<T: Copy>(s_l: &[EF], v: &[T; WIDTH]) -> EF
where
    EF: std::ops::Mul<T, Output = EF>,
{
    eq_table(s_l).iter().zip(v).map(|(&e, &x)| e * x).sum()
}

/// The public factors' values at `s` for the claim point `r` (module docs), in index order.
fn public_evals(round: &Round, r: &[EF], s: &[EF]) -> Result<Vec<EF>, LayerError> {
    let ((r_c, r_l), (s_c, s_l)) = (split_point(r)?, split_point(s)?);
    let eq_c = eq_eval(r_c, s_c).map_err(|_| LayerError::PointLength {
        layer: LAYER,
        expected: r.len(),
        got: s.len(),
    })?;
    let w = lane_weights(round, r_l);
    let wt = eq_c * lane_eval(s_l, &w);
    Ok(match round.kind {
        RoundKind::Linear | RoundKind::Full => vec![wt],
        RoundKind::Partial => {
            let eq_s0: EF = s_l.iter().map(|&x| EF::ONE - x).product();
            let p0 = eq_c * w[0] * eq_s0;
            vec![wt - p0, p0]
        }
    })
}

/// From round `round`'s subclaim for `claim`: the final check as a form claim on the mask (id
/// `ids.mask`) and `K = -claim.value.hidden`, and the symbolic claim on the round's input state
/// at the sumcheck's point. Used by both sides.
fn reduce(
    round: &Round,
    claim: &SymClaim,
    ids: &ZkIds,
    instance: &MaskedInstance<EF>,
    sub: &MaskedSubclaim<EF>,
) -> Result<(FormClaim<EF>, SymClaim), LayerError> {
    let publics = public_evals(round, &claim.point, &sub.point)?;
    let sumcheck = |source| LayerError::Sumcheck {
        layer: LAYER,
        source,
    };
    let deferred = masked::verify_final(instance, sub, &publics).map_err(sumcheck)?;
    let k_form = claim.value.hidden.clone().scaled(-deferred.hidden_coeff());
    let mask = FormClaim {
        form: Form::dense(ids.mask, deferred.mask_form::<F>()).plus(k_form),
        value: deferred.value,
    };
    let (&revealed, &randomizer) = sub
        .final_values
        .first()
        .zip(ids.randomizers.first())
        .ok_or(LayerError::EvalCount {
            layer: LAYER,
            expected: 1,
            got: sub.final_values.len(),
        })?;
    let (_, s_l) = split_point(&sub.point)?;
    let constants = match round.kind {
        RoundKind::Linear => EF::ZERO,
        RoundKind::Full | RoundKind::Partial => lane_eval(s_l, &round.constants),
    };
    let input = SymClaim {
        point: sub.point.clone(),
        value: Symbolic {
            public: revealed - constants,
            hidden: randomizer_form::<F, EF>(randomizer, &sub.point).scaled(-EF::ONE),
        },
    };
    Ok((mask, input))
}
