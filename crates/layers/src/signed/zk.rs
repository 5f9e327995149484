//! The zero-knowledge signed range check (module docs of [`super`]): the range check is the
//! zero-knowledge one (`zkinfer_lookup::zk`, through [`crate::range::zk`]), and every relation to
//! the checked column `v` is a linear claim on the caller's hiding commitment with a public value,
//! so no evaluation of `v` is revealed.
//!
//! The caller names `v` by a map from a point to the [`Form`] whose value is `v~(point)` (for the
//! hidden weights, an evaluation of the weight tree's `IN` at the column's place), and its own
//! committed columns by [`SignedIds`].
//!
//! - Zero: the claim `v~(r) = 0` at a point drawn now.
//! - Direct: the range check runs on the two virtual columns `u = v + B` and `d = B - v`, named by
//!   placeholder ids that never leave this module: every atom `u~(y)` of its claims becomes
//!   `v~(y) + B` and every `d~(y)` becomes `B - v~(y)` (the public `B` moving to the claim's value).
//!   Nothing but the multiplicities is committed.
//! - Limbs: the range check on the committed limbs, then at its point `r` the identities
//!   `sum_i 2^(i l) u_i~(r) - v~(r) = B` and `sum_i 2^(i l) (u_i + d_i)~(r) = 2B`.
//!
//! Transcript schedule: as the plain check's (Zero draws [`super::LABEL_ZERO_POINT`]; the others
//! run the zero-knowledge range check). The caller must have committed, in its one hiding
//! commitment, the columns of [`super::SignedLayout::columns`] under `first_col..`, and the range
//! check's randomness under `blinder` and `first_random..`, and observed the commitment.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::form::{Atom, Form, FormClaim};
use zkinfer_transcript::FiatShamir;

use super::witness::looked_up;
use super::{LABEL_ZERO_POINT, SignedLayout, SignedSpec, SignedWitness};
use crate::LayerError;
use crate::range::zk::{
    self as zk_range, ZkRangeIds, ZkRangeProof, ZkRangeRandomness, ZkRangeSpec,
};

const LAYER: &str = "signed range (zk)";

/// Placeholder ids of the virtual columns `u` and `d` of a Direct layout: substituted before any
/// claim is returned.
const VIRTUAL: [usize; 2] = [usize::MAX, usize::MAX - 1];

/// Where a signed range check's hidden vectors sit in the caller's commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIds {
    /// Id of the first committed column ([`super::SignedLayout::columns`] order).
    pub first_col: usize,
    /// The range check's blinder (`ZkRangeIds::blinder`).
    pub blinder: usize,
    /// The range check's block of masks and randomizers (`ZkRangeIds::first_random`).
    pub first_random: usize,
}

impl SignedSpec {
    /// The zero-knowledge range check this spec runs (`None` for a zero column): the hidden vectors
    /// the caller samples and commits for it.
    pub fn zk_range(&self) -> Result<Option<ZkRangeSpec>, LayerError> {
        Ok(self.layout()?.range_spec(self).map(|r| r.zk()))
    }
}

/// The range check's ids: the limbs (or the placeholders) and the multiplicities.
fn range_ids(layout: &SignedLayout, ids: &SignedIds) -> ZkRangeIds {
    let (columns, mults) = match *layout {
        SignedLayout::Limbs { limbs, .. } => (
            (0..2 * limbs).map(|i| ids.first_col + i).collect(),
            ids.first_col + 2 * limbs,
        ),
        _ => (VIRTUAL.to_vec(), ids.first_col),
    };
    ZkRangeIds {
        columns,
        multiplicities: mults,
        blinder: ids.blinder,
        first_random: ids.first_random,
    }
}

fn range_err(e: zk_range::ZkRangeError) -> LayerError {
    LayerError::Parameter {
        layer: LAYER,
        detail: e.to_string(),
    }
}

/// Proves that `values` lies in the declared width; `w` is its witness ([`super::witness`]),
/// `randomness` the range check's (`None` exactly for a zero column), `value` maps a point to the
/// form of `v~(point)`. Returns the proof and the claims [`verify`] returns.
pub fn prove(
    spec: &SignedSpec,
    values: &[F],
    w: &SignedWitness,
    ids: &SignedIds,
    randomness: Option<ZkRangeRandomness>,
    value: &impl Fn(&[EF]) -> Result<Form<EF>, LayerError>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(Option<ZkRangeProof>, Vec<FormClaim<EF>>), LayerError> {
    let layout = spec.layout()?;
    if w.layout != layout {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!("witness of layout {:?}, spec has {layout:?}", w.layout),
        });
    }
    let (range, randomness) = match (layout.range_spec(spec), randomness) {
        (None, None) => return Ok((None, zero_claim(spec, value, transcript)?)),
        (Some(range), Some(r)) => (range, r),
        _ => return Err(randomness_mismatch()),
    };
    let mut direct = None;
    let looked_up = looked_up(&layout, spec, values, w, &mut direct);
    let rids = range_ids(&layout, ids);
    let (proof, forms, at) =
        zk_range::prove_at(&range, &looked_up, &w.mults, randomness, &rids, transcript)
            .map_err(range_err)?;
    let claims = finish(spec, &layout, ids, forms, &at, value)?;
    Ok((Some(proof), claims))
}

