//! What a zero-knowledge proof of a model costs, counted from its plan alone: the size of the
//! hidden commitment `Q`, the masked sumchecks, the blinded range checks, the weight hash and the
//! back end. `zkinfer estimate` turns these counts into time, memory and bytes (docs/estimate.md).
//!
//! Nothing here restates the prover's schedule: the hidden vectors and `Q`'s layout come from
//! [`super::schedule::groups`] and [`super::hidden::layout`], the same calls the prover and the
//! verifier make, and every sub-protocol's proof is one masked sumcheck per [`Group::Layer`] (or
//! per fraction-tree layer of a [`Group::Range`]) whose size follows from its shape. Only the
//! proof's frame (options, tags, lengths) and the back end's fixed parts are counted by hand; the
//! tests compare the total with real proofs byte for byte.

use serde::{Deserialize, Serialize};
use zkinfer_ir::QModel;
use zkinfer_layers::range::zk::ZkRangeSpec;
use zkinfer_layers::zk::ZkShape;

use super::hidden::{self, Group};
use super::schedule::{self, has_claims};
use super::weights::WeightTree;
use crate::ProtocolError;
use crate::cost::{
    COMMITMENT_BYTES, CostProfile, EF_BYTES, cost_profile, evals_bytes, sumcheck_bytes, varint,
};
use crate::plan::{Plan, Step};

/// Companion vectors of the back end's mask region (docs/zk-backend.md, step 3).
const COMPANIONS: usize = 7;
/// Variables of one slot of the back end's mask region (its plain sumcheck's rounds).
const MASK_SLOT_VARS: usize = zkinfer_settle::MASK_VARS;

/// Work of a set of masked sumchecks (one per layer group, or per fraction-tree layer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedWork {
    /// Masked sumchecks.
    pub sumchecks: u64,
    /// Their rounds (each a transcript absorption, a challenge and a mask evaluation).
    pub rounds: u64,
    /// Their tables times round degree plus one: `2^n (d + 1)` each, the evaluations a prover
    /// computes in its first round (later rounds halve it).
    pub work: u64,
}

impl MaskedWork {
    fn add(&mut self, num_vars: usize, degree: usize) {
        self.sumchecks += 1;
        self.rounds += num_vars as u64;
        self.work += (degree as u64 + 1) << num_vars;
    }
}

/// Counted costs of a zero-knowledge proof (public input), beside the plain profile's counts of
/// the same plan (MACs, trace, matmul products, wiring entries and lookups are the same work).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkCost {
    /// Variables of the hidden commitment `Q` (its layout, reserved segments included).
    pub q_vars: usize,
    /// Entries of `Q`'s segments before padding to `2^q_vars`.
    pub q_entries: u64,
    /// Of them: the committed witness columns.
    pub witness_elems: u64,
    /// Of them: the weight hash's input states `IN` (the hidden copy of the weights).
    pub in_elems: u64,
    /// Of them: every sub-protocol's masks, randomizers and blinders.
    pub random_elems: u64,
    /// Hidden vectors the schedule lists.
    pub groups: usize,
    /// Permutations of the weight tree (`2^perm_vars`).
    pub hash_perms: u64,
    /// The weight hash's round sumchecks (one per Poseidon2 round, over `IN`'s size each).
    pub hash: MaskedWork,
    /// Masked sumchecks the prover's timer counts as sumchecks: the output view, wirings, matmuls.
    pub layers: MaskedWork,
    /// Masked sumchecks inside requantizations, max poolings and weight width checks (zero-checks,
    /// pooling taps): the prover's timer counts them as lookups.
    pub lookup_layers: MaskedWork,
    /// Blinded LogUp range checks.
    pub ranges: usize,
    /// Leaves of their fraction trees (`2^depth` each: both sides, blinders included).
    pub range_leaves: u64,
    /// Their layer sumchecks.
    pub range_layers: MaskedWork,
    /// Exact encoded bytes of the proof without the HVZK-WHIR opening of `Q`.
    pub proof_body_bytes: u64,
}

impl ZkCost {
    /// Length of `Q` as committed.
    pub fn q_len(&self) -> u64 {
        1 << self.q_vars
    }
}

