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

use zkinfer_field::EF;
use zkinfer_layers::maxpool::{MaxPoolColumn, MaxPoolSpec};
use zkinfer_layers::range::zk::{self as zk_range, ZkRangeProof};
use zkinfer_layers::requant::{RequantColumn, RequantSpec};
use zkinfer_layers::zk::{SymClaim, ZkIds, ZkShape};
use zkinfer_layers::{Claim, LayerError, SparseMap, maxpool, mle_eval, requant};
use zkinfer_layers::{Zk, matmul, wiring};
use zkinfer_pcs::{HidingPcs, hiding_soundness};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::Transcript;

use super::hidden::{self, Cursor, Group, layer_ids, range_ids};
use super::input::{
    LABEL_INPUT_VALUE, commitment_vars, input_range_spec, link_claim, link_point, q_vars,
    range_identities,
};
use super::schedule::{self, weights_first};
use super::weights::{WeightTree, padding_digest, top_claim, unbias};
use super::{LABEL_WEIGHT_HASH_POINT, ZkModelProof, ZkStepProof};
use crate::output::check_output;
use crate::plan::{Plan, Step};
use crate::route::{LABEL_OUTPUT_POINT, claim_on_fused};
use crate::soundness::ErrorBudget;
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::verify::{encode_padded, structure};
use crate::{ProtocolError, Verified, VerifierKey};

/// Verifies a zero-knowledge proof that the model of `vk` maps the public `input` to `output`.
pub fn verify_zk(
    vk: &VerifierKey,
    input: &[i64],
    output: &[i64],
    proof: &ZkModelProof,
) -> Result<Verified, ProtocolError> {
    verify_zk_with(vk, Some(input), output, proof)
}

/// Verifies a zero-knowledge proof with a private input: the model of `vk` maps the input
/// committed in `proof.input_commitment` to `output`.
pub fn verify_zk_private(
    vk: &VerifierKey,
    output: &[i64],
    proof: &ZkModelProof,
) -> Result<Verified, ProtocolError> {
    verify_zk_with(vk, None, output, proof)
}

/// [`verify_zk`] (`Some(input)`) or [`verify_zk_private`] (`None`).
pub fn verify_zk_with(
    vk: &VerifierKey,
    input: Option<&[i64]>,
    output: &[i64],
    proof: &ZkModelProof,
) -> Result<Verified, ProtocolError> {
    // The mode first: a plain key is refused before anything else is read.
    vk.weight_digest()?;
    let plan = crate::verify::compile_key(vk)?;
    verify_zk_plan(vk, &plan, input, output, proof)
}

