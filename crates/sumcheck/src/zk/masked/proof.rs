//! What the engine sends and what it leaves to the caller, in both runs: masked (zero knowledge)
//! and clear (plain proofs).

use serde::{Deserialize, Serialize};
use zkinfer_field::{ExtensionField, Field};

use crate::SumcheckProof;
use crate::zk::MaskPoly;

/// A proof of the masked-factor sumcheck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedSumcheckProof<EF> {
    /// `G = sum_{x in {0,1}^n} g(x)`.
    pub mask_sum: EF,
    /// The round messages of `f + K / 2^n + rho * g`, each its evaluations at `0..=degree`.
    pub rounds: SumcheckProof<EF>,
    /// `T^_i(r)` for the masked factors, in index order.
    pub final_values: Vec<EF>,
}

/// What remains after the rounds: the point, `rho`, the last round's claim and the masked final
/// values, to be combined with the public factors' values by [`super::verify_final`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedSubclaim<EF> {
    /// The random point `r`.
    pub point: Vec<EF>,
    /// The mask weight drawn after `G`.
    pub rho: EF,
    /// The last round's claim `s_{n-1}(r_{n-1})` (the masked claimed value `v + rho * G` if
    /// `n = 0`).
    pub expected_eval: EF,
    /// The claimed `T^_i(r)` of the masked factors, in index order.
    pub final_values: Vec<EF>,
}

/// The claim `rho * g(point) + K / 2^num_vars = value` that the caller must prove on its committed
/// mask coefficients and hidden constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeferredMaskClaim<EF> {
    /// The sumcheck's random point `r`.
    pub point: Vec<EF>,
    /// The mask weight `rho`.
    pub rho: EF,
    /// `e = s_{n-1}(r_{n-1}) - f(r)`.
    pub value: EF,
    /// Number of variables `n`.
    pub num_vars: usize,
    /// Degree of the mask `g` (the instance's round degree).
    pub degree: usize,
}

#[cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
impl<EF: Field> DeferredMaskClaim<EF> {
    /// The claim's coefficients on [`MaskPoly::coeffs`]: `rho * MaskPoly::linear_form(degree, r)`.
    pub fn mask_form<F: Field>(&self) -> Vec<EF>
    where
        EF: ExtensionField<F>,
    {
        MaskPoly::<F, EF>::linear_form(self.degree, &self.point)
            .into_iter()
            .map(|l| self.rho * l)
            .collect()
    }

    /// The claim's coefficient on the hidden constant `K`: `2^-n`.
    pub fn hidden_coeff(&self) -> EF {
        EF::ONE.div_2exp_u64(self.num_vars as u64)
    }
}

/// A proof of a clear run: the rounds and the revealed factors' final values (no mask, no hidden
/// constant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearSumcheckProof<EF> {
    /// The round messages of `f`, each its evaluations at `0..=degree`.
    pub rounds: SumcheckProof<EF>,
    /// `T_i(r)` for the revealed factors, in index order.
    pub final_values: Vec<EF>,
}

/// Everything the clear prover produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearProverOutput<EF> {
    /// The proof to send.
    pub proof: ClearSumcheckProof<EF>,
    /// The random point `r`.
    pub point: Vec<EF>,
    /// All factors' values at `r` in index order.
    pub evals: Vec<EF>,
}

/// Everything the masked prover produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedProverOutput<EF> {
    /// The proof to send.
    pub proof: MaskedSumcheckProof<EF>,
    /// The random point `r`.
    pub point: Vec<EF>,
    /// All factors' values at `r` in index order: `T~(r)` for public, `T^(r)` for masked ones.
    pub evals: Vec<EF>,
    /// The claim the verifier will derive, `rho * g(r) + K / 2^n`, to prove on the commitments.
    pub deferred: DeferredMaskClaim<EF>,
}