/// The plain profile of `model` and the counts of its zero-knowledge proof with a public input.
/// Refuses what `setup` refuses, and what the zero-knowledge prover refuses (a masked
/// single-element tensor), with the same errors.
pub fn zk_cost_profile(model: &QModel) -> Result<(CostProfile, ZkCost), ProtocolError> {
    let plain = cost_profile(model)?;
    let model = crate::prepare_for_proving(model)?;
    let plan = Plan::compile(&model)?;
    let inputs: Vec<Vec<usize>> = model.nodes.iter().map(|n| n.inputs.clone()).collect();
    let weight_vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let tree = WeightTree::new(&weight_vars)?;
    let groups = schedule::groups(&plan, &inputs, model.len_of(plan.output), None, &tree)?;
    // Q's segments as the prover lists them: witness columns, IN, then the groups' vectors.
    let mut base_vars: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    base_vars.push(tree.in_vars());
    let layout = hidden::layout(&base_vars, &groups)?;
    let mut z = ZkCost {
        q_vars: layout.num_vars(),
        q_entries: layout
            .segments()
            .iter()
            .map(|s| s.len() as u64)
            .sum::<u64>()
            + (1 << zkinfer_settle::BLIND_VARS)
            + (8 << MASK_SLOT_VARS),
        witness_elems: plan.witness_cols.iter().map(|c| 1u64 << c.num_vars).sum(),
        in_elems: 1 << tree.in_vars(),
        groups: groups.len(),
        hash_perms: 1 << tree.perm_vars(),
        ..ZkCost::default()
    };
    z.random_elems = z.q_entries - z.witness_elems - z.in_elems;

    let lookup = lookup_groups(&plan)?;
    let hash = schedule::hash_groups(&tree);
    let mut bytes = 0;
    // The weight hash's groups come last in the schedule.
    let first_hash = groups.len().saturating_sub(hash.len());
    for (i, g) in groups.iter().enumerate() {
        bytes += group_bytes(g);
        match g {
            Group::Range(spec) => {
                z.ranges += 1;
                z.range_leaves += 1 << spec.depth();
                for (n, d) in spec.shape().masks {
                    z.range_layers.add(n, d);
                }
            }
            Group::Layer(s) if i >= first_hash => z.hash.add(s.num_vars, s.degree),
            Group::Layer(s) => z.layers.add(s.num_vars, s.degree),
        }
    }
    // The layer groups of lookup steps were counted with the others: move them.
    for g in &lookup {
        if let Group::Layer(s) = g {
            let mut w = MaskedWork::default();
            w.add(s.num_vars, s.degree);
            z.layers.sumchecks -= w.sumchecks;
            z.layers.rounds -= w.rounds;
            z.layers.work -= w.work;
            z.lookup_layers.add(s.num_vars, s.degree);
        }
    }
    z.proof_body_bytes = bytes + frame_bytes(&plan, &inputs, hash.len(), z.q_vars);
    Ok((plain, z))
}

/// The groups of the steps the prover's timer counts as lookups: requantizations, max poolings and
/// the weights' width checks.
fn lookup_groups(plan: &Plan) -> Result<Vec<Group>, ProtocolError> {
    let err = |e: zkinfer_layers::LayerError| ProtocolError::Zk(e.to_string());
    let mut out = vec![];
    for step in &plan.steps {
        match step {
            Step::Requant { spec, .. } => out.extend(schedule::requant_groups(spec).map_err(err)?),
            Step::MaxPool { spec, taps, .. } => {
                out.extend(schedule::maxpool_groups(spec, taps).map_err(err)?)
            }
            _ => {}
        }
    }
    out.extend(super::weight_range::groups(plan)?);
    Ok(out)
}

/// Bytes of a masked sumcheck: the mask's sum, the rounds, one final value per masked factor.
fn masked_bytes(num_vars: usize, degree: usize, masked: usize) -> u64 {
    EF_BYTES + sumcheck_bytes(num_vars, degree) + evals_bytes(masked)
}

/// Bytes of one group's proof: a layer's masked sumcheck, or a range check's root fractions and
/// one masked sumcheck per fraction-tree layer (its four half-tables masked).
fn group_bytes(g: &Group) -> u64 {
    match g {
        Group::Layer(ZkShape {
            num_vars,
            degree,
            randomizers,
        }) => masked_bytes(*num_vars, *degree, randomizers.len()),
        Group::Range(spec) => range_bytes(spec),
    }
}

fn range_bytes(spec: &ZkRangeSpec) -> u64 {
    let shape = spec.shape();
    let layers: u64 = shape
        .masks
        .iter()
        .map(|&(n, d)| masked_bytes(n, d, 4))
        .sum();
    4 * EF_BYTES + varint(shape.masks.len()) + layers
}

/// The proof's frame (crate::zk::ZkModelProof): the private-input options, `Q`'s commitment, the
/// steps' tags and lengths, the width checks' options, the hash's length, and the back end's
/// batching sumcheck (over `q_vars` variables), values and mask sumcheck.
fn frame_bytes(plan: &Plan, inputs: &[Vec<usize>], hash_rounds: usize, q_vars: usize) -> u64 {
    let has = has_claims(plan, inputs);
    let (mut steps, mut tags) = (0, 0);
    for (id, step) in plan.steps.iter().enumerate() {
        let reached = has.get(id).copied().unwrap_or(false);
        let tag = match step {
            // The variant; a matmul's absent bias evaluation; a requantization's zero-check option.
            Step::Linear(_) if reached => 1,
            Step::MatMul(_) if reached => 2,
            Step::Requant { .. } => 2,
            Step::MaxPool { taps, .. } => 1 + varint(taps.len()),
            _ => continue,
        };
        steps += 1;
        tags += tag;
    }
    let checks = plan.weight_checks.len();
    let back_end = EF_BYTES
        + sumcheck_bytes(q_vars, 2)
        + EF_BYTES
        + EF_BYTES
        + evals_bytes(COMPANIONS)
        + sumcheck_bytes(MASK_SLOT_VARS, 2)
        + EF_BYTES;
    4 + COMMITMENT_BYTES
        + varint(steps)
        + tags
        + varint(checks)
        + checks as u64
        + varint(hash_rounds)
        + back_end
}

#[cfg(test)]
#[path = "cost_tests.rs"]
mod tests;
