//! The matmul verifier.

use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_transcript::FiatShamir;

use super::{LABEL_BIAS, LAYER, MatMulClaims, MatMulProof, MatMulShape, claims};
use crate::claim::observe_claims;
use crate::mode::Mode;
use crate::{Claim, ClaimValue, LayerError};

/// Verifies `proof` for `claim` about `prod = w x + bias`, with the hidden vectors (zero
/// knowledge) committed under `ids`; returns the claims about `w`, `x` and the bias, which the
/// caller must settle.
pub fn verify<M: Mode>(
    shape: MatMulShape,
    claim: &Claim<M::Value>,
    ids: &M::Ids,
    proof: &MatMulProof<M>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MatMulClaims<M::Value>, LayerError> {
    M::check_ids(LAYER, &super::shape(shape), ids)?;
    observe_claims(
        LAYER,
        std::slice::from_ref(claim),
        shape.o_vars + shape.p_vars,
        transcript,
    )?;
    let bias_eval = match (shape.has_bias, proof.bias_eval) {
        (true, Some(b)) => {
            transcript.observe(LABEL_BIAS, &[b]);
            Some(b)
        }
        (false, None) => None,
        (expected, _) => {
            return Err(LayerError::PartCount {
                layer: LAYER,
                expected: usize::from(expected),
                got: usize::from(!expected),
            });
        }
    };
    let instance = super::instance::<M>(shape);
    let claimed = claim
        .value
        .clone()
        .plus_known(-bias_eval.unwrap_or(EF::ZERO));
    let sub =
        M::verify_sumcheck(&instance, &claimed, &proof.sumcheck, transcript).map_err(|source| {
            LayerError::Sumcheck {
                layer: LAYER,
                source,
            }
        })?;
    claims::<M>(shape, claim, bias_eval, ids, &sub)
}
