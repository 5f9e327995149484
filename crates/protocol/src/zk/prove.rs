//! The zero-knowledge prover. It follows [`super::verify`] step for step.

use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::rngs::SysRng;
use zkinfer_field::{F, encode_signed};
use zkinfer_layers::range::zk as zk_range;
use zkinfer_layers::zk::SymClaim;
use zkinfer_layers::{Claim, SparseMap, mle_eval};
use zkinfer_pcs::HidingPcs;
use zkinfer_transcript::Transcript;

use super::hidden::{self, Cursor, Group, range_ids};
use super::input::{
    InputOpening, LABEL_INPUT_VALUE, commit_input, commitment_vars, committed_table,
    input_range_spec, link_claim, link_point, q_vars, range_identities, shifted_columns,
};
use super::schedule;
use super::walk::{Steps, Walk, hash_err};
use super::weights::{WeightTree, hash_witness, padding_digest, top_claim};
use super::{LABEL_WEIGHT_HASH_POINT, ZkModelProof};
use crate::error::layer_error;
use crate::prove::{Prepared, ProveTiming};
use crate::route::{LABEL_OUTPUT_POINT, refuse_fused_claims};
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::witness;
use crate::{ProtocolError, ProverKey};

/// Runs the model on `input` (quantized) and proves the result in zero knowledge (public input).
pub fn prove_zk(pk: &ProverKey, input: &[i64]) -> Result<(Vec<i64>, ZkModelProof), ProtocolError> {
    prove_zk_timed(pk, input).map(|(o, p, _)| (o, p))
}

/// [`prove_zk`], with the time of each phase.
pub fn prove_zk_timed(
    pk: &ProverKey,
    input: &[i64],
) -> Result<(Vec<i64>, ZkModelProof, ProveTiming), ProtocolError> {
    let z = prove_zk_with(pk, input, false)?;
    Ok((z.output, z.proof, z.timing))
}

/// Proves with a private input: the statement holds the input's commitment, which the proof
/// carries; the returned [`InputOpening`] lets the input's owner recompute it.
pub fn prove_zk_private(
    pk: &ProverKey,
    input: &[i64],
) -> Result<(Vec<i64>, ZkModelProof, InputOpening), ProtocolError> {
    let z = prove_zk_with(pk, input, true)?;
    let opening = z
        .opening
        .ok_or_else(|| ProtocolError::Zk("no input opening".into()))?;
    Ok((z.output, z.proof, opening))
}

/// What a zero-knowledge proof run produces.
pub struct ZkProved {
    /// The reference evaluator's output.
    pub output: Vec<i64>,
    /// The proof.
    pub proof: ZkModelProof,
    /// With a private input: what the input's owner keeps.
    pub opening: Option<InputOpening>,
    /// Time of each phase.
    pub timing: ProveTiming,
}

/// A zero-knowledge proof with a public (`private = false`) or committed input.
pub fn prove_zk_with(
    pk: &ProverKey,
    input: &[i64],
    private: bool,
) -> Result<ZkProved, ProtocolError> {
    crate::phase::enter(crate::Phase::Witness);
    let clock = Instant::now();
    let prepared = Prepared::new(pk)?;
    refuse_fused_claims(&prepared.plan, &pk.model)?;
    let trace = zkinfer_ir::evaluate(&pk.model, &[input.to_vec()])?;
    let evaluated = clock.elapsed();
    let mut z = prove_zk_trace(pk, &prepared, input, private, trace)?;
    z.timing.witness += evaluated;
    Ok(z)
}

