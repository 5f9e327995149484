//! Claim bookkeeping shared by prover and verifier: pending claims per node, and the claims that
//! go to the two commitment openings.

use zkinfer_layers::Claim;
use zkinfer_layers::requant::RequantColumn;

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
pub(crate) fn requant_column(first_col: usize, limbs: usize, c: RequantColumn) -> usize {
    match c {
        RequantColumn::Q => first_col,
        RequantColumn::Out => first_col + 1,
        RequantColumn::Limb(i) => first_col + 2 + i,
        RequantColumn::ClampMultiplicities => first_col + 2 + limbs,
        RequantColumn::LimbMultiplicities(i) => first_col + 3 + limbs + i,
    }
}

/// Transcript label of the output point.
pub(crate) const LABEL_OUTPUT_POINT: &str = "model.output_point";
