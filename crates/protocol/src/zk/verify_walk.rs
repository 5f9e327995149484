//! The zero-knowledge verifier's walk over the plan, last node first: the verifier's side of the
//! prover's walk (`walk.rs`), each step proof checked and its claims routed to the inputs.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::EF;
use zkinfer_layers::maxpool::{MaxPoolColumn, MaxPoolSpec};
use zkinfer_layers::range::zk::{self as zk_range, ZkRangeProof};
use zkinfer_layers::requant::{RequantColumn, RequantSpec};
use zkinfer_layers::zk::{SymClaim, ZkIds, ZkShape};
use zkinfer_layers::{LayerError, SparseMap, Zk, matmul, maxpool, mle_eval, requant, wiring};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::Transcript;

use super::ZkStepProof;
use super::hidden::{Cursor, Group, layer_ids, range_ids};
use super::schedule::{self, weights_first};
use super::weights::{WeightTree, unbias};
use crate::error::layer_error;
use crate::plan::{Plan, Step};
use crate::route::claim_on_fused;
use crate::verify::structure;
use crate::{ProtocolError, VerifierKey};

/// What the verifier's walk over the steps reads.
pub(super) struct Steps<'c> {
    pub vk: &'c VerifierKey,
    pub plan: &'c Plan,
    pub node_inputs: &'c [Vec<usize>],
    /// Whether the input is private (committed) rather than public.
    pub private: bool,
    /// Id of the input's copy in the hidden commitment (private input).
    pub x_id: usize,
    /// The public input's padded table (empty for a private input).
    pub x: &'c [zkinfer_field::F],
}

/// The verifier's state during the walk.
pub(super) struct Walk<'t> {
    /// The hidden vectors' ids, taken in schedule order.
    pub cursor: Cursor<()>,
    /// The linear claims on the hidden commitment, settled at the end.
    pub forms: Vec<FormClaim<EF>>,
    /// The weight tree (where each weight column sits in `IN`).
    pub tree: &'t WeightTree,
    /// Id of `IN` in the hidden commitment.
    pub in_id: usize,
    /// The claims routed to each node, not yet checked.
    pub pending: Vec<Vec<SymClaim>>,
}

