//! What proving a model will cost, counted from its compiled plan alone (no witness, no proof): the
//! layout of both commitments, the work of every layer sub-protocol, the opening claims, and the
//! exact encoded size of the proof outside its two commitment openings. `zkinfer estimate` turns
//! these counts into time, memory and bytes with a calibration of the machine (docs/estimate.md).
//!
//! The walk mirrors [`crate::prove`] step for step: claims flow from the output back to the input,
//! and every step that receives claims (requantizations and max poolings always) adds its proof.
//! A change to the prover's schedule or to a proof type must be mirrored here; the tests below
//! compare the counts with real proofs and fail when they drift.

use serde::{Deserialize, Serialize};
use zkinfer_ir::{Op, QModel};
use zkinfer_layers::SparseMap;
use zkinfer_layers::maxpool::MaxPoolColumn;
use zkinfer_layers::range::RangeSpec;
use zkinfer_layers::requant::RequantColumn;

use crate::ProtocolError;
use crate::plan::{Plan, Step};
use crate::weight_range::WeightCheck;

/// Counted costs of proving one model (element counts are field elements; "padded" means rounded
/// up to a power of two as the prover's tables are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostProfile {
    /// Nodes of the model as proven (after [`crate::prepare_for_proving`]).
    pub nodes: usize,
    /// Multiply-accumulates of one inference (dense and convolution layers, real sizes).
    pub macs: u64,
    /// Sum of every node's padded table: the trace the prover holds.
    pub trace_elems: u64,
    /// The per-proof witness commitment.
    pub witness: CommitmentCost,
    /// The weight commitment (the prover recommits it on every proof).
    pub weights: CommitmentCost,
    /// The products the prover recomputes: per matmul, real rows x real contraction x padded
    /// columns (zero weights are skipped).
    pub matmul_mults: u64,
    /// Per matmul, `O*K + K*P` padded: folding `w` and `x` to the claim's point.
    pub matmul_fold_elems: u64,
    /// Sparse-map entries read (every wiring's pull-back, every patch matrix built).
    pub wiring_entries: u64,
    /// Wiring sumcheck tables (`2^in_vars` per map) and claim eq tables (`2^out_vars` per claim).
    pub wiring_elems: u64,
    /// Lookups: the virtual columns of every range check (padded segments x domain).
    pub lookup_entries: u64,
    /// Rows of every range check's table.
    pub table_rows: u64,
    /// Zero-check tables (requantization saturations, max-pooling differences).
    pub zerocheck_elems: u64,
    /// Sumcheck rounds of every layer proof (each one transcript absorption and challenge).
    pub sumcheck_rounds: u64,
    /// Of `sumcheck_rounds`, `wiring_elems` and `wiring_entries`: the parts inside requantization
    /// and max-pooling steps (range checks, zero-checks, pooling taps), which the prover's timer
    /// counts as lookups.
    pub lookup_step_rounds: u64,
    /// See `lookup_step_rounds`.
    pub lookup_step_wiring_elems: u64,
    /// See `lookup_step_rounds`.
    pub lookup_step_wiring_entries: u64,
    /// Layer proofs in the proof.
    pub step_proofs: usize,
    /// The largest single prover buffer, in base-field elements (an extension element counts 4).
    pub largest_buffer: u64,
    /// Exact encoded bytes of the proof without its two openings' own bytes.
    pub proof_body_bytes: u64,
}

/// Compiles `model` exactly as [`crate::setup`] does (same checks, same errors) and counts what
/// proving it costs, without evaluating or proving anything.
pub fn cost_profile(model: &QModel) -> Result<CostProfile, ProtocolError> {
    model.validate()?;
    let model = crate::prepare_for_proving(model)?;
    model.validate()?;
    let plan = Plan::compile(&model)?;
    if plan.weight_cols.is_empty() {
        return Err(ProtocolError::Unsupported(
            "models without any weights".into(),
        ));
    }
    let mut w = Walk {
        p: CostProfile {
            nodes: model.nodes.len(),
            trace_elems: (0..plan.steps.len()).map(|i| plan.padded(i) as u64).sum(),
            ..CostProfile::default()
        },
        pending: vec![0; plan.steps.len()],
        witness_claims: vec![],
        weight_claims: vec![],
    };
    let view = SparseMap::identity(model.len_of(plan.output));
    w.wiring(&[&view], 1);
    w.pending[plan.output] += 1;
    for id in (0..plan.steps.len()).rev() {
        w.step(&model, &plan, id)?;
    }
    w.p.proof_body_bytes += varint(plan.weight_checks.len());
    for c in &plan.weight_checks {
        w.weight_range(c)?;
    }
    // Option tags of the witness commitment and opening, the commitment, the steps' length.
    w.p.proof_body_bytes += 2 + varint(w.p.step_proofs);
    if !plan.witness_cols.is_empty() {
        w.p.proof_body_bytes += COMMITMENT_BYTES;
    }
    let (witness, wb, wl) = commitment(&plan.witness_cols, &w.witness_claims);
    let (weights, cb, cl) = commitment(&plan.weight_cols, &w.weight_claims);
    w.p.proof_body_bytes += wb + cb;
    w.big(wl.max(cl));
    (w.p.witness, w.p.weights) = (witness, weights);
    Ok(w.p)
}

