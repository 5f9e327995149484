//! The wiring prover; it follows [`super::verify`] step for step.

use zkinfer_field::{EF, F};
use zkinfer_sumcheck::ProductSum;
use zkinfer_transcript::FiatShamir;

use super::{LABEL_PARTIAL_SUMS, WiringPart, WiringProof};
use crate::{Claim, LayerError, SparseMap, combine_claims};

/// Proves `claims` about `out = sum_i maps[i] inputs[i]`. `inputs[i]` is the padded table of input
/// `i` (length `2^maps[i].in_vars()`). Returns the proof and one claim per input.
pub fn prove(
    maps: &[&SparseMap],
    inputs: &[&[F]],
    claims: &[Claim],
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(WiringProof, Vec<Claim>), LayerError> {
    let out_vars = maps.first().map_or(0, |m| m.out_vars());
    let (weights, _) = combine_claims("wiring", claims, out_vars, transcript)?;
    let pulled: Vec<Vec<EF>> = maps.iter().map(|m| m.pull_back(&weights)).collect();
    let partial_sums: Vec<EF> = pulled
        .iter()
        .zip(inputs)
        .map(|(m, x)| m.iter().zip(x.iter()).map(|(&a, &b)| a * b).sum())
        .collect();
    transcript.observe(LABEL_PARTIAL_SUMS, &partial_sums);

    let mut parts = Vec::with_capacity(maps.len());
    let mut out_claims = Vec::with_capacity(maps.len());
    for ((map, input), m) in maps.iter().zip(inputs).zip(pulled) {
        let n = map.in_vars();
        let lifted: Vec<EF> = input.iter().map(|&x| EF::from(x)).collect();
        let (sumcheck, point, evals) =
            zkinfer_sumcheck::prove(&ProductSum::product(n, 2), vec![lifted, m], transcript);
        let input_eval = evals.first().copied().unwrap_or_default();
        parts.push(WiringPart {
            sumcheck,
            input_eval,
        });
        out_claims.push(Claim {
            point,
            value: input_eval,
        });
    }
    Ok((
        WiringProof {
            partial_sums,
            parts,
        },
        out_claims,
    ))
}
