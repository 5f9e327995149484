//! The wiring verifier: the reference for the prover's schedule.

use zkinfer_field::EF;
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::ProductSum;
use zkinfer_transcript::FiatShamir;

use super::{LABEL_PARTIAL_SUMS, WiringProof};
use crate::{Claim, LayerError, SparseMap, combine_claims};

const LAYER: &str = "wiring";

/// Verifies `proof` for `claims` about `out = sum_i maps[i] in_i`; returns one claim per input,
/// which the caller must settle (a commitment opening, the next layer, or a public tensor).
pub fn verify(
    maps: &[&SparseMap],
    claims: &[Claim],
    proof: &WiringProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<Claim>, LayerError> {
    let out_vars = maps.first().map_or(0, |m| m.out_vars());
    let (weights, combined) = combine_claims(LAYER, claims, out_vars, transcript)?;
    if proof.partial_sums.len() != maps.len() || proof.parts.len() != maps.len() {
        return Err(LayerError::PartCount {
            layer: LAYER,
            expected: maps.len(),
            got: proof.partial_sums.len().min(proof.parts.len()),
        });
    }
    if proof.partial_sums.iter().copied().sum::<EF>() != combined {
        return Err(LayerError::PartialSums { layer: LAYER });
    }
    transcript.observe(LABEL_PARTIAL_SUMS, &proof.partial_sums);

    let mut out = Vec::with_capacity(maps.len());
    for ((map, part), &sum) in maps.iter().zip(&proof.parts).zip(&proof.partial_sums) {
        let instance = ProductSum::product(map.in_vars(), 2);
        let sub = zkinfer_sumcheck::verify(&instance, sum, &part.sumcheck, transcript).map_err(
            |source| LayerError::Sumcheck {
                layer: LAYER,
                source,
            },
        )?;
        // The verifier's own evaluation of the pulled-back table: never taken from the prover.
        let m_eval = map.bilinear(&weights, &eq_table(&sub.point));
        let evals = [part.input_eval, m_eval];
        zkinfer_sumcheck::observe_final_evals(transcript, &evals);
        zkinfer_sumcheck::verify_final(&instance, &sub, &evals).map_err(|source| {
            LayerError::Sumcheck {
                layer: LAYER,
                source,
            }
        })?;
        out.push(Claim {
            point: sub.point,
            value: part.input_eval,
        });
    }
    Ok(out)
}
