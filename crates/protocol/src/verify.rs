//! The model verifier: the reference for the prover's schedule. It trusts only the verifier key
//! (architecture, model hash, weight commitment) and fixes its own parameters.

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
use zkinfer_layers::{Claim, Plain, SparseMap, matmul, maxpool, mle_eval, requant, wiring};
use zkinfer_pcs::{OpeningShape, Pcs, soundness_bits};
use zkinfer_transcript::Transcript;

use crate::error::layer_error;
use crate::output::check_output;
use crate::plan::{Plan, Step};
use crate::reduce::{pcs_claims, verify_reduction};
use crate::route::{Claims, LABEL_OUTPUT_POINT, claim_on_fused, requant_column};
use crate::soundness::ErrorBudget;
use crate::{ModelProof, ProtocolError, StepProof, VerifierKey, model_hash, pcs_params, statement};

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// Provable soundness of the whole proof, in bits: `-log2` of the sum of every part's error
    /// (`crate::soundness`).
    pub soundness_bits: f64,
    /// The parts, each as `-log2` of its own error.
    pub soundness_terms: Vec<crate::SoundnessTerm>,
}

pub(crate) fn structure(what: impl Into<String>) -> ProtocolError {
    ProtocolError::Structure(what.into())
}

/// `values` encoded as field elements and zero-padded to `len`.
pub(crate) fn encode_padded(
    values: &[i64],
    len: usize,
    what: &str,
) -> Result<Vec<F>, ProtocolError> {
    let mut out = values
        .iter()
        .map(|&v| encode_signed(v))
        .collect::<Result<Vec<F>, _>>()
        .map_err(|e| ProtocolError::Malformed(format!("{what}: {e}")))?;
    out.resize(len.max(out.len()), F::default());
    Ok(out)
}

/// Verifies that `proof` shows the model of `vk` maps `input` to `output` (both quantized).
pub fn verify(
    vk: &VerifierKey,
    input: &[i64],
    output: &[i64],
    proof: &ModelProof,
) -> Result<Verified, ProtocolError> {
    // The mode first: a zero-knowledge key is refused before anything else is read.
    vk.weight_commitment()?;
    let plan = compile_key(vk)?;
    verify_plan(vk, &plan, input, output, proof)
}

/// The plan of a verifier key's architecture, after checking what the verifier relies on and
/// whoever made the key could misstate: the model hash, and every static bound (recomputed from the
/// public widths, so that no accumulator can wrap mod p under a bound the key under-states).
pub(crate) fn compile_key(vk: &VerifierKey) -> Result<Plan, ProtocolError> {
    if model_hash(&vk.architecture) != vk.model_hash {
        return Err(ProtocolError::Malformed(
            "verifier key: model hash does not match its architecture".into(),
        ));
    }
    vk.architecture
        .validate_architecture()
        .map_err(|e| ProtocolError::Malformed(format!("verifier key: {e}")))?;
    Plan::compile(&vk.architecture)
}