/// Verifies a zero-knowledge signed range check; returns the claims on the caller's commitment
/// (the proof is worthless without them).
pub fn verify(
    spec: &SignedSpec,
    ids: &SignedIds,
    proof: Option<&ZkRangeProof>,
    value: &impl Fn(&[EF]) -> Result<Form<EF>, LayerError>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, LayerError> {
    let layout = spec.layout()?;
    let (range, proof) = match (layout.range_spec(spec), proof) {
        (None, None) => return zero_claim(spec, value, transcript),
        (Some(range), Some(p)) => (range, p),
        (expected, got) => {
            return Err(LayerError::PartCount {
                layer: LAYER,
                expected: usize::from(expected.is_some()),
                got: usize::from(got.is_some()),
            });
        }
    };
    let rids = range_ids(&layout, ids);
    let (forms, at) = zk_range::verify_at(&range, proof, &rids, transcript).map_err(range_err)?;
    finish(spec, &layout, ids, forms, &at, value)
}

fn randomness_mismatch() -> LayerError {
    LayerError::Parameter {
        layer: LAYER,
        detail: "range-check randomness is given iff the column is not a zero column".into(),
    }
}

/// `v~(r) = 0` at a point drawn now.
fn zero_claim(
    spec: &SignedSpec,
    value: &impl Fn(&[EF]) -> Result<Form<EF>, LayerError>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, LayerError> {
    let r = transcript.challenges(LABEL_ZERO_POINT, spec.num_vars);
    Ok(vec![FormClaim {
        form: value(&r)?,
        value: EF::ZERO,
    }])
}

/// The range check's claims made claims on `v` (Direct), or joined by the limb identities at `at`.
fn finish(
    spec: &SignedSpec,
    layout: &SignedLayout,
    ids: &SignedIds,
    forms: Vec<FormClaim<EF>>,
    at: &[EF],
    value: &impl Fn(&[EF]) -> Result<Form<EF>, LayerError>,
) -> Result<Vec<FormClaim<EF>>, LayerError> {
    let b = EF::from(spec.bound_f());
    let SignedLayout::Limbs { limb_bits, limbs } = *layout else {
        return forms.into_iter().map(|c| substitute(c, b, value)).collect();
    };
    let radix = EF::from(F::from_u64(1 << limb_bits));
    // sum_i 2^(i l) col~(at) over the limbs `first..first + limbs`.
    let recombined = |first: usize| {
        let mut form = Form::zero();
        let mut weight = EF::ONE;
        for i in first..first + limbs {
            form = form.plus(Form::eval(weight, ids.first_col + i, at.to_vec()));
            weight *= radix;
        }
        form
    };
    let mut out = forms;
    out.push(FormClaim {
        form: recombined(0).plus(value(at)?.scaled(-EF::ONE)),
        value: b,
    });
    out.push(FormClaim {
        form: recombined(0).plus(recombined(limbs)),
        value: b.double(),
    });
    Ok(out)
}

/// Replaces the virtual columns' atoms: `c u~(y)` by `c v~(y)` and `c d~(y)` by `-c v~(y)`, each
/// moving `c B` to the value side.
fn substitute(
    claim: FormClaim<EF>,
    b: EF,
    value: &impl Fn(&[EF]) -> Result<Form<EF>, LayerError>,
) -> Result<FormClaim<EF>, LayerError> {
    let [u, d] = VIRTUAL;
    let mut form = Form::zero();
    let mut rhs = claim.value;
    for (coeff, atom) in claim.form.terms {
        match atom {
            Atom::Eval { id, point } if id == u || id == d => {
                let sign = if id == u { EF::ONE } else { -EF::ONE };
                form = form.plus(value(&point)?.scaled(coeff * sign));
                rhs -= coeff * b;
            }
            Atom::Dense { id, .. } if id == u || id == d => {
                return Err(LayerError::Parameter {
                    layer: LAYER,
                    detail: "a dense form on a virtual column".into(),
                });
            }
            atom => form.terms.push((coeff, atom)),
        }
    }
    Ok(FormClaim { form, value: rhs })
}

#[cfg(test)]
#[path = "zk_tests.rs"]
mod tests;
