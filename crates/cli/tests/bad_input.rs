//! Bad input of every kind gets a clear error and exit status 2: never a panic, never a hang.

mod common;

use common::*;

/// Runs `args` and checks: status 2, stderr mentions `needle`, no panic message.
fn expect_refusal(args: &[&str], needle: &str) {
    let out = zkinfer(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "args {args:?}: status {:?}, stderr {err}",
        out.status
    );
    assert!(!err.contains("panicked"), "args {args:?} panicked: {err}");
    assert!(
        err.to_lowercase().contains(&needle.to_lowercase()),
        "args {args:?}: stderr lacks {needle:?}: {err}"
    );
}

/// `run` of `model_bytes` with a calibration and an input file.
fn run_model(dir: &std::path::Path, model_bytes: &[u8], cal: &str, input: &str, needle: &str) {
    let m = write(dir, "m.onnx", model_bytes);
    let c = write(dir, "cal.json", cal);
    let i = write(dir, "in.json", input);
    expect_refusal(&["run", &m, "--calibration", &c, "--input", &i], needle);
}

fn good_model() -> Vec<u8> {
    matmul_model(2, 2, &[1.0, 0.5, -0.25, 2.0])
}

const CAL: &str = r#"{"input_data": [[1, 2, -1, 0.5]]}"#;
const INPUT: &str = r#"{"input_data": [[0.5, -1]]}"#;

