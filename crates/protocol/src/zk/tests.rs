//! The zero-knowledge model proof on the small models of `test_support`.

use crate::test_support::{Rng, input_len, linear};
use crate::{prove_zk, setup, verify_zk};

#[test]
fn linear_model_proves_and_verifies_in_zero_knowledge() {
    let model = linear(1);
    let input = Rng(2).vec(input_len(&model), 127);
    let expected = zkinfer_ir::evaluate(&model, std::slice::from_ref(&input)).unwrap();
    let (pk, vk) = setup(model.clone()).unwrap();
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
    let (pk, vk) = setup(model.clone()).unwrap();
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
