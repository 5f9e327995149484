//! Zero-knowledge max pooling: steps 2 and 3 of [`super`] (the zero-check and the limb identity)
//! with no evaluation of a hidden column revealed in the clear. Step 1, the range check of the
//! limbs, is the zero-knowledge range check (`zkinfer_lookup::zk`), which leaves form claims on the
//! limb columns at its point `r`; the caller hands `r` to [`identity`].
//!
//! **Zero-check.** With `t` drawn as in the plain proof, one masked sumcheck
//! (`zkinfer_sumcheck::zk::masked`, module docs of [`crate::zk`]) proves
//! `sum_x eq(t, x) prod_k d_k(x) = 0`, with `eq(t, .)` public, `d_0 .. d_{K-2}` masked by
//! caller-given randomizers and `d_{K-1}` deferred (never revealed). With the revealed
//! `d^_k = d_k~(t') + <phi(t'), c_k>`, the final check at the sumcheck's point `t'` is
//!
//! ```text
//! eq(t, t') prod_{k < K-1} d^_k * d_{K-1}~(t') + rho g(t') = e
//! ```
//!
//! linear in `d_{K-1}~(t')` and the mask: a form claim, next to `d_k~(t') + <phi(t'), c_k> = d^_k`
//! for the masked differences. The taps' claims at `t'` are symbolic: `tap_k = out - d_k` (the
//! plain layer's `d_k = out - tap_k`), so `tap_k~(t') = out~(t') - d_k~(t')`, public part 0.
//!
//! **Identity** at `r`: `d_k~(r) - sum_l 2^(l * limb_bits) limb_{k,l}~(r) = 0` for every tap, a
//! pure function of the spec, the column ids and `r`.
//!
//! Ids: committed column `c` has id `first_col + c.index(spec)` (the protocol's commitment
//! order); the mask and randomizers have the caller's [`ZkIds`].
//!
//! Transcript schedule of [`prove`]/[`verify`]: draw `t` ([`LABEL_POINT`]), then the masked
//! sumcheck (`G`, `rho`, rounds, the final values `d^_0 .. d^_{K-2}`).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::{eq_eval, eq_table};
use zkinfer_sumcheck::zk::form::{Form, FormClaim, Symbolic};
use zkinfer_sumcheck::zk::masked::{
    Factor, FactorKind, MaskedFactor, MaskedInstance, MaskedSubclaim, MaskedSumcheckProof, Table,
};
use zkinfer_transcript::FiatShamir;

use super::{LABEL_POINT, MaxPoolColumn, MaxPoolSpec, MaxPoolWitness};
use crate::LayerError;
use crate::requant::zk::{deferred_claim, masked_claim};
use crate::zk::{SymClaim, ZkIds, ZkSecrets, ZkShape, prover_subclaim};

const LAYER: &str = "zk maxpool";

/// A zero-knowledge max-pooling zero-check proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkMaxPoolProof {
    /// The masked zero-check; its final values are `d^_0(t') .. d^_{K-2}(t')`.
    pub sumcheck: MaskedSumcheckProof<EF>,
}

/// What a zero-knowledge max-pooling zero-check leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkMaxPoolClaims {
    /// The masked differences' claims, then the final check (module docs).
    pub columns: Vec<FormClaim<EF>>,
    /// `tap_k~(t')`, one per tap, for the caller's wirings.
    pub taps: Vec<SymClaim>,
}

/// Checks the spec's sizes (at least one tap and one limb, a range table of at most 16 bits).
fn check_spec(spec: &MaxPoolSpec) -> Result<(), LayerError> {
    spec.range_spec().check()?;
    if spec.taps == 0 {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: "no taps".into(),
        });
    }
    Ok(())
}

/// The zero-check's instance: factor 0 is `eq(t, .)`, factor `1 + k` is `d_k` (masked but the
/// last), one term `eq prod_k d_k`.
pub(super) fn instance(spec: &MaxPoolSpec) -> MaskedInstance<EF> {
    let k = spec.taps;
    let kinds = std::iter::once(FactorKind::Public)
        .chain((1..k).map(|_| FactorKind::Masked))
        .chain(std::iter::once(FactorKind::Public))
        .collect();
    MaskedInstance::new(spec.num_vars, vec![(EF::ONE, (0..=k).collect())], kinds)
}

/// The hidden vectors of the zero-check: the mask and one randomizer of `num_vars` coefficients
/// for each difference but the last.
pub fn shape(spec: &MaxPoolSpec) -> Result<ZkShape, LayerError> {
    check_spec(spec)?;
    Ok(ZkShape {
        num_vars: spec.num_vars,
        degree: instance(spec).degree(),
        randomizers: vec![spec.num_vars; spec.taps - 1],
    })
}

fn setup(spec: &MaxPoolSpec, ids: &ZkIds) -> Result<ZkShape, LayerError> {
    let shape = shape(spec)?;
    if ids.randomizers.len() != shape.randomizers.len() {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "{} randomizer ids for {} masked differences",
                ids.randomizers.len(),
                shape.randomizers.len()
            ),
        });
    }
    Ok(shape)
}

