//! Which sub-protocols a zero-knowledge proof runs, in order, and the hidden vectors each needs.
//!
//! The walk is the plain one's (docs/protocol.md, "Schedule"): the output view, then every node
//! from last to first. A linear or matmul node runs only when some consumer left claims on it;
//! which nodes those are follows from the graph alone ([`has_claims`]), so the list of hidden
//! vectors, and with it the layout of the hiding commitment, is public.

use zkinfer_layers::SparseMap;
use zkinfer_layers::maxpool::MaxPoolSpec;
use zkinfer_layers::range::RangeSpec;
use zkinfer_layers::requant::RequantSpec;
use zkinfer_layers::{LayerError, maxpool, requant};

use super::hidden::Group;
use super::weights::WeightTree;
use crate::ProtocolError;
use crate::plan::{MatMulStep, Plan, Step};
pub(crate) use crate::route::has_claims;

/// The order in which a linear node's inputs enter its zero-knowledge wiring: weight inputs
/// first, so that they are masked factors (whose claims are masked values plus a randomizer term,
/// settled on the hidden copy of the weights), and an activation last, the deferred factor.
pub(crate) fn weights_first(plan: &Plan, inputs: &[usize]) -> Vec<usize> {
    let is_weight = |j: &usize| {
        inputs
            .get(*j)
            .and_then(|&i| plan.steps.get(i))
            .is_some_and(|s| matches!(s, Step::Weight(_)))
    };
    let (mut order, rest): (Vec<usize>, Vec<usize>) = (0..inputs.len()).partition(is_weight);
    order.extend(rest);
    order
}

/// A matmul's zero-knowledge shape: its weights are a masked factor (hidden, with a randomizer),
/// and its bias, if any, is a hidden term of the claim (so the layer runs without one).
pub(crate) fn matmul_shape(mm: &MatMulStep) -> zkinfer_layers::zk::ZkShape {
    zkinfer_layers::matmul::shape(unbiased(mm.shape))
}

/// The matmul shape without its bias: the zero-knowledge proof moves `bias(r_o)` into the claim.
pub(crate) fn unbiased(
    shape: zkinfer_layers::matmul::MatMulShape,
) -> zkinfer_layers::matmul::MatMulShape {
    zkinfer_layers::matmul::MatMulShape {
        has_bias: false,
        ..shape
    }
}

/// The weight hash's groups: one masked sumcheck per Poseidon2 round, in proof order.
pub(crate) fn hash_groups(tree: &WeightTree) -> Vec<Group> {
    zkinfer_layers::hash::shape(zkinfer_poseidon2::spec::koalabear16(), tree.perm_vars())
        .into_iter()
        .map(Group::Layer)
        .collect()
}

/// A requantization's groups: its range check, then its zero-check (when it has one).
pub(crate) fn requant_groups(spec: &RequantSpec) -> Result<Vec<Group>, LayerError> {
    let layout = spec.layout()?;
    let mut groups = vec![Group::Range(layout.range_spec(spec.num_vars).zk())];
    if let Some(shape) = requant::zk::shape(spec)? {
        groups.push(Group::Layer(shape));
    }
    Ok(groups)
}

/// A max pooling's groups: its range check, its zero-check, then one wiring per tap.
pub(crate) fn maxpool_groups(
    spec: &MaxPoolSpec,
    taps: &[SparseMap],
) -> Result<Vec<Group>, LayerError> {
    let mut groups = vec![
        Group::Range(spec.range_spec().zk()),
        Group::Layer(maxpool::zk::shape(spec)?),
    ];
    for map in taps {
        groups.push(Group::Layer(zkinfer_layers::wiring::shape(&[map])?));
    }
    Ok(groups)
}

/// Every group the walk uses after the witness columns, in order; the weights' width checks' and
/// then the weight hash's come last.
///
/// With a private input, its range check comes first (`input_range`). A masked factor over zero
/// variables has no randomizer coefficient, so its value would be revealed: a layer over a
/// single-element tensor that masks a factor (a requantization's zero-check, a max pooling, a
/// wiring of several scalars) is refused. One whose only hidden factor is deferred (a wiring of one
/// input, a matmul) reveals nothing, since the deferred value stays symbolic.
pub(crate) fn groups(
    plan: &Plan,
    inputs: &[Vec<usize>],
    output_len: usize,
    input_range: Option<&RangeSpec>,
    tree: &WeightTree,
) -> Result<Vec<Group>, ProtocolError> {
    let err = |id: usize| move |e: LayerError| ProtocolError::Zk(format!("node {id}: {e}"));
    let view = SparseMap::identity(output_len);
    let mut groups: Vec<Group> = input_range
        .map(|r| Group::Range(r.zk()))
        .into_iter()
        .collect();
    groups.push(Group::Layer(
        zkinfer_layers::wiring::shape(&[&view]).map_err(err(plan.output))?,
    ));
    let checked = groups.len();
    let has = has_claims(plan, inputs);
    for (id, step) in plan.steps.iter().enumerate().rev() {
        let reached = has.get(id).copied().unwrap_or(false);
        match step {
            Step::Linear(maps) if reached => {
                let order = weights_first(plan, inputs.get(id).map_or(&[][..], Vec::as_slice));
                let refs: Vec<&SparseMap> = order.iter().filter_map(|&j| maps.get(j)).collect();
                groups.push(Group::Layer(
                    zkinfer_layers::wiring::shape(&refs).map_err(err(id))?,
                ));
            }
            Step::MatMul(mm) if reached => {
                groups.push(Group::Layer(
                    zkinfer_layers::wiring::shape(&[&mm.to_prod]).map_err(err(id))?,
                ));
                groups.push(Group::Layer(matmul_shape(mm)));
                groups.push(Group::Layer(
                    zkinfer_layers::wiring::shape(&[&mm.patches]).map_err(err(id))?,
                ));
            }
            Step::Requant { spec, .. } => groups.extend(requant_groups(spec).map_err(err(id))?),
            Step::MaxPool { spec, taps, .. } => {
                groups.extend(maxpool_groups(spec, taps).map_err(err(id))?)
            }
            _ => {}
        }
        if let Some(Group::Layer(shape)) = groups
            .iter()
            .skip(checked)
            .find(|g| matches!(g, Group::Layer(s) if s.num_vars == 0 && !s.randomizers.is_empty()))
        {
            return Err(ProtocolError::Unsupported(format!(
                "node {id}: a zero-knowledge proof of this single-element tensor ({shape:?}) would \
                 reveal it; pad the tensor or use --no-zk"
            )));
        }
    }
    groups.extend(super::weight_range::groups(plan)?);
    groups.extend(hash_groups(tree));
    Ok(groups)
}
