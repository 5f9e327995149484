//! End-to-end tests of `zkinfer estimate`: the estimate against a real `prove` of the same model,
//! and the errors a user sees for unsupported models and unusable calibration files.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{scratch, shared, write};
use serde_json::Value;

/// `zkinfer` with a private cache directory, so a calibration left by a user is never read.
fn zkinfer(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("spawn zkinfer")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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
        &["estimate", &s(&onnx), "--calibration", &s(&cal), "--json"],
    ));
    assert_eq!(est["calibration"]["source"], "built-in");
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
        est["profile"]["witness"]["columns"].as_u64(),
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
