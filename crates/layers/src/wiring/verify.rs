//! The wiring verifier: the reference for the prover's schedule.

use zkinfer_field::EF;
use zkinfer_transcript::FiatShamir;

use super::{LAYER, WiringProof, input_claims, instance, shape};
use crate::mode::Mode;
use crate::{Claim, LayerError, SparseMap};

/// Verifies `proof` for `claims` about `out = sum_i maps[i] in_i`, with the hidden vectors (zero
/// knowledge) committed under `ids`; returns one claim per input (on its own `in_vars` variables),
/// which the caller must settle: by the next layer, a commitment opening or a public tensor.
pub fn verify<M: Mode>(
    maps: &[&SparseMap],
    claims: &[Claim<M::Value>],
    ids: &M::Ids,
    proof: &WiringProof<M>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<Claim<M::Value>>, LayerError> {
    let (instance, _) = instance::<M>(maps)?;
    M::check_ids(LAYER, &shape(maps)?, ids)?;
    let out_vars = maps.first().map_or(0, |m| m.out_vars());
    let (weights, combined) = crate::claim::combine(LAYER, claims, out_vars, transcript)?;
    let sub = M::verify_sumcheck(&instance, &combined, &proof.sumcheck, transcript).map_err(
        |source| LayerError::Sumcheck {
            layer: LAYER,
            source,
        },
    )?;
    input_claims::<M>(maps, &weights, &combined, ids, &sub, instance.degree())
}
