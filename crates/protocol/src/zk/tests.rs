//! The zero-knowledge model proof on the small models of `test_support`.

use crate::test_support::{Rng, input_len, linear};
use crate::{ProverBinding, WeightBinding, prove_zk, setup, verify_zk};

#[test]
fn linear_model_proves_and_verifies_in_zero_knowledge() {
    let model = linear(1);
    let input = Rng(2).vec(input_len(&model), 127);
    let expected = zkinfer_ir::evaluate(&model, std::slice::from_ref(&input)).unwrap();
    let (pk, vk) = setup(model.clone(), crate::ProofMode::ZeroKnowledge).unwrap();
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    assert_eq!(out, expected.values[model.outputs[0]]);
    let v = verify_zk(&vk, &input, &out, &proof).unwrap();
    assert!(v.soundness_bits >= 100.0, "{}", v.soundness_bits);
    let mut bad = out.clone();
    bad[0] += 1;
    assert!(verify_zk(&vk, &input, &bad, &proof).is_err());
    let mut bad = input.clone();
    bad[0] = if bad[0] == 0 { 1 } else { 0 };
    assert!(verify_zk(&vk, &bad, &out, &proof).is_err());
}

fn round_trip(model: zkinfer_ir::QModel, seed: u64) {
    let input = Rng(seed).vec(input_len(&model), 127);
    let expected = zkinfer_ir::evaluate(&model, std::slice::from_ref(&input)).unwrap();
    let (pk, vk) = setup(model.clone(), crate::ProofMode::ZeroKnowledge).unwrap();
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    assert_eq!(out, expected.values[model.outputs[0]]);
    let v = verify_zk(&vk, &input, &out, &proof).unwrap();
    assert!(v.soundness_bits >= 100.0, "{}", v.soundness_bits);
    let mut bad = out.clone();
    bad[0] += 1;
    assert!(verify_zk(&vk, &input, &bad, &proof).is_err());
}

#[test]
fn mlp_proves_and_verifies_in_zero_knowledge() {
    round_trip(crate::test_support::mlp(3), 4);
}

#[test]
fn cnn_proves_and_verifies_in_zero_knowledge() {
    round_trip(crate::test_support::cnn(5), 6);
}

#[test]
fn maxpool_model_proves_and_verifies_in_zero_knowledge() {
    round_trip(crate::test_support::maxpool(7), 8);
}

/// `--private-input`: the proof verifies without the input, the owner's opening recomputes the
/// commitment, another input commitment fails, and the input appears nowhere in the proof.
#[test]
fn private_input_verifies_without_the_input_and_is_bound() {
    use zkinfer_field::{F, PrimeField32, encode_signed};

    let model = crate::test_support::mlp(11);
    let input = Rng(12).vec(input_len(&model), 127);
    let (pk, vk) = setup(model, crate::ProofMode::ZeroKnowledge).unwrap();
    let (out, proof, opening) = crate::prove_zk_private(&pk, &input).unwrap();
    crate::verify_zk_private(&vk, &out, &proof).unwrap();
    // The owner recognises the proof; another input's opening does not.
    assert_eq!(opening.input, input);
    assert_eq!(Some(opening.commitment().unwrap()), proof.input_commitment);
    let mut other = opening.clone();
    other.input[0] += 1;
    assert_ne!(Some(other.commitment().unwrap()), proof.input_commitment);
    // The statement needs the commitment: given an input instead, or another commitment, fails.
    assert!(verify_zk(&vk, &input, &out, &proof).is_err());
    let (_, proof2, _) = crate::prove_zk_private(&pk, &input).unwrap();
    assert_ne!(proof.input_commitment, proof2.input_commitment);
    let mut swapped = proof.clone();
    swapped.input_commitment = proof2.input_commitment.clone();
    assert!(crate::verify_zk_private(&vk, &out, &swapped).is_err());
    let mut swapped = proof.clone();
    swapped.input_value = proof2.input_value;
    assert!(crate::verify_zk_private(&vk, &out, &swapped).is_err());
    // The range check on the private input is required and bound to this proof.
    let mut dropped = proof.clone();
    dropped.input_range = None;
    assert!(crate::verify_zk_private(&vk, &out, &dropped).is_err());
    let mut other_range = proof.clone();
    other_range.input_range = proof2.input_range.clone();
    assert!(crate::verify_zk_private(&vk, &out, &other_range).is_err());
    // An input outside the model's bound cannot be proven privately.
    let bound = pk.model.nodes[pk.model.inputs[0]].bound;
    let mut big = input.clone();
    big[0] = bound + 1;
    assert!(crate::prove_zk_private(&pk, &big).is_err());
    // A public-input proof is not a private one.
    let (_, public) = prove_zk(&pk, &input).unwrap();
    assert!(crate::verify_zk_private(&vk, &out, &public).is_err());

    // No encoding of the input the code uses appears in the proof's bytes.
    let bytes = postcard::to_allocvec(&proof).unwrap();
    let fields: Vec<F> = input.iter().map(|&v| encode_signed(v).unwrap()).collect();
    let canon: Vec<u8> = fields
        .iter()
        .flat_map(|f| f.as_canonical_u32().to_le_bytes())
        .collect();
    for needle in [
        postcard::to_allocvec(&input).unwrap(),
        postcard::to_allocvec(&fields).unwrap(),
        serde_json::to_vec(&input).unwrap(),
        canon,
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
            "the input appears in the proof"
        );
    }
}

