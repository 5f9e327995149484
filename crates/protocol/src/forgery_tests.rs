//! Forged proofs of false outputs (soundness issue, items 2 and 4), in both modes: each test has a
//! cheating prover make an internally consistent proof of an output no admissible run gives, and
//! asserts that the verifiers reject it for the reason the fix added.
//!
//! - Item 2: a ReLU that is a model output was fused into the requantization reading it, and both
//!   verifiers dropped the claims on a fused node, so its output was never checked (a negative
//!   "ReLU output" verified). Now the compiler refuses to fuse it (setup refuses the model, naming
//!   the node), both verifiers refuse claims on a fused node, and both provers refuse a plan that
//!   routes claims to one.
//! - Item 4: an output beyond its node's static bound verified whenever the proof was otherwise
//!   consistent (weights committed beyond the recorded bounds; the setup is trusted for their
//!   magnitudes). Now both verifiers check `|y_i| <= bound` first.

use zkinfer_ir::{Trace, evaluate};

use crate::plan::{Plan, Step};
use crate::prove::{Prepared, WeightData, prove_trace, prove_with};
use crate::route::refuse_fused_claims;
use crate::test_support::{Rng, input_len, linear, relu_output};
use crate::verify::verify_plan;
use crate::zk::{prove_zk_trace, verify_zk_plan};
use crate::{
    ModelProof, ProofMode, ProtocolError, ProverBinding, ProverKey, VerifierKey, WeightBinding,
    model_hash, setup, strip_weights, verify, verify_zk,
};

/// The verifier's half of a prover key's binding.
fn public_binding(b: &ProverBinding) -> WeightBinding {
    match b {
        ProverBinding::Plain { weight_commitment } => WeightBinding::Plain {
            weight_commitment: weight_commitment.clone(),
        },
        ProverBinding::ZeroKnowledge { weight_digest, .. } => WeightBinding::ZeroKnowledge {
            weight_digest: *weight_digest,
        },
    }
}

/// Keys and prover state for `relu_output` as the setup made them before the fix: the model as
/// it is, and the plan that fused its output ReLU. The compiler now refuses that plan; it is the
/// plan of the same model with the requantization as output (where the fusion is legitimate),
/// pointed at the ReLU. The weights (one dense matrix) are laid out alike either way, so the
/// commitment, salt and digest come from the setup of that legitimate model.
struct OldSetup {
    pk: ProverKey,
    vk: VerifierKey,
    prepared: Prepared,
    relu: usize,
}

fn old_setup(mode: ProofMode) -> OldSetup {
    let model = relu_output(1);
    let relu = model.outputs[0];
    let mut fusable = model.clone();
    fusable.outputs = vec![model.nodes.len() - 1];
    let mut plan = Plan::compile(&fusable).unwrap();
    assert!(matches!(plan.steps[relu], Step::Fused));
    plan.output = relu;
    let (pk_fusable, _) = setup(fusable, mode).unwrap();
    let weights = Prepared::new(&pk_fusable).unwrap().weights;
    let pk = ProverKey {
        model: model.clone(),
        ..pk_fusable
    };
    let architecture = strip_weights(&model);
    let vk = VerifierKey {
        model_hash: model_hash(&architecture),
        architecture,
        binding: public_binding(&pk.binding),
    };
    let prepared = Prepared {
        plan,
        hash: vk.model_hash,
        weights,
    };
    OldSetup {
        pk,
        vk,
        prepared,
        relu,
    }
}

impl OldSetup {
    fn input(&self) -> Vec<i64> {
        Rng(2).vec(input_len(&self.pk.model), 127)
    }

    /// The honest trace with a negative value written into the ReLU's output.
    fn forged_trace(&self, input: &[i64]) -> Trace {
        let mut trace = evaluate(&self.pk.model, &[input.to_vec()]).unwrap();
        trace.values[self.relu][0] = -5;
        trace
    }

    fn weight_data(&self) -> WeightData<'static> {
        WeightData::Owned(Box::new(self.prepared.commit(&self.pk).unwrap()))
    }

    fn assert_claim_on_fused(&self, r: Result<impl std::fmt::Debug, ProtocolError>) {
        match r {
            Err(ProtocolError::ClaimOnFused { node, name }) => {
                assert_eq!((node, name.as_str()), (self.relu, "relu"));
            }
            other => panic!("expected a refused claim on the fused ReLU, got {other:?}"),
        }
    }
}