#[test]
fn good_mini_model_runs() {
    // The reference case the refusals below break: it must succeed.
    let d = scratch("good");
    let m = write(&d, "m.onnx", good_model());
    let c = write(&d, "cal.json", CAL);
    let i = write(&d, "in.json", INPUT);
    let out = zkinfer(&["run", &m, "--calibration", &c, "--input", &i, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let q: Vec<f64> = v["quantized"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    // x @ W = [0.5 + 0.25, 0.25 - 2] = [0.75, -1.75]
    assert!(
        (q[0] - 0.75).abs() < 1e-3 && (q[1] + 1.75).abs() < 1e-3,
        "{q:?}"
    );
}

#[test]
fn unreadable_model_files() {
    let d = scratch("files");
    expect_refusal(
        &["inspect", &d.join("missing.onnx").display().to_string()],
        "no such file",
    );
    expect_refusal(
        &["inspect", &write(&d, "empty.onnx", b"")],
        "invalid model: the model has no graph",
    );
    let mut x = 0x1234_5678u32;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    expect_refusal(
        &["inspect", &write(&d, "random.onnx", &random)],
        "invalid model: not an ONNX protobuf",
    );
    expect_refusal(
        &["inspect", &write(&d, "text.onnx", "this is not a model\n")],
        "invalid model: not an ONNX protobuf",
    );
    expect_refusal(&["inspect", &d.display().to_string()], "");
}

#[test]
fn truncated_models() {
    let d = scratch("trunc");
    let good = good_model();
    for cut in [1, 10, good.len() / 2, good.len() - 20] {
        let p = write(&d, &format!("cut{cut}.onnx"), &good[..cut]);
        expect_refusal(&["inspect", &p], "invalid model");
    }
}

#[test]
fn unknown_operator_is_named_with_its_node() {
    let d = scratch("unknown");
    let m = model(
        &[node("Relz", "weird_node", &["x"], "y")],
        &[],
        &[value_info("x", &[1, 2])],
        &[value_info("y", &[1, 2])],
    );
    run_model(&d, &m, CAL, INPUT, "weird_node");
}

#[test]
fn inconsistent_shapes() {
    let d = scratch("shapes");
    // x is [1, 3] but W is [2, 2].
    let m = model(
        &[node("MatMul", "mm", &["x", "W"], "y")],
        &[initializer("W", &[2, 2], &[1.0; 4])],
        &[value_info("x", &[1, 3])],
        &[value_info("y", &[1, 2])],
    );
    run_model(
        &d,
        &m,
        r#"{"input_data": [[1, 2, 3]]}"#,
        r#"{"input_data": [[1, 2, 3]]}"#,
        "error",
    );
    // Declared dims [2, 2] with 3 values.
    let m = model(
        &[node("MatMul", "mm", &["x", "W"], "y")],
        &[initializer("W", &[2, 2], &[1.0; 3])],
        &[value_info("x", &[1, 2])],
        &[value_info("y", &[1, 2])],
    );
    run_model(&d, &m, CAL, INPUT, "error");
}

#[test]
fn absurd_declared_sizes() {
    let d = scratch("absurd");
    let m = model(
        &[node("Relu", "r", &["x"], "y")],
        &[],
        &[value_info("x", &[1, 1 << 40])],
        &[value_info("y", &[1, 1 << 40])],
    );
    run_model(&d, &m, CAL, INPUT, "error");
    let m = model(
        &[node("Relu", "r", &["x"], "y")],
        &[],
        &[value_info("x", &[1 << 20, 1 << 20])],
        &[value_info("y", &[1, 1])],
    );
    let p = write(&d, "m2.onnx", m);
    expect_refusal(&["inspect", &p], "over the 134217728-element cap");
}

#[test]
fn nan_and_inf_weights() {
    let d = scratch("nan");
    run_model(
        &d,
        &matmul_model(2, 2, &[1.0, f32::NAN, 0.0, 1.0]),
        CAL,
        INPUT,
        "NaN",
    );
    run_model(
        &d,
        &matmul_model(2, 2, &[1.0, f32::INFINITY, 0.0, 1.0]),
        CAL,
        INPUT,
        "inf",
    );
}

#[test]
fn bad_input_files() {
    let d = scratch("inputs");
    let g = good_model();
    run_model(
        &d,
        &g,
        CAL,
        r#"{"input_data": [[1, 2, 3]]}"#,
        "not a multiple",
    );
    run_model(&d, &g, CAL, r#"{"input_data": [[1, "a"]]}"#, "not a number");
    run_model(&d, &g, CAL, r#"{"input_data": [[1, "#, "invalid JSON");
    run_model(&d, &g, CAL, r#"{}"#, "input_data");
    run_model(&d, &g, CAL, r#"{"input_data": [[1e400, 1]]}"#, "json");
    run_model(&d, &g, CAL, r#"{"input_data": [[NaN, 1]]}"#, "json");
    run_model(
        &d,
        &g,
        CAL,
        r#"{"input_data": [[1, 2, 3, 4]]}"#,
        "one sample",
    );
    run_model(
        &d,
        &g,
        r#"{"input_data": [[1, 2, 3]]}"#,
        INPUT,
        "not a multiple",
    );
    run_model(&d, &g, r#"{"input_data": [[1e39, 1]]}"#, INPUT, "finite");
}

#[test]
fn bad_test_sets() {
    let d = scratch("testsets");
    let m = write(&d, "m.onnx", good_model());
    let c = write(&d, "cal.json", CAL);
    let acc = |ts: &str, needle: &str| {
        let t = write(&d, "ts.json", ts);
        expect_refusal(
            &["accuracy", &m, "--calibration", &c, "--test-set", &t],
            needle,
        );
    };
    acc(
        r#"{"shape": [1, 2], "inputs": [[1, 2], [3, 4]], "labels": [0]}"#,
        "labels",
    );
    acc(
        r#"{"shape": [1, 2], "inputs": [[1, 2, 3]], "labels": [0]}"#,
        "inputs[0]",
    );
    acc(r#"{"shape": [1, 2], "inputs": [], "labels": []}"#, "empty");
    acc(
        r#"{"shape": [1, 2], "inputs": [[1, 2]], "labels": [-1]}"#,
        "labels[0]",
    );
    expect_refusal(
        &[
            "accuracy",
            &m,
            "--calibration",
            &c,
            "--test-set",
            "/nonexistent/ts.json",
        ],
        "no such file",
    );
}

#[test]
fn usage_errors() {
    expect_refusal(&["run", "m.onnx", "--calibration", "c.json"], "--input");
    expect_refusal(&["frobnicate"], "unrecognized");
    let d = scratch("usage");
    let m = write(&d, "m.onnx", good_model());
    let c = write(&d, "cal.json", CAL);
    let i = write(&d, "in.json", INPUT);
    expect_refusal(
        &[
            "run",
            &m,
            "--calibration",
            &c,
            "--input",
            &i,
            "--act-bits",
            "40",
        ],
        "act_bits",
    );
}

/// A device or FIFO where a file belongs is refused at once: `/dev/zero` once streamed without
/// end (7.4 GB in 11 s), as its reported length of 0 passed the size cap.
#[test]
fn devices_are_refused_before_reading() {
    let start = std::time::Instant::now();
    expect_refusal(&["verify", "/dev/zero", "/dev/zero"], "not a regular file");
    let dir = scratch("devices");
    let good = write(&dir, "m.onnx", good_model());
    let c = write(&dir, "cal.json", CAL);
    expect_refusal(
        &["run", &good, "--calibration", "/dev/zero", "--input", &c],
        "not a regular file",
    );
    expect_refusal(
        &["run", "/dev/zero", "--calibration", &c, "--input", &c],
        "not a regular file",
    );
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

/// A closed stdout (`zkinfer demo | head -1`) ends the process quietly, not with a panic.
#[test]
fn a_closed_stdout_is_no_panic() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .arg("demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}
