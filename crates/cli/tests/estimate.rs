//! End-to-end tests of `zkinfer estimate`: the estimate against real proofs of the same model in
//! both modes (the bundled fixtures always, the shared models when present), and the errors a user
//! sees for unsupported models and unusable calibration files.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{fixture, scratch, shared, stderr, write};
use serde_json::Value;

/// `zkinfer` with a private cache directory, so a calibration left by a user is never read.
fn zkinfer(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("spawn zkinfer")
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("one JSON object")
}

#[test]
fn estimate_predicts_the_proof_of_digits_mlp() {
    let Some(models) = shared() else { return };
    let m = models.join("models/digits_mlp");
    let (onnx, cal, input) = (
        m.join("network.onnx"),
        m.join("calibration.json"),
        m.join("input.json"),
    );
    let dir = scratch("estimate-mlp");
    let s = |p: &Path| p.display().to_string();
    let est = json(&zkinfer(
        &dir,
        &[
            "estimate",
            &s(&onnx),
            "--calibration",
            &s(&cal),
            "--no-zk",
            "--json",
        ],
    ));
    assert_eq!(est["calibration"]["source"], "built-in");
    assert_eq!(est["mode"], "plain");
    assert_eq!(est["zero_knowledge"], false);
    let e = &est["estimate"];
    // The phases by name, as `prove --json` prints them.
    let phases: f64 = ["witness", "commit", "layers", "openings"]
        .iter()
        .map(|k| e["phases_ms"][k].as_f64().unwrap())
        .sum();
    let prove_ms = e["prove_ms"].as_f64().unwrap();
    assert!(prove_ms > 0.0 && (phases - prove_ms).abs() < 1e-6, "{e}");
    assert!(e["peak_mb"].as_f64().unwrap() > 1.0, "{e}");

    let keys = dir.join("keys");
    let proof = dir.join("proof.bin");
    let setup = zkinfer(
        &dir,
        &[
            "setup",
            &s(&onnx),
            "--calibration",
            &s(&cal),
            "--out",
            &s(&keys),
            // The estimate models the plain proof, which needs plain keys.
            "--no-zk",
        ],
    );
    assert!(setup.status.success(), "{}", stderr(&setup));
    let proved = json(&zkinfer(
        &dir,
        &[
            "prove",
            &s(&keys),
            "--input",
            &s(&input),
            "--out",
            &s(&proof),
            // The estimate models the plain proof.
            "--no-zk",
            "--json",
        ],
    ));
    // The proof file adds a 10-byte header, the output and the proof's kind (1 byte) to the
    // proof the estimate counts.
    let actual = proved["proof_bytes"].as_f64().unwrap();
    let predicted = e["proof_bytes"].as_f64().unwrap();
    assert!(
        (predicted - actual).abs() / actual < 0.10,
        "{predicted} vs {actual}"
    );
    assert_eq!(
        est["profile"]["plain"]["witness"]["columns"].as_u64(),
        // 69 before the static bounds became weight-independent (wider requantization ranges),
        // 80 before the weights' range checks (their limbs and multiplicities), 104 before every
        // bound came from the widths (no exact-bound fallback: wider requantization limbs).
        Some(112),
        "digits_mlp commits 112 witness columns"
    );
}

#[test]
fn unsupported_models_fail_as_setup_does() {
    let Some(models) = shared() else { return };
    let m = models.join("models/attention");
    let dir = scratch("estimate-attention");
    let (onnx, cal) = (
        m.join("network.onnx").display().to_string(),
        m.join("calibration.json").display().to_string(),
    );
    let est = zkinfer(&dir, &["estimate", &onnx, "--calibration", &cal]);
    let out = dir.join("keys").display().to_string();
    let setup = zkinfer(
        &dir,
        &["setup", &onnx, "--calibration", &cal, "--out", &out],
    );
    assert_eq!(est.status.code(), Some(2));
    assert_eq!(setup.status.code(), Some(2));
    assert!(stderr(&est).contains("unsupported"), "{}", stderr(&est));
    assert_eq!(stderr(&est), stderr(&setup));
}

