//! The proof mode, chosen once by type: everything a layer's proof does differently in plain and in
//! zero-knowledge proofs, so that each layer states its relation once (`wiring`, `matmul`).
//!
//! A layer runs one sumcheck of the engine `zkinfer_sumcheck::zk::masked` over factors with roles:
//! public (the verifier evaluates them), *sent* (a hidden table whose value at the final point the
//! proof carries) and *deferred* (the one hidden table the final check is linear in,
//! [`Mode::solve_deferred`]). What the mode decides:
//!
//! | | [`Plain`] | [`Zk`] |
//! |---|---|---|
//! | claim value | `EF` | `Symbolic<EF>` (public part + linear form in hidden data) |
//! | sent factor | [`FactorKind::Revealed`]: its value in the clear | [`FactorKind::Masked`]: blinded by a randomizer |
//! | sumcheck | clear run | Libra mask `g`, hidden constant `K = -hidden part of the claim` |
//! | deferred factor | revealed too, and the final check `known + coeff T = e` checked | never sent: `T = (e - known - shares of g and K) / coeff`, as forms |
//! | ids, secrets | none | the layer's mask and randomizers, committed before any challenge |
//!
//! Plain proofs reveal the deferred value rather than solve for it so that a vanishing `coeff`
//! (an all-zero weight matrix, an input with a zero map) still proves: the check then reads
//! `known = e`. A zero-knowledge proof cannot reveal it; there `coeff` is a masked value (nonzero
//! with overwhelming probability) or a public map's evaluation.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::form::{Form, Symbolic, randomizer_form};
use zkinfer_sumcheck::zk::masked::{
    self, ClearSumcheckProof, Factor, FactorKind, MaskedFactor, MaskedInstance, MaskedSubclaim,
    MaskedSumcheckProof, Table,
};
use zkinfer_sumcheck::{SumcheckError, interpolate_at};
use zkinfer_transcript::FiatShamir;

use crate::zk::{ZkIds, ZkSecrets, ZkShape, hidden_constant, solve_deferred};
use crate::{ClaimValue, LayerError};

/// The prover's lookup of hidden committed vectors by id (to evaluate a claim's hidden part) in a
/// proof that has none: plain proofs.
pub fn no_hidden(_: usize) -> Option<&'static [F]> {
    None
}

/// A proof mode (module docs). Implemented by [`Plain`] and [`Zk`] only.
pub trait Mode {
    /// A claim's value.
    type Value: ClaimValue;
    /// The sumcheck proof a layer sends.
    type Sumcheck: Clone + std::fmt::Debug + PartialEq + Eq + Serialize + DeserializeOwned;
    /// The ids under which a layer's hidden vectors are committed, known to both sides.
    type Ids: std::fmt::Debug;
    /// The prover's secret randomness for one layer.
    type Secrets;
    /// The role of a hidden factor whose final value the proof sends.
    const SENT: FactorKind;
    /// The role of the deferred factor (module docs).
    const DEFERRED: FactorKind;

    /// The deferred factor for `table`.
    fn deferred_factor(table: Table<F, EF>) -> Factor<F, EF>;

    /// The sent factor for `table`, blinded by `randomizer` in zero knowledge (zero coefficients
    /// when absent: the value is then sent in the clear, as for public weights).
    fn sent_factor(table: Table<F, EF>, randomizer: Option<Vec<EF>>) -> Factor<F, EF>;

    /// Checks `ids` against the layer's `shape` (the number of randomizer ids).
    fn check_ids(layer: &'static str, shape: &ZkShape, ids: &Self::Ids) -> Result<(), LayerError>;

    /// Checks the prover's `secrets` against `shape`, and splits off the randomizers, in the order
    /// of the sent factors.
    fn randomizers(
        layer: &'static str,
        shape: &ZkShape,
        secrets: &mut Self::Secrets,
    ) -> Result<Vec<Vec<EF>>, LayerError>;

    /// Proves `claim = sum_x f(x)` (plus the hidden constant the claim's hidden part needs) and
    /// returns the proof with the subclaim the verifier will derive from it.
    fn prove_sumcheck<'h>(
        layer: &'static str,
        instance: &MaskedInstance<EF>,
        factors: Vec<Factor<F, EF>>,
        claim: &Self::Value,
        secrets: Self::Secrets,
        hidden: &dyn Fn(usize) -> Option<&'h [F]>,
        transcript: &mut impl FiatShamir<EF>,
    ) -> Result<(Self::Sumcheck, MaskedSubclaim<EF>), LayerError>;

