//! The bundled trained models (`fixtures/models`) through the CLI as a user runs it: `setup`,
//! `prove` and `verify` in the default mode (zero knowledge) and with `--no-zk`, and `demo`. These
//! need nothing beside the repository and never skip.

mod common;

use std::path::Path;
use std::process::Output;

use common::{fixture, scratch, zkinfer};
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The JSON on stdout, after checking the exit status is `code` and nothing panicked.
fn json_exit(o: &Output, code: i32, what: &str) -> Value {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{what}: zkinfer panicked: {err}");
    assert_eq!(o.status.code(), Some(code), "{what}: {err}");
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn ints(v: &Value) -> Vec<i64> {
    let a = v.as_array().unwrap_or_else(|| panic!("not a list: {v}"));
    a.iter().map(|x| x.as_i64().expect("an integer")).collect()
}

/// The reference evaluator's output for test image `index` of `name`, quantized as `setup`
/// quantizes (automatic activation width).
fn reference(name: &str, index: usize) -> Vec<i64> {
    let dir = fixture(name);
    let prep = zkinfer_onnx::prepare(
        &dir.join("network.onnx"),
        &dir.join("calibration.json"),
        None,
    )
    .unwrap();
    let ts = zkinfer_onnx::read_test_set(&dir.join("test_set.json")).unwrap();
    let x: Vec<f64> = ts.inputs[index].iter().map(|&v| f64::from(v)).collect();
    let q = prep.qmodel.quantize_inputs(&[x]).unwrap();
    let trace = zkinfer_ir::evaluate(&prep.qmodel, &q).unwrap();
    trace.values[prep.qmodel.outputs[0]].clone()
}

/// `setup` (with `extra` flags), `prove` and `verify` of `name`'s input.json; returns the three JSON
/// reports after checking the proof verifies and its output is the reference evaluator's.
fn setup_prove_verify(name: &str, extra: &[&str]) -> [Value; 3] {
    let dir = fixture(name);
    let tag = format!("{name}{}", extra.join(""));
    let work = scratch(&tag);
    let keys = work.join("keys");
    let (net, cal) = (dir.join("network.onnx"), dir.join("calibration.json"));
    let mut args = vec![
        "setup",
        s(&net),
        "--calibration",
        s(&cal),
        "--out",
        s(&keys),
        "--json",
    ];
    args.extend_from_slice(extra);
    let setup = json_exit(&zkinfer(&args), 0, &format!("setup {tag}"));

    let (input, proof) = (dir.join("input.json"), work.join("proof.bin"));
    let out = zkinfer(&[
        "prove",
        s(&keys),
        "--input",
        s(&input),
        "--out",
        s(&proof),
        "--json",
    ]);
    let prove = json_exit(&out, 0, &format!("prove {tag}"));
    let vk = keys.join("verifier.key");
    let out = zkinfer(&["verify", s(&vk), s(&proof), "--input", s(&input), "--json"]);
    let verify = json_exit(&out, 0, &format!("verify {tag}"));
    assert_eq!(verify["valid"], true, "{tag}: {verify}");
    // input.json is the first image of the test set.
    let expected = reference(name, 0);
    assert_eq!(ints(&prove["output_quantized"]), expected, "{tag}");
    assert_eq!(ints(&verify["output_quantized"]), expected, "{tag}");

    // Another image does not verify against this proof.
    let other = work.join("other.json");
    let ts = zkinfer_onnx::read_test_set(&dir.join("test_set.json")).unwrap();
    let body = serde_json::json!({ "input_data": [ts.inputs[1]] });
    std::fs::write(&other, body.to_string()).unwrap();
    let out = zkinfer(&["verify", s(&vk), s(&proof), "--input", s(&other), "--json"]);
    assert_eq!(json_exit(&out, 1, "another input")["valid"], false, "{tag}");
    let _ = std::fs::remove_dir_all(&work);
    [setup, prove, verify]
}

#[test]
fn bundled_models_prove_and_verify_in_zero_knowledge_by_default() {
    for name in ["digits_linear_small", "digits_cnn_small"] {
        let [setup, prove, verify] = setup_prove_verify(name, &[]);
        for v in [&setup, &prove, &verify] {
            assert_eq!(v["zero_knowledge"], true, "{name}: {v}");
        }
        assert!(setup["weight_digest"].is_string(), "{name}: {setup}");
        assert!(verify["soundness_bits"].as_f64().unwrap() >= 100.0);
    }
}

#[test]
fn bundled_models_prove_and_verify_plain_with_no_zk() {
    for name in ["digits_mlp_small", "digits_cnn_small"] {
        let [setup, prove, verify] = setup_prove_verify(name, &["--no-zk"]);
        for v in [&setup, &prove, &verify] {
            assert_eq!(v["zero_knowledge"], false, "{name}: {v}");
        }
        assert!(setup["weight_commitment"].is_string(), "{name}: {setup}");
        assert!(verify["soundness_bits"].as_f64().unwrap() >= 100.0);
    }
}

/// `demo` proves the bundled CNN: each proven output is the reference evaluator's for that image
/// (recomputed here from the fixture files), and the accuracies it prints are the bundled sample's.
#[test]
fn demo_proves_the_bundled_trained_model() {
    let out = zkinfer(&["demo", "--json", "--samples", "2"]);
    let v = json_exit(&out, 0, "demo --json");
    assert_eq!(v["model"], "digits_cnn_small");
    assert_eq!(v["zero_knowledge"], true, "{v}");
    assert_eq!(v["wrong_output_rejected"], true);
    assert!(v["soundness_bits"].as_f64().unwrap() >= 100.0, "{v}");
    let proven = v["proven"].as_array().expect("proven images");
    assert_eq!(proven.len(), 2);
    let ts =
        zkinfer_onnx::read_test_set(&fixture("digits_cnn_small").join("test_set.json")).unwrap();
    for (i, p) in proven.iter().enumerate() {
        let output = ints(&p["output_quantized"]);
        assert_eq!(output, reference("digits_cnn_small", i), "image {i}");
        let class = zkinfer_onnx::argmax(&output);
        assert_eq!(p["proven_class"], class, "image {i}");
        assert_eq!(p["label"], ts.labels.as_ref().unwrap()[i], "image {i}");
        assert!(p["proof_bytes"].as_u64().unwrap() > 0);
    }
    let (f, q) = (
        v["float_accuracy"].as_f64().unwrap(),
        v["quantized_accuracy"].as_f64().unwrap(),
    );
    assert_eq!(v["test_samples"], ts.inputs.len());
    assert!(
        f >= 0.9 && (f - q).abs() <= 0.02,
        "float {f}, quantized {q}"
    );
    // The text report.
    let out = zkinfer(&["demo"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("demo OK") && text.contains("digits_cnn_small"),
        "{text}"
    );
}
