//! The weights' width checks in a zero-knowledge proof (`crate::weight_range`): each weight
//! column's signed range check runs in zero knowledge (`zkinfer_layers::signed::zk`), the column
//! read off the weights' copy in `IN` ([`WeightTree::weight_point`]), so every relation to it is a
//! linear claim on `Q` with a public value and no weight evaluation is revealed. The check's
//! committed columns are witness columns, in `Q` like the layers'; its randomness is a range-check
//! group of the schedule, after the layers' and before the weight hash's.
//!
//! The leaves between the last weight column and the salt ([`WeightTree::gaps`]) are shown zero:
//! for each aligned block, `IN~(1, block, r) = 0` at a point `r` drawn after `Q` is committed
//! ([`LABEL_GAP_POINT`]). So every leaf but the salt's (which is uniformly random, and must stay
//! hidden) lies within a declared width.
//!
//! Transcript schedule: one check per weight column in column order, then (when there are gaps)
//! draw `r`.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_layers::LayerError;
use zkinfer_layers::range::zk::ZkRangeProof;
use zkinfer_layers::signed::SignedWitness;
use zkinfer_layers::signed::zk::{self as signed_zk, SignedIds};
use zkinfer_sumcheck::zk::form::{Form, FormClaim};
use zkinfer_transcript::FiatShamir;

use super::hidden::{Cursor, Group, Secret, range_ids};
use super::weights::WeightTree;
use crate::ProtocolError;
use crate::plan::Plan;
use crate::weight_range::{WeightCheck, layer};

/// The proofs of every weight column's check (`None` for a zero column) and the claims on `Q`.
type Proved = (Vec<Option<ZkRangeProof>>, Vec<FormClaim<EF>>);

/// Transcript label of the point where the gaps between the weights and the salt are read.
pub(crate) const LABEL_GAP_POINT: &str = "model.zk.weight_gap_point";

/// The schedule's groups: the range check of every weight column that has one, in column order.
pub(crate) fn groups(plan: &Plan) -> Result<Vec<Group>, ProtocolError> {
    let mut groups = vec![];
    for c in &plan.weight_checks {
        if let Some(z) = c.spec.zk_range().map_err(layer(plan, c))? {
            groups.push(Group::Range(z));
        }
    }
    Ok(groups)
}

/// Weight column `col`'s extension at a point, as a form on `IN`.
fn value_form(
    tree: &WeightTree,
    col: usize,
    in_id: usize,
) -> impl Fn(&[EF]) -> Result<Form<EF>, LayerError> + '_ {
    move |point| {
        tree.weight_form(col, point, in_id)
            .map_err(|e| LayerError::Parameter {
                layer: "weight range",
                detail: e.to_string(),
            })
    }
}

/// A check's ids; its range group's first id from the cursor (`None` for a zero column).
fn ids<T>(
    plan: &Plan,
    c: &WeightCheck,
    cursor: &mut Cursor<T>,
) -> Result<(SignedIds, Option<T>), ProtocolError> {
    let mut ids = SignedIds {
        first_col: c.first_col,
        blinder: 0,
        first_random: 0,
    };
    let Some(z) = c.spec.zk_range().map_err(layer(plan, c))? else {
        return Ok((ids, None));
    };
    let (first, item) = cursor.take(&Group::Range(z.clone()))?;
    let r = range_ids(&z, vec![], 0, first);
    (ids.blinder, ids.first_random) = (r.blinder, r.first_random);
    Ok((ids, Some(item)))
}

/// Proves every weight column's check and the gaps; returns the proofs (one per column, `None`
/// for a zero column) and the claims on `Q`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn prove(
    plan: &Plan,
    weights: &[Vec<F>],
    wits: &[SignedWitness],
    tree: &WeightTree,
    in_id: usize,
    cursor: &mut Cursor<Secret>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Proved, ProtocolError> {
    if wits.len() != plan.weight_checks.len() {
        return Err(ProtocolError::Zk(
            "one weight range witness per weight column".into(),
        ));
    }
    let (mut proofs, mut forms) = (vec![], vec![]);
    for (c, w) in plan.weight_checks.iter().zip(wits) {
        let (ids, secret) = ids(plan, c, cursor)?;
        let randomness = match secret {
            Some(Secret::Range(r)) => Some(r),
            Some(Secret::Layer(_)) => {
                return Err(ProtocolError::Zk("range randomness expected".into()));
            }
            None => None,
        };
        let table = weights
            .get(c.col)
            .ok_or_else(|| ProtocolError::Zk("missing weight table".into()))?;
        let (proof, claims) = signed_zk::prove(
            &c.spec,
            table,
            w,
            &ids,
            randomness,
            &value_form(tree, c.col, in_id),
            transcript,
        )
        .map_err(layer(plan, c))?;
        proofs.push(proof);
        forms.extend(claims);
    }
    forms.extend(gap_claims(tree, in_id, transcript)?);
    Ok((proofs, forms))
}

/// Verifies every weight column's check and returns the claims on `Q`, with the gaps'.
pub(crate) fn verify(
    plan: &Plan,
    proofs: &[Option<ZkRangeProof>],
    tree: &WeightTree,
    in_id: usize,
    cursor: &mut Cursor<()>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, ProtocolError> {
    if proofs.len() != plan.weight_checks.len() {
        return Err(ProtocolError::Structure(format!(
            "{} weight range proofs for {} weight columns",
            proofs.len(),
            plan.weight_checks.len()
        )));
    }
    let mut forms = vec![];
    for (c, p) in plan.weight_checks.iter().zip(proofs) {
        let (ids, _) = ids(plan, c, cursor)?;
        let claims = signed_zk::verify(
            &c.spec,
            &ids,
            p.as_ref(),
            &value_form(tree, c.col, in_id),
            transcript,
        )
        .map_err(layer(plan, c))?;
        forms.extend(claims);
    }
    forms.extend(gap_claims(tree, in_id, transcript)?);
    Ok(forms)
}

/// `IN~(1, block, r) = 0` for every gap block, at a point drawn now (nothing when no gap).
fn gap_claims(
    tree: &WeightTree,
    in_id: usize,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, ProtocolError> {
    let blocks = tree.gaps();
    if blocks.is_empty() {
        return Ok(vec![]);
    }
    let r = transcript.challenges(LABEL_GAP_POINT, tree.leaf_vars());
    blocks
        .into_iter()
        .map(|(vars, offset)| {
            let point = r
                .get(..vars)
                .ok_or_else(|| ProtocolError::Zk("gap point too short".into()))?;
            Ok(FormClaim {
                form: Form::eval(EF::ONE, in_id, tree.region_point(vars, offset, point)?),
                value: EF::ZERO,
            })
        })
        .collect()
}