    /// Runs the verifier's rounds for `claim` and returns the subclaim.
    fn verify_sumcheck(
        instance: &MaskedInstance<EF>,
        claim: &Self::Value,
        proof: &Self::Sumcheck,
        transcript: &mut impl FiatShamir<EF>,
    ) -> Result<MaskedSubclaim<EF>, SumcheckError>;

    /// The value a sent factor's final value `sent` gives the table at `point`: `sent` itself, or
    /// minus the randomizer's form (randomizer `id`, when it has one).
    fn sent_value(sent: EF, id: Option<usize>, point: &[EF]) -> Self::Value;

    /// The `i`-th randomizer id of a layer, when it has one.
    fn randomizer_id(ids: &Self::Ids, i: usize) -> Option<usize>;

    /// The deferred factor's value `T` from the final check `known + coeff * T = e` (zero
    /// knowledge: with the mask's and the hidden constant's shares). Plain: `T` is the sent value
    /// at `position` (among the sent values), and the check is made. Zero knowledge: `T` is
    /// solved (`position` is unused); a vanishing `coeff` is an error, as `T` would be
    /// unconstrained.
    #[allow(clippy::too_many_arguments)]
    fn solve_deferred(
        layer: &'static str,
        sub: &MaskedSubclaim<EF>,
        degree: usize,
        known: EF,
        coeff: EF,
        position: usize,
        ids: &Self::Ids,
        claim: &Self::Value,
    ) -> Result<Self::Value, LayerError>;
}

/// Plain proofs: values in the clear, no hidden randomness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {}

/// Zero-knowledge proofs: symbolic values, masked sumchecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zk {}

/// The subclaim the verifier derives from a proof, rebuilt by the prover from its own proof so
/// that both sides derive their claims by the same code: `expected_eval` is the last round's
/// message at the last challenge, or `claimed + rho * G` with no rounds.
pub(crate) fn subclaim(
    rounds: &zkinfer_sumcheck::SumcheckProof<EF>,
    final_values: &[EF],
    point: Vec<EF>,
    rho: EF,
    claimed: EF,
) -> MaskedSubclaim<EF> {
    let expected_eval = match (rounds.round_polys.last(), point.last()) {
        (Some(s), Some(&r)) => interpolate_at(s, r),
        _ => claimed,
    };
    MaskedSubclaim {
        point,
        rho,
        expected_eval,
        final_values: final_values.to_vec(),
    }
}

impl Mode for Plain {
    type Value = EF;
    type Sumcheck = ClearSumcheckProof<EF>;
    type Ids = ();
    type Secrets = ();
    const SENT: FactorKind = FactorKind::Revealed;
    const DEFERRED: FactorKind = FactorKind::Revealed;

    fn deferred_factor(table: Table<F, EF>) -> Factor<F, EF> {
        Factor::Revealed(table)
    }

    fn sent_factor(table: Table<F, EF>, _: Option<Vec<EF>>) -> Factor<F, EF> {
        Factor::Revealed(table)
    }

    fn check_ids(_: &'static str, _: &ZkShape, _: &()) -> Result<(), LayerError> {
        Ok(())
    }

    fn randomizers(_: &'static str, _: &ZkShape, _: &mut ()) -> Result<Vec<Vec<EF>>, LayerError> {
        Ok(Vec::new())
    }

    fn prove_sumcheck<'h>(
        _: &'static str,
        instance: &MaskedInstance<EF>,
        factors: Vec<Factor<F, EF>>,
        claim: &EF,
        (): (),
        _: &dyn Fn(usize) -> Option<&'h [F]>,
        transcript: &mut impl FiatShamir<EF>,
    ) -> Result<(Self::Sumcheck, MaskedSubclaim<EF>), LayerError> {
        let out = masked::prove_clear(instance, factors, transcript);
        let p = &out.proof;
        let sub = subclaim(&p.rounds, &p.final_values, out.point, EF::ZERO, *claim);
        Ok((out.proof, sub))
    }

    fn verify_sumcheck(
        instance: &MaskedInstance<EF>,
        claim: &EF,
        proof: &Self::Sumcheck,
        transcript: &mut impl FiatShamir<EF>,
    ) -> Result<MaskedSubclaim<EF>, SumcheckError> {
        masked::verify_clear(instance, *claim, proof, transcript)
    }

    fn sent_value(sent: EF, _: Option<usize>, _: &[EF]) -> EF {
        sent
    }

    fn randomizer_id((): &(), _: usize) -> Option<usize> {
        None
    }

    fn solve_deferred(
        layer: &'static str,
        sub: &MaskedSubclaim<EF>,
        _: usize,
        known: EF,
        coeff: EF,
        position: usize,
        (): &(),
        _: &EF,
    ) -> Result<EF, LayerError> {
        let value = *sub
            .final_values
            .get(position)
            .ok_or(LayerError::EvalCount {
                layer,
                expected: position + 1,
                got: sub.final_values.len(),
            })?;
        if known + coeff * value != sub.expected_eval {
            return Err(LayerError::Sumcheck {
                layer,
                source: SumcheckError::FinalEvalMismatch,
            });
        }
        Ok(value)
    }
}