/// A single-output regression: its last layers run over zero variables, with only a deferred
/// factor, and prove in zero knowledge.
#[test]
fn single_output_regression_proves_in_zero_knowledge() {
    round_trip(crate::test_support::regression(9), 10);
}

/// The weights are bound by the digest in the verifier key: another digest, another salt's digest,
/// or other weights under the key's digest are refused; the prover refuses a key whose digest does
/// not match its weights.
#[test]
fn weights_are_bound_by_the_digest() {
    use zkinfer_field::{F, PrimeCharacteristicRing};

    let model = crate::test_support::mlp(21);
    let input = Rng(22).vec(input_len(&model), 127);
    let (pk, vk) = setup(model.clone(), crate::ProofMode::ZeroKnowledge).unwrap();
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    verify_zk(&vk, &input, &out, &proof).unwrap();

    let mut bad_vk = vk.clone();
    bad_vk.binding = WeightBinding::ZeroKnowledge {
        weight_digest: std::array::from_fn(|i| {
            vk.weight_digest().unwrap()[i] + F::from_bool(i == 3)
        }),
    };
    assert!(verify_zk(&bad_vk, &input, &out, &proof).is_err());

    // A second setup of the same model salts differently: same weights, another digest.
    let (pk2, vk2) = setup(model, crate::ProofMode::ZeroKnowledge).unwrap();
    assert_ne!(vk.weight_digest().unwrap(), vk2.weight_digest().unwrap());
    assert!(verify_zk(&vk2, &input, &out, &proof).is_err());

    // Other weights: the prover refuses a key whose digest does not match, and a proof made with
    // a key rebuilt for the other weights fails against the original key.
    let mut other = pk2.clone();
    let node = other
        .model
        .nodes
        .iter_mut()
        .find_map(|n| match &mut n.op {
            zkinfer_ir::Op::Dense { weight, .. } => Some(weight),
            _ => None,
        })
        .unwrap();
    node[0] = if node[0] == 0 { 1 } else { 0 };
    assert!(prove_zk(&other, &input).is_err());
    let plan = crate::plan::Plan::compile(&other.model).unwrap();
    let weight_salt = *other.weight_salt_and_digest().unwrap().0;
    let weight_digest = crate::keys::weight_digest(&other.model, &plan, &weight_salt).unwrap();
    other.binding = ProverBinding::ZeroKnowledge {
        weight_salt,
        weight_digest,
    };
    let (out2, proof2) = prove_zk(&other, &input).unwrap();
    let mut vk_other = vk2.clone();
    vk_other.binding = WeightBinding::ZeroKnowledge { weight_digest };
    verify_zk(&vk_other, &input, &out2, &proof2).unwrap();
    assert!(verify_zk(&vk2, &input, &out2, &proof2).is_err());
}
