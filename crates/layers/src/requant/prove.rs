//! The requantization prover.

use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_lookup::{LookupClaims, Lookups, prove_lookup};
use zkinfer_transcript::FiatShamir;

use super::{
    LABEL_EVALS, LABEL_POINT, RequantClaims, RequantColumn, RequantProof, RequantSpec,
    RequantWitness,
};
use crate::{Claim, LayerError, mle_eval};

/// Proves that `w` is the requantization of some `x` and returns the claim on `x`. The caller must
/// have committed every column of `w` (and observed the commitment) before calling.
pub fn prove(
    spec: &RequantSpec,
    w: &RequantWitness,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(RequantProof, RequantClaims), LayerError> {
    let instances = spec.instances()?;
    let mut columns = vec![];
    let mut it = instances.iter();
    let clamp = it.next().ok_or(LayerError::NoClaims { layer: "requant" })?;
    let (clamp_lookup, c) = prove_lookup(
        clamp,
        Lookups::Pairs(&w.q, &w.out),
        &w.clamp_mult,
        transcript,
    )?;
    push_pair(&mut columns, &c, RequantColumn::ClampMultiplicities);
    let mut limb_lookups = vec![];
    for (i, ((inst, limb), mult)) in it.zip(&w.limbs).zip(&w.limb_mults).enumerate() {
        let (proof, c) = prove_lookup(inst, Lookups::Values(limb), mult, transcript)?;
        push_values(&mut columns, &c, i);
        limb_lookups.push(proof);
    }

    let r = transcript.challenges(LABEL_POINT, spec.num_vars);
    let mut evals = vec![mle_eval(&w.q, &r)];
    evals.extend(w.limbs.iter().map(|l| mle_eval(l, &r)));
    transcript.observe(LABEL_EVALS, &evals);
    let input = identity_claim(spec, &r, &evals)?;
    push_identity(&mut columns, &r, &evals);
    Ok((
        RequantProof {
            clamp_lookup,
            limb_lookups,
            evals,
        },
        RequantClaims { columns, input },
    ))
}

/// `x(r) = (2^s q(r) + sum_i 2^(o_i) limb_i(r) - off) / m`, from `evals = [q(r), limbs...]`.
pub(super) fn identity_claim(
    spec: &RequantSpec,
    r: &[EF],
    evals: &[EF],
) -> Result<Claim, LayerError> {
    let bits = spec.limb_bits();
    if evals.len() != bits.len() + 1 {
        return Err(LayerError::EvalCount {
            layer: "requant",
            expected: bits.len() + 1,
            got: evals.len(),
        });
    }
    if spec.multiplier <= 0 || spec.multiplier >= 1 << 30 || spec.shift > 30 {
        return Err(LayerError::Parameter {
            layer: "requant",
            detail: format!(
                "multiplier {} / shift {} out of range",
                spec.multiplier, spec.shift
            ),
        });
    }
    let mut acc = EF::ZERO;
    let mut weight = F::ONE;
    for (&b, &v) in bits.iter().zip(evals.iter().skip(1)) {
        acc += v * weight;
        weight *= F::from_u64(1 << b);
    }
    let q = evals.first().copied().unwrap_or_default();
    let numerator = q * F::from_u64(1 << spec.shift) + acc - F::from_u64(spec.offset() as u64);
    let m_inv = F::from_u64(spec.multiplier as u64).inverse();
    Ok(Claim {
        point: r.to_vec(),
        value: numerator * m_inv,
    })
}

pub(super) fn push_pair(
    columns: &mut Vec<(RequantColumn, Claim)>,
    c: &LookupClaims<EF>,
    mult: RequantColumn,
) {
    for (col, &v) in [RequantColumn::Q, RequantColumn::Out]
        .into_iter()
        .zip(&c.eval_lookups)
    {
        columns.push((
            col,
            Claim {
                point: c.point_lookups.clone(),
                value: v,
            },
        ));
    }
    columns.push((
        mult,
        Claim {
            point: c.point_table.clone(),
            value: c.eval_multiplicities,
        },
    ));
}

pub(super) fn push_values(
    columns: &mut Vec<(RequantColumn, Claim)>,
    c: &LookupClaims<EF>,
    limb: usize,
) {
    for &v in &c.eval_lookups {
        columns.push((
            RequantColumn::Limb(limb),
            Claim {
                point: c.point_lookups.clone(),
                value: v,
            },
        ));
    }
    columns.push((
        RequantColumn::LimbMultiplicities(limb),
        Claim {
            point: c.point_table.clone(),
            value: c.eval_multiplicities,
        },
    ));
}

/// The claims on `q` and the limbs at the identity point.
pub(super) fn push_identity(columns: &mut Vec<(RequantColumn, Claim)>, r: &[EF], evals: &[EF]) {
    let mut it = evals.iter();
    if let Some(&q) = it.next() {
        columns.push((
            RequantColumn::Q,
            Claim {
                point: r.to_vec(),
                value: q,
            },
        ));
    }
    for (i, &v) in it.enumerate() {
        columns.push((
            RequantColumn::Limb(i),
            Claim {
                point: r.to_vec(),
                value: v,
            },
        ));
    }
}
