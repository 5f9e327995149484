//! What the zero-knowledge mode ([`crate::Zk`]) adds to a layer: symbolic claims, the hidden
//! vectors a layer commits, and the algebra of the deferred factor.
//!
//! In zero-knowledge mode nothing the verifier sees may depend on hidden tables except through
//! uniformly random masks. Claims are therefore *symbolic* ([`SymClaim`]): a point and a value that
//! is a public number plus a linear [`Form`] in hidden committed vectors (witness columns, Libra
//! masks, randomizers of masked factors), named by caller-chosen ids. The caller commits every hidden
//! vector a layer uses (its [`ZkShape`]) before any challenge of the proof.
//!
//! Each layer runs one masked sumcheck (`zkinfer_sumcheck::zk::masked`, docs/zk-sumcheck.md) whose
//! final check `f(r) + K / 2^n + rho * g(r) = e` is linear in one factor `T`. That factor is
//! *deferred*: the proof never reveals `T(r)`; the verifier instead solves the final check for it,
//! `T(r) = (e - [other terms at r] - rho * <l(r), g> - K / 2^n) / coeff(r)`, a [`Symbolic`] value
//! whose hidden part holds the mask's coefficients (a `Dense` atom on the mask id) and the hidden
//! constant's form. The other hidden factors are masked (Libra, Sec. 4.2): their revealed values
//! `T^(r) = T~(r) + <(r_k (1 - r_k))_k, c>` turn into symbolic claims `T~(r) = T^(r) - <.., c>`.
//! The hidden constant `K` is minus the hidden part of the (combined) output claim, so that the
//! public sum `v` the sumcheck proves is the claim's public part.
//!
//! The tests here run [`crate::wiring`] and [`crate::matmul`] in this mode.

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Form, FormClaim, Symbolic};
use zkinfer_sumcheck::zk::masked::{MaskedSubclaim, MaskedSumcheckProof};

use crate::{Claim, LayerError};

/// "The multilinear extension of some tensor takes `value` at `point`", with a value that is known
/// to the verifier only as a public part plus a linear form in hidden committed data.
pub type SymClaim = Claim<Symbolic<EF>>;

impl SymClaim {
    /// A claim with no hidden part.
    pub fn public(claim: Claim) -> Self {
        Self::lift(claim)
    }

    /// The plain claim, when the value has no hidden part (e.g. a weight revealed in the clear).
    pub fn public_claim(&self) -> Option<Claim> {
        self.value.hidden.is_empty().then(|| Claim {
            point: self.point.clone(),
            value: self.value.public,
        })
    }

    /// The linear claim this makes on a committed table with id `id`:
    /// `T~(point) - hidden = public`.
    pub fn to_form_claim(&self, id: usize) -> FormClaim<EF> {
        FormClaim {
            form: Form::eval(EF::ONE, id, self.point.clone())
                .plus(self.value.hidden.clone().scaled(-EF::ONE)),
            value: self.value.public,
        }
    }
}

/// The hidden vectors a zero-knowledge layer needs, so the caller can sample and commit them before
/// any challenge: one Libra mask and one randomizer per masked factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkShape {
    /// Variables of the masked sumcheck (and of the mask).
    pub num_vars: usize,
    /// Round degree of the masked sumcheck, the degree of the mask.
    pub degree: usize,
    /// For each masked factor in order, its number of `EF` randomizer coefficients (committed as
    /// `EXT_DEGREE` base-field coordinates each).
    pub randomizers: Vec<usize>,
}

impl ZkShape {
    /// Base-field entries of the committed mask, [`MaskPoly::num_coeffs`].
    pub fn mask_len(&self) -> usize {
        MaskPoly::<F, EF>::num_coeffs(self.num_vars, self.degree)
    }

    /// Checks that a prover's `secrets` have this shape: the mask's `(num_vars, degree)` and one
    /// randomizer of the listed length per masked factor. The error names `layer`.
    pub fn check_secrets(
        &self,
        layer: &'static str,
        secrets: &ZkSecrets,
    ) -> Result<(), LayerError> {
        let mask_shape = (secrets.mask.num_vars(), secrets.mask.degree());
        let lens: Vec<usize> = secrets.randomizers.iter().map(Vec::len).collect();
        if mask_shape != (self.num_vars, self.degree) || lens != self.randomizers {
            return Err(LayerError::Parameter {
                layer,
                detail: format!(
                    "secrets do not match the shape: mask {mask_shape:?}, expected ({}, {}); \
                     randomizers of {lens:?} coefficients, expected {:?}",
                    self.num_vars, self.degree, self.randomizers
                ),
            });
        }
        Ok(())
    }
}