/// The verifier compiles the architecture itself and refuses a ReLU output (naming it).
fn assert_refused_relu_output<T: std::fmt::Debug>(r: Result<T, ProtocolError>) {
    match r {
        Err(ProtocolError::Unsupported(m)) => {
            assert!(m.contains("(relu)") && m.contains("model output"), "{m}");
        }
        other => panic!("expected the ReLU output to be refused, got {other:?}"),
    }
}

#[test]
fn plain_forged_negative_relu_output_is_rejected() {
    let fx = old_setup(ProofMode::Plain);
    let input = fx.input();
    let (out, proof, _) = prove_trace(
        &fx.pk,
        &fx.prepared,
        fx.weight_data(),
        &input,
        fx.forged_trace(&input),
    )
    .unwrap();
    assert!(out[0] < 0, "the forged output has a negative ReLU value");
    assert_refused_relu_output(verify(&fx.vk, &input, &out, &proof));
    fx.assert_claim_on_fused(verify_plan(&fx.vk, &fx.prepared.plan, &input, &out, &proof));
}

#[test]
fn zk_forged_negative_relu_output_is_rejected() {
    let fx = old_setup(ProofMode::ZeroKnowledge);
    let input = fx.input();
    let forged =
        prove_zk_trace(&fx.pk, &fx.prepared, &input, false, fx.forged_trace(&input)).unwrap();
    let (out, proof) = (forged.output, forged.proof);
    assert!(out[0] < 0, "the forged output has a negative ReLU value");
    assert_refused_relu_output(verify_zk(&fx.vk, &input, &out, &proof));
    fx.assert_claim_on_fused(verify_zk_plan(
        &fx.vk,
        &fx.prepared.plan,
        Some(&input),
        &out,
        &proof,
    ));
}

/// Setup refuses the model, naming the ReLU; both provers refuse the old plan before proving.
#[test]
fn a_relu_output_is_refused_by_setup_and_both_provers() {
    assert_refused_relu_output(setup(relu_output(1), ProofMode::Plain));
    assert_refused_relu_output(setup(relu_output(1), ProofMode::ZeroKnowledge));
    let fx = old_setup(ProofMode::Plain);
    let input = fx.input();
    fx.assert_claim_on_fused(prove_with(&fx.pk, &fx.prepared, fx.weight_data(), &input));
    assert_refused_relu_output(crate::prove(&fx.pk, &input));
    // The zero-knowledge prover runs the same check before its walk.
    let fx = old_setup(ProofMode::ZeroKnowledge);
    fx.assert_claim_on_fused(refuse_fused_claims(&fx.prepared.plan, &fx.pk.model));
    assert_refused_relu_output(crate::prove_zk(&fx.pk, &input));
}

/// Control: with the requantization as output, the ReLU is fused legitimately (no claim reaches
/// it), and the honest proof of that plan verifies in both modes.
#[test]
fn a_fused_relu_that_receives_no_claim_still_proves() {
    let requant_output = |mode| {
        let mut fx = old_setup(mode);
        let q = fx.pk.model.nodes.len() - 1;
        fx.pk.model.outputs = vec![q];
        fx.vk.architecture.outputs = vec![q];
        fx.vk.model_hash = model_hash(&fx.vk.architecture);
        fx.prepared.plan.output = q;
        fx.prepared.hash = fx.vk.model_hash;
        fx
    };
    let fx = requant_output(ProofMode::Plain);
    let input = fx.input();
    let (out, proof, _) = prove_with(&fx.pk, &fx.prepared, fx.weight_data(), &input).unwrap();
    verify(&fx.vk, &input, &out, &proof).unwrap();
    let fx = requant_output(ProofMode::ZeroKnowledge);
    let z = prove_zk_trace(
        &fx.pk,
        &fx.prepared,
        &input,
        false,
        evaluate(&fx.pk.model, std::slice::from_ref(&input)).unwrap(),
    )
    .unwrap();
    verify_zk(&fx.vk, &input, &z.output, &z.proof).unwrap();
}

/// A key whose architecture under-states an output's bound (below what the widths give, and below
/// the true output): the model owner's honest proof of the true output is consistent in every other
/// respect. Returns the keys, the prover state with the key's model hash, the input, and the
/// recorded bound.
fn lying_bound(mode: ProofMode) -> (ProverKey, VerifierKey, Prepared, Vec<i64>, i64) {
    let (pk, mut vk) = setup(linear(3), mode).unwrap();
    let input = Rng(4).vec(input_len(&pk.model), 127);
    let id = pk.model.outputs[0];
    let honest = &evaluate(&pk.model, std::slice::from_ref(&input))
        .unwrap()
        .values[id];
    let bound = honest.iter().map(|v| v.abs()).max().unwrap() - 1;
    assert!(bound >= 0 && bound < pk.model.nodes[id].bound);
    vk.architecture.nodes[id].bound = bound;
    vk.model_hash = model_hash(&vk.architecture);
    let mut prepared = Prepared::new(&pk).unwrap();
    prepared.hash = vk.model_hash;
    (pk, vk, prepared, input, bound)
}