#[test]
fn unusable_calibration_files_are_named_with_the_problem() {
    let Some(models) = shared() else { return };
    let m = models.join("models/digits_linear");
    let dir = scratch("estimate-bad-calibration");
    let (onnx, cal) = (
        m.join("network.onnx").display().to_string(),
        m.join("calibration.json").display().to_string(),
    );
    let missing = dir.join("absent.json").display().to_string();
    let garbage = write(&dir, "garbage.json", "[1, 2");
    let old = write(&dir, "old.json", r#"{"format": 1}"#);
    for (file, want) in [
        (&missing, "cannot read calibration file"),
        (&garbage, "not a calibration file"),
        (&old, "missing field"),
    ] {
        let o = zkinfer(
            &dir,
            &[
                "estimate",
                &onnx,
                "--calibration",
                &cal,
                "--calibration-file",
                file,
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{file}");
        let err = stderr(&o);
        assert!(err.contains(file.as_str()) && err.contains(want), "{err}");
    }
    // A calibration file in the cache directory is read (and refused when broken).
    std::fs::create_dir_all(dir.join("zkinfer")).expect("cache dir");
    write(&dir, "zkinfer/calibration.json", "{}");
    let o = zkinfer(&dir, &["estimate", &onnx, "--calibration", &cal]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("zkinfer/calibration.json"),
        "{}",
        stderr(&o)
    );
}

/// Estimate and `--compare` (medians of 3 proofs in child processes) of a model folder in one mode;
/// the estimate's `profile` and `estimate`, and the measured figures.
fn compare(model: &Path, zk: bool) -> (Value, Value, Value) {
    let s = |p: PathBuf| p.display().to_string();
    let mode = if zk { "--zk" } else { "--no-zk" };
    let out = scratch(&format!(
        "estimate-compare-{}-{mode}",
        model
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("model")
    ));
    let (onnx, cal, input) = (
        s(model.join("network.onnx")),
        s(model.join("calibration.json")),
        s(model.join("input.json")),
    );
    let args = [
        "estimate",
        &onnx,
        "--calibration",
        &cal,
        "--compare",
        &input,
        "--runs",
        "3",
        mode,
        "--json",
    ];
    let v = json(&zkinfer(&out, &args));
    assert_eq!(v["zero_knowledge"], zk, "{v}");
    assert_eq!(v["mode"], if zk { "zero_knowledge" } else { "plain" });
    assert_eq!(v["measured"]["zero_knowledge"], zk, "{v}");
    (
        v["profile"].clone(),
        v["estimate"].clone(),
        v["measured"].clone(),
    )
}

/// Checks an estimate against its measurement: proof bytes within `bytes_tol`, prove time within
/// `time_factor` either way.
fn check_close(name: &str, e: &Value, m: &Value, bytes_tol: f64, time_factor: f64) {
    let f = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let (pb, mb) = (f(e, "proof_bytes"), f(m, "proof_bytes"));
    assert!(
        (pb - mb).abs() / mb < bytes_tol,
        "{name}: proof {pb} bytes estimated, {mb} measured"
    );
    let ratio = f(e, "prove_ms") / f(m, "prove_ms");
    eprintln!(
        "{name}: prove {:.1} ms estimated / {:.1} ms measured (x{ratio:.2}), proof {pb:.0} / {mb:.0} bytes",
        f(e, "prove_ms"),
        f(m, "prove_ms")
    );
    assert!(
        ratio < time_factor && ratio > 1.0 / time_factor,
        "{name}: prove time {} ms estimated, {} ms measured (x{ratio:.2})",
        f(e, "prove_ms"),
        f(m, "prove_ms")
    );
}

/// The target is 2x; the bound allows 2.5x because the built-in calibration was measured once, on
/// a 2-core machine shared with other builds, and this test runs under whatever load CI has: the
/// same proof's time varies by up to 1.5x between runs there (docs/estimate.md, "Limits").
const TIME_FACTOR: f64 = 2.5;

#[test]
fn estimate_predicts_both_modes_on_the_bundled_fixtures() {
    for name in [
        "digits_linear_small",
        "digits_mlp_small",
        "digits_cnn_small",
    ] {
        let model = fixture(name);
        let (profile, e, m) = compare(&model, true);
        // Exact: the zero-knowledge proof outside its HVZK-WHIR opening (counted from the plan).
        let body = profile["zk"]["proof_body_bytes"].as_f64().unwrap();
        let opening = m["opening_bytes"][0].as_f64().unwrap();
        assert_eq!(body + opening, m["proof_bytes"].as_f64().unwrap(), "{name}");
        // The opening from the calibration's table of sizes: within 10%.
        check_close(&format!("{name} zk"), &e, &m, 0.10, TIME_FACTOR);
        let (profile, e, m) = compare(&model, false);
        assert!(profile["zk"].is_null(), "{profile}");
        check_close(&format!("{name} plain"), &e, &m, 0.10, TIME_FACTOR);
    }
}

#[test]
fn estimate_predicts_zk_proofs_of_the_shared_models() {
    let Some(shared) = shared() else { return };
    for name in ["digits_linear", "digits_mlp", "digits_cnn", "lenet5_28"] {
        let model = shared.join("models").join(name);
        let (profile, e, m) = compare(&model, true);
        let body = profile["zk"]["proof_body_bytes"].as_f64().unwrap();
        let opening = m["opening_bytes"][0].as_f64().unwrap();
        assert_eq!(body + opening, m["proof_bytes"].as_f64().unwrap(), "{name}");
        check_close(&format!("{name} zk"), &e, &m, 0.10, TIME_FACTOR);
    }
}
