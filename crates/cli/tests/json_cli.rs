//! End-to-end tests of `--json` (docs/cli.md, "JSON output"): every command prints one JSON
//! object on failure, `{"ok": false, "error": {"kind": KIND, "message": TEXT}}`, its success
//! objects carry `"ok": true`, and `phases_ms` has one shape in `prove` and `estimate`.
//!
//! The model is `y = x @ W` with `x: [1, 8]`, `W: [8, 4]`, written here: no shared files needed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{matmul_model, scratch, stderr, write, zkinfer};
use serde_json::Value;

/// The kinds docs/cli.md lists.
const KINDS: [&str; 9] = [
    "usage",
    "keys_exist",
    "corrupt_key",
    "malformed_file",
    "wrong_mode",
    "wrong_key",
    "invalid_proof",
    "unsupported",
    "bad_input",
];

/// The four phases of `phases_ms`, by name.
const PHASES: [&str; 4] = ["commit", "layers", "openings", "witness"];

/// Checks that `out` is a failure reported in the one shape, with exit status `code`; its kind.
fn failure(what: &str, out: &Output, code: i32) -> String {
    assert!(!stderr(out).contains("panicked"), "{what}: {}", stderr(out));
    assert_eq!(out.status.code(), Some(code), "{what}: {}", stderr(out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{what}: not one line: {text}");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
    assert_eq!(v["ok"], false, "{what}: {v}");
    let kind = v["error"]["kind"].as_str().unwrap_or_default().to_string();
    assert!(KINDS.contains(&kind.as_str()), "{what}: kind {kind}: {v}");
    let message = v["error"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: {v}");
    kind
}

fn success(what: &str, out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["ok"], true, "{what}: {v}");
    v
}

fn phase_names(v: &Value) -> Vec<String> {
    let mut names: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("phases_ms is not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

struct Files {
    dir: PathBuf,
    onnx: String,
    cal: String,
    input: String,
}

fn files(tag: &str) -> Files {
    let dir = scratch(&format!("json-{tag}"));
    let w: Vec<f32> = (0..32).map(|i| ((i * 3) % 11) as f32 / 8.0 - 0.6).collect();
    let onnx = write(&dir, "m.onnx", matmul_model(8, 4, &w));
    let x = r#"{"input_data": [[0.5, -1, 0.25, 2, -0.75, 1, 0, -2]]}"#;
    let cal = write(&dir, "calibration.json", x);
    let input = write(&dir, "input.json", x);
    Files {
        dir,
        onnx,
        cal,
        input,
    }
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// Every command that takes `--json` reports a failure as one JSON object on stdout (setup and
/// prove printed nothing before), with the kind that fits, and exit status 2.
#[test]
fn every_command_reports_failures_in_one_shape() {
    let f = files("fail");
    let missing = p(&f.dir.join("missing.onnx"));
    let (cal, input) = (f.cal.as_str(), f.input.as_str());
    let no_keys = p(&f.dir.join("no-keys"));
    let out = p(&f.dir.join("out"));
    let cases: [(&str, Vec<&str>, &str); 11] = [
        ("inspect", vec!["inspect", &missing], "bad_input"),
        (
            "run",
            vec!["run", &missing, "--calibration", cal, "--input", input],
            "bad_input",
        ),
        (
            "accuracy",
            vec![
                "accuracy",
                &missing,
                "--calibration",
                cal,
                "--test-set",
                cal,
            ],
            "bad_input",
        ),
        ("conformance", vec!["conformance", &missing], "bad_input"),
        (
            "setup",
            vec!["setup", &missing, "--calibration", cal, "--out", &out],
            "bad_input",
        ),
        (
            "prove",
            vec!["prove", &no_keys, "--input", input, "--out", &out],
            "bad_input",
        ),
        (
            "verify",
            vec!["verify", &missing, &missing, "--input", input],
            "bad_input",
        ),
        (
            "estimate",
            vec!["estimate", &missing, "--calibration", cal],
            "bad_input",
        ),
        ("demo (bad flag)", vec!["demo", "--runs", "2"], "usage"),
        (
            "setup (missing --out)",
            vec!["setup", &f.onnx, "--calibration", cal],
            "usage",
        ),
        (
            "prove (--zk --no-zk)",
            vec![
                "prove", &no_keys, "--input", input, "--out", &out, "--zk", "--no-zk",
            ],
            "usage",
        ),
    ];
    for (what, mut args, want) in cases {
        args.push("--json");
        let kind = failure(what, &zkinfer(&args), 2);
        assert_eq!(kind, want, "{what}");
    }
}

/// The kinds of the proving commands' own failures: a key of the other mode, a proof of another
/// input (invalid, exit 1), a setup over existing keys, a file that is not a key.
#[test]
fn proving_failures_have_their_kinds() {
    let f = files("kinds");
    let keys = f.dir.join("keys");
    let setup = |flags: &[&str]| {
        let mut args = vec!["setup", &f.onnx, "--calibration", &f.cal];
        let out = p(&keys);
        args.extend(["--out", &out, "--json"]);
        args.extend_from_slice(flags);
        zkinfer(&args)
    };
    let v = success("setup", &setup(&[]));
    assert!(v["key_id"].is_string(), "{v}");
    assert_eq!(failure("setup again", &setup(&[]), 2), "keys_exist");

    let proof = p(&f.dir.join("x.proof"));
    let (k, inp) = (p(&keys), f.input.clone());
    let prove = |flags: &[&str]| {
        let mut args = vec!["prove", &k, "--input", &inp, "--out", &proof, "--json"];
        args.extend_from_slice(flags);
        zkinfer(&args)
    };
    assert_eq!(
        failure("prove --no-zk", &prove(&["--no-zk"]), 2),
        "wrong_mode"
    );
    success("prove", &prove(&[]));

    let vk = p(&keys.join("verifier.key"));
    let other = write(
        &f.dir,
        "other.json",
        r#"{"input_data": [[1, 1, 1, 1, 1, 1, 1, 1]]}"#,
    );
    let out = zkinfer(&["verify", &vk, &proof, "--input", &other, "--json"]);
    assert_eq!(failure("verify (other input)", &out, 1), "invalid_proof");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false, "{v}");
    let out = zkinfer(&["verify", &proof, &proof, "--input", &f.input, "--json"]);
    assert_eq!(
        failure("verify (a proof as key)", &out, 2),
        "malformed_file"
    );
    success(
        "verify",
        &zkinfer(&["verify", &vk, &proof, "--input", &f.input, "--json"]),
    );
}

/// `phases_ms` is one object with the same four names in `prove` and in `estimate` (its estimate
/// and its measurement); the layers phase's parts are `layer_parts_ms` in both.
#[test]
fn phases_ms_has_one_shape() {
    let f = files("phases");
    let keys = p(&f.dir.join("keys"));
    let setup = [
        "setup",
        &f.onnx,
        "--calibration",
        &f.cal,
        "--out",
        &keys,
        "--no-zk",
        "--json",
    ];
    success("setup", &zkinfer(&setup));
    let proof = p(&f.dir.join("x.proof"));
    let prove = [
        "prove", &keys, "--input", &f.input, "--out", &proof, "--json",
    ];
    let v = success("prove", &zkinfer(&prove));
    assert_eq!(phase_names(&v["phases_ms"]), PHASES);
    assert_eq!(phase_names(&v["layer_parts_ms"]), ["lookups", "sumchecks"]);
    let estimate = [
        "estimate",
        &f.onnx,
        "--calibration",
        &f.cal,
        "--compare",
        &f.input,
        "--runs",
        "1",
        "--json",
    ];
    let v = success("estimate", &zkinfer(&estimate));
    assert_eq!(phase_names(&v["estimate"]["phases_ms"]), PHASES);
    assert_eq!(phase_names(&v["measured"]["phases_ms"]), PHASES);
    assert_eq!(
        phase_names(&v["measured"]["layer_parts_ms"]),
        ["lookups", "sumchecks"]
    );
}
