//! The shared benchmark models, imported from ONNX, quantized, set up, proven and verified on
//! test-set inputs: the proven output must equal the reference evaluator's, bit for bit.

use std::path::PathBuf;

use zkinfer_ir::{QModel, evaluate, quantize_value};
use zkinfer_onnx::{prepare, read_test_set};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/models");
    if p.is_dir() {
        Some(p)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent, and CI must run these tests with ../shared beside the checkout",
            p.display()
        );
        eprintln!(
            "notice: {} is absent; shared-model tests skipped",
            p.display()
        );
        None
    }
}

fn quantize_input(model: &QModel, x: &[f32]) -> Vec<i64> {
    let node = &model.nodes[model.inputs[0]];
    x.iter()
        .map(|&v| quantize_value(v as f64, node.scale, node.bound))
        .collect()
}

/// Proves `count` test-set inputs of `name` and checks each proof and output.
fn prove_test_inputs(name: &str, count: usize) {
    let Some(root) = shared() else { return };
    let dir = root.join(name);
    let prep = prepare(
        &dir.join("network.onnx"),
        &dir.join("calibration.json"),
        None,
    )
    .unwrap();
    let (pk, vk) =
        zkinfer_protocol::setup(prep.qmodel.clone(), zkinfer_protocol::ProofMode::Plain).unwrap();
    let tests = read_test_set(&dir.join("test_set.json")).unwrap();
    assert!(tests.inputs.len() >= count);
    for (i, x) in tests.inputs.iter().take(count).enumerate() {
        let xq = quantize_input(&pk.model, x);
        let reference = evaluate(&pk.model, std::slice::from_ref(&xq)).unwrap();
        let expected = &reference.values[pk.model.outputs[0]];
        // The original (un-rewritten) model gives the same output bit for bit.
        let original = evaluate(&prep.qmodel, std::slice::from_ref(&xq)).unwrap();
        assert_eq!(
            expected, &original.values[prep.qmodel.outputs[0]],
            "{name} #{i}: rewrite changed the output"
        );
        let (out, proof) = zkinfer_protocol::prove(&pk, &xq).unwrap();
        assert_eq!(
            &out, expected,
            "{name} #{i}: proven output differs from the reference"
        );
        zkinfer_protocol::verify(&vk, &xq, &out, &proof)
            .unwrap_or_else(|e| panic!("{name} #{i}: valid proof rejected: {e}"));
        let mut wrong = out.clone();
        wrong[0] += 1;
        assert!(
            zkinfer_protocol::verify(&vk, &xq, &wrong, &proof).is_err(),
            "{name} #{i}: wrong output accepted"
        );
    }
}

/// Proves `count` test-set inputs of `name` in zero knowledge, alternating public and private
/// inputs: the output is the reference's, the proof verifies, a wrong output is rejected.
fn prove_test_inputs_zk(name: &str, count: usize) {
    let Some(root) = shared() else { return };
    let dir = root.join(name);
    let prep = prepare(
        &dir.join("network.onnx"),
        &dir.join("calibration.json"),
        None,
    )
    .unwrap();
    let (pk, vk) = zkinfer_protocol::setup(
        prep.qmodel.clone(),
        zkinfer_protocol::ProofMode::ZeroKnowledge,
    )
    .unwrap();
    let tests = read_test_set(&dir.join("test_set.json")).unwrap();
    for (i, x) in tests.inputs.iter().take(count).enumerate() {
        let xq = quantize_input(&pk.model, x);
        let reference = evaluate(&pk.model, std::slice::from_ref(&xq)).unwrap();
        let expected = &reference.values[pk.model.outputs[0]];
        let private = i % 2 == 1;
        let z = zkinfer_protocol::prove_zk_with(&pk, &xq, private).unwrap();
        assert_eq!(
            &z.output, expected,
            "{name} #{i}: zk output differs from the reference"
        );
        let input = (!private).then_some(xq.as_slice());
        zkinfer_protocol::verify_zk_with(&vk, input, &z.output, &z.proof)
            .unwrap_or_else(|e| panic!("{name} #{i}: valid zk proof rejected: {e}"));
        let mut wrong = z.output.clone();
        wrong[0] += 1;
        assert!(
            zkinfer_protocol::verify_zk_with(&vk, input, &wrong, &z.proof).is_err(),
            "{name} #{i}: wrong output accepted"
        );
        if let Some(opening) = &z.opening {
            assert_eq!(
                Some(opening.commitment().unwrap()),
                z.proof.input_commitment
            );
        }
    }
}

#[test]
fn zero_knowledge_proofs_of_every_shared_model() {
    for (name, count) in [
        ("digits_linear", 4),
        ("digits_mlp", 4),
        ("digits_cnn", 2),
        ("lenet5_28", 2),
    ] {
        prove_test_inputs_zk(name, count);
    }
}

// CI proves as many inputs per model as fits the suite's time budget; `cargo test -p zkinfer-e2e --
// --ignored` runs 100 per model.
#[test]
fn digits_linear_100_inputs() {
    prove_test_inputs("digits_linear", 100);
}

#[test]
fn digits_mlp_inputs() {
    prove_test_inputs("digits_mlp", 8);
}

#[test]
fn digits_cnn_inputs() {
    prove_test_inputs("digits_cnn", 6);
}

#[test]
fn lenet5_inputs() {
    prove_test_inputs("lenet5_28", 2);
}

#[test]
#[ignore = "about 10 minutes on 2 cores; run with --ignored"]
fn all_digits_models_100_inputs() {
    for name in ["digits_mlp", "digits_cnn", "lenet5_28"] {
        prove_test_inputs(name, 100);
    }
}
