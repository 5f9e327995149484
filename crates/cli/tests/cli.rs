//! End-to-end runs of the CLI's model commands on the bundled fixtures and the shared models.

mod common;

use common::{fixture, shared, zkinfer};

#[test]
fn inspect_lists_ops_params_macs() {
    let Some(s) = shared() else { return };
    let m = s.join("models/lenet5_28/network.onnx");
    let out = zkinfer(&["inspect", m.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Conv") && text.contains("MaxPool") && text.contains("EinSum"));
    assert!(text.contains("61706 parameters"), "{text}");
    assert!(text.contains("416520 MACs"), "{text}");
    assert!(text.contains("proves plain (--no-zk):  yes"), "{text}");
    assert!(text.contains("proves zero knowledge:   yes"), "{text}");
}

#[test]
fn inspect_names_unsupported_nodes() {
    let Some(s) = shared() else { return };
    let m = s.join("conformance/ezkl-examples/1l_topk/network.onnx");
    let out = zkinfer(&["inspect", m.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unsupported = v["unsupported"].as_array().unwrap();
    assert!(!unsupported.is_empty());
    assert!(
        unsupported
            .iter()
            .all(|u| !u["node"].as_str().unwrap().is_empty())
    );
}

#[test]
fn run_prints_quantized_and_float() {
    let d = fixture("digits_cnn_small");
    let p = |f: &str| d.join(f).display().to_string();
    let out = zkinfer(&[
        "run",
        &p("network.onnx"),
        "--calibration",
        &p("calibration.json"),
        "--input",
        &p("input.json"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (q, f) = (
        v["quantized"][0].as_array().unwrap(),
        v["float"][0].as_array().unwrap(),
    );
    assert_eq!(q.len(), 10);
    assert_eq!(f.len(), 10);
    for (a, b) in q.iter().zip(f) {
        assert!((a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 0.05);
    }
    let text = zkinfer(&[
        "run",
        &p("network.onnx"),
        "--calibration",
        &p("calibration.json"),
        "--input",
        &p("input.json"),
    ]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("float"));
}

#[test]
fn accuracy_json_has_the_four_keys() {
    let d = fixture("digits_linear_small");
    let p = |f: &str| d.join(f).display().to_string();
    let out = zkinfer(&[
        "accuracy",
        &p("network.onnx"),
        "--calibration",
        &p("calibration.json"),
        "--test-set",
        &p("test_set.json"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "agreement",
            "float_accuracy",
            "max_abs_error",
            "ok",
            "quantized_accuracy"
        ]
    );
    // `ok` is in every command's JSON (docs/cli.md, "JSON output").
    assert_eq!(v["ok"], true);
    // 100 bundled test images: the quantized model picks the float model's class on at least 99.
    assert!(v["agreement"].as_f64().unwrap() >= 0.99, "{v}");
    // Forcing narrow widths is honoured and still runs.
    let out = zkinfer(&[
        "accuracy",
        &p("network.onnx"),
        "--calibration",
        &p("calibration.json"),
        "--test-set",
        &p("test_set.json"),
        "--weight-bits",
        "6",
        "--act-bits",
        "8",
        "--json",
    ]);
    assert!(out.status.success());
    let v2: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v2["max_abs_error"].as_f64().unwrap() > v["max_abs_error"].as_f64().unwrap());
}
