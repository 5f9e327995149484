//! The signed range check's prover, and the identity the verifier shares with it.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::FiatShamir;

use super::witness::looked_up;
use super::{LABEL_ZERO_POINT, SignedClaims, SignedLayout, SignedProof, SignedSpec, SignedWitness};
use crate::range::{self, RangeClaims};
use crate::{Claim, LayerError};

/// Proves that `values` (the column, committed by the caller) lies in the declared width, with the
/// witness `w` of [`super::witness`]; the caller must have committed `w`'s columns and observed
/// the commitment. Returns the proof and the claims [`super::verify`] returns.
pub fn prove(
    spec: &SignedSpec,
    values: &[F],
    w: &SignedWitness,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(SignedProof, SignedClaims), LayerError> {
    let layout = spec.layout()?;
    if w.layout != layout {
        return Err(LayerError::Parameter {
            layer: "signed range",
            detail: format!("witness of layout {:?}, spec has {layout:?}", w.layout),
        });
    }
    let Some(range) = layout.range_spec(spec) else {
        return Ok((SignedProof { range: None }, zero_claims(spec, transcript)));
    };
    let mut direct = None;
    let looked_up = looked_up(&layout, spec, values, w, &mut direct);
    let (proof, rc) = range::prove(&range, &looked_up, &w.mults, transcript)?;
    let claims = identity(spec, &layout, &rc)?;
    Ok((SignedProof { range: Some(proof) }, claims))
}

/// A zero column's claim: `v~(r) = 0` at a point drawn now.
pub(super) fn zero_claims(spec: &SignedSpec, transcript: &mut impl FiatShamir<EF>) -> SignedClaims {
    SignedClaims {
        value: Claim {
            point: transcript.challenges(LABEL_ZERO_POINT, spec.num_vars),
            value: EF::ZERO,
        },
        columns: vec![],
    }
}

/// At the range check's point: checks `u + d = 2B` on the looked-up columns' values (recombined
/// from the limbs), and returns the claim `v~(r) = u~(r) - B` with the claims on the committed
/// columns (limbs and multiplicities).
pub(super) fn identity(
    spec: &SignedSpec,
    layout: &SignedLayout,
    rc: &RangeClaims,
) -> Result<SignedClaims, LayerError> {
    let (u, d) = layout.recombine(&rc.evals)?;
    let b = EF::from(spec.bound_f());
    if u + d != b.double() {
        return Err(LayerError::PartialSums {
            layer: "signed range",
        });
    }
    let mut columns = vec![];
    if matches!(layout, SignedLayout::Limbs { .. }) {
        for (i, &value) in rc.evals.iter().enumerate() {
            let point = rc.point.clone();
            columns.push((i, Claim { point, value }));
        }
    }
    if let Some(m) = layout.multiplicities() {
        columns.push((m, rc.multiplicities.clone()));
    }
    Ok(SignedClaims {
        value: Claim {
            point: rc.point.clone(),
            value: u - b,
        },
        columns,
    })
}