/// `r` is the bound check's refusal of the first value of `out` beyond `bound` (node 1, "d", is
/// the output of `linear`).
fn assert_out_of_bound<T: std::fmt::Debug>(r: Result<T, ProtocolError>, out: &[i64], bound: i64) {
    let index = out
        .iter()
        .position(|v| v.unsigned_abs() > bound.unsigned_abs())
        .unwrap();
    match r {
        Err(ProtocolError::OutputOutOfBound {
            node,
            name,
            index: i,
            value,
            bound: b,
        }) => assert_eq!(
            (node, name.as_str(), i, value, b),
            (1, "d", index, out[index], bound)
        ),
        other => panic!("expected output {index} to be out of bound, got {other:?}"),
    }
}

/// The verifier recomputes every bound from the key's widths, so a key that under-states one is
/// refused before the proof is read (the output check behind it is covered below and in
/// `output.rs`).
fn assert_lying_key<T: std::fmt::Debug>(r: Result<T, ProtocolError>, bound: i64) {
    match r {
        Err(ProtocolError::Malformed(m)) => assert!(
            m.contains(&format!("recorded bound {bound} but the widths give")),
            "{m}"
        ),
        other => panic!("expected the key's bound to be refused, got {other:?}"),
    }
}

#[test]
fn plain_output_beyond_its_static_bound_is_rejected() {
    let (pk, vk, prepared, input, bound) = lying_bound(ProofMode::Plain);
    let data = prepared.commit(&pk).unwrap();
    let (out, proof, _) =
        prove_with(&pk, &prepared, WeightData::Owned(Box::new(data)), &input).unwrap();
    assert!(out.iter().any(|v| v.abs() > bound));
    assert_lying_key(verify(&vk, &input, &out, &proof), bound);
}

#[test]
fn zk_output_beyond_its_static_bound_is_rejected() {
    let (pk, vk, prepared, input, bound) = lying_bound(ProofMode::ZeroKnowledge);
    let trace = evaluate(&pk.model, std::slice::from_ref(&input)).unwrap();
    let z = prove_zk_trace(&pk, &prepared, &input, false, trace).unwrap();
    assert!(z.output.iter().any(|v| v.abs() > bound));
    assert_lying_key(verify_zk(&vk, &input, &z.output, &z.proof), bound);
}

/// Values that are no small signed integers (beyond the field's signed range) are refused by the
/// bound check itself, before the statement is built, in both modes; a wrong value within the
/// bound is refused later, by the proof.
#[test]
fn outputs_beyond_the_field_are_refused_by_the_bound_check_first() {
    let model = linear(5);
    let input = Rng(6).vec(input_len(&model), 127);
    let (pk, vk) = setup(model.clone(), ProofMode::Plain).unwrap();
    let (zpk, zvk) = setup(model, ProofMode::ZeroKnowledge).unwrap();
    let (out, proof): (Vec<i64>, ModelProof) = crate::prove(&pk, &input).unwrap();
    let (zout, zproof) = crate::prove_zk(&zpk, &input).unwrap();
    assert_eq!(out, zout);
    let bound = vk.architecture.nodes[vk.architecture.outputs[0]].bound;
    let p = zkinfer_ir::KOALA_BEAR_P;
    for bad in [bound + 1, -bound - 1, p - 1, (p - 1) / 2, i64::MIN] {
        let mut y = out.clone();
        y[1] = bad;
        assert_out_of_bound(verify(&vk, &input, &y, &proof), &y, bound);
        assert_out_of_bound(verify_zk(&zvk, &input, &y, &zproof), &y, bound);
        assert_out_of_bound(crate::verify_zk_private(&zvk, &y, &zproof), &y, bound);
    }
    let mut y = out.clone();
    y[1] = if y[1] < bound { y[1] + 1 } else { y[1] - 1 };
    assert!(!matches!(
        verify(&vk, &input, &y, &proof),
        Err(ProtocolError::OutputOutOfBound { .. }) | Ok(_)
    ));
}
