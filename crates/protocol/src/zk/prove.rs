//! The zero-knowledge prover. It follows [`super::verify`] step for step.

use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::rngs::SysRng;
use zkinfer_field::{EF, F, encode_signed};
use zkinfer_layers::zk::{
    SymClaim, ZkIds, ZkSecrets, ZkShape, matmul as zk_matmul, wiring as zk_wiring,
};
use zkinfer_layers::{Claim, SparseMap, mle_eval};
use zkinfer_pcs::{HidingPcs, Pcs};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::Transcript;

use super::hidden::{self, Cursor, Need, Sample};
use super::schedule::{self, layer_needs};
use super::{ZkModelProof, ZkStepProof};
use crate::plan::{MatMulStep, Step};
use crate::prove::{Prepared, ProveTiming, pcs_claims};
use crate::reduce::prove_reduction;
use crate::route::LABEL_OUTPUT_POINT;
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::witness::{self, Witness};
use crate::{ProtocolError, ProverKey, pcs_params};

/// Runs the model on `input` (quantized) and proves the result in zero knowledge (public input).
pub fn prove_zk(pk: &ProverKey, input: &[i64]) -> Result<(Vec<i64>, ZkModelProof), ProtocolError> {
    prove_zk_timed(pk, input).map(|(o, p, _)| (o, p))
}

