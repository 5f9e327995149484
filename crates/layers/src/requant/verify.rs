//! The requantization verifier.

use zkinfer_field::EF;
use zkinfer_lookup::verify_lookup;
use zkinfer_transcript::FiatShamir;

use super::prove::{identity_claim, push_identity, push_pair, push_values};
use super::{LABEL_EVALS, LABEL_POINT, RequantClaims, RequantColumn, RequantProof, RequantSpec};
use crate::LayerError;

/// Verifies a requantization proof; returns the claims on the committed columns (to settle by the
/// commitment opening) and the claim on the input `x`.
pub fn verify(
    spec: &RequantSpec,
    proof: &RequantProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<RequantClaims, LayerError> {
    let instances = spec.instances()?;
    if proof.limb_lookups.len() + 1 != instances.len() {
        return Err(LayerError::PartCount {
            layer: "requant",
            expected: instances.len(),
            got: proof.limb_lookups.len() + 1,
        });
    }
    let mut columns = vec![];
    let mut it = instances.iter();
    let clamp = it.next().ok_or(LayerError::NoClaims { layer: "requant" })?;
    let c = verify_lookup(clamp, &proof.clamp_lookup, transcript)?;
    push_pair(&mut columns, &c, RequantColumn::ClampMultiplicities);
    for (i, (inst, lp)) in it.zip(&proof.limb_lookups).enumerate() {
        let c = verify_lookup(inst, lp, transcript)?;
        push_values(&mut columns, &c, i);
    }
    let r = transcript.challenges(LABEL_POINT, spec.num_vars);
    let input = identity_claim(spec, &r, &proof.evals)?;
    transcript.observe(LABEL_EVALS, &proof.evals);
    push_identity(&mut columns, &r, &proof.evals);
    Ok(RequantClaims { columns, input })
}
