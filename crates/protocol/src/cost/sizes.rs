//! Sizes: one commitment's layout, claim reduction and opening (`CommitmentCost`), and the encoded
//! bytes of the proof's parts (postcard varints, extension elements, sumcheck proofs).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use zkinfer_layers::log2_ceil;

use crate::pcs_params;
use crate::plan::Column;

/// Encoded bytes of one extension-field element (4 fixed-width base elements).
pub(crate) const EF_BYTES: u64 = 16;
/// Encoded bytes of a commitment (a one-root Merkle cap: length byte and 8 base elements).
pub(crate) const COMMITMENT_BYTES: u64 = 33;

/// One commitment (the per-proof witness, or the weights) and its opening.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentCost {
    /// Committed columns.
    pub columns: usize,
    /// Sum of the columns' padded lengths.
    pub elems: u64,
    /// Variables of the stacked polynomial WHIR commits (zkinfer-pcs layout: each column padded to
    /// at least the folding factor, the sum rounded up to a power of two); 0 without columns.
    pub stacked_vars: usize,
    /// Evaluation claims the layer proofs leave on it.
    pub claims: usize,
    /// Groups of claims (one per column size) reduced to one point by a batching sumcheck
    /// (crates/protocol/src/reduce.rs); a size with a single claim passes through.
    pub reduced_groups: usize,
    /// The batching sumchecks' tables: per reduced group, its claims' eq tables and two tables per
    /// distinct column.
    pub reduction_elems: u64,
    /// Distinct points the opening proves (one per column size with claims).
    pub opened_points: usize,
    /// Values the opening proves (one per column at each point).
    pub opened_values: usize,
    /// Per opened point, the padded length of its PCS table (an eq table each).
    pub point_elems: u64,
    /// Per opened value, the padded length of its column.
    pub value_elems: u64,
}

impl CommitmentCost {
    /// Length of the stacked polynomial (0 without columns).
    pub fn stacked_elems(&self) -> u64 {
        if self.columns == 0 {
            0
        } else {
            1 << self.stacked_vars
        }
    }
}

/// The layout of one commitment (zkinfer-pcs `StackLayout`), the reduction of its claims and its
/// opening; also returns the reduction proofs' bytes and the largest reduction table.
pub(super) fn commitment(cols: &[Column], claims: &[usize]) -> (CommitmentCost, u64, u64) {
    let k0 = pcs_params().folding_factor;
    let padded = |n: usize| 1u64 << n.max(k0);
    let total: u64 = cols.iter().map(|c| padded(c.num_vars)).sum();
    let mut cost = CommitmentCost {
        columns: cols.len(),
        elems: cols.iter().map(|c| 1u64 << c.num_vars).sum(),
        stacked_vars: log2_ceil(total as usize),
        claims: claims.len(),
        ..CommitmentCost::default()
    };
    // Claims by column size: (claims, distinct columns).
    let mut groups: BTreeMap<usize, (usize, BTreeSet<usize>)> = BTreeMap::new();
    for &c in claims {
        if let Some(col) = cols.get(c) {
            let g = groups.entry(col.num_vars).or_default();
            g.0 += 1;
            g.1.insert(c);
        }
    }
    let (mut bytes, mut largest) = (0, 0);
    for (&n, (k, distinct)) in &groups {
        let values = if *k == 1 { 1 } else { distinct.len() };
        cost.opened_points += 1;
        cost.opened_values += values;
        cost.point_elems += padded(n);
        cost.value_elems += values as u64 * padded(n);
        if *k > 1 {
            cost.reduced_groups += 1;
            cost.reduction_elems += ((k + 2 * values) as u64) << n;
            bytes += sumcheck_bytes(n, 2) + evals_bytes(values);
            largest = largest.max((8 * values as u64) << n);
        }
    }
    bytes += varint(cost.reduced_groups);
    (cost, bytes, largest)
}

/// Bytes of a postcard varint.
pub(crate) fn varint(n: usize) -> u64 {
    let bits = usize::BITS - n.leading_zeros();
    u64::from(bits.div_ceil(7).max(1))
}

/// Bytes of a list of `n` extension elements.
pub(crate) fn evals_bytes(n: usize) -> u64 {
    varint(n) + EF_BYTES * n as u64
}

/// Bytes of a sumcheck proof: per round, the round polynomial's `degree + 1` values.
pub(crate) fn sumcheck_bytes(rounds: usize, degree: usize) -> u64 {
    varint(rounds) + rounds as u64 * evals_bytes(degree + 1)
}
