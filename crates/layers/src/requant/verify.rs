//! The requantization verifier.

use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_sumcheck::verify_eq;
use zkinfer_transcript::FiatShamir;

use super::prove::{identity, push_zero_claims, zero_check_instance};
use super::{RequantClaims, RequantColumn, RequantProof, RequantSpec};
use crate::{LayerError, range};

/// Verifies a requantization proof; returns the claims on the committed columns (to settle by the
/// commitment opening) and the claim on the input `x`.
pub fn verify(
    spec: &RequantSpec,
    proof: &RequantProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<RequantClaims, LayerError> {
    let layout = spec.layout()?;
    let rc = range::verify(&layout.range_spec(spec.num_vars), &proof.range, transcript)?;
    let mut columns = vec![(RequantColumn::Multiplicities, rc.multiplicities.clone())];
    match (
        zero_check_instance(spec, &layout, transcript),
        &proof.zero_check,
    ) {
        (Some((t, inner)), Some(zc)) => {
            let point = verify_eq(&t, &inner, EF::ZERO, zc, &proof.zero_evals, transcript)
                .map_err(|source| LayerError::Sumcheck {
                    layer: "requant",
                    source,
                })?;
            push_zero_claims(&mut columns, &layout, &point, &proof.zero_evals)?;
        }
        (None, None) if proof.zero_evals.is_empty() => {}
        _ => {
            return Err(LayerError::PartCount {
                layer: "requant",
                expected: usize::from(layout.sat_hi || layout.sat_lo),
                got: usize::from(proof.zero_check.is_some()),
            });
        }
    }
    let input = identity(spec, &layout, &rc.point, &rc.evals, &mut columns)?;
    Ok(RequantClaims { columns, input })
}
