//! Claim bookkeeping shared by prover and verifier: pending claims per node, and the claims that
//! go to the two commitment openings.

use zkinfer_ir::QModel;
use zkinfer_layers::Claim;
use zkinfer_layers::requant::{Layout, RequantColumn};

use crate::ProtocolError;
use crate::plan::{Plan, Step};

/// Where claims wait while the nodes are processed from last to first.
pub(crate) struct Claims {
    /// Claims on each node's tensor, not yet reduced.
    pub pending: Vec<Vec<Claim>>,
    /// Claims on witness columns: `(column, claim)`.
    pub witness: Vec<(usize, Claim)>,
    /// Claims on weight columns.
    pub weights: Vec<(usize, Claim)>,
}

impl Claims {
    pub fn new(num_nodes: usize) -> Self {
        Self {
            pending: vec![vec![]; num_nodes],
            witness: vec![],
            weights: vec![],
        }
    }

    /// Takes node `id`'s pending claims.
    pub fn take(&mut self, id: usize) -> Vec<Claim> {
        self.pending
            .get_mut(id)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Adds a claim on node `id`.
    pub fn push(&mut self, id: usize, claim: Claim) {
        if let Some(p) = self.pending.get_mut(id) {
            p.push(claim);
        }
    }
}

/// The global witness column of a requantization's local column.
pub(crate) fn requant_column(first_col: usize, layout: &Layout, c: RequantColumn) -> usize {
    first_col + layout.column_index(c)
}

/// Transcript label of the output point.
pub(crate) const LABEL_OUTPUT_POINT: &str = "model.output_point";

/// For each node, whether the walk reaches it with claims: the output always; the inputs of a
/// reached linear or matmul node; the input of every requantization and max pooling.
pub(crate) fn has_claims(plan: &Plan, inputs: &[Vec<usize>]) -> Vec<bool> {
    let mut has = vec![false; plan.steps.len()];
    if let Some(h) = has.get_mut(plan.output) {
        *h = true;
    }
    let first = |id: usize| inputs.get(id).and_then(|i| i.first()).copied();
    for (id, step) in plan.steps.iter().enumerate().rev() {
        let reached = has.get(id).copied().unwrap_or(false);
        let targets: Vec<usize> = match step {
            Step::Linear(_) if reached => inputs.get(id).cloned().unwrap_or_default(),
            Step::MatMul(_) if reached => first(id).into_iter().collect(),
            Step::Requant { input, .. } => vec![*input],
            Step::MaxPool { .. } => first(id).into_iter().collect(),
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

/// A fused node has no proof and no column: a claim reaching it would be dropped unchecked
/// (docs/pitfalls.md, 10; the output of `x -> Dense -> ReLU (output) -> Requant` was unconstrained).
/// The plan never fuses a node that receives claims; both verifiers refuse such claims in their
/// walk, and both provers refuse such a plan before proving ([`refuse_fused_claims`]).
pub(crate) fn claim_on_fused(model: &QModel, id: usize) -> ProtocolError {
    ProtocolError::ClaimOnFused {
        node: id,
        name: model
            .nodes
            .get(id)
            .map(|n| n.name.clone())
            .unwrap_or_default(),
    }
}

/// The provers' check, from the graph alone: no fused node is reached by claims.
pub(crate) fn refuse_fused_claims(plan: &Plan, model: &QModel) -> Result<(), ProtocolError> {
    let inputs: Vec<Vec<usize>> = model.nodes.iter().map(|n| n.inputs.clone()).collect();
    let has = has_claims(plan, &inputs);
    match plan
        .steps
        .iter()
        .zip(&has)
        .position(|(s, &h)| h && matches!(s, Step::Fused))
    {
        Some(id) => Err(claim_on_fused(model, id)),
        None => Ok(()),
    }
}
