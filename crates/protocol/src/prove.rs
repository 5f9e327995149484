//! The model prover. It follows [`crate::verify`] step for step.

use std::time::{Duration, Instant};

use zkinfer_field::{F, PrimeCharacteristicRing, encode_signed};
use zkinfer_layers::{
    Claim, Plain, SparseMap, matmul, maxpool, mle_eval, no_hidden, requant, wiring,
};
use zkinfer_pcs::{Pcs, ProverData};
use zkinfer_transcript::Transcript;

use crate::error::layer_error;
use crate::keys::{commit_tables, strip_weights, weight_tables};
use crate::phase::Phase;
use crate::plan::{MatMulStep, Plan, Step};
use crate::reduce::{pcs_claims, prove_reduction};
use crate::route::{Claims, LABEL_OUTPUT_POINT, refuse_fused_claims, requant_column};
use crate::witness::{self, Witness};
use crate::{ModelProof, ProtocolError, ProverKey, StepProof, model_hash, pcs_params, statement};

/// Wall time of the prover's phases.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProveTiming {
    /// Reference evaluation and witness columns.
    pub witness: Duration,
    /// Weight recommitment and witness commitment.
    pub commit: Duration,
    /// Every layer's sumchecks and lookups (the sum of the next two).
    pub layers: Duration,
    /// Of `layers`: wiring and matmul sumchecks.
    pub sumchecks: Duration,
    /// Of `layers`: requantization and max-pooling proofs (range checks, zero-checks).
    pub lookups: Duration,
    /// The two batched openings.
    pub openings: Duration,
}

impl ProveTiming {
    /// The phases in milliseconds, in field order.
    pub fn as_ms(&self) -> [f64; 4] {
        [self.witness, self.commit, self.layers, self.openings].map(|d| d.as_secs_f64() * 1000.0)
    }
}

/// Runs the model on `input` (already quantized) and proves the result. Returns the output (the
/// reference evaluator's, bit for bit) and the proof.
pub fn prove(pk: &ProverKey, input: &[i64]) -> Result<(Vec<i64>, ModelProof), ProtocolError> {
    prove_timed(pk, input).map(|(out, proof, _)| (out, proof))
}

/// [`prove`], also returning the time spent in each phase. Commits to the weights again (the
/// commitment's prover data is not stored in the key); to prove many inputs, use a [`Prover`].
pub fn prove_timed(
    pk: &ProverKey,
    input: &[i64],
) -> Result<(Vec<i64>, ModelProof, ProveTiming), ProtocolError> {
    let clock = Instant::now();
    let prepared = Prepared::new(pk)?;
    let prepare = clock.elapsed();
    let clock = Instant::now();
    crate::phase::enter(Phase::Commit);
    let data = prepared.commit(pk)?;
    let commit = clock.elapsed();
    let (output, proof, mut timing) =
        prove_with(pk, &prepared, WeightData::Owned(Box::new(data)), input)?;
    timing.witness += prepare;
    timing.commit += commit;
    Ok((output, proof, timing))
}

/// What every proof of one model shares: the plan, the model hash and the weight tables.
pub(crate) struct Prepared {
    pub plan: Plan,
    pub hash: [u8; 32],
    pub weights: Vec<Vec<F>>,
}

impl Prepared {
    pub fn new(pk: &ProverKey) -> Result<Self, ProtocolError> {
        let plan = Plan::compile(&pk.model)?;
        let weights = weight_tables(&pk.model, &plan)?;
        crate::weight_range::check_widths(&plan, &weights)?;
        Ok(Self {
            hash: model_hash(&strip_weights(&pk.model)),
            plan,
            weights,
        })
    }

    /// Commits to the weights and checks the commitment is the key's.
    pub fn commit(&self, pk: &ProverKey) -> Result<ProverData, ProtocolError> {
        let (commitment, data) = commit_tables(self.weights.clone())?;
        if &commitment != pk.weight_commitment()? {
            return Err(ProtocolError::WeightMismatch);
        }
        Ok(data)
    }
}

/// The weight commitment's prover data: owned by a one-shot proof (opened without a copy), or
/// shared by a [`Prover`]'s proofs (each opening copies it).
pub(crate) enum WeightData<'a> {
    Owned(Box<ProverData>),
    Shared(&'a ProverData),
}

/// Proves `input` with the weights already committed.
pub(crate) fn prove_with(
    pk: &ProverKey,
    prepared: &Prepared,
    weight_data: WeightData<'_>,
    input: &[i64],
) -> Result<(Vec<i64>, ModelProof, ProveTiming), ProtocolError> {
    crate::phase::enter(Phase::Witness);
    let clock = Instant::now();
    refuse_fused_claims(&prepared.plan, &pk.model)?;
    let trace = zkinfer_ir::evaluate(&pk.model, &[input.to_vec()])?;
    let evaluated = clock.elapsed();
    let (output, proof, mut timing) = prove_trace(pk, prepared, weight_data, input, trace)?;
    timing.witness += evaluated;
    Ok((output, proof, timing))
}

