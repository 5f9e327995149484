//! The max-pooling verifier.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::{ProductSum, verify_eq};
use zkinfer_transcript::FiatShamir;

use super::{LABEL_EVALS, LABEL_POINT, MaxPoolClaims, MaxPoolColumn, MaxPoolProof, MaxPoolSpec};
use crate::range::{self, RangeClaims};
use crate::{Claim, LayerError};

const LAYER: &str = "maxpool";

/// Verifies a max-pooling proof; returns the claims on its columns and on each tap.
pub fn verify(
    spec: &MaxPoolSpec,
    proof: &MaxPoolProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MaxPoolClaims, LayerError> {
    let expected = spec.taps * spec.limbs;
    let mut columns = vec![];
    let rc = range::verify(&spec.range_spec(), &proof.range, transcript)?;
    push_range(&mut columns, spec, &rc);
    let r = transcript.challenges(LABEL_POINT, spec.num_vars);
    let inner = ProductSum::product(spec.num_vars, spec.taps);
    let point = verify_eq(
        &r,
        &inner,
        EF::ZERO,
        &proof.zerocheck,
        &proof.diff_evals,
        transcript,
    )
    .map_err(|source| LayerError::Sumcheck {
        layer: LAYER,
        source,
    })?;
    if proof.evals.len() != 1 + expected {
        return Err(LayerError::EvalCount {
            layer: LAYER,
            expected: 1 + expected,
            got: proof.evals.len(),
        });
    }
    transcript.observe(LABEL_EVALS, &proof.evals);
    let taps = finish(spec, proof, &point, &mut columns)?;
    Ok(MaxPoolClaims { columns, taps })
}

/// The claims of the range check: every limb at its point, and the multiplicities.
pub(super) fn push_range(
    columns: &mut Vec<(MaxPoolColumn, Claim)>,
    spec: &MaxPoolSpec,
    rc: &RangeClaims,
) {
    let limbs = (0..spec.taps).flat_map(|k| (0..spec.limbs).map(move |l| (k, l)));
    for ((k, l), &v) in limbs.zip(&rc.evals) {
        columns.push((
            MaxPoolColumn::Limb(k, l),
            Claim {
                point: rc.point.clone(),
                value: v,
            },
        ));
    }
    columns.push((MaxPoolColumn::Multiplicities, rc.multiplicities.clone()));
}

/// Checks each `d_k(r')` against its limbs and returns the tap claims; adds the column claims at `r'`.
pub(super) fn finish(
    spec: &MaxPoolSpec,
    proof: &MaxPoolProof,
    point: &[EF],
    columns: &mut Vec<(MaxPoolColumn, Claim)>,
) -> Result<Vec<Claim>, LayerError> {
    if proof.diff_evals.len() != spec.taps || proof.evals.len() != 1 + spec.taps * spec.limbs {
        return Err(LayerError::EvalCount {
            layer: LAYER,
            expected: spec.taps,
            got: proof.diff_evals.len(),
        });
    }
    let claim = |value: EF| Claim {
        point: point.to_vec(),
        value,
    };
    let mut evals = proof.evals.iter().copied();
    let out = evals.next().unwrap_or_default();
    columns.push((MaxPoolColumn::Out, claim(out)));
    let mut taps = Vec::with_capacity(spec.taps);
    for (k, &d) in proof.diff_evals.iter().enumerate() {
        let mut acc = EF::ZERO;
        let mut weight = F::ONE;
        for l in 0..spec.limbs {
            let v = evals.next().unwrap_or_default();
            columns.push((MaxPoolColumn::Limb(k, l), claim(v)));
            acc += v * weight;
            weight *= F::from_u64(1 << spec.limb_bits);
        }
        if acc != d {
            return Err(LayerError::Parameter {
                layer: LAYER,
                detail: format!("difference {k} does not match its limbs"),
            });
        }
        columns.push((MaxPoolColumn::Diff(k), claim(d)));
        taps.push(claim(out - d));
    }
    Ok(taps)
}