/// [`prove_zk_with`] from the trace `trace` (the reference evaluator's, for an honest prover; the
/// tests' cheating provers pass forged ones).
pub(crate) fn prove_zk_trace(
    pk: &ProverKey,
    prepared: &Prepared,
    input: &[i64],
    private: bool,
    trace: zkinfer_ir::Trace,
) -> Result<ZkProved, ProtocolError> {
    let (weight_salt, weight_digest) = pk.weight_salt_and_digest()?;
    let mut timing = ProveTiming::default();
    let clock = Instant::now();
    let model = &pk.model;
    let plan = &prepared.plan;
    let output = trace.values[plan.output].clone();
    let ranges = crate::weight_range::witnesses(plan, &prepared.weights)?;
    let wit = witness::build(model, plan, &trace, &ranges)?;
    let node_inputs: Vec<Vec<usize>> = model.nodes.iter().map(|n| n.inputs.clone()).collect();
    let x_table = &wit.tables[plan.input];
    let input_vars = x_table.len().trailing_zeros() as usize;
    let bound = model.nodes[plan.input].bound;
    // A private input is range-checked: x + B and B - x in [0, 2^bits) (input.rs).
    let input_range = if private {
        let spec = input_range_spec(input_vars, bound)?;
        let [up, down] = shifted_columns(x_table, bound)?;
        let mults = spec
            .multiplicities(&[&up, &down])
            .map_err(|e| ProtocolError::Zk(format!("input range check: {e}")))?;
        Some((spec, up, down, mults))
    } else {
        None
    };
    let weight_vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let tree = WeightTree::new(&weight_vars)?;
    let hash = hash_witness(&tree.leaves(&prepared.weights, weight_salt)?, weight_digest)?;
    let groups = schedule::groups(
        plan,
        &node_inputs,
        output.len(),
        input_range.as_ref().map(|r| &r.0),
        &tree,
    )?;
    timing.witness = clock.elapsed();

    crate::phase::enter(crate::Phase::Commit);
    let clock = Instant::now();
    let mut rng = StdRng::try_from_rng(&mut SysRng)
        .map_err(|e| ProtocolError::Zk(format!("operating-system randomness: {e}")))?;
    let (input_commit, blinder) = if private {
        let (c, data, opening, blinder) = commit_input(input, x_table, &mut rng)?;
        (Some((c, data, opening)), blinder)
    } else {
        (None, vec![])
    };
    let statement_input = match &input_commit {
        Some((c, ..)) => ZkInput::Committed(c),
        None => ZkInput::Public(input),
    };
    let mut t = Transcript::new(&zk_statement(
        &prepared.hash,
        weight_digest,
        statement_input,
        &output,
    )?);
    let hpcs = HidingPcs::new(hiding_params());
    let pcs_err = |what| move |source| ProtocolError::Pcs { what, source };
    if let Some((c, ..)) = &input_commit {
        hpcs.observe_commitment(c, commitment_vars(input_vars), &mut t)
            .map_err(pcs_err("input"))?;
    }

    // The hidden vectors: witness columns, the weight hash's IN (which holds the weights), the
    // input's copy (private input), then the groups.
    let mut base: Vec<&[F]> = wit.columns.iter().map(Vec::as_slice).collect();
    let mut base_vars: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    let in_id = base.len();
    base.push(hash.in_table.as_slice());
    base_vars.push(tree.in_vars());
    let (x_id, r_id, up_id, down_id, m_id) = (
        base.len(),
        base.len() + 1,
        base.len() + 2,
        base.len() + 3,
        base.len() + 4,
    );
    if let Some((spec, up, down, mults)) = &input_range {
        base.extend([
            x_table.as_slice(),
            blinder.as_slice(),
            up.as_slice(),
            down.as_slice(),
            mults.as_slice(),
        ]);
        base_vars.extend(q_vars(input_vars, spec.bits));
    }
    let first_ids = Cursor::new(base.len(), groups.clone(), vec![(); groups.len()]).first_ids();
    let mut secrets = Vec::with_capacity(groups.len());
    let mut vectors: Vec<Vec<F>> = vec![];
    for (g, &first) in groups.iter().zip(&first_ids) {
        let (secret, v) = hidden::sample(g, first, &mut rng)?;
        secrets.push(secret);
        vectors.extend(v);
    }
    let layout = hidden::layout(&base_vars, &groups)?;
    let mut segments: Vec<&[F]> = base.clone();
    segments.extend(vectors.iter().map(Vec::as_slice));
    let zk_err = |e: zkinfer_settle::ZkError| ProtocolError::Zk(e.to_string());
    let (hidden_commitment, committed) =
        zkinfer_settle::commit(&hpcs, &layout, &segments, &mut rng, &mut t).map_err(zk_err)?;

    // Private input: link C_x to Q's copy at a point drawn after both commitments.
    let mut forms = vec![];
    let (input_commitment, input_value, input_opening, opening) = match input_commit {
        Some((c, data, opening)) => {
            let point = link_point(&mut t, input_vars);
            let v = mle_eval(&committed_table(x_table, &blinder), &point);
            t.observe_ext(LABEL_INPUT_VALUE, &[v]);
            forms.push(link_claim(&point, x_id, r_id, v));
            let (proof, _) = hpcs
                .open(data, std::slice::from_ref(&point), &mut t)
                .map_err(pcs_err("input"))?;
            (Some(c), Some(v), Some(proof), Some(opening))
        }
        None => (None, None, None, None),
    };
    timing.commit = clock.elapsed();

    crate::phase::enter(crate::Phase::Layers);
    let clock = Instant::now();
    let lookup = |id: usize| -> Option<&[F]> {
        base.get(id)
            .copied()
            .or_else(|| vectors.get(id.checked_sub(base.len())?).map(Vec::as_slice))
    };
    let mut walk = Walk {
        cursor: Cursor::new(base.len(), groups, secrets),
        lookup: &lookup,
        forms,
        tree: &tree,
        in_id,
        pending: vec![vec![]; plan.steps.len()],
    };
    let layer = |id: usize| layer_error(model, id);

    let input_range_proof = match &input_range {
        Some((spec, up, down, mults)) => {
            let zspec = spec.zk();
            let (first, randomness) = walk.take_range(&zspec).map_err(layer(plan.input))?;
            let ids = range_ids(&zspec, vec![up_id, down_id], m_id, first);
            let (proof, forms, at) =
                zk_range::prove_at(spec, &[up, down], mults, randomness, &ids, &mut t)
                    .map_err(|e| ProtocolError::Zk(format!("input range check: {e}")))?;
            walk.forms.extend(forms);
            walk.forms
                .extend(range_identities(&at, x_id, up_id, down_id, bound)?);
            Some(proof)
        }
        None => None,
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

    let steps = walk.steps(
        &Steps {
            model,
            prepared,
            wit: &wit,
            node_inputs: &node_inputs,
            private,
            x_id,
        },
        &mut timing,
        &mut t,
    )?;
    // The weights' widths, on their copy in IN.
    let step_clock = Instant::now();
    let (weight_range, forms) = super::weight_range::prove(
        plan,
        &prepared.weights,
        &ranges,
        &tree,
        in_id,
        &mut walk.cursor,
        &mut t,
    )?;
    walk.forms.extend(forms);
    timing.lookups += step_clock.elapsed();
    // The weight hash: the copy of the weights in IN hashes to the statement's digest.
    let step_clock = Instant::now();
    let r = t.sample_ext_vec(LABEL_WEIGHT_HASH_POINT, tree.claim_vars());
    let top = top_claim(&tree, &r, weight_digest, &padding_digest(), in_id)?;
    let rounds = zkinfer_poseidon2::spec::koalabear16();
    let mut hash_ids = vec![];
    let mut hash_secrets = vec![];
    for g in schedule::hash_groups(&tree) {
        let Group::Layer(shape) = g else {
            return Err(ProtocolError::Zk("weight hash group is not a layer".into()));
        };
        let (ids, secrets) = walk.take(&shape).map_err(hash_err)?;
        hash_ids.push(ids);
        hash_secrets.push(secrets);
    }
    let (weight_hash, hash_claims) = zkinfer_layers::hash::prove(
        rounds,
        tree.perm_vars(),
        &hash.states,
        &top,
        &hash_ids,
        hash_secrets,
        &lookup,
        &mut t,
    )
    .map_err(hash_err)?;
    walk.forms.extend(hash_claims.masks);
    walk.forms.push(hash_claims.input.to_form_claim(in_id));
    timing.sumchecks += step_clock.elapsed();
    walk.cursor.finish()?;
    timing.layers = clock.elapsed();

    crate::phase::enter(crate::Phase::Openings);
    let clock = Instant::now();
    let claims: Vec<_> = walk.forms.into_iter().map(hidden::linear_claim).collect();
    let back_end = zkinfer_settle::prove(&hpcs, committed, &claims, &mut t).map_err(zk_err)?;
    timing.openings = clock.elapsed();
    Ok(ZkProved {
        output,
        proof: ZkModelProof {
            input_commitment,
            input_value,
            input_opening,
            input_range: input_range_proof,
            hidden_commitment,
            output_view,
            steps,
            weight_range,
            weight_hash,
            opening: back_end,
        },
        opening,
        timing,
    })
}
