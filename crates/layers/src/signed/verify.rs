//! The signed range check's verifier.

use zkinfer_field::EF;
use zkinfer_transcript::FiatShamir;

use super::prove::{identity, zero_claims};
use super::{SignedClaims, SignedProof, SignedSpec};
use crate::{LayerError, range};

/// Verifies a signed range check; returns the claim on the checked column and the claims on the
/// committed columns, to settle by the commitments' openings.
pub fn verify(
    spec: &SignedSpec,
    proof: &SignedProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<SignedClaims, LayerError> {
    let layout = spec.layout()?;
    match (layout.range_spec(spec), &proof.range) {
        (None, None) => Ok(zero_claims(spec, transcript)),
        (Some(range), Some(p)) => {
            let rc = range::verify(&range, p, transcript)?;
            identity(spec, &layout, &rc)
        }
        (expected, got) => Err(LayerError::PartCount {
            layer: "signed range",
            expected: usize::from(expected.is_some()),
            got: usize::from(got.is_some()),
        }),
    }
}
