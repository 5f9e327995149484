//! The max-pooling prover and its witness.

// The prover indexes its own witness, whose sizes it has just checked; only verifier code must not.
#![allow(clippy::indexing_slicing)]

use zkinfer_field::{EF, F};
use zkinfer_sumcheck::{ProductSum, prove_eq};
use zkinfer_transcript::FiatShamir;

use super::{LABEL_EVALS, LABEL_POINT, MaxPoolClaims, MaxPoolColumn, MaxPoolProof, MaxPoolSpec};
use crate::{LayerError, mle_eval, range};

/// Every committed column of one max pooling, in commitment order.
#[derive(Debug, Clone)]
pub struct MaxPoolWitness {
    /// The columns, in [`MaxPoolColumn::index`] order.
    pub columns: Vec<Vec<F>>,
}

/// Computes the columns from the padded output and the padded taps (`taps[k] = A_k in`).
pub fn witness(
    spec: &MaxPoolSpec,
    out: &[i64],
    taps: &[Vec<i64>],
) -> Result<MaxPoolWitness, LayerError> {
    let len = 1usize << spec.num_vars;
    if out.len() != len || taps.len() != spec.taps || taps.iter().any(|t| t.len() != len) {
        return Err(LayerError::Parameter {
            layer: "maxpool",
            detail: "column lengths".into(),
        });
    }
    let mut columns = vec![vec![]; MaxPoolColumn::count(spec)];
    columns[0] = out.iter().map(|&v| crate::requant::signed(v)).collect();
    let mask = (1i64 << spec.limb_bits) - 1;
    for (k, tap) in taps.iter().enumerate() {
        let diffs: Vec<i64> = out.iter().zip(tap).map(|(&o, &t)| o - t).collect();
        columns[MaxPoolColumn::Diff(k).index(spec)] =
            diffs.iter().map(|&d| crate::requant::signed(d)).collect();
        for l in 0..spec.limbs {
            let limb: Vec<F> = diffs
                .iter()
                .map(|&d| crate::requant::signed((d >> (l * spec.limb_bits)) & mask))
                .collect();
            columns[MaxPoolColumn::Limb(k, l).index(spec)] = limb;
        }
    }
    let m = spec
        .range_spec()
        .multiplicities(&limb_refs(spec, &columns))?;
    columns[MaxPoolColumn::Multiplicities.index(spec)] = m;
    Ok(MaxPoolWitness { columns })
}

/// The limb columns (tap-major), the range check's columns.
fn limb_refs<'a>(spec: &MaxPoolSpec, columns: &'a [Vec<F>]) -> Vec<&'a [F]> {
    let first = MaxPoolColumn::Limb(0, 0).index(spec);
    columns[first..first + spec.taps * spec.limbs]
        .iter()
        .map(|c| c.as_slice())
        .collect()
}

/// Proves the relation; the caller must have committed every column first.
pub fn prove(
    spec: &MaxPoolSpec,
    w: &MaxPoolWitness,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(MaxPoolProof, MaxPoolClaims), LayerError> {
    let col = |c: MaxPoolColumn| &w.columns[c.index(spec)];
    let mut columns = vec![];
    let (range_proof, rc) = range::prove(
        &spec.range_spec(),
        &limb_refs(spec, &w.columns),
        col(MaxPoolColumn::Multiplicities),
        transcript,
    )?;
    super::verify::push_range(&mut columns, spec, &rc);
    let r = transcript.challenges(LABEL_POINT, spec.num_vars);
    let diffs: Vec<Vec<F>> = (0..spec.taps)
        .map(|k| col(MaxPoolColumn::Diff(k)).clone())
        .collect();
    let (zerocheck, point, diff_evals) = prove_eq(
        &r,
        &ProductSum::product(spec.num_vars, spec.taps),
        diffs,
        transcript,
    );
    let mut evals = vec![mle_eval(col(MaxPoolColumn::Out), &point)];
    for k in 0..spec.taps {
        for l in 0..spec.limbs {
            evals.push(mle_eval(col(MaxPoolColumn::Limb(k, l)), &point));
        }
    }
    transcript.observe(LABEL_EVALS, &evals);
    let proof = MaxPoolProof {
        range: range_proof,
        zerocheck,
        diff_evals,
        evals,
    };
    let taps = super::verify::finish(spec, &proof, &point, &mut columns)?;
    Ok((proof, MaxPoolClaims { columns, taps }))
}