/// [`verify_zk_with`] with the plan compiled: the walk (tests run it on plans the compiler
/// refuses, to check the walk's own refusals).
pub(crate) fn verify_zk_plan(
    vk: &VerifierKey,
    plan: &Plan,
    input: Option<&[i64]>,
    output: &[i64],
    proof: &ZkModelProof,
) -> Result<Verified, ProtocolError> {
    let weight_digest = vk.weight_digest()?;
    let arch = &vk.architecture;
    let node = |id: usize| {
        arch.nodes
            .get(id)
            .ok_or_else(|| structure("node id out of range"))
    };
    let (in_node, out_node) = (node(plan.input)?, node(plan.output)?);
    let len = |s: &[usize]| s.iter().product::<usize>();
    if output.len() != len(&out_node.shape) {
        return Err(ProtocolError::Malformed(format!(
            "output has {} values, the model gives {}",
            output.len(),
            len(&out_node.shape)
        )));
    }
    check_output(arch, plan.output, output)?;
    let private = match (
        input,
        &proof.input_commitment,
        &proof.input_value,
        &proof.input_opening,
    ) {
        (Some(_), None, None, None) => None,
        (None, Some(c), Some(v), Some(o)) => Some((c, *v, o)),
        (Some(_), ..) => {
            return Err(structure(
                "the proof commits to a private input, but an input was given",
            ));
        }
        (None, ..) => {
            return Err(structure(
                "no input given, and the proof does not commit to one",
            ));
        }
    };
    if let Some(input) = input {
        if input.len() != len(&in_node.shape) {
            return Err(ProtocolError::Malformed(format!(
                "input has {} values, the model takes {}",
                input.len(),
                len(&in_node.shape)
            )));
        }
        if let Some(v) = input
            .iter()
            .find(|v| v.unsigned_abs() > in_node.bound.unsigned_abs())
        {
            return Err(ProtocolError::Malformed(format!(
                "input value {v} exceeds the model's input bound {}",
                in_node.bound
            )));
        }
    }
    let node_inputs: Vec<Vec<usize>> = arch.nodes.iter().map(|n| n.inputs.clone()).collect();
    let input_vars = plan.node_vars.get(plan.input).copied().unwrap_or(0);
    let bound = in_node.bound;
    let input_range = match &private {
        Some(_) => Some(input_range_spec(input_vars, bound)?),
        None => None,
    };
    let weight_vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let tree = WeightTree::new(&weight_vars)?;
    let groups = schedule::groups(
        plan,
        &node_inputs,
        output.len(),
        input_range.as_ref(),
        &tree,
    )?;
    let mut base_vars: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    let in_id = base_vars.len();
    base_vars.push(tree.in_vars());
    let n = base_vars.len();
    let (x_id, r_id, up_id, down_id, m_id) = (n, n + 1, n + 2, n + 3, n + 4);
    if let Some(spec) = &input_range {
        base_vars.extend(q_vars(input_vars, spec.bits));
    }
    let layout = hidden::layout(&base_vars, &groups)?;

    let statement_input = match (input, &private) {
        (Some(x), _) => ZkInput::Public(x),
        (None, Some((c, ..))) => ZkInput::Committed(c),
        (None, None) => return Err(structure("no input")),
    };
    let mut t = Transcript::new(&zk_statement(
        &vk.model_hash,
        weight_digest,
        statement_input,
        output,
    )?);
    let hpcs = HidingPcs::new(hiding_params());
    let pcs_err = |what| move |source| ProtocolError::Pcs { what, source };
    let zk_err = |e: zkinfer_settle::ZkError| ProtocolError::Zk(e.to_string());
    if let Some((c, ..)) = &private {
        hpcs.observe_commitment(c, commitment_vars(input_vars), &mut t)
            .map_err(pcs_err("input"))?;
    }
    zkinfer_settle::observe_commitment(&hpcs, &layout, &proof.hidden_commitment, &mut t)
        .map_err(zk_err)?;
    let mut forms = vec![];
    if let Some((c, v, opening)) = &private {
        let point = link_point(&mut t, input_vars);
        t.observe_ext(LABEL_INPUT_VALUE, &[*v]);
        forms.push(link_claim(&point, x_id, r_id, *v));
        hpcs.verify(
            c,
            commitment_vars(input_vars),
            &[(point, *v)],
            opening,
            &mut t,
        )
        .map_err(pcs_err("input"))?;
    }

    let unit = vec![(); groups.len()];
    let mut walk = Walk {
        cursor: Cursor::new(base_vars.len(), groups, unit),
        forms,
        tree: &tree,
        in_id,
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
    match (&input_range, &proof.input_range) {
        (Some(spec), Some(range)) => {
            let zspec = spec.zk();
            let (first, ()) = walk.cursor.take(&Group::Range(zspec.clone()))?;
            let ids = range_ids(&zspec, vec![up_id, down_id], m_id, first);
            let (forms, at) = zk_range::verify_at(spec, range, &ids, &mut t)
                .map_err(|e| ProtocolError::Zk(format!("input range check: {e}")))?;
            walk.forms.extend(forms);
            walk.forms
                .extend(range_identities(&at, x_id, up_id, down_id, bound)?);
        }
        (None, None) => {}
        _ => {
            return Err(structure(
                "an input range check is present iff the input is private",
            ));
        }
    }

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
        input.unwrap_or(&[]),
        1usize << plan.node_vars.get(plan.input).copied().unwrap_or(0),
        "input",
    )?;

    let has = schedule::has_claims(plan, &node_inputs);
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
            Step::Input if private.is_some() => {
                walk.forms
                    .extend(pending.iter().map(|c| c.to_form_claim(x_id)));
            }
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
            Step::Fused if !pending.is_empty() => return Err(claim_on_fused(arch, id)),
            Step::Fused => {}
            Step::Weight(col) => {
                for c in pending {
                    walk.weight_claim(*col, &c)?;
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
                let cl = walk.wiring(&refs, &pending, p, &mut t).map_err(layer(id))?;
                walk.push_all(&targets, cl);
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
                let prod_claim = unbias(&tree, mm, prod_claim, in_id)?;
                let ids = walk.take(&schedule::matmul_shape(mm)).map_err(layer(id))?;
                let mc = matmul::verify::<Zk>(
                    schedule::unbiased(mm.shape),
                    &prod_claim,
                    &ids,
                    matmul,
                    &mut t,
                )
                .map_err(layer(id))?;
                if mc.bias.is_some() {
                    return Err(structure(format!("node {id}: bias mismatch")));
                }
                walk.weight_claim(mm.weight_col, &mc.weight)?;
                let cl = walk
                    .wiring(&[&mm.patches], &[mc.input], patches, &mut t)
                    .map_err(layer(id))?;
                walk.push_all(&[input], cl);
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
                walk.forms
                    .extend(pending.iter().map(|c| c.to_form_claim(col)));
                let claim = walk
                    .requant(spec, *first_col, range, zero_check.as_ref(), &mut t)
                    .map_err(layer(id))?;
                walk.push_all(&[*input], vec![claim]);
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
                walk.forms
                    .extend(pending.iter().map(|c| c.to_form_claim(*first_col)));
                let input = *inputs
                    .first()
                    .ok_or_else(|| structure("max pooling without input"))?;
                walk.maxpool(spec, *first_col, taps, range, pool, wirings, input, &mut t)
                    .map_err(layer(id))?;
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
    }
    if steps.next().is_some() {
        return Err(structure("the proof has more steps than the model"));
    }
    let forms = super::weight_range::verify(
        plan,
        &proof.weight_range,
        &tree,
        in_id,
        &mut walk.cursor,
        &mut t,
    )?;
    walk.forms.extend(forms);

    // The weight hash: the copy of the weights in IN hashes to the key's digest.
    let r = t.sample_ext_vec(LABEL_WEIGHT_HASH_POINT, tree.claim_vars());
    let top = top_claim(&tree, &r, weight_digest, &padding_digest(), in_id)?;
    let mut hash_ids = vec![];
    for g in schedule::hash_groups(&tree) {
        let (first, ()) = walk.cursor.take(&g)?;
        let Group::Layer(shape) = g else {
            return Err(ProtocolError::Zk("weight hash group is not a layer".into()));
        };
        hash_ids.push(layer_ids(&shape, first));
    }
    let hash_claims = zkinfer_layers::hash::verify(
        zkinfer_poseidon2::spec::koalabear16(),
        tree.perm_vars(),
        &top,
        &hash_ids,
        &proof.weight_hash,
        &mut t,
    )
    .map_err(|e| ProtocolError::Zk(format!("weight hash: {e}")))?;
    walk.forms.extend(hash_claims.masks);
    walk.forms.push(hash_claims.input.to_form_claim(in_id));
    walk.cursor.finish()?;

    let claims: Vec<_> = walk.forms.into_iter().map(hidden::linear_claim).collect();
    zkinfer_settle::verify(
        &hpcs,
        &layout,
        &proof.hidden_commitment,
        &claims,
        &proof.opening,
        &mut t,
    )
    .map_err(zk_err)?;

    let mut budget = ErrorBudget::default();
    budget.add("sumchecks and fraction trees", interactive_bits(proof));
    budget.add_plan_lookups(plan);
    if let Some(spec) = &input_range {
        budget.add_logup(
            "private input: LogUp",
            spec.num_vars + spec.segment_vars(),
            spec.bits,
        );
        let opening = hiding_soundness(&hiding_params(), commitment_vars(input_vars), 1)
            .map_err(pcs_err("input"))?;
        budget.add("private input opening", opening.bits);
    }
    let hidden =
        hiding_soundness(&hiding_params(), layout.num_vars(), 2).map_err(pcs_err("hidden"))?;
    budget.add("hiding opening", hidden.bits);
    let (soundness_bits, soundness_terms) = budget.finish();
    Ok(Verified {
        soundness_bits,
        soundness_terms,
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
struct Walk<'t> {
    cursor: Cursor<()>,
    forms: Vec<FormClaim<EF>>,
    tree: &'t WeightTree,
    in_id: usize,
    pending: Vec<Vec<SymClaim>>,
}

impl Walk<'_> {
    /// A claim on weight column `col` becomes a claim on its place in `IN`.
    fn weight_claim(&mut self, col: usize, c: &SymClaim) -> Result<(), ProtocolError> {
        let claim = self.tree.weight_claim(col, c, self.in_id)?;
        self.forms.push(claim);
        Ok(())
    }

    fn push_all(&mut self, targets: &[usize], claims: Vec<SymClaim>) {
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

    fn wiring(
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