/// The prover's walk, counting instead of proving.
struct Walk {
    p: CostProfile,
    /// Claims waiting on each node.
    pending: Vec<usize>,
    /// The witness column of every witness opening claim.
    witness_claims: Vec<usize>,
    /// The weight column of every weight opening claim.
    weight_claims: Vec<usize>,
}

impl Walk {
    fn step(&mut self, model: &QModel, plan: &Plan, id: usize) -> Result<(), ProtocolError> {
        let before = (
            self.p.sumcheck_rounds,
            self.p.wiring_elems,
            self.p.wiring_entries,
        );
        self.step_inner(model, plan, id)?;
        if matches!(plan.steps[id], Step::Requant { .. } | Step::MaxPool { .. }) {
            self.p.lookup_step_rounds += self.p.sumcheck_rounds - before.0;
            self.p.lookup_step_wiring_elems += self.p.wiring_elems - before.1;
            self.p.lookup_step_wiring_entries += self.p.wiring_entries - before.2;
        }
        Ok(())
    }

    fn step_inner(&mut self, model: &QModel, plan: &Plan, id: usize) -> Result<(), ProtocolError> {
        let pending = std::mem::take(&mut self.pending[id]);
        let inputs = &model.nodes[id].inputs;
        let layer = |source| ProtocolError::Layer {
            node: id,
            name: model.nodes[id].name.clone(),
            source,
        };
        match &plan.steps[id] {
            Step::Input | Step::Fused => {}
            Step::Weight(col) => self
                .weight_claims
                .extend(std::iter::repeat_n(*col, pending)),
            Step::Linear(maps) if pending > 0 => {
                let refs: Vec<&SparseMap> = maps.iter().collect();
                self.p.proof_body_bytes += 1;
                self.wiring(&refs, pending);
                inputs.iter().for_each(|&i| self.pending[i] += 1);
                self.p.step_proofs += 1;
            }
            Step::MatMul(mm) if pending > 0 => {
                let s = mm.shape;
                let (o, k) = matmul_dims(&model.nodes[id].op);
                let (k_pad, p_pad) = (1u64 << s.k_vars, 1u64 << s.p_vars);
                self.p.macs += model.len_of(id) as u64 * k as u64;
                self.p.matmul_mults += (o * k) as u64 * p_pad;
                self.p.matmul_fold_elems += ((1u64 << s.o_vars) + p_pad) * k_pad;
                self.p.wiring_entries += mm.patches.entries.len() as u64;
                self.big(k_pad * p_pad);
                self.big((1u64 << s.o_vars) * p_pad);
                self.wiring(&[&mm.to_prod], pending);
                self.p.sumcheck_rounds += s.k_vars as u64;
                let bias = if s.has_bias { 1 + EF_BYTES } else { 1 };
                // The variant's tag, the bias, the rounds and the weight's and input's values.
                self.p.proof_body_bytes += 1 + bias + sumcheck_bytes(s.k_vars, 2) + evals_bytes(2);
                self.weight_claims.push(mm.weight_col);
                self.weight_claims.extend(mm.bias_col);
                self.wiring(&[&mm.patches], 1);
                self.pending[inputs[0]] += 1;
                self.p.step_proofs += 1;
            }
            Step::Requant {
                spec,
                first_col,
                input,
            } => {
                let col = plan.node_col[id].unwrap_or(*first_col);
                self.witness_claims
                    .extend(std::iter::repeat_n(col, pending));
                let layout = spec.layout().map_err(layer)?;
                self.range(&layout.range_spec(spec.num_vars));
                let idx = |c| first_col + layout.column_index(c);
                let mut sat = vec![idx(RequantColumn::Out)];
                if layout.sat_hi {
                    sat.push(idx(RequantColumn::SatHi));
                }
                if layout.sat_lo {
                    sat.push(idx(RequantColumn::SatLo));
                }
                let zero = sat.len() > 1;
                // Tag, zero-check option, zero-check evaluations.
                let mut bytes = 2 + evals_bytes(if zero { sat.len() } else { 0 });
                if zero {
                    bytes += sumcheck_bytes(spec.num_vars, 3);
                    self.p.sumcheck_rounds += spec.num_vars as u64;
                    self.p.zerocheck_elems += (sat.len() as u64) << spec.num_vars;
                    self.witness_claims.extend(&sat);
                }
                self.p.proof_body_bytes += bytes;
                // Range claims (multiplicities, limbs), then out, a, b at the range point.
                self.witness_claims.push(idx(RequantColumn::Multiplicities));
                let limbs = (0..layout.num_limbs()).map(|i| idx(RequantColumn::Limb(i)));
                self.witness_claims.extend(limbs);
                self.witness_claims.extend(&sat);
                self.pending[*input] += 1;
                self.p.step_proofs += 1;
            }
            Step::MaxPool {
                spec,
                first_col,
                taps,
            } => {
                self.witness_claims
                    .extend(std::iter::repeat_n(*first_col, pending));
                self.range(&spec.range_spec());
                let (t, l) = (spec.taps, spec.limbs);
                self.p.proof_body_bytes += 1
                    + sumcheck_bytes(spec.num_vars, t + 1)
                    + evals_bytes(t)
                    + evals_bytes(1 + t * l)
                    + varint(t);
                self.p.sumcheck_rounds += spec.num_vars as u64;
                self.p.zerocheck_elems += (t as u64) << spec.num_vars;
                // Range claims (limbs, multiplicities), then out, the limbs and the differences.
                let idx = |c: MaxPoolColumn| first_col + c.index(spec);
                let limbs = (0..t).flat_map(|k| (0..l).map(move |j| MaxPoolColumn::Limb(k, j)));
                self.witness_claims.extend(limbs.clone().map(idx));
                let mid = [MaxPoolColumn::Multiplicities, MaxPoolColumn::Out];
                self.witness_claims
                    .extend(mid.into_iter().chain(limbs).map(idx));
                self.witness_claims
                    .extend((0..t).map(|k| idx(MaxPoolColumn::Diff(k))));
                for map in taps {
                    self.wiring(&[map], 1);
                    self.pending[inputs[0]] += 1;
                }
                self.p.step_proofs += 1;
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
        Ok(())
    }

    /// A weight column's width check (crate::weight_range): a range check, absent for a zero
    /// column; a claim on the weight column and one on each committed column.
    fn weight_range(&mut self, c: &WeightCheck) -> Result<(), ProtocolError> {
        let layout = c.spec.layout()?;
        // The range check's option tag.
        self.p.proof_body_bytes += 1;
        self.weight_claims.push(c.col);
        if let Some(r) = layout.range_spec(&c.spec) {
            self.range(&r);
            let committed = layout.columns(&c.spec).len();
            self.witness_claims
                .extend((0..committed).map(|i| c.first_col + i));
        }
        Ok(())
    }

    fn big(&mut self, elems: u64) {
        self.p.largest_buffer = self.p.largest_buffer.max(elems);
    }

    /// A wiring proof of `claims` claims through `maps` (crates/layers/src/wiring): one sumcheck
    /// over the largest input's variables, every input sending its value (plain proofs).
    fn wiring(&mut self, maps: &[&SparseMap], claims: usize) {
        let out_vars = maps.first().map_or(0, |m| m.out_vars());
        self.p.wiring_elems += (claims as u64) << out_vars;
        self.big(4 << out_vars);
        let n = maps.iter().map(|m| m.in_vars()).max().unwrap_or(0);
        for m in maps {
            self.p.wiring_entries += m.entries.len() as u64;
            self.p.wiring_elems += 1 << n;
            // The zero-extended input and the pulled-back map (in the extension field).
            self.big(8 << n);
        }
        self.p.sumcheck_rounds += n as u64;
        self.p.proof_body_bytes += sumcheck_bytes(n, 2) + evals_bytes(maps.len());
    }

    /// A batched range check (crates/layers/src/range): LogUp by fractional-sum GKR over the
    /// virtual column and the table.
    fn range(&mut self, spec: &RangeSpec) {
        let lookup_vars = spec.num_vars + spec.segment_vars();
        self.p.lookup_entries += 1 << lookup_vars;
        self.p.table_rows += 1 << spec.bits;
        // The lookup tree's denominators and numerators, in the extension field.
        self.big(8 << lookup_vars);
        let depth = lookup_vars.max(spec.bits);
        // Roots of both trees, then one layer per depth `d`: a `d`-round degree-3 sumcheck and
        // `[p0, p1, q0, q1]` for each tree deeper than `d`.
        let mut bytes = varint(2) + 4 * EF_BYTES + varint(depth);
        for d in 0..depth {
            let active = usize::from(lookup_vars > d) + usize::from(spec.bits > d);
            bytes += sumcheck_bytes(d, 3) + varint(active) + 4 * EF_BYTES * active as u64;
            self.p.sumcheck_rounds += d as u64;
        }
        // The looked-up column's evaluation, then every committed column's.
        bytes += evals_bytes(1) + evals_bytes(spec.columns);
        self.p.proof_body_bytes += bytes;
    }
}

/// `(O, K)` of a dense or convolution node, real sizes.
fn matmul_dims(op: &Op) -> (usize, usize) {
    match op {
        Op::Dense {
            in_features,
            out_features,
            ..
        } => (*out_features, *in_features),
        Op::Conv2d {
            weight_shape: [o, c, kh, kw],
            ..
        } => (*o, c * kh * kw),
        _ => (0, 0),
    }
}

mod sizes;
pub use sizes::CommitmentCost;
use sizes::commitment;
pub(crate) use sizes::{COMMITMENT_BYTES, EF_BYTES, evals_bytes, sumcheck_bytes, varint};

#[cfg(test)]
mod tests;
