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

use zkinfer_layers::range::zk as zk_range;
use zkinfer_layers::zk::SymClaim;
use zkinfer_layers::{Claim, SparseMap, mle_eval};
use zkinfer_pcs::{HidingPcs, hiding_soundness};
use zkinfer_transcript::Transcript;

use super::hidden::{self, Cursor, Group, layer_ids, range_ids};
use super::input::{
    LABEL_INPUT_VALUE, commitment_vars, input_range_spec, link_claim, link_point, q_vars,
    range_identities,
};
use super::schedule;
use super::weights::{WeightTree, padding_digest, top_claim};
use super::{LABEL_WEIGHT_HASH_POINT, ZkModelProof};
use crate::error::layer_error;
use crate::output::check_output;
use crate::plan::Plan;
use crate::route::LABEL_OUTPUT_POINT;
use crate::soundness::ErrorBudget;
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::verify::{encode_padded, structure};
use crate::{ProtocolError, Verified, VerifierKey};

use super::verify_walk::{Steps, Walk};

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
    let layer = |id: usize| layer_error(arch, id);
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

    walk.steps(
        &Steps {
            vk,
            plan,
            node_inputs: &node_inputs,
            private: private.is_some(),
            x_id,
            x: &x,
        },
        &proof.steps,
        &mut t,
    )?;
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
