//! Which sub-protocols a zero-knowledge proof runs, in order, and the hidden vectors each needs.
//!
//! The walk is the plain one's (docs/protocol.md, "Schedule"): the output view, then every node
//! from last to first. A linear or matmul node runs only when some consumer left claims on it;
//! which nodes those are follows from the graph alone ([`has_claims`]), so the list of hidden
//! vectors, and with it the layout of the hiding commitment, is public.

use zkinfer_layers::SparseMap;
use zkinfer_layers::zk::{ZkShape, matmul as zk_matmul, wiring as zk_wiring};

use super::hidden::Need;
use crate::ProtocolError;
use crate::plan::{Plan, Step};

/// The needs of one layer: its Libra mask, then one randomizer per masked factor.
pub(crate) fn layer_needs(shape: &ZkShape) -> Vec<Need> {
    let mut needs = vec![Need::Mask {
        num_vars: shape.num_vars,
        degree: shape.degree,
    }];
    needs.extend(
        shape
            .randomizers
            .iter()
            .map(|&count| Need::Coeffs { count }),
    );
    needs
}

/// For each node, whether the walk reaches it with claims: the output always; the inputs of a
/// reached linear or matmul node; the input of every requantization and max pooling.
pub(crate) fn has_claims(plan: &Plan, inputs: &[Vec<usize>]) -> Vec<bool> {
    let mut has = vec![false; plan.steps.len()];
    if let Some(h) = has.get_mut(plan.output) {
        *h = true;
    }
    for (id, step) in plan.steps.iter().enumerate().rev() {
        let reached = has.get(id).copied().unwrap_or(false);
        let targets: Vec<usize> = match step {
            Step::Linear(_) if reached => inputs.get(id).cloned().unwrap_or_default(),
            Step::MatMul(_) if reached => inputs
                .get(id)
                .and_then(|i| i.first())
                .copied()
                .into_iter()
                .collect(),
            Step::Requant { input, .. } => vec![*input],
            Step::MaxPool { .. } => inputs
                .get(id)
                .and_then(|i| i.first())
                .copied()
                .into_iter()
                .collect(),
            _ => vec![],
        };
        for t in targets {
            if let Some(h) = has.get_mut(t) {
                *h = true;
            }
        }
    }
    has
}

/// Every hidden vector the walk uses after the witness columns, in order.
pub(crate) fn needs(
    plan: &Plan,
    inputs: &[Vec<usize>],
    output_len: usize,
) -> Result<Vec<Need>, ProtocolError> {
    let shape_err = |id: usize| move |e| ProtocolError::Zk(format!("node {id}: {e}"));
    let view = SparseMap::identity(output_len);
    let mut needs = layer_needs(&zk_wiring::shape(&[&view]).map_err(shape_err(plan.output))?);
    let has = has_claims(plan, inputs);
    for (id, step) in plan.steps.iter().enumerate().rev() {
        let reached = has.get(id).copied().unwrap_or(false);
        match step {
            Step::Linear(maps) if reached => {
                let refs: Vec<&SparseMap> = maps.iter().collect();
                needs.extend(layer_needs(
                    &zk_wiring::shape(&refs).map_err(shape_err(id))?,
                ));
            }
            Step::MatMul(mm) if reached => {
                needs.extend(layer_needs(
                    &zk_wiring::shape(&[&mm.to_prod]).map_err(shape_err(id))?,
                ));
                needs.extend(layer_needs(&zk_matmul::shape(mm.shape, false)));
                needs.extend(layer_needs(
                    &zk_wiring::shape(&[&mm.patches]).map_err(shape_err(id))?,
                ));
            }
            Step::Requant { .. } | Step::MaxPool { .. } => {
                return Err(ProtocolError::Unsupported(format!(
                    "node {id}: zero-knowledge proofs of requantization and max pooling are not built yet"
                )));
            }
            _ => {}
        }
    }
    Ok(needs)
}
