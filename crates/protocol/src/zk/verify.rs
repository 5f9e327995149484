//! The zero-knowledge verifier: the reference for [`super::prove`]'s schedule. It trusts only the
//! verifier key and fixes its own parameters.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{EF, F, encode_signed};
use zkinfer_layers::zk::{SymClaim, ZkIds, ZkShape, matmul as zk_matmul, wiring as zk_wiring};
use zkinfer_layers::{Claim, SparseMap, mle_eval};
use zkinfer_pcs::{HidingPcs, OpeningShape, Pcs, hiding_soundness, soundness_bits};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::Transcript;

use super::hidden::{self, Cursor, Need};
use super::schedule::{self, layer_needs};
use super::{ZkModelProof, ZkStepProof};
use crate::plan::{Plan, Step};
use crate::prove::pcs_claims;
use crate::reduce::verify_reduction;
use crate::route::LABEL_OUTPUT_POINT;
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::{ProtocolError, Verified, VerifierKey, model_hash, pcs_params};

fn structure(what: impl Into<String>) -> ProtocolError {
    ProtocolError::Structure(what.into())
}

fn encode_padded(values: &[i64], len: usize, what: &str) -> Result<Vec<F>, ProtocolError> {
    let mut out = values
        .iter()
        .map(|&v| encode_signed(v))
        .collect::<Result<Vec<F>, _>>()
        .map_err(|e| ProtocolError::Malformed(format!("{what}: {e}")))?;
    out.resize(len.max(out.len()), F::default());
    Ok(out)
}