/// [`prove_zk`], with the time of each phase.
pub fn prove_zk_timed(
    pk: &ProverKey,
    input: &[i64],
) -> Result<(Vec<i64>, ZkModelProof, ProveTiming), ProtocolError> {
    let mut timing = ProveTiming::default();
    let clock = Instant::now();
    let prepared = Prepared::new(pk)?;
    let model = &pk.model;
    let plan = &prepared.plan;
    let trace = zkinfer_ir::evaluate(model, &[input.to_vec()])?;
    let output = trace.values[plan.output].clone();
    let wit = witness::build(model, plan, &trace)?;
    let node_inputs: Vec<Vec<usize>> = model.nodes.iter().map(|n| n.inputs.clone()).collect();
    let needs = schedule::needs(plan, &node_inputs, output.len())?;
    timing.witness = clock.elapsed();

    let clock = Instant::now();
    let weight_data = prepared.commit(pk)?;
    let mut t = Transcript::new(&zk_statement(
        &prepared.hash,
        &pk.weight_commitment,
        ZkInput::Public(input),
        &output,
    )?);
    let pcs = Pcs::new(pcs_params());
    let hpcs = HidingPcs::new(hiding_params());
    let pcs_err = |what| move |source| ProtocolError::Pcs { what, source };
    let weight_shapes: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    pcs.observe_commitment(&pk.weight_commitment, &weight_shapes, &mut t)
        .map_err(pcs_err("weights"))?;

    let mut rng = StdRng::try_from_rng(&mut SysRng)
        .map_err(|e| ProtocolError::Zk(format!("operating-system randomness: {e}")))?;
    let samples: Vec<Sample> = needs.iter().map(|&n| Sample::draw(n, &mut rng)).collect();
    let vectors: Vec<Vec<F>> = samples.iter().map(Sample::vector).collect();
    let witness_vars: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    let layout = hidden::layout(&witness_vars, &needs)?;
    let mut segments: Vec<&[F]> = wit.columns.iter().map(Vec::as_slice).collect();
    segments.extend(vectors.iter().map(Vec::as_slice));
    let zk_err = |e: zkinfer_zk::ZkError| ProtocolError::Zk(e.to_string());
    let (hidden_commitment, committed) =
        zkinfer_zk::commit(&hpcs, &layout, &segments, &mut rng, &mut t).map_err(zk_err)?;
    timing.commit = clock.elapsed();

    let clock = Instant::now();
    let lookup = |id: usize| -> Option<&[F]> {
        wit.columns
            .get(id)
            .or_else(|| vectors.get(id.checked_sub(wit.columns.len())?))
            .map(Vec::as_slice)
    };
    let mut walk = Walk {
        cursor: Cursor::new(wit.columns.len(), needs, samples),
        lookup: &lookup,
        forms: vec![],
        weights: vec![],
        pending: vec![vec![]; plan.steps.len()],
    };
    let layer = |id: usize| {
        move |source| ProtocolError::Layer {
            node: id,
            name: model.nodes[id].name.clone(),
            source,
        }
    };

    let view = SparseMap::identity(output.len());
    let r = t.sample_ext_vec(LABEL_OUTPUT_POINT, view.out_vars());
    let y: Vec<F> = output
        .iter()
        .map(|&v| encode_signed(v).unwrap_or_default())
        .collect();
    let out_claim = SymClaim::public(Claim {
        value: mle_eval(&y, &r),
        point: r,
    });
    let (output_view, cl) = walk
        .wiring(&[&view], &[&wit.tables[plan.output]], &[out_claim], &mut t)
        .map_err(layer(plan.output))?;
    walk.push_all(&[plan.output], cl);

    let mut steps = vec![];
    let has = schedule::has_claims(plan, &node_inputs);
    for id in (0..plan.steps.len()).rev() {
        let pending = std::mem::take(&mut walk.pending[id]);
        if pending.is_empty() != !has[id] && !matches!(plan.steps[id], Step::Weight(_)) {
            return Err(ProtocolError::Zk(format!(
                "node {id}: claims differ from the schedule"
            )));
        }
        let inputs = &model.nodes[id].inputs;
        match &plan.steps[id] {
            Step::Input => {
                let x = &wit.tables[id];
                for c in pending {
                    let value = mle_eval(x, &c.point);
                    if c.value.hidden.is_empty() {
                        if c.value.public != value {
                            return Err(ProtocolError::Zk("a claim on the input is false".into()));
                        }
                    } else {
                        walk.forms.push(FormClaim::equal(c.value, value));
                    }
                }
            }
            Step::Fused => {}
            Step::Weight(col) => {
                for c in pending {
                    let claim = c.public_claim().ok_or_else(|| {
                        ProtocolError::Zk(format!("node {id}: a weight claim has a hidden part"))
                    })?;
                    walk.weights.push((*col, claim));
                }
            }
            Step::Linear(maps) if !pending.is_empty() => {
                let refs: Vec<&SparseMap> = maps.iter().collect();
                let tables: Vec<&[F]> = inputs.iter().map(|&i| wit.tables[i].as_slice()).collect();
                let (proof, cl) = walk
                    .wiring(&refs, &tables, &pending, &mut t)
                    .map_err(layer(id))?;
                walk.push_all(inputs, cl);
                steps.push(ZkStepProof::Linear(proof));
            }
            Step::MatMul(mm) if !pending.is_empty() => {
                let proof = walk
                    .matmul(mm, &wit, &prepared.weights, inputs[0], pending, &mut t)
                    .map_err(layer(id))?;
                steps.push(proof);
            }
            Step::Requant { .. } | Step::MaxPool { .. } => {
                return Err(ProtocolError::Unsupported(format!(
                    "node {id}: zero-knowledge requantization and max pooling are not built yet"
                )));
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
    }
    walk.cursor.finish()?;
    timing.layers = clock.elapsed();
    timing.sumchecks = timing.layers;

    let clock = Instant::now();
    let (weight_reduction, reduced) = prove_reduction(&prepared.weights, &walk.weights, &mut t)?;
    let (weight_opening, _) = pcs
        .open_once(weight_data, &pcs_claims(&reduced), &mut t)
        .map_err(pcs_err("weights"))?;
    let claims: Vec<_> = walk.forms.into_iter().map(hidden::linear_claim).collect();
    let opening = zkinfer_zk::prove(&hpcs, committed, &claims, &mut t).map_err(zk_err)?;
    timing.openings = clock.elapsed();
    Ok((
        output,
        ZkModelProof {
            hidden_commitment,
            output_view,
            steps,
            weight_reduction,
            weight_opening,
            opening,
        },
        timing,
    ))
}

/// The prover's state during the walk.
struct Walk<'a, 'l> {
    cursor: Cursor<Sample>,
    lookup: &'l dyn Fn(usize) -> Option<&'a [F]>,
    forms: Vec<FormClaim<EF>>,
    weights: Vec<(usize, Claim)>,
    pending: Vec<Vec<SymClaim>>,
}

impl<'a> Walk<'a, '_> {
    fn push_all(&mut self, targets: &[usize], claims: Vec<SymClaim>) {
        for (&i, c) in targets.iter().zip(claims) {
            if let Some(p) = self.pending.get_mut(i) {
                p.push(c);
            }
        }
    }

    /// Takes a layer's mask and randomizers from the schedule.
    fn take(&mut self, shape: &ZkShape) -> Result<(ZkIds, ZkSecrets), zkinfer_layers::LayerError> {
        let drift = |e: ProtocolError| zkinfer_layers::LayerError::Parameter {
            layer: "zk schedule",
            detail: e.to_string(),
        };
        let mut needs = layer_needs(shape).into_iter();
        let Some(Need::Mask { .. }) = needs.next() else {
            return Err(drift(ProtocolError::Zk("no mask".into())));
        };
        let mask_need = Need::Mask {
            num_vars: shape.num_vars,
            degree: shape.degree,
        };
        let (mask_id, mask) = self.cursor.take(mask_need).map_err(drift)?;
        let Sample::Mask(mask) = mask else {
            return Err(drift(ProtocolError::Zk("mask expected".into())));
        };
        let mut ids = ZkIds {
            mask: mask_id,
            randomizers: vec![],
        };
        let mut randomizers = vec![];
        for need in needs {
            let (id, s) = self.cursor.take(need).map_err(drift)?;
            let Sample::Coeffs(c) = s else {
                return Err(drift(ProtocolError::Zk("coefficients expected".into())));
            };
            ids.randomizers.push(id);
            randomizers.push(c);
        }
        Ok((ids, ZkSecrets { mask, randomizers }))
    }

    fn wiring(
        &mut self,
        maps: &[&SparseMap],
        inputs: &[&[F]],
        claims: &[SymClaim],
        t: &mut Transcript,
    ) -> Result<
        (zkinfer_layers::zk::wiring::ZkWiringProof, Vec<SymClaim>),
        zkinfer_layers::LayerError,
    > {
        let (ids, secrets) = self.take(&zk_wiring::shape(maps)?)?;
        zk_wiring::prove(maps, inputs, claims, &ids, secrets, self.lookup, t)
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
        let prod = crate::prove::product(mm.shape, w, &x, bias);
        let (to_prod, cl) = self.wiring(&[&mm.to_prod], &[&prod], &pending, t)?;
        let prod_claim = cl.into_iter().next().ok_or(no_claim)?;
        let (ids, secrets) = self.take(&zk_matmul::shape(mm.shape, false))?;
        let (matmul, mc) = zk_matmul::prove(
            mm.shape,
            w,
            &x,
            bias,
            &prod_claim,
            &ids,
            secrets,
            self.lookup,
            t,
        )?;
        let weight = mc
            .weight
            .public_claim()
            .ok_or(zkinfer_layers::LayerError::Parameter {
                layer: "matmul",
                detail: "weight claim with a hidden part".into(),
            })?;
        self.weights.push((mm.weight_col, weight));
        if let (Some(col), Some(b)) = (mm.bias_col, mc.bias) {
            self.weights.push((col, b));
        }
        let (patches, cl) = self.wiring(&[&mm.patches], &[&wit.tables[input]], &[mc.input], t)?;
        self.push_all(&[input], cl);
        Ok(ZkStepProof::MatMul {
            to_prod,
            matmul,
            patches,
        })
    }
}