impl Walk<'_> {
    /// The layers, last node first, checked against the proof's step proofs in order: each
    /// step's claims routed on to its inputs, the linear claims collected.
    pub(super) fn steps(
        &mut self,
        ctx: &Steps<'_>,
        proofs: &[ZkStepProof],
        t: &mut Transcript,
    ) -> Result<(), ProtocolError> {
        let Steps {
            vk,
            plan,
            node_inputs,
            private,
            x_id,
            x,
        } = *ctx;
        let arch = &vk.architecture;
        let node = |id: usize| {
            arch.nodes
                .get(id)
                .ok_or_else(|| structure("node id out of range"))
        };
        let layer = |id: usize| layer_error(arch, id);
        let has = schedule::has_claims(plan, node_inputs);
        let mut steps = proofs.iter();
        for (id, step) in plan.steps.iter().enumerate().rev() {
            let pending = self
                .pending
                .get_mut(id)
                .map(std::mem::take)
                .unwrap_or_default();
            let reached = has.get(id).copied().unwrap_or(false);
            if pending.is_empty() == reached && !matches!(step, Step::Weight(_)) {
                return Err(structure(format!(
                    "node {id}: claims differ from the schedule"
                )));
            }
            let inputs = &node(id)?.inputs;
            match step {
                Step::Input if private => {
                    self.forms
                        .extend(pending.iter().map(|c| c.to_form_claim(x_id)));
                }
                Step::Input => {
                    for c in pending {
                        let value = mle_eval(x, &c.point);
                        if c.value.hidden.is_empty() {
                            if c.value.public != value {
                                return Err(structure("a claim on the public input is false"));
                            }
                        } else {
                            self.forms.push(FormClaim::equal(c.value, value));
                        }
                    }
                }
                Step::Fused if !pending.is_empty() => return Err(claim_on_fused(arch, id)),
                Step::Fused => {}
                Step::Weight(col) => {
                    for c in pending {
                        self.weight_claim(*col, &c)?;
                    }
                }
                Step::Linear(maps) if reached => {
                    let Some(ZkStepProof::Linear(p)) = steps.next() else {
                        return Err(structure(format!(
                            "node {id}: expected a linear step proof"
                        )));
                    };
                    if maps.len() != inputs.len() {
                        return Err(structure(format!("node {id}: input count")));
                    }
                    let order = weights_first(plan, inputs);
                    let refs: Vec<&SparseMap> = order.iter().filter_map(|&j| maps.get(j)).collect();
                    let targets: Vec<usize> = order
                        .iter()
                        .filter_map(|&j| inputs.get(j))
                        .copied()
                        .collect();
                    let cl = self.wiring(&refs, &pending, p, t).map_err(layer(id))?;
                    self.push_all(&targets, cl);
                }
                Step::MatMul(mm) if reached => {
                    let Some(ZkStepProof::MatMul {
                        to_prod,
                        matmul,
                        patches,
                    }) = steps.next()
                    else {
                        return Err(structure(format!(
                            "node {id}: expected a matmul step proof"
                        )));
                    };
                    let input = *inputs
                        .first()
                        .ok_or_else(|| structure("matmul without input"))?;
                    let cl = self
                        .wiring(&[&mm.to_prod], &pending, to_prod, t)
                        .map_err(layer(id))?;
                    let prod_claim = cl
                        .into_iter()
                        .next()
                        .ok_or_else(|| structure("matmul: no product claim"))?;
                    let prod_claim = unbias(self.tree, mm, prod_claim, self.in_id)?;
                    let ids = self.take(&schedule::matmul_shape(mm)).map_err(layer(id))?;
                    let mc = matmul::verify::<Zk>(
                        schedule::unbiased(mm.shape),
                        &prod_claim,
                        &ids,
                        matmul,
                        t,
                    )
                    .map_err(layer(id))?;
                    if mc.bias.is_some() {
                        return Err(structure(format!("node {id}: bias mismatch")));
                    }
                    self.weight_claim(mm.weight_col, &mc.weight)?;
                    let cl = self
                        .wiring(&[&mm.patches], &[mc.input], patches, t)
                        .map_err(layer(id))?;
                    self.push_all(&[input], cl);
                }
                Step::Requant {
                    spec,
                    first_col,
                    input,
                } => {
                    let Some(ZkStepProof::Requant { range, zero_check }) = steps.next() else {
                        return Err(structure(format!(
                            "node {id}: expected a requantization proof"
                        )));
                    };
                    let col = plan
                        .node_col
                        .get(id)
                        .copied()
                        .flatten()
                        .unwrap_or(*first_col);
                    self.forms
                        .extend(pending.iter().map(|c| c.to_form_claim(col)));
                    let claim = self
                        .requant(spec, *first_col, range, zero_check.as_ref(), t)
                        .map_err(layer(id))?;
                    self.push_all(&[*input], vec![claim]);
                }
                Step::MaxPool {
                    spec,
                    first_col,
                    taps,
                } => {
                    let Some(ZkStepProof::MaxPool {
                        range,
                        pool,
                        taps: wirings,
                    }) = steps.next()
                    else {
                        return Err(structure(format!(
                            "node {id}: expected a max-pooling proof"
                        )));
                    };
                    self.forms
                        .extend(pending.iter().map(|c| c.to_form_claim(*first_col)));
                    let input = *inputs
                        .first()
                        .ok_or_else(|| structure("max pooling without input"))?;
                    self.maxpool(spec, *first_col, taps, range, pool, wirings, input, t)
                        .map_err(layer(id))?;
                }
                Step::Linear(_) | Step::MatMul(_) => {}
            }
        }
        if steps.next().is_some() {
            return Err(structure("the proof has more steps than the model"));
        }
        Ok(())
    }

    /// A claim on weight column `col` becomes a claim on its place in `IN`.
    fn weight_claim(&mut self, col: usize, c: &SymClaim) -> Result<(), ProtocolError> {
        let claim = self.tree.weight_claim(col, c, self.in_id)?;
        self.forms.push(claim);
        Ok(())
    }

    pub(super) fn push_all(&mut self, targets: &[usize], claims: Vec<SymClaim>) {
        for (&i, c) in targets.iter().zip(claims) {
            if let Some(p) = self.pending.get_mut(i) {
                p.push(c);
            }
        }
    }

    /// A layer's ids, taken from the schedule.
    fn take(&mut self, shape: &ZkShape) -> Result<ZkIds, LayerError> {
        let (first, ()) = self
            .cursor
            .take(&Group::Layer(shape.clone()))
            .map_err(drift)?;
        Ok(layer_ids(shape, first))
    }

    /// The verifier's side of the prover's `Walk::requant`; returns the claim on the input.
    fn requant(
        &mut self,
        spec: &RequantSpec,
        first_col: usize,
        range: &ZkRangeProof,
        zero_check: Option<&zkinfer_layers::requant::zk::ZkRequantProof>,
        t: &mut Transcript,
    ) -> Result<SymClaim, LayerError> {
        let layout = spec.layout()?;
        let rspec = layout.range_spec(spec.num_vars);
        let zspec = rspec.zk();
        let (first, ()) = self
            .cursor
            .take(&Group::Range(zspec.clone()))
            .map_err(drift)?;
        let col = |c: RequantColumn| first_col + layout.column_index(c);
        let limb_ids = (0..layout.num_limbs())
            .map(|i| col(RequantColumn::Limb(i)))
            .collect();
        let ids = range_ids(&zspec, limb_ids, col(RequantColumn::Multiplicities), first);
        let (forms, at) = zk_range::verify_at(&rspec, range, &ids, t).map_err(range_err)?;
        self.forms.extend(forms);
        match (requant::zk::shape(spec)?, zero_check) {
            (Some(shape), Some(proof)) => {
                let ids = self.take(&shape)?;
                let forms = requant::zk::verify(spec, first_col, &ids, proof, t)?;
                self.forms.extend(forms);
            }
            (None, None) => {}
            _ => {
                return Err(LayerError::Parameter {
                    layer: "requant",
                    detail: "zero-check present iff the layout has a saturation column".into(),
                });
            }
        }
        let identity = requant::zk::identity(spec, first_col, &at)?;
        self.forms.extend(identity.columns);
        Ok(identity.input)
    }

    /// The verifier's side of the prover's `Walk::maxpool`.
    #[allow(clippy::too_many_arguments)]
    fn maxpool(
        &mut self,
        spec: &MaxPoolSpec,
        first_col: usize,
        taps: &[SparseMap],
        range: &ZkRangeProof,
        pool: &zkinfer_layers::maxpool::zk::ZkMaxPoolProof,
        wirings: &[zkinfer_layers::wiring::WiringProof<Zk>],
        input: usize,
        t: &mut Transcript,
    ) -> Result<(), LayerError> {
        let rspec = spec.range_spec();
        let zspec = rspec.zk();
        let (first, ()) = self
            .cursor
            .take(&Group::Range(zspec.clone()))
            .map_err(drift)?;
        let limb_ids: Vec<usize> = (0..spec.taps)
            .flat_map(|k| (0..spec.limbs).map(move |l| MaxPoolColumn::Limb(k, l)))
            .map(|c| first_col + c.index(spec))
            .collect();
        let ids = range_ids(
            &zspec,
            limb_ids,
            first_col + MaxPoolColumn::Multiplicities.index(spec),
            first,
        );
        let (forms, at) = zk_range::verify_at(&rspec, range, &ids, t).map_err(range_err)?;
        self.forms.extend(forms);
        let zids = self.take(&maxpool::zk::shape(spec)?)?;
        let mc = maxpool::zk::verify(spec, first_col, &zids, pool, t)?;
        self.forms.extend(mc.columns);
        self.forms
            .extend(maxpool::zk::identity(spec, first_col, &at)?);
        if wirings.len() != taps.len() || mc.taps.len() != taps.len() {
            return Err(LayerError::PartCount {
                layer: "maxpool",
                expected: taps.len(),
                got: wirings.len().min(mc.taps.len()),
            });
        }
        for ((map, claim), p) in taps.iter().zip(mc.taps).zip(wirings) {
            let cl = self.wiring(&[map], &[claim], p, t)?;
            self.push_all(&[input], cl);
        }
        Ok(())
    }

    pub(super) fn wiring(
        &mut self,
        maps: &[&SparseMap],
        claims: &[SymClaim],
        proof: &zkinfer_layers::wiring::WiringProof<Zk>,
        t: &mut Transcript,
    ) -> Result<Vec<SymClaim>, zkinfer_layers::LayerError> {
        let ids = self.take(&wiring::shape(maps)?)?;
        wiring::verify::<Zk>(maps, claims, &ids, proof, t)
    }
}

fn drift(e: ProtocolError) -> LayerError {
    LayerError::Parameter {
        layer: "zk schedule",
        detail: e.to_string(),
    }
}

fn range_err(e: zk_range::ZkRangeError) -> LayerError {
    LayerError::Parameter {
        layer: "range (zk)",
        detail: e.to_string(),
    }
}
