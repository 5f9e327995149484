//! The zero-knowledge prover's walk over the plan, last node first: each layer's proof from the
//! symbolic claims routed to it, with its hidden randomness taken from the schedule in order.

use std::time::Instant;

use zkinfer_field::{EF, F};
use zkinfer_layers::maxpool::{MaxPoolColumn, MaxPoolSpec, MaxPoolWitness};
use zkinfer_layers::range::zk::{self as zk_range, ZkRangeRandomness, ZkRangeSpec};
use zkinfer_layers::requant::{RequantColumn, RequantSpec, RequantWitness};
use zkinfer_layers::zk::{SymClaim, ZkIds, ZkSecrets, ZkShape};
use zkinfer_layers::{LayerError, SparseMap, Zk, matmul, maxpool, mle_eval, requant, wiring};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::Transcript;

use super::ZkStepProof;
use super::hidden::{Cursor, Group, Secret, layer_ids, range_ids};
use super::schedule::{self, weights_first};
use super::weights::{WeightTree, unbias};
use crate::ProtocolError;
use crate::error::layer_error;
use crate::plan::{MatMulStep, Step};
use crate::prove::{Prepared, ProveTiming};
use crate::witness::Witness;

/// What the walk over the steps reads.
pub(super) struct Steps<'c> {
    pub model: &'c zkinfer_ir::QModel,
    pub prepared: &'c Prepared,
    pub wit: &'c Witness,
    pub node_inputs: &'c [Vec<usize>],
    pub private: bool,
    /// Id of the input's copy in the hidden commitment (private input).
    pub x_id: usize,
}

/// The prover's state during the walk.
pub(super) struct Walk<'a, 'l> {
    /// The hidden randomness, taken in schedule order.
    pub cursor: Cursor<Secret>,
    /// The prover's hidden vectors by id.
    pub lookup: &'l dyn Fn(usize) -> Option<&'a [F]>,
    /// The linear claims on the hidden commitment, settled at the end.
    pub forms: Vec<FormClaim<EF>>,
    /// The weight tree (where each weight column sits in `IN`).
    pub tree: &'l WeightTree,
    /// Id of `IN` in the hidden commitment.
    pub in_id: usize,
    /// The claims routed to each node, not yet proven.
    pub pending: Vec<Vec<SymClaim>>,
}

/// The weight hash's errors, named as a layer's.
pub(super) fn hash_err(e: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::Zk(format!("weight hash: {e}"))
}

fn drift(e: ProtocolError) -> LayerError {
    LayerError::Parameter {
        layer: "zk schedule",
        detail: e.to_string(),
    }
}