/// Proves the zero-check for the witness `w`, whose columns are committed under
/// `first_col + c.index(spec)`; `secrets` matches [`shape`] and is committed under `ids`. Returns
/// the proof and the claims [`verify`] returns.
pub fn prove(
    spec: &MaxPoolSpec,
    w: &MaxPoolWitness,
    first_col: usize,
    ids: &ZkIds,
    secrets: ZkSecrets,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkMaxPoolProof, ZkMaxPoolClaims), LayerError> {
    let shape = setup(spec, ids)?;
    let n = 1usize << spec.num_vars;
    let diffs: Vec<&Vec<F>> = (0..spec.taps)
        .map(|k| w.columns.get(MaxPoolColumn::Diff(k).index(spec)))
        .collect::<Option<_>>()
        .filter(|d: &Vec<&Vec<F>>| d.iter().all(|c| c.len() == n))
        .ok_or_else(|| LayerError::Parameter {
            layer: LAYER,
            detail: format!("the witness needs {} differences of {n} entries", spec.taps),
        })?;
    shape.check_secrets(LAYER, &secrets)?;

    let t = transcript.challenges(LABEL_POINT, spec.num_vars);
    let mut factors = vec![Factor::Public(Table::Ext(eq_table(&t)))];
    let mut randomizers = secrets.randomizers.into_iter();
    for d in diffs {
        let table = Table::Base(d.clone());
        factors.push(match randomizers.next() {
            Some(coeffs) => Factor::Masked(MaskedFactor {
                table,
                offset: EF::ZERO,
                coeffs,
            }),
            None => Factor::Hidden(table),
        });
    }
    let out = zkinfer_sumcheck::zk::masked::prove(
        &instance(spec),
        factors,
        EF::ZERO,
        secrets.mask,
        transcript,
    );
    let sub = prover_subclaim(&out.proof, out.point, out.deferred.rho, EF::ZERO);
    let claims = claims(spec, first_col, ids, &t, &sub, shape.degree)?;
    Ok((
        ZkMaxPoolProof {
            sumcheck: out.proof,
        },
        claims,
    ))
}

/// Verifies the zero-check; returns the form claims and the symbolic tap claims (module docs),
/// which the caller must settle.
pub fn verify(
    spec: &MaxPoolSpec,
    first_col: usize,
    ids: &ZkIds,
    proof: &ZkMaxPoolProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<ZkMaxPoolClaims, LayerError> {
    let shape = setup(spec, ids)?;
    let t = transcript.challenges(LABEL_POINT, spec.num_vars);
    let sub = zkinfer_sumcheck::zk::masked::verify(
        &instance(spec),
        EF::ZERO,
        &proof.sumcheck,
        transcript,
    )
    .map_err(|source| LayerError::Sumcheck {
        layer: LAYER,
        source,
    })?;
    claims(spec, first_col, ids, &t, &sub, shape.degree)
}

/// `d_k~(t') + <phi(t'), c_k> = d^_k` for the masked differences, the final check as a claim
/// linear in `d_{K-1}~(t')` and the mask, and `tap_k~(t') = out~(t') - d_k~(t')`.
fn claims(
    spec: &MaxPoolSpec,
    first_col: usize,
    ids: &ZkIds,
    t: &[EF],
    sub: &MaskedSubclaim<EF>,
    degree: usize,
) -> Result<ZkMaxPoolClaims, LayerError> {
    let s = &sub.point;
    let id = |c: MaxPoolColumn| first_col + c.index(spec);
    let masked = spec.taps.saturating_sub(1);
    if sub.final_values.len() != masked || ids.randomizers.len() != masked {
        return Err(LayerError::EvalCount {
            layer: LAYER,
            expected: masked,
            got: sub.final_values.len(),
        });
    }
    let mut coeff = eq_eval(t, s).map_err(|_| LayerError::PointLength {
        layer: LAYER,
        expected: t.len(),
        got: s.len(),
    })?;
    let mut columns = Vec::with_capacity(spec.taps);
    for (k, (&v, &rid)) in sub.final_values.iter().zip(&ids.randomizers).enumerate() {
        columns.push(masked_claim(id(MaxPoolColumn::Diff(k)), rid, s, v));
        coeff *= v;
    }
    columns.push(deferred_claim(
        sub,
        degree,
        ids.mask,
        id(MaxPoolColumn::Diff(masked)),
        EF::ZERO,
        coeff,
    ));
    let taps =
        (0..spec.taps)
            .map(|k| SymClaim {
                point: s.clone(),
                value: Symbolic {
                    public: EF::ZERO,
                    hidden: Form::eval(EF::ONE, id(MaxPoolColumn::Out), s.clone())
                        .plus(Form::eval(-EF::ONE, id(MaxPoolColumn::Diff(k)), s.clone())),
                },
            })
            .collect();
    Ok(ZkMaxPoolClaims { columns, taps })
}

/// The identity at the range check's point `r`: `d_k~(r) - sum_l 2^(l * limb_bits)
/// limb_{k,l}~(r) = 0` for every tap. Used by both sides.
pub fn identity(
    spec: &MaxPoolSpec,
    first_col: usize,
    r: &[EF],
) -> Result<Vec<FormClaim<EF>>, LayerError> {
    check_spec(spec)?;
    if r.len() != spec.num_vars {
        return Err(LayerError::PointLength {
            layer: LAYER,
            expected: spec.num_vars,
            got: r.len(),
        });
    }
    let eval =
        |c: MaxPoolColumn, coeff: EF| Form::eval(coeff, first_col + c.index(spec), r.to_vec());
    let radix = EF::from(F::from_u64(1 << spec.limb_bits));
    Ok((0..spec.taps)
        .map(|k| {
            let mut form = eval(MaxPoolColumn::Diff(k), EF::ONE);
            let mut weight = -EF::ONE;
            for l in 0..spec.limbs {
                form = form.plus(eval(MaxPoolColumn::Limb(k, l), weight));
                weight *= radix;
            }
            FormClaim {
                form,
                value: EF::ZERO,
            }
        })
        .collect())
}