/// Proves `input` from the trace `trace` (the reference evaluator's, for an honest prover; the
/// tests' cheating provers pass forged ones).
pub(crate) fn prove_trace(
    pk: &ProverKey,
    prepared: &Prepared,
    weight_data: WeightData<'_>,
    input: &[i64],
    trace: zkinfer_ir::Trace,
) -> Result<(Vec<i64>, ModelProof, ProveTiming), ProtocolError> {
    let weight_commitment = pk.weight_commitment()?;
    let mut timing = ProveTiming::default();
    let clock = Instant::now();
    let model = &pk.model;
    let Prepared {
        plan,
        hash,
        weights,
    } = prepared;
    let output = trace.values[plan.output].clone();
    let mut t = Transcript::new(&statement(hash, weight_commitment, input, &output)?);
    let pcs = Pcs::new(pcs_params());
    let pcs_err = |what| move |source| ProtocolError::Pcs { what, source };

    timing.witness = clock.elapsed();
    crate::phase::enter(Phase::Commit);
    let clock = Instant::now();
    let weight_shapes: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    pcs.observe_commitment(weight_commitment, &weight_shapes, &mut t)
        .map_err(pcs_err("weights"))?;
    let before_build = timing.witness;
    let wclock = Instant::now();
    let ranges = crate::weight_range::witnesses(plan, weights)?;
    let wit = witness::build(model, plan, &trace, &ranges)?;
    timing.witness += wclock.elapsed();
    let witness_data = if wit.columns.is_empty() {
        None
    } else {
        Some(
            pcs.commit(wit.columns.clone(), &mut t)
                .map_err(pcs_err("witness"))?,
        )
    };

    // Commitment time is everything since `clock` except the witness build in the middle.
    timing.commit = clock
        .elapsed()
        .saturating_sub(timing.witness.saturating_sub(before_build));
    crate::phase::enter(Phase::Layers);
    let clock = Instant::now();
    let mut claims = Claims::new(plan.steps.len());
    let view = SparseMap::identity(output.len());
    let r = t.sample_ext_vec(LABEL_OUTPUT_POINT, view.out_vars());
    let y: Vec<F> = output
        .iter()
        .map(|&v| encode_signed(v).unwrap_or(F::ZERO))
        .collect();
    let out_claim = Claim {
        value: mle_eval(&y, &r),
        point: r,
    };
    let (output_view, cl) = wire(&[&view], &[&wit.tables[plan.output]], &[out_claim], &mut t)
        .map_err(layer_error(model, plan.output))?;
    for c in cl {
        claims.push(plan.output, c);
    }

    let mut steps = vec![];
    for id in (0..plan.steps.len()).rev() {
        let step_clock = Instant::now();
        let pending = claims.take(id);
        let inputs = &model.nodes[id].inputs;
        match &plan.steps[id] {
            Step::Input | Step::Fused => {}
            Step::Weight(col) => claims
                .weights
                .extend(pending.into_iter().map(|c| (*col, c))),
            Step::Linear(maps) if !pending.is_empty() => {
                let refs: Vec<&SparseMap> = maps.iter().collect();
                let tables: Vec<&[F]> = inputs.iter().map(|&i| wit.tables[i].as_slice()).collect();
                let (proof, cl) =
                    wire(&refs, &tables, &pending, &mut t).map_err(layer_error(model, id))?;
                for (&i, c) in inputs.iter().zip(cl) {
                    claims.push(i, c);
                }
                steps.push(StepProof::Linear(proof));
            }
            Step::MatMul(mm) if !pending.is_empty() => {
                let proof =
                    prove_matmul(mm, &wit, weights, inputs[0], pending, &mut claims, &mut t)
                        .map_err(layer_error(model, id))?;
                steps.push(proof);
            }
            Step::Requant {
                spec,
                first_col,
                input,
            } => {
                let col = plan.node_col[id].unwrap_or(*first_col);
                claims.witness.extend(pending.into_iter().map(|c| (col, c)));
                let w = wit.requants[id]
                    .as_ref()
                    .ok_or_else(|| ProtocolError::Malformed(format!("node {id}: no witness")))?;
                let (proof, rc) =
                    requant::prove(spec, w, &mut t).map_err(layer_error(model, id))?;
                let layout = spec.layout().map_err(layer_error(model, id))?;
                for (c, claim) in rc.columns {
                    claims
                        .witness
                        .push((requant_column(*first_col, &layout, c), claim));
                }
                claims.push(*input, rc.input);
                steps.push(StepProof::Requant(proof));
            }
            Step::MaxPool {
                spec,
                first_col,
                taps,
            } => {
                claims
                    .witness
                    .extend(pending.into_iter().map(|c| (*first_col, c)));
                let w = wit.maxpools[id]
                    .as_ref()
                    .ok_or_else(|| ProtocolError::Malformed(format!("node {id}: no witness")))?;
                let (pool, mc) = maxpool::prove(spec, w, &mut t).map_err(layer_error(model, id))?;
                for (c, claim) in mc.columns {
                    claims.witness.push((first_col + c.index(spec), claim));
                }
                let mut wirings = vec![];
                for (map, claim) in taps.iter().zip(mc.taps) {
                    let (p, cl) = wire(&[map], &[&wit.tables[inputs[0]]], &[claim], &mut t)
                        .map_err(layer_error(model, id))?;
                    for c in cl {
                        claims.push(inputs[0], c);
                    }
                    wirings.push(p);
                }
                steps.push(StepProof::MaxPool {
                    pool,
                    taps: wirings,
                });
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
        match &plan.steps[id] {
            Step::Requant { .. } | Step::MaxPool { .. } => timing.lookups += step_clock.elapsed(),
            _ => timing.sumchecks += step_clock.elapsed(),
        }
    }

    let step_clock = Instant::now();
    let weight_range = crate::weight_range::prove(plan, weights, &ranges, &mut claims, &mut t)?;
    timing.lookups += step_clock.elapsed();
    timing.layers = clock.elapsed();
    crate::phase::enter(Phase::Openings);
    let clock = Instant::now();
    // Each opening is the commitment's last use: `open_once` avoids copying the codeword.
    let (witness_commitment, witness_reduction, witness_opening) = match witness_data {
        Some((commitment, data)) => {
            let (reduction, reduced) = prove_reduction(&wit.columns, &claims.witness, &mut t)?;
            let (opening, _) = pcs
                .open_once(data, &pcs_claims(&reduced), &mut t)
                .map_err(pcs_err("witness"))?;
            (Some(commitment), reduction, Some(opening))
        }
        None => (None, vec![], None),
    };
    let (weight_reduction, reduced) = prove_reduction(weights, &claims.weights, &mut t)?;
    let (weight_opening, _) = match weight_data {
        WeightData::Owned(data) => pcs.open_once(*data, &pcs_claims(&reduced), &mut t),
        WeightData::Shared(data) => pcs.open(data, &pcs_claims(&reduced), &mut t),
    }
    .map_err(pcs_err("weights"))?;
    let proof = ModelProof {
        witness_commitment,
        output_view,
        steps,
        weight_range,
        witness_reduction,
        weight_reduction,
        witness_opening,
        weight_opening,
    };
    timing.openings = clock.elapsed();
    Ok((output, proof, timing))
}

/// Flat output -> product -> (weights, patches) -> input.
fn prove_matmul(
    mm: &MatMulStep,
    wit: &Witness,
    weights: &[Vec<F>],
    input: usize,
    pending: Vec<Claim>,
    claims: &mut Claims,
    t: &mut Transcript,
) -> Result<StepProof, zkinfer_layers::LayerError> {
    let s = mm.shape;
    let w = &weights[mm.weight_col];
    let bias = mm.bias_col.map(|c| weights[c].as_slice());
    let x = mm.patches.apply(&wit.tables[input]);
    let prod = product(s, w, &x, bias);
    let (to_prod, cl) = wire(&[&mm.to_prod], &[&prod], &pending, t)?;
    let prod_claim = cl
        .into_iter()
        .next()
        .ok_or(zkinfer_layers::LayerError::NoClaims { layer: "matmul" })?;
    let (matmul, mc) = matmul::prove::<Plain>(s, w, &x, bias, &prod_claim, &(), (), &no_hidden, t)?;
    claims.weights.push((mm.weight_col, mc.weight));
    if let (Some(col), Some(b)) = (mm.bias_col, mc.bias) {
        claims.weights.push((col, b));
    }
    let (patches, cl) = wire(&[&mm.patches], &[&wit.tables[input]], &[mc.input], t)?;
    for c in cl {
        claims.push(input, c);
    }
    Ok(StepProof::MatMul {
        to_prod,
        matmul,
        patches,
    })
}

/// `prod[o, p] = sum_k w[o, k] x[k, p] + bias[o]` on the padded domains.
pub(crate) fn product(
    s: zkinfer_layers::matmul::MatMulShape,
    w: &[F],
    x: &[F],
    bias: Option<&[F]>,
) -> Vec<F> {
    let (o_len, k_len, p_len) = (1 << s.o_vars, 1 << s.k_vars, 1 << s.p_vars);
    let mut prod = vec![F::ZERO; o_len * p_len];
    for o in 0..o_len {
        let row = &mut prod[o * p_len..(o + 1) * p_len];
        if let Some(b) = bias {
            row.iter_mut().for_each(|v| *v = b[o]);
        }
        for k in 0..k_len {
            let wv = w[o * k_len + k];
            if wv == F::ZERO {
                continue;
            }
            for (v, &xv) in row.iter_mut().zip(&x[k * p_len..(k + 1) * p_len]) {
                *v += wv * xv;
            }
        }
    }
    prod
}

/// A plain wiring proof: no hidden data, no randomness of its own.
fn wire(
    maps: &[&SparseMap],
    inputs: &[&[F]],
    claims: &[Claim],
    t: &mut Transcript,
) -> Result<wiring::Proven<Plain>, zkinfer_layers::LayerError> {
    wiring::prove::<Plain>(maps, inputs, claims, &(), (), &no_hidden, t)
}