impl<'a> Walk<'a, '_> {
    /// The layers, last node first: each step's proof, from the claims routed to it.
    pub(super) fn steps(
        &mut self,
        ctx: &Steps<'_>,
        timing: &mut ProveTiming,
        t: &mut Transcript,
    ) -> Result<Vec<ZkStepProof>, ProtocolError> {
        let Steps {
            model,
            prepared,
            wit,
            node_inputs,
            private,
            x_id,
        } = *ctx;
        let plan = &prepared.plan;
        let layer = |id: usize| layer_error(model, id);
        let mut steps = vec![];
        let has = schedule::has_claims(plan, node_inputs);
        for id in (0..plan.steps.len()).rev() {
            let step_clock = Instant::now();
            let pending = std::mem::take(&mut self.pending[id]);
            if pending.is_empty() == has[id] && !matches!(plan.steps[id], Step::Weight(_)) {
                return Err(ProtocolError::Zk(format!(
                    "node {id}: claims differ from the schedule"
                )));
            }
            let inputs = &model.nodes[id].inputs;
            match &plan.steps[id] {
                Step::Input if private => {
                    self.forms
                        .extend(pending.iter().map(|c| c.to_form_claim(x_id)));
                }
                Step::Input => {
                    let x = &wit.tables[id];
                    for c in pending {
                        let value = mle_eval(x, &c.point);
                        if c.value.hidden.is_empty() {
                            if c.value.public != value {
                                return Err(ProtocolError::Zk(
                                    "a claim on the input is false".into(),
                                ));
                            }
                        } else {
                            self.forms.push(FormClaim::equal(c.value, value));
                        }
                    }
                }
                Step::Fused => {}
                Step::Weight(col) => {
                    for c in pending {
                        self.weight_claim(*col, &c).map_err(layer(id))?;
                    }
                }
                Step::Linear(maps) if !pending.is_empty() => {
                    let order = weights_first(plan, inputs);
                    let refs: Vec<&SparseMap> = order.iter().map(|&j| &maps[j]).collect();
                    let tables: Vec<&[F]> = order
                        .iter()
                        .map(|&j| wit.tables[inputs[j]].as_slice())
                        .collect();
                    let (proof, cl) = self
                        .wiring(&refs, &tables, &pending, t)
                        .map_err(layer(id))?;
                    let targets: Vec<usize> = order.iter().map(|&j| inputs[j]).collect();
                    self.push_all(&targets, cl);
                    steps.push(ZkStepProof::Linear(proof));
                }
                Step::MatMul(mm) if !pending.is_empty() => {
                    let proof = self
                        .matmul(mm, wit, &prepared.weights, inputs[0], pending, t)
                        .map_err(layer(id))?;
                    steps.push(proof);
                }
                Step::Requant {
                    spec,
                    first_col,
                    input,
                } => {
                    let col = plan.node_col[id].unwrap_or(*first_col);
                    self.forms
                        .extend(pending.iter().map(|c| c.to_form_claim(col)));
                    let w = wit.requants[id].as_ref().ok_or_else(|| {
                        ProtocolError::Malformed(format!("node {id}: no witness"))
                    })?;
                    let (proof, claim) = self.requant(spec, w, *first_col, t).map_err(layer(id))?;
                    self.push_all(&[*input], vec![claim]);
                    steps.push(proof);
                }
                Step::MaxPool {
                    spec,
                    first_col,
                    taps,
                } => {
                    self.forms
                        .extend(pending.iter().map(|c| c.to_form_claim(*first_col)));
                    let w = wit.maxpools[id].as_ref().ok_or_else(|| {
                        ProtocolError::Malformed(format!("node {id}: no witness"))
                    })?;
                    let input = inputs[0];
                    let proof = self
                        .maxpool(spec, w, *first_col, taps, &wit.tables[input], input, t)
                        .map_err(layer(id))?;
                    steps.push(proof);
                }
                Step::Linear(_) | Step::MatMul(_) => {}
            }
            match &plan.steps[id] {
                Step::Requant { .. } | Step::MaxPool { .. } => {
                    timing.lookups += step_clock.elapsed()
                }
                _ => timing.sumchecks += step_clock.elapsed(),
            }
        }
        Ok(steps)
    }

    /// A claim on weight column `col` becomes a claim on its place in `IN`.
    fn weight_claim(&mut self, col: usize, c: &SymClaim) -> Result<(), LayerError> {
        let claim = self.tree.weight_claim(col, c, self.in_id).map_err(drift)?;
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

    /// Takes a layer's mask and randomizers from the schedule.
    pub(super) fn take(&mut self, shape: &ZkShape) -> Result<(ZkIds, ZkSecrets), LayerError> {
        match self
            .cursor
            .take(&Group::Layer(shape.clone()))
            .map_err(drift)?
        {
            (first, Secret::Layer(s)) => Ok((layer_ids(shape, first), s)),
            _ => Err(drift(ProtocolError::Zk("layer randomness expected".into()))),
        }
    }

    /// Takes a range check's randomness from the schedule.
    pub(super) fn take_range(
        &mut self,
        spec: &ZkRangeSpec,
    ) -> Result<(usize, ZkRangeRandomness), LayerError> {
        match self
            .cursor
            .take(&Group::Range(spec.clone()))
            .map_err(drift)?
        {
            (first, Secret::Range(r)) => Ok((first, r)),
            _ => Err(drift(ProtocolError::Zk("range randomness expected".into()))),
        }
    }

    /// Range check of the limbs, the zero-check, and the identity at the range check's point:
    /// returns the step proof and the claim on the requantized node.
    fn requant(
        &mut self,
        spec: &RequantSpec,
        w: &RequantWitness,
        first_col: usize,
        t: &mut Transcript,
    ) -> Result<(ZkStepProof, SymClaim), LayerError> {
        let layout = spec.layout()?;
        let rspec = layout.range_spec(spec.num_vars);
        let (first, randomness) = self.take_range(&rspec.zk())?;
        let col = |c: RequantColumn| first_col + layout.column_index(c);
        let limb_ids = (0..layout.num_limbs())
            .map(|i| col(RequantColumn::Limb(i)))
            .collect();
        let ids = range_ids(
            &rspec.zk(),
            limb_ids,
            col(RequantColumn::Multiplicities),
            first,
        );
        let (range, forms, at) =
            zk_range::prove_at(&rspec, &w.limb_refs(), &w.mults, randomness, &ids, t)
                .map_err(range_err)?;
        self.forms.extend(forms);
        let zero_check = match requant::zk::shape(spec)? {
            Some(shape) => {
                let (ids, secrets) = self.take(&shape)?;
                let (proof, forms) = requant::zk::prove(spec, w, first_col, &ids, secrets, t)?;
                self.forms.extend(forms);
                Some(proof)
            }
            None => None,
        };
        let identity = requant::zk::identity(spec, first_col, &at)?;
        self.forms.extend(identity.columns);
        Ok((ZkStepProof::Requant { range, zero_check }, identity.input))
    }

    /// Range check of the differences' limbs, the zero-check, the identity, and one wiring per
    /// window cell to the input.
    #[allow(clippy::too_many_arguments)]
    fn maxpool(
        &mut self,
        spec: &MaxPoolSpec,
        w: &MaxPoolWitness,
        first_col: usize,
        taps: &[SparseMap],
        input_table: &[F],
        input: usize,
        t: &mut Transcript,
    ) -> Result<ZkStepProof, LayerError> {
        let rspec = spec.range_spec();
        let (first, randomness) = self.take_range(&rspec.zk())?;
        let limb_cols: Vec<usize> = (0..spec.taps)
            .flat_map(|k| (0..spec.limbs).map(move |l| MaxPoolColumn::Limb(k, l)))
            .map(|c| c.index(spec))
            .collect();
        let limbs: Vec<&[F]> = limb_cols.iter().map(|&i| w.columns[i].as_slice()).collect();
        let mults = &w.columns[MaxPoolColumn::Multiplicities.index(spec)];
        let ids = range_ids(
            &rspec.zk(),
            limb_cols.iter().map(|&i| first_col + i).collect(),
            first_col + MaxPoolColumn::Multiplicities.index(spec),
            first,
        );
        let (range, forms, at) =
            zk_range::prove_at(&rspec, &limbs, mults, randomness, &ids, t).map_err(range_err)?;
        self.forms.extend(forms);
        let (zids, secrets) = self.take(&maxpool::zk::shape(spec)?)?;
        let (pool, mc) = maxpool::zk::prove(spec, w, first_col, &zids, secrets, t)?;
        self.forms.extend(mc.columns);
        self.forms
            .extend(maxpool::zk::identity(spec, first_col, &at)?);
        if mc.taps.len() != taps.len() {
            return Err(LayerError::PartCount {
                layer: "maxpool",
                expected: taps.len(),
                got: mc.taps.len(),
            });
        }
        let mut wirings = vec![];
        for (map, claim) in taps.iter().zip(mc.taps) {
            let (p, cl) = self.wiring(&[map], &[input_table], &[claim], t)?;
            self.push_all(&[input], cl);
            wirings.push(p);
        }
        Ok(ZkStepProof::MaxPool {
            range,
            pool,
            taps: wirings,
        })
    }

    pub(super) fn wiring(
        &mut self,
        maps: &[&SparseMap],
        inputs: &[&[F]],
        claims: &[SymClaim],
        t: &mut Transcript,
    ) -> Result<(wiring::WiringProof<Zk>, Vec<SymClaim>), zkinfer_layers::LayerError> {
        let (ids, secrets) = self.take(&wiring::shape(maps)?)?;
        wiring::prove::<Zk>(maps, inputs, claims, &ids, secrets, self.lookup, t)
    }

    /// Flat output -> product -> (weights, patches) -> input.
    fn matmul(
        &mut self,
        mm: &MatMulStep,
        wit: &Witness,
        weights: &[Vec<F>],
        input: usize,
        pending: Vec<SymClaim>,
        t: &mut Transcript,
    ) -> Result<ZkStepProof, zkinfer_layers::LayerError> {
        let no_claim = zkinfer_layers::LayerError::NoClaims { layer: "matmul" };
        let w = &weights[mm.weight_col];
        let bias = mm.bias_col.map(|c| weights[c].as_slice());
        let x = mm.patches.apply(&wit.tables[input]);
        // The product's table includes the bias; the matmul proves `w x`, the bias being a hidden
        // term of its claim (unbias).
        let prod = crate::prove::product(mm.shape, w, &x, bias);
        let (to_prod, cl) = self.wiring(&[&mm.to_prod], &[&prod], &pending, t)?;
        let prod_claim = cl.into_iter().next().ok_or(no_claim)?;
        let prod_claim = unbias(self.tree, mm, prod_claim, self.in_id).map_err(drift)?;
        let (ids, secrets) = self.take(&schedule::matmul_shape(mm))?;
        let (matmul, mc) = matmul::prove::<Zk>(
            schedule::unbiased(mm.shape),
            w,
            &x,
            None,
            &prod_claim,
            &ids,
            secrets,
            self.lookup,
            t,
        )?;
        self.weight_claim(mm.weight_col, &mc.weight)?;
        let (patches, cl) = self.wiring(&[&mm.patches], &[&wit.tables[input]], &[mc.input], t)?;
        self.push_all(&[input], cl);
        Ok(ZkStepProof::MatMul {
            to_prod,
            matmul,
            patches,
        })
    }
}

fn range_err(e: zk_range::ZkRangeError) -> LayerError {
    LayerError::Parameter {
        layer: "range (zk)",
        detail: e.to_string(),
    }
}