/// Verifies a zero-knowledge proof that the model of `vk` maps the public `input` to `output`.
pub fn verify_zk(
    vk: &VerifierKey,
    input: &[i64],
    output: &[i64],
    proof: &ZkModelProof,
) -> Result<Verified, ProtocolError> {
    if model_hash(&vk.architecture) != vk.model_hash {
        return Err(ProtocolError::Malformed(
            "verifier key: model hash does not match its architecture".into(),
        ));
    }
    let arch = &vk.architecture;
    let plan = Plan::compile(arch)?;
    let node = |id: usize| {
        arch.nodes
            .get(id)
            .ok_or_else(|| structure("node id out of range"))
    };
    let (in_node, out_node) = (node(plan.input)?, node(plan.output)?);
    let len = |s: &[usize]| s.iter().product::<usize>();
    if input.len() != len(&in_node.shape) || output.len() != len(&out_node.shape) {
        return Err(ProtocolError::Malformed(format!(
            "input has {} values and output {}, the model takes {} and gives {}",
            input.len(),
            output.len(),
            len(&in_node.shape),
            len(&out_node.shape)
        )));
    }
    if let Some(v) = input.iter().find(|v| v.abs() > in_node.bound) {
        return Err(ProtocolError::Malformed(format!(
            "input value {v} exceeds the model's input bound {}",
            in_node.bound
        )));
    }
    let node_inputs: Vec<Vec<usize>> = arch.nodes.iter().map(|n| n.inputs.clone()).collect();
    let needs = schedule::needs(&plan, &node_inputs, output.len())?;
    let witness_vars: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    let layout = hidden::layout(&witness_vars, &needs)?;

    let mut t = Transcript::new(&zk_statement(
        &vk.model_hash,
        &vk.weight_commitment,
        ZkInput::Public(input),
        output,
    )?);
    let pcs = Pcs::new(pcs_params());
    let hpcs = HidingPcs::new(hiding_params());
    let pcs_err = |what| move |source| ProtocolError::Pcs { what, source };
    let zk_err = |e: zkinfer_zk::ZkError| ProtocolError::Zk(e.to_string());
    let weight_shapes: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    pcs.observe_commitment(&vk.weight_commitment, &weight_shapes, &mut t)
        .map_err(pcs_err("weights"))?;
    zkinfer_zk::observe_commitment(&hpcs, &layout, &proof.hidden_commitment, &mut t)
        .map_err(zk_err)?;

    let unit = vec![(); needs.len()];
    let mut walk = Walk {
        cursor: Cursor::new(witness_vars.len(), needs, unit),
        forms: vec![],
        weights: vec![],
        pending: vec![vec![]; plan.steps.len()],
    };
    let layer = |id: usize| {
        move |source| ProtocolError::Layer {
            node: id,
            name: arch
                .nodes
                .get(id)
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            source,
        }
    };
    let view = SparseMap::identity(output.len());
    let r = t.sample_ext_vec(LABEL_OUTPUT_POINT, view.out_vars());
    let y = encode_padded(output, 1 << view.out_vars(), "output")?;
    let out_claim = SymClaim::public(Claim {
        value: mle_eval(&y, &r),
        point: r,
    });
    let cl = walk
        .wiring(&[&view], &[out_claim], &proof.output_view, &mut t)
        .map_err(layer(plan.output))?;
    walk.push_all(&[plan.output], cl);
    let x = encode_padded(
        input,
        1usize << plan.node_vars.get(plan.input).copied().unwrap_or(0),
        "input",
    )?;

    let has = schedule::has_claims(&plan, &node_inputs);
    let mut steps = proof.steps.iter();
    for (id, step) in plan.steps.iter().enumerate().rev() {
        let pending = walk
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
            Step::Input => {
                for c in pending {
                    let value = mle_eval(&x, &c.point);
                    if c.value.hidden.is_empty() {
                        if c.value.public != value {
                            return Err(structure("a claim on the public input is false"));
                        }
                    } else {
                        walk.forms.push(FormClaim::equal(c.value, value));
                    }
                }
            }
            Step::Fused => {}
            Step::Weight(col) => {
                for c in pending {
                    let claim = c
                        .public_claim()
                        .ok_or_else(|| structure(format!("node {id}: hidden weight claim")))?;
                    walk.weights.push((*col, claim));
                }
            }
            Step::Linear(maps) if reached => {
                let Some(ZkStepProof::Linear(p)) = steps.next() else {
                    return Err(structure(format!(
                        "node {id}: expected a linear step proof"
                    )));
                };
                let refs: Vec<&SparseMap> = maps.iter().collect();
                if refs.len() != inputs.len() {
                    return Err(structure(format!("node {id}: input count")));
                }
                let cl = walk.wiring(&refs, &pending, p, &mut t).map_err(layer(id))?;
                walk.push_all(inputs, cl);
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
                let cl = walk
                    .wiring(&[&mm.to_prod], &pending, to_prod, &mut t)
                    .map_err(layer(id))?;
                let prod_claim = cl
                    .into_iter()
                    .next()
                    .ok_or_else(|| structure("matmul: no product claim"))?;
                let ids = walk.take(&zk_matmul::shape(mm.shape, false))?;
                let mc = zk_matmul::verify(mm.shape, &prod_claim, &ids, matmul, &mut t)
                    .map_err(layer(id))?;
                let weight = mc
                    .weight
                    .public_claim()
                    .ok_or_else(|| structure(format!("node {id}: hidden weight claim")))?;
                walk.weights.push((mm.weight_col, weight));
                match (mm.bias_col, mc.bias) {
                    (Some(col), Some(b)) => walk.weights.push((col, b)),
                    (None, None) => {}
                    _ => return Err(structure(format!("node {id}: bias mismatch"))),
                }
                let cl = walk
                    .wiring(&[&mm.patches], &[mc.input], patches, &mut t)
                    .map_err(layer(id))?;
                walk.push_all(&[input], cl);
            }
            Step::Requant { .. } | Step::MaxPool { .. } => {
                return Err(ProtocolError::Unsupported(format!(
                    "node {id}: zero-knowledge requantization and max pooling are not built yet"
                )));
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
    }
    if steps.next().is_some() {
        return Err(structure("the proof has more steps than the model"));
    }
    walk.cursor.finish()?;

    let weights = verify_reduction(
        &weight_shapes,
        &walk.weights,
        &proof.weight_reduction,
        &mut t,
    )?;
    let with_values: Vec<(zkinfer_pcs::Claim, EF)> = pcs_claims(&weights)
        .into_iter()
        .zip(weights.iter().map(|(_, c)| c.value))
        .collect();
    pcs.verify(
        &vk.weight_commitment,
        &weight_shapes,
        &with_values,
        &proof.weight_opening,
        &mut t,
    )
    .map_err(pcs_err("weights"))?;
    let claims: Vec<_> = walk.forms.into_iter().map(hidden::linear_claim).collect();
    zkinfer_zk::verify(
        &hpcs,
        &layout,
        &proof.hidden_commitment,
        &claims,
        &proof.opening,
        &mut t,
    )
    .map_err(zk_err)?;

    let params = pcs_params();
    let weight_shape = OpeningShape {
        num_vars: weight_shapes.clone(),
        claim_polys: weights.iter().map(|(c, _)| *c).collect(),
    };
    let bits = soundness_bits(&params, &weight_shape)
        .map_err(pcs_err("weights"))?
        .min(
            hiding_soundness(&hiding_params(), layout.num_vars(), 2)
                .map_err(pcs_err("hidden"))?
                .bits,
        )
        .min(interactive_bits(proof));
    Ok(Verified {
        soundness_bits: bits,
    })
}

/// The union bound over every round of the proof's sumchecks, as for the plain proof but with the
/// masked sumchecks' higher degrees: each round message of degree `d` carries `d + 1` values of
/// 16 bytes and fails with probability at most `d / |EF|`, so bytes / 16 bounds the sum of degrees.
fn interactive_bits(proof: &ZkModelProof) -> f64 {
    let bytes = postcard::to_allocvec(proof)
        .map(|b| b.len())
        .unwrap_or(usize::MAX) as f64;
    zkinfer_field::challenge_field_bits() - (bytes / 16.0).max(1.0).log2()
}

/// The verifier's state during the walk.
struct Walk {
    cursor: Cursor<()>,
    forms: Vec<FormClaim<EF>>,
    weights: Vec<(usize, Claim)>,
    pending: Vec<Vec<SymClaim>>,
}

impl Walk {
    fn push_all(&mut self, targets: &[usize], claims: Vec<SymClaim>) {
        for (&i, c) in targets.iter().zip(claims) {
            if let Some(p) = self.pending.get_mut(i) {
                p.push(c);
            }
        }
    }

    /// A layer's ids, taken from the schedule.
    fn take(&mut self, shape: &ZkShape) -> Result<ZkIds, ProtocolError> {
        let mut needs = layer_needs(shape).into_iter();
        let mask = match needs.next() {
            Some(n @ Need::Mask { .. }) => self.cursor.take(n)?.0,
            _ => return Err(ProtocolError::Zk("a layer without a mask".into())),
        };
        let mut randomizers = vec![];
        for n in needs {
            randomizers.push(self.cursor.take(n)?.0);
        }
        Ok(ZkIds { mask, randomizers })
    }

    fn wiring(
        &mut self,
        maps: &[&SparseMap],
        claims: &[SymClaim],
        proof: &zkinfer_layers::zk::wiring::ZkWiringProof,
        t: &mut Transcript,
    ) -> Result<Vec<SymClaim>, zkinfer_layers::LayerError> {
        let shape = zk_wiring::shape(maps)?;
        let ids = self
            .take(&shape)
            .map_err(|e| zkinfer_layers::LayerError::Parameter {
                layer: "zk schedule",
                detail: e.to_string(),
            })?;
        zk_wiring::verify(maps, claims, &ids, proof, t)
    }
}
