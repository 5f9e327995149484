//! The zero-knowledge prover. It follows [`super::verify`] step for step.

use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::rngs::SysRng;
use zkinfer_field::{EF, F, encode_signed};
use zkinfer_layers::maxpool::{MaxPoolColumn, MaxPoolSpec, MaxPoolWitness};
use zkinfer_layers::range::zk::{self as zk_range, ZkRangeRandomness, ZkRangeSpec};
use zkinfer_layers::requant::{RequantColumn, RequantSpec, RequantWitness};
use zkinfer_layers::zk::{SymClaim, ZkIds, ZkSecrets, ZkShape};
use zkinfer_layers::{
    Claim, LayerError, SparseMap, Zk, matmul, maxpool, mle_eval, requant, wiring,
};
use zkinfer_pcs::HidingPcs;
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::Transcript;

use super::hidden::{self, Cursor, Group, Secret, layer_ids, range_ids};
use super::input::{
    InputOpening, LABEL_INPUT_VALUE, commit_input, commitment_vars, committed_table,
    input_range_spec, link_claim, link_point, q_vars, range_identities, shifted_columns,
};
use super::schedule::{self, weights_first};
use super::weights::{WeightTree, hash_witness, padding_digest, top_claim, unbias};
use super::{LABEL_WEIGHT_HASH_POINT, ZkModelProof, ZkStepProof};
use crate::plan::{MatMulStep, Step};
use crate::prove::{Prepared, ProveTiming};
use crate::route::{LABEL_OUTPUT_POINT, refuse_fused_claims};
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::witness::{self, Witness};
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
    let layer = |id: usize| {
        move |source| ProtocolError::Layer {
            node: id,
            name: model.nodes[id].name.clone(),
            source,
        }
    };

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

    let mut steps = vec![];
    let has = schedule::has_claims(plan, &node_inputs);
    for id in (0..plan.steps.len()).rev() {
        let step_clock = Instant::now();
        let pending = std::mem::take(&mut walk.pending[id]);
        if pending.is_empty() == has[id] && !matches!(plan.steps[id], Step::Weight(_)) {
            return Err(ProtocolError::Zk(format!(
                "node {id}: claims differ from the schedule"
            )));
        }
        let inputs = &model.nodes[id].inputs;
        match &plan.steps[id] {
            Step::Input if private => {
                walk.forms
                    .extend(pending.iter().map(|c| c.to_form_claim(x_id)));
            }
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
                    walk.weight_claim(*col, &c).map_err(layer(id))?;
                }
            }
            Step::Linear(maps) if !pending.is_empty() => {
                let order = weights_first(plan, inputs);
                let refs: Vec<&SparseMap> = order.iter().map(|&j| &maps[j]).collect();
                let tables: Vec<&[F]> = order
                    .iter()
                    .map(|&j| wit.tables[inputs[j]].as_slice())
                    .collect();
                let (proof, cl) = walk
                    .wiring(&refs, &tables, &pending, &mut t)
                    .map_err(layer(id))?;
                let targets: Vec<usize> = order.iter().map(|&j| inputs[j]).collect();
                walk.push_all(&targets, cl);
                steps.push(ZkStepProof::Linear(proof));
            }
            Step::MatMul(mm) if !pending.is_empty() => {
                let proof = walk
                    .matmul(mm, &wit, &prepared.weights, inputs[0], pending, &mut t)
                    .map_err(layer(id))?;
                steps.push(proof);
            }
            Step::Requant {
                spec,
                first_col,
                input,
            } => {
                let col = plan.node_col[id].unwrap_or(*first_col);
                walk.forms
                    .extend(pending.iter().map(|c| c.to_form_claim(col)));
                let w = wit.requants[id]
                    .as_ref()
                    .ok_or_else(|| ProtocolError::Malformed(format!("node {id}: no witness")))?;
                let (proof, claim) = walk
                    .requant(spec, w, *first_col, &mut t)
                    .map_err(layer(id))?;
                walk.push_all(&[*input], vec![claim]);
                steps.push(proof);
            }
            Step::MaxPool {
                spec,
                first_col,
                taps,
            } => {
                walk.forms
                    .extend(pending.iter().map(|c| c.to_form_claim(*first_col)));
                let w = wit.maxpools[id]
                    .as_ref()
                    .ok_or_else(|| ProtocolError::Malformed(format!("node {id}: no witness")))?;
                let input = inputs[0];
                let proof = walk
                    .maxpool(spec, w, *first_col, taps, &wit.tables[input], input, &mut t)
                    .map_err(layer(id))?;
                steps.push(proof);
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
        match &plan.steps[id] {
            Step::Requant { .. } | Step::MaxPool { .. } => timing.lookups += step_clock.elapsed(),
            _ => timing.sumchecks += step_clock.elapsed(),
        }
    }
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

/// The prover's state during the walk.
struct Walk<'a, 'l> {
    cursor: Cursor<Secret>,
    lookup: &'l dyn Fn(usize) -> Option<&'a [F]>,
    forms: Vec<FormClaim<EF>>,
    tree: &'l WeightTree,
    in_id: usize,
    pending: Vec<Vec<SymClaim>>,
}

/// The weight hash's errors, named as a layer's.
fn hash_err(e: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::Zk(format!("weight hash: {e}"))
}

fn drift(e: ProtocolError) -> LayerError {
    LayerError::Parameter {
        layer: "zk schedule",
        detail: e.to_string(),
    }
}

impl<'a> Walk<'a, '_> {
    /// A claim on weight column `col` becomes a claim on its place in `IN`.
    fn weight_claim(&mut self, col: usize, c: &SymClaim) -> Result<(), LayerError> {
        let claim = self.tree.weight_claim(col, c, self.in_id).map_err(drift)?;
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

    /// Takes a layer's mask and randomizers from the schedule.
    fn take(&mut self, shape: &ZkShape) -> Result<(ZkIds, ZkSecrets), LayerError> {
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
    fn take_range(&mut self, spec: &ZkRangeSpec) -> Result<(usize, ZkRangeRandomness), LayerError> {
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

    fn wiring(
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