/// [`verify`] with the plan compiled: the walk (tests run it on plans the compiler refuses, to
/// check the walk's own refusals).
pub(crate) fn verify_plan(
    vk: &VerifierKey,
    plan: &Plan,
    input: &[i64],
    output: &[i64],
    proof: &ModelProof,
) -> Result<Verified, ProtocolError> {
    let weight_commitment = vk.weight_commitment()?;
    let arch = &vk.architecture;
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
    check_output(arch, plan.output, output)?;
    if let Some(v) = input
        .iter()
        .find(|v| v.unsigned_abs() > in_node.bound.unsigned_abs())
    {
        return Err(ProtocolError::Malformed(format!(
            "input value {v} exceeds the model's input bound {}",
            in_node.bound
        )));
    }
    let mut t = Transcript::new(&statement(
        &vk.model_hash,
        weight_commitment,
        input,
        output,
    )?);
    let pcs = Pcs::new(pcs_params());
    let pcs_err = |what| move |source| ProtocolError::Pcs { what, source };
    let weight_shapes: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let witness_shapes: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    pcs.observe_commitment(weight_commitment, &weight_shapes, &mut t)
        .map_err(pcs_err("weights"))?;
    let witness = match (
        &proof.witness_commitment,
        &proof.witness_opening,
        witness_shapes.is_empty(),
    ) {
        (Some(c), Some(o), false) => Some((c, o)),
        (None, None, true) => None,
        _ => {
            return Err(structure(
                "witness commitment present iff the model has committed columns",
            ));
        }
    };
    if let Some((c, _)) = witness {
        pcs.observe_commitment(c, &witness_shapes, &mut t)
            .map_err(pcs_err("witness"))?;
    }

    let mut claims = Claims::new(plan.steps.len());
    let view = SparseMap::identity(output.len());
    let r = t.sample_ext_vec(LABEL_OUTPUT_POINT, view.out_vars());
    let y = encode_padded(output, 1 << view.out_vars(), "output")?;
    let out_claim = Claim {
        value: mle_eval(&y, &r),
        point: r,
    };
    let layer = |id: usize| layer_error(arch, id);
    for c in wiring::verify::<Plain>(&[&view], &[out_claim], &(), &proof.output_view, &mut t)
        .map_err(layer(plan.output))?
    {
        claims.push(plan.output, c);
    }
    let x = encode_padded(
        input,
        1usize << plan.node_vars.get(plan.input).copied().unwrap_or(0),
        "input",
    )?;

    let mut steps = proof.steps.iter();
    for (id, step) in plan.steps.iter().enumerate().rev() {
        let pending = claims.take(id);
        let inputs = &node(id)?.inputs;
        match step {
            Step::Input => {
                for c in pending {
                    if mle_eval(&x, &c.point) != c.value {
                        return Err(structure("a claim on the public input is false"));
                    }
                }
            }
            Step::Fused if !pending.is_empty() => return Err(claim_on_fused(arch, id)),
            Step::Fused => {}
            Step::Weight(col) => claims
                .weights
                .extend(pending.into_iter().map(|c| (*col, c))),
            Step::Linear(maps) if !pending.is_empty() => {
                let Some(StepProof::Linear(p)) = steps.next() else {
                    return Err(structure(format!(
                        "node {id}: expected a linear step proof"
                    )));
                };
                let refs: Vec<&SparseMap> = maps.iter().collect();
                if refs.len() != inputs.len() {
                    return Err(structure(format!("node {id}: input count")));
                }
                let cl =
                    wiring::verify::<Plain>(&refs, &pending, &(), p, &mut t).map_err(layer(id))?;
                for (&i, c) in inputs.iter().zip(cl) {
                    claims.push(i, c);
                }
            }
            Step::MatMul(mm) if !pending.is_empty() => {
                let Some(StepProof::MatMul {
                    to_prod,
                    matmul: mp,
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
                let cl = wiring::verify::<Plain>(&[&mm.to_prod], &pending, &(), to_prod, &mut t)
                    .map_err(layer(id))?;
                let prod_claim = cl
                    .into_iter()
                    .next()
                    .ok_or_else(|| structure("matmul: no product claim"))?;
                let mc = matmul::verify::<Plain>(mm.shape, &prod_claim, &(), mp, &mut t)
                    .map_err(layer(id))?;
                claims.weights.push((mm.weight_col, mc.weight));
                match (mm.bias_col, mc.bias) {
                    (Some(col), Some(b)) => claims.weights.push((col, b)),
                    (None, None) => {}
                    _ => return Err(structure(format!("node {id}: bias mismatch"))),
                }
                for c in wiring::verify::<Plain>(&[&mm.patches], &[mc.input], &(), patches, &mut t)
                    .map_err(layer(id))?
                {
                    claims.push(input, c);
                }
            }
            Step::Requant {
                spec,
                first_col,
                input,
            } => {
                let Some(StepProof::Requant(p)) = steps.next() else {
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
                claims.witness.extend(pending.into_iter().map(|c| (col, c)));
                let rc = requant::verify(spec, p, &mut t).map_err(layer(id))?;
                let layout = spec.layout().map_err(layer(id))?;
                for (c, claim) in rc.columns {
                    claims
                        .witness
                        .push((requant_column(*first_col, &layout, c), claim));
                }
                claims.push(*input, rc.input);
            }
            Step::MaxPool {
                spec,
                first_col,
                taps,
            } => {
                let Some(StepProof::MaxPool {
                    pool,
                    taps: wirings,
                }) = steps.next()
                else {
                    return Err(structure(format!(
                        "node {id}: expected a max-pooling proof"
                    )));
                };
                claims
                    .witness
                    .extend(pending.into_iter().map(|c| (*first_col, c)));
                let mc = maxpool::verify(spec, pool, &mut t).map_err(layer(id))?;
                for (c, claim) in mc.columns {
                    claims.witness.push((first_col + c.index(spec), claim));
                }
                if wirings.len() != taps.len() || mc.taps.len() != taps.len() {
                    return Err(structure(format!("node {id}: one wiring per window cell")));
                }
                let input = *inputs
                    .first()
                    .ok_or_else(|| structure("max pooling without input"))?;
                for ((map, claim), p) in taps.iter().zip(mc.taps).zip(wirings) {
                    for c in wiring::verify::<Plain>(&[map], &[claim], &(), p, &mut t)
                        .map_err(layer(id))?
                    {
                        claims.push(input, c);
                    }
                }
            }
            Step::Linear(_) | Step::MatMul(_) => {}
        }
    }
    if steps.next().is_some() {
        return Err(structure("the proof has more steps than the model"));
    }
    crate::weight_range::verify(plan, &proof.weight_range, &mut claims, &mut t)?;

    let with_values = |list: &[(usize, Claim)]| -> Vec<(zkinfer_pcs::Claim, EF)> {
        pcs_claims(list)
            .into_iter()
            .zip(list.iter().map(|(_, c)| c.value))
            .collect()
    };
    let mut budget = ErrorBudget::default();
    budget.add("sumchecks and fraction trees", interactive_bits(proof));
    budget.add_plan_lookups(plan);
    if let Some((c, o)) = witness {
        claims.witness = verify_reduction(
            &witness_shapes,
            &claims.witness,
            &proof.witness_reduction,
            &mut t,
        )?;
        pcs.verify(c, &witness_shapes, &with_values(&claims.witness), o, &mut t)
            .map_err(pcs_err("witness"))?;
    } else if !claims.witness.is_empty() || !proof.witness_reduction.is_empty() {
        return Err(structure("claims on a witness that was not committed"));
    }
    claims.weights = verify_reduction(
        &weight_shapes,
        &claims.weights,
        &proof.weight_reduction,
        &mut t,
    )?;
    pcs.verify(
        weight_commitment,
        &weight_shapes,
        &with_values(&claims.weights),
        &proof.weight_opening,
        &mut t,
    )
    .map_err(pcs_err("weights"))?;

    let shape = |shapes: &[usize], list: &[(usize, Claim)]| OpeningShape {
        num_vars: shapes.to_vec(),
        claim_polys: list.iter().map(|(c, _)| *c).collect(),
    };
    let params = pcs_params();
    if witness.is_some() {
        budget.add(
            "witness opening",
            soundness_bits(&params, &shape(&witness_shapes, &claims.witness))
                .map_err(pcs_err("witness"))?,
        );
    }
    budget.add(
        "weight opening",
        soundness_bits(&params, &shape(&weight_shapes, &claims.weights))
            .map_err(pcs_err("weights"))?,
    );
    let (soundness_bits, soundness_terms) = budget.finish();
    Ok(Verified {
        soundness_bits,
        soundness_terms,
    })
}

/// Schwartz-Zippel bound of the sumchecks and lookups: each round of degree `d` fails with
/// probability at most `d / |EF|`; summed over every round in the proof (a union bound).
fn interactive_bits(proof: &ModelProof) -> f64 {
    let rounds = postcard::to_allocvec(proof)
        .map(|b| b.len())
        .unwrap_or(usize::MAX) as f64;
    // Each round message is at least 16 bytes, and degrees are at most 4: rounds * 4 bounds the sum.
    zkinfer_field::challenge_field_bits() - (rounds / 16.0 * 4.0).max(1.0).log2()
}