impl Mode for Zk {
    type Value = Symbolic<EF>;
    type Sumcheck = MaskedSumcheckProof<EF>;
    type Ids = ZkIds;
    type Secrets = ZkSecrets;
    const SENT: FactorKind = FactorKind::Masked;
    const DEFERRED: FactorKind = FactorKind::Public;

    fn deferred_factor(table: Table<F, EF>) -> Factor<F, EF> {
        // Hidden, unmasked, never sent: the sumcheck treats it as a public-kind factor.
        Factor::Hidden(table)
    }

    fn sent_factor(table: Table<F, EF>, randomizer: Option<Vec<EF>>) -> Factor<F, EF> {
        let n = table.len().trailing_zeros() as usize;
        Factor::Masked(MaskedFactor {
            table,
            offset: EF::ZERO,
            coeffs: randomizer.unwrap_or_else(|| vec![EF::ZERO; n]),
        })
    }

    fn check_ids(layer: &'static str, shape: &ZkShape, ids: &ZkIds) -> Result<(), LayerError> {
        if ids.randomizers.len() != shape.randomizers.len() {
            return Err(LayerError::Parameter {
                layer,
                detail: format!(
                    "{} randomizer ids, expected {}",
                    ids.randomizers.len(),
                    shape.randomizers.len()
                ),
            });
        }
        Ok(())
    }

    fn randomizers(
        layer: &'static str,
        shape: &ZkShape,
        secrets: &mut ZkSecrets,
    ) -> Result<Vec<Vec<EF>>, LayerError> {
        shape.check_secrets(layer, secrets)?;
        Ok(std::mem::take(&mut secrets.randomizers))
    }

    fn prove_sumcheck<'h>(
        layer: &'static str,
        instance: &MaskedInstance<EF>,
        factors: Vec<Factor<F, EF>>,
        claim: &Symbolic<EF>,
        secrets: ZkSecrets,
        hidden: &dyn Fn(usize) -> Option<&'h [F]>,
        transcript: &mut impl FiatShamir<EF>,
    ) -> Result<(Self::Sumcheck, MaskedSubclaim<EF>), LayerError> {
        let k = hidden_constant(layer, &claim.hidden, hidden)?;
        let out = masked::prove(instance, factors, k, secrets.mask, transcript);
        let p = &out.proof;
        let claimed = claim.public + out.deferred.rho * p.mask_sum;
        let sub = subclaim(
            &p.rounds,
            &p.final_values,
            out.point,
            out.deferred.rho,
            claimed,
        );
        Ok((out.proof, sub))
    }

    fn verify_sumcheck(
        instance: &MaskedInstance<EF>,
        claim: &Symbolic<EF>,
        proof: &Self::Sumcheck,
        transcript: &mut impl FiatShamir<EF>,
    ) -> Result<MaskedSubclaim<EF>, SumcheckError> {
        masked::verify(instance, claim.public, proof, transcript)
    }

    fn sent_value(sent: EF, id: Option<usize>, point: &[EF]) -> Symbolic<EF> {
        Symbolic {
            public: sent,
            hidden: id.map_or_else(Form::zero, |id| {
                randomizer_form::<F, EF>(id, point).scaled(-EF::ONE)
            }),
        }
    }

    fn randomizer_id(ids: &ZkIds, i: usize) -> Option<usize> {
        ids.randomizers.get(i).copied()
    }

    fn solve_deferred(
        layer: &'static str,
        sub: &MaskedSubclaim<EF>,
        degree: usize,
        known: EF,
        coeff: EF,
        _: usize,
        ids: &ZkIds,
        claim: &Symbolic<EF>,
    ) -> Result<Symbolic<EF>, LayerError> {
        solve_deferred(layer, sub, degree, known, coeff, ids.mask, &claim.hidden)
    }
}