/// The ids of a layer's hidden vectors, known to both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkIds {
    /// The Libra mask's coefficient vector ([`MaskPoly::coeffs`]).
    pub mask: usize,
    /// The randomizers of the masked factors, in the order of [`ZkShape::randomizers`] (each
    /// stored as its `EF` coefficients' base-field coordinates).
    pub randomizers: Vec<usize>,
}

/// The prover's secret randomness for one layer, matching its [`ZkShape`] and already committed.
pub struct ZkSecrets {
    /// The Libra mask, of shape `(num_vars, degree)`; consumed by the proof.
    pub mask: MaskPoly<F, EF>,
    /// The randomizer coefficients, one vector per masked factor.
    pub randomizers: Vec<Vec<EF>>,
}

impl std::fmt::Debug for ZkSecrets {
    /// Shows the shape only: the randomness is secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZkSecrets")
            .field("mask", &self.mask)
            .field("randomizers", &self.randomizers.len())
            .finish_non_exhaustive()
    }
}

/// `K = -hidden`, the hidden constant of a sumcheck whose claim has hidden part `hidden`, evaluated
/// on the prover's hidden vectors.
pub(crate) fn hidden_constant<'a>(
    layer: &'static str,
    hidden: &Form<EF>,
    get: &dyn Fn(usize) -> Option<&'a [F]>,
) -> Result<EF, LayerError> {
    hidden
        .evaluate::<F>(get)
        .map(|v| -v)
        .map_err(|id| LayerError::Parameter {
            layer,
            detail: format!("hidden vector {id} is unknown or longer than its claim allows"),
        })
}

/// The subclaim the verifier derives from a masked `proof` ([`crate::mode`]'s, for the layers
/// not yet written over [`crate::Mode`]).
pub(crate) fn prover_subclaim(
    proof: &MaskedSumcheckProof<EF>,
    point: Vec<EF>,
    rho: EF,
    claimed: EF,
) -> MaskedSubclaim<EF> {
    crate::mode::subclaim(
        &proof.rounds,
        &proof.final_values,
        point,
        rho,
        claimed + rho * proof.mask_sum,
    )
}

/// Solves the final check `known + coeff * T + K / 2^n + rho * g(r) = e` for the deferred factor's
/// value `T`, with `K = -claim_hidden` and `g` the mask with id `mask_id` and degree `degree`:
/// `T = (e - known - rho * <l(r), g> + claim_hidden / 2^n) / coeff`. A zero `coeff` (probability
/// `O(n / |EF|)` over the challenges for a nonzero polynomial) is an error.
pub(crate) fn solve_deferred(
    layer: &'static str,
    sub: &MaskedSubclaim<EF>,
    degree: usize,
    known: EF,
    coeff: EF,
    mask_id: usize,
    claim_hidden: &Form<EF>,
) -> Result<Symbolic<EF>, LayerError> {
    let inv = coeff.try_inverse().ok_or_else(|| LayerError::Parameter {
        layer,
        detail: "the deferred factor's coefficient vanishes at the sumcheck point".into(),
    })?;
    let n = sub.point.len() as u64;
    // rho * MaskPoly::linear_form(d, r): DeferredMaskClaim::mask_form's weights on g's coordinates.
    let mask_weights: Vec<EF> = MaskPoly::<F, EF>::linear_form(degree, &sub.point)
        .into_iter()
        .map(|l| sub.rho * l)
        .collect();
    let hidden = Form::dense(mask_id, mask_weights)
        .scaled(-inv)
        .plus(claim_hidden.clone().scaled(inv.div_2exp_u64(n)));
    Ok(Symbolic {
        public: (sub.expected_eval - known) * inv,
        hidden,
    })
}

/// `eq(s_high, 0) = prod (1 - s_j)` over the first `point.len() - vars` coordinates, and the
/// remaining `vars` coordinates: a table on `vars` variables zero-extended to `point.len()`
/// (padded with zeros at the end, MSB-first) has `T'~(s) = eq(s_high, 0) T~(s_low)`.
pub(crate) fn split_extended<'p>(
    layer: &'static str,
    point: &'p [EF],
    vars: usize,
) -> Result<(EF, &'p [EF]), LayerError> {
    let high = point
        .len()
        .checked_sub(vars)
        .ok_or(LayerError::PointLength {
            layer,
            expected: vars,
            got: point.len(),
        })?;
    let (s_high, s_low) = point.split_at(high);
    Ok((s_high.iter().map(|&s| EF::ONE - s).product(), s_low))
}
