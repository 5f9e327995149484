//! The batched range-check prover.

use zkinfer_field::{EF, F};
use zkinfer_lookup::{Lookups, prove_lookup};
use zkinfer_transcript::FiatShamir;

use super::{LABEL_EVALS, RangeClaims, RangeProof, RangeSpec};
use crate::{Claim, LayerError, mle_eval};

/// Proves that every entry of `columns` is in range (per `spec`'s segments). The caller must have
/// committed the columns and `mults` (from [`RangeSpec::multiplicities`]) and observed the
/// commitment.
pub fn prove(
    spec: &RangeSpec,
    columns: &[&[F]],
    mults: &[F],
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(RangeProof, RangeClaims), LayerError> {
    let v = spec.virtual_column(columns)?;
    let (lookup, c) = prove_lookup(&spec.instance(), Lookups::Values(&v), mults, transcript)?;
    let point = c
        .point_lookups
        .get(spec.segment_vars()..)
        .ok_or(LayerError::PointLength {
            layer: "range",
            expected: spec.num_vars + spec.segment_vars(),
            got: c.point_lookups.len(),
        })?
        .to_vec();
    let evals: Vec<EF> = columns.iter().map(|col| mle_eval(col, &point)).collect();
    transcript.observe(LABEL_EVALS, &evals);
    Ok((
        RangeProof {
            lookup,
            evals: evals.clone(),
        },
        RangeClaims {
            point,
            evals,
            multiplicities: Claim {
                point: c.point_table,
                value: c.eval_multiplicities,
            },
        },
    ))
}
