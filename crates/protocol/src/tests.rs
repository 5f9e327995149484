//! End-to-end tests of the model proof on the small models of `test_support`.

use zkinfer_ir::Op;

use crate::test_support::{Rng, cnn, mlp, proven};
use crate::verify;

#[test]
fn mlp_proves_and_verifies_with_the_reference_output() {
    let model = mlp(1);
    let input = Rng(2).vec(12, 127);
    let expected = zkinfer_ir::evaluate(&model, std::slice::from_ref(&input)).unwrap();
    let (_, vk, out, proof) = proven(model.clone(), &input);
    assert_eq!(out, expected.values[*model.outputs.first().unwrap()]);
    let v = verify(&vk, &input, &out, &proof).unwrap();
    assert!(v.soundness_bits >= 100.0, "{}", v.soundness_bits);
}

#[test]
fn cnn_proves_and_verifies() {
    let model = cnn(3);
    let input = Rng(4).vec(36, 127);
    let (_, vk, out, proof) = proven(model, &input);
    verify(&vk, &input, &out, &proof).unwrap();
}

#[test]
fn wrong_output_or_input_is_rejected() {
    let model = mlp(5);
    let input = Rng(6).vec(12, 127);
    let (_, vk, out, proof) = proven(model, &input);
    for i in 0..out.len() {
        let mut bad = out.clone();
        bad[i] += 1;
        assert!(verify(&vk, &input, &bad, &proof).is_err(), "output {i}");
    }
    for i in 0..input.len() {
        let mut bad = input.clone();
        bad[i] = if bad[i] == 0 { 1 } else { 0 };
        assert!(verify(&vk, &bad, &out, &proof).is_err(), "input {i}");
    }
}

#[test]
fn other_weights_or_model_are_rejected() {
    let input = Rng(8).vec(12, 127);
    let (_, vk, out, proof) = proven(mlp(7), &input);
    // Same architecture, other weights: a different commitment.
    let (_, vk_other, ..) = proven(mlp(9), &input);
    assert_ne!(
        vk.weight_commitment().unwrap(),
        vk_other.weight_commitment().unwrap()
    );
    assert!(verify(&vk_other, &input, &out, &proof).is_err());
    let mut vk_swapped = vk.clone();
    vk_swapped.binding = vk_other.binding.clone();
    assert!(verify(&vk_swapped, &input, &out, &proof).is_err());
    // A changed architecture: the model hash no longer matches, then a recomputed hash changes
    // the statement.
    let mut vk_arch = vk.clone();
    if let Op::Requant(r) = &mut vk_arch.architecture.nodes[4].op {
        r.shift += 1;
    }
    assert!(verify(&vk_arch, &input, &out, &proof).is_err());
    vk_arch.model_hash = crate::model_hash(&vk_arch.architecture);
    assert!(verify(&vk_arch, &input, &out, &proof).is_err());
}

/// The protocol's commitment parameters open every commitment size the PCS accepts (up to 2^26
/// variables) at >= 100 provable bits: a grinding budget below what p3 derives for some size
/// would make large models unprovable (it did at 8 bits and 2^26).
#[test]
fn pcs_parameters_cover_every_commitment_size() {
    for n in 4..=26 {
        let bits = zkinfer_pcs::soundness_bits(
            &crate::pcs_params(),
            &zkinfer_pcs::OpeningShape::single(n, 16),
        )
        .unwrap_or_else(|e| panic!("2^{n}: {e}"));
        assert!(bits >= 100.0, "2^{n}: {bits} bits");
    }
}

/// A [`crate::Prover`] commits once and proves several inputs; each proof verifies, equals the
/// one-shot prover's output, and a proof for one input does not verify for another.
#[test]
fn a_prover_session_proves_many_inputs() {
    let model = mlp(3);
    let (pk, vk) = crate::setup(model, crate::ProofMode::Plain).unwrap();
    let prover = crate::Prover::new(&pk).unwrap();
    let n = crate::test_support::input_len(&pk.model);
    let inputs: Vec<Vec<i64>> = (0..3).map(|s| Rng(40 + s).vec(n, 127)).collect();
    let mut proofs = vec![];
    for x in &inputs {
        let (out, proof) = prover.prove(x).unwrap();
        let (one_shot, _) = crate::prove(&pk, x).unwrap();
        assert_eq!(out, one_shot);
        verify(&vk, x, &out, &proof).unwrap();
        proofs.push((out, proof));
    }
    let (out0, proof0) = &proofs[0];
    assert!(verify(&vk, &inputs[1], out0, proof0).is_err());
    assert!(prover.setup_timing().commit > std::time::Duration::ZERO);
    // A key whose weights do not match its commitment is refused up front.
    let mut bad = pk.clone();
    if let Op::Dense { weight, .. } = &mut bad.model.nodes[1].op {
        weight[0] += 1;
    }
    assert!(matches!(
        crate::Prover::new(&bad),
        Err(crate::ProtocolError::WeightMismatch)
    ));
}
