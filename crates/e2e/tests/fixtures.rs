//! The trained models kept in the repository (`fixtures/models`, made by
//! `scripts/fixtures/make_fixtures.py`), imported from ONNX, quantized, set up, proven and verified in
//! both modes. Unlike `shared_models.rs`, these never skip: a fresh clone proves real trained models.
//!
//! Each fixture is checked three ways: tract's float logits equal the training script's (the ONNX
//! file is the model that was trained); the quantized model's accuracy on the bundled labelled
//! sample is within [`ACCURACY_TOLERANCE`] of the float model's; and every proven output equals the
//! integer reference evaluator's, bit for bit, verifies, and a changed output is rejected.

use std::path::PathBuf;

use zkinfer_ir::{QModel, evaluate, quantize_value};
use zkinfer_onnx::{Prepared, TestSet, accuracy, prepare, read_test_set};
use zkinfer_protocol::{ProofMode, Prover, ProverKey, VerifierKey};

/// The fixtures, and how many inputs each mode proves here.
const FIXTURES: [(&str, usize); 3] = [
    ("digits_linear_small", 6),
    ("digits_mlp_small", 4),
    ("digits_cnn_small", 2),
];

/// Largest |quantized accuracy - float accuracy| accepted on the bundled sample: 2 rows in 100.
const ACCURACY_TOLERANCE: f64 = 0.02;
/// Smallest fraction of samples on which the quantized and the float model pick the same class.
const MIN_AGREEMENT: f64 = 0.97;

fn fixture(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/models");
    let dir = dir.join(name);
    assert!(
        dir.join("network.onnx").is_file(),
        "{} is missing: the fixtures are part of the repository (fixtures/README.md)",
        dir.display()
    );
    dir
}

fn load(name: &str) -> (Prepared, TestSet) {
    let dir = fixture(name);
    let prep = prepare(
        &dir.join("network.onnx"),
        &dir.join("calibration.json"),
        None,
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    prep.qmodel.validate().unwrap();
    let ts = read_test_set(&dir.join("test_set.json")).unwrap();
    (prep, ts)
}

fn quantize_input(model: &QModel, x: &[f32]) -> Vec<i64> {
    let node = &model.nodes[model.inputs[0]];
    x.iter()
        .map(|&v| quantize_value(v as f64, node.scale, node.bound))
        .collect()
}

/// The output the integer reference evaluator computes for `x`, on the model the prover proves
/// and on the model as quantized (before the rewrites for proving): they must agree.
fn reference_output(prep: &Prepared, pk: &ProverKey, x: &[i64]) -> Vec<i64> {
    let proven = evaluate(&pk.model, &[x.to_vec()]).unwrap();
    let original = evaluate(&prep.qmodel, &[x.to_vec()]).unwrap();
    let out = proven.values[pk.model.outputs[0]].clone();
    assert_eq!(
        out, original.values[prep.qmodel.outputs[0]],
        "the rewrite for proving changed the output"
    );
    out
}

fn keys(prep: &Prepared, mode: ProofMode) -> (ProverKey, VerifierKey) {
    let (pk, vk) = zkinfer_protocol::setup(prep.qmodel.clone(), mode).unwrap();
    // Through the key files' bytes, as `prove` and `verify` read them.
    let pk = ProverKey::from_bytes(&pk.to_bytes()).unwrap();
    let vk = VerifierKey::from_bytes(&vk.to_bytes()).unwrap();
    (pk, vk)
}

#[test]
fn float_and_quantized_accuracy_on_the_bundled_sample() {
    for (name, _) in FIXTURES {
        let (prep, ts) = load(name);
        assert!(ts.inputs.len() >= 50, "{name}: {} rows", ts.inputs.len());
        let r = accuracy(&prep, &ts, name).unwrap();
        eprintln!("{name}: {r:?}");
        let reference_error = r.max_reference_error.expect("float_logits in the test set");
        assert!(
            reference_error <= 1e-4,
            "{name}: tract's logits differ from the training script's by {reference_error}"
        );
        let (f, q) = (r.float_accuracy.unwrap(), r.quantized_accuracy.unwrap());
        // The training script's figure for the same rows.
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(fixture(name).join("meta.json")).unwrap())
                .unwrap();
        let float_acc = meta["sample_float_acc"].as_f64().expect("sample_float_acc");
        assert!(
            (f - float_acc).abs() < 1e-9,
            "{name}: float accuracy {f}, meta.json says {float_acc}"
        );
        assert!(
            (f - q).abs() <= ACCURACY_TOLERANCE + 1e-12,
            "{name}: quantized accuracy {q} is more than {ACCURACY_TOLERANCE} from the float {f}"
        );
        assert!(
            r.agreement.unwrap() >= MIN_AGREEMENT,
            "{name}: quantized and float agree on {} of the samples",
            r.agreement.unwrap()
        );
    }
}

#[test]
fn plain_proofs_equal_the_reference_and_verify() {
    for (name, count) in FIXTURES {
        let (prep, ts) = load(name);
        let (pk, vk) = keys(&prep, ProofMode::Plain);
        let prover = Prover::new(&pk).unwrap();
        for (i, x) in ts.inputs.iter().take(count).enumerate() {
            let xq = quantize_input(&pk.model, x);
            let expected = reference_output(&prep, &pk, &xq);
            let (out, proof) = prover.prove(&xq).unwrap();
            assert_eq!(out, expected, "{name} #{i}: proven output differs");
            zkinfer_protocol::verify(&vk, &xq, &out, &proof)
                .unwrap_or_else(|e| panic!("{name} #{i}: valid proof rejected: {e}"));
            let mut wrong = out.clone();
            let k = i % wrong.len();
            wrong[k] += 1;
            assert!(
                zkinfer_protocol::verify(&vk, &xq, &wrong, &proof).is_err(),
                "{name} #{i}: a wrong output was accepted"
            );
        }
    }
}

#[test]
fn zero_knowledge_proofs_equal_the_reference_and_verify() {
    for (name, count) in FIXTURES {
        let (prep, ts) = load(name);
        let (pk, vk) = keys(&prep, ProofMode::ZeroKnowledge);
        for (i, x) in ts.inputs.iter().take(count).enumerate() {
            let xq = quantize_input(&pk.model, x);
            let expected = reference_output(&prep, &pk, &xq);
            // Public and private inputs in turn.
            let private = i % 2 == 1;
            let z = zkinfer_protocol::prove_zk_with(&pk, &xq, private).unwrap();
            assert_eq!(z.output, expected, "{name} #{i}: zk output differs");
            let input = (!private).then_some(xq.as_slice());
            zkinfer_protocol::verify_zk_with(&vk, input, &z.output, &z.proof)
                .unwrap_or_else(|e| panic!("{name} #{i}: valid zk proof rejected: {e}"));
            let mut wrong = z.output.clone();
            let k = i % wrong.len();
            wrong[k] -= 1;
            assert!(
                zkinfer_protocol::verify_zk_with(&vk, input, &wrong, &z.proof).is_err(),
                "{name} #{i}: a wrong output was accepted"
            );
            if !private {
                // Another input (the next sample) does not verify against this proof.
                let other = quantize_input(&pk.model, &ts.inputs[count]);
                assert_ne!(other, xq);
                assert!(
                    zkinfer_protocol::verify_zk_with(&vk, Some(&other), &z.output, &z.proof)
                        .is_err(),
                    "{name} #{i}: the proof verified for another input"
                );
            }
        }
    }
}
