//! The batched range-check verifier.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_lookup::verify_lookup;
use zkinfer_poly::eq_table;
use zkinfer_transcript::FiatShamir;

use super::{LABEL_EVALS, RangeClaims, RangeProof, RangeSpec};
use crate::{Claim, LayerError};

/// Verifies a batched range check; returns the claims on the columns and the multiplicities.
pub fn verify(
    spec: &RangeSpec,
    proof: &RangeProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<RangeClaims, LayerError> {
    spec.check()?;
    if proof.evals.len() != spec.columns {
        return Err(LayerError::EvalCount {
            layer: "range",
            expected: spec.columns,
            got: proof.evals.len(),
        });
    }
    let c = verify_lookup(&spec.instance(), &proof.lookup, transcript)?;
    let sv = spec.segment_vars();
    let (Some(r_hi), Some(r_lo), [claimed]) = (
        c.point_lookups.get(..sv),
        c.point_lookups.get(sv..),
        c.eval_lookups.as_slice(),
    ) else {
        return Err(LayerError::PointLength {
            layer: "range",
            expected: spec.num_vars + sv,
            got: c.point_lookups.len(),
        });
    };
    // The virtual column at (r_hi, r_lo), from the committed columns at r_lo.
    let mut acc = EF::ZERO;
    for (s, e) in spec.segments.iter().zip(eq_table(r_hi)) {
        let v = proof.evals.get(s.column).ok_or(LayerError::EvalCount {
            layer: "range",
            expected: spec.columns,
            got: proof.evals.len(),
        })?;
        acc += e * *v * F::from_u64(1 << s.shift);
    }
    if acc != *claimed {
        return Err(LayerError::PartialSums { layer: "range" });
    }
    transcript.observe(LABEL_EVALS, &proof.evals);
    Ok(RangeClaims {
        point: r_lo.to_vec(),
        evals: proof.evals.clone(),
        multiplicities: Claim {
            point: c.point_table,
            value: c.eval_multiplicities,
        },
    })
}
