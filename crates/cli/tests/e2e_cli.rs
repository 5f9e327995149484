//! End-to-end tests of `setup`, `prove`, `verify` and `demo`, driving the built binary as a user
//! would, on the trained models bundled in the repository (`fixtures/models`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn zkinfer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .args(args)
        .output()
        .expect("spawn zkinfer")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

/// The exit status, after checking the process did not panic.
fn status(o: &Output) -> i32 {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "zkinfer panicked: {err}");
    o.status.code().expect("exit status")
}

/// The trained models kept in the repository (fixtures/README.md): these tests never skip.
fn models() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/models")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zkinfer-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Keys and a proof for one bundled model, made once per test binary.
struct Proven {
    model_dir: PathBuf,
    dir: PathBuf,
    keys: PathBuf,
    proof: PathBuf,
    input: PathBuf,
    setup: Value,
    prove: Value,
}

impl Proven {
    fn vk(&self) -> PathBuf {
        self.keys.join("verifier.key")
    }

    fn verify_with(&self, vk: &Path, proof: &Path, input: &Path) -> Output {
        zkinfer(&["verify", s(vk), s(proof), "--input", s(input), "--json"])
    }
}

fn setup_and_prove(name: &str) -> Proven {
    let model_dir = models().join(name);
    let dir = scratch(name);
    let keys = dir.join("keys");
    let m = |f: &str| model_dir.join(f);
    let out = zkinfer(&[
        "setup",
        s(&m("network.onnx")),
        "--calibration",
        s(&m("calibration.json")),
        "--out",
        s(&keys),
        "--json",
    ]);
    assert_eq!(status(&out), 0, "setup {name}: {}", stderr(&out));
    let setup = json(&out);
    let proof = dir.join("proof.bin");
    let input = m("input.json");
    let out = zkinfer(&[
        "prove",
        s(&keys),
        "--input",
        s(&input),
        "--out",
        s(&proof),
        "--json",
    ]);
    assert_eq!(status(&out), 0, "prove {name}: {}", stderr(&out));
    let prove = json(&out);
    Proven {
        model_dir,
        dir,
        keys,
        proof,
        input,
        setup,
        prove,
    }
}

fn digits_mlp() -> &'static Proven {
    static P: OnceLock<Proven> = OnceLock::new();
    P.get_or_init(|| setup_and_prove("digits_mlp_small"))
}

#[test]
fn demo_succeeds() {
    let out = zkinfer(&["demo"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("demo OK"));
    let out = zkinfer(&["demo", "--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert!(v["soundness_bits"].as_f64().unwrap() >= 100.0, "{v}");
    assert!(v["proof_bytes"].as_u64().unwrap() > 0);
    // The bundled digits classifier: ten logits per proven image (fixtures_cli.rs checks them).
    assert_eq!(v["proven"][0]["output"].as_array().unwrap().len(), 10);
}

#[test]
fn digits_mlp_proves_the_reference_output_and_verifies() {
    let p = digits_mlp();
    // The printed output is the reference evaluator's on the quantized input.
    let m = |f: &str| p.model_dir.join(f);
    let prep = zkinfer_onnx::prepare(&m("network.onnx"), &m("calibration.json"), None).unwrap();
    let file = zkinfer_onnx::read_input_file(&p.input).unwrap();
    let x: Vec<f64> = file.input_data[0].iter().map(|&v| v as f64).collect();
    let q = prep.qmodel.quantize_inputs(&[x]).unwrap();
    let trace = zkinfer_ir::evaluate(&prep.qmodel, &q).unwrap();
    let expected = &trace.values[prep.qmodel.outputs[0]];
    let printed: Vec<i64> = p.prove["output_quantized"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(&printed, expected);
    let real = prep.qmodel.dequantize_outputs(&trace);
    let printed_real = p.prove["output"].as_array().unwrap();
    for (a, b) in printed_real.iter().zip(&real[0]) {
        assert!((a.as_f64().unwrap() - b).abs() < 1e-9);
    }

    let out = p.verify_with(&p.vk(), &p.proof, &p.input);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["output_quantized"], p.prove["output_quantized"]);
    assert_eq!(v["model_hash"], p.setup["model_hash"]);
    // Zero-knowledge keys (setup's default): the salted digest, and no weight commitment.
    assert_eq!(v["weight_digest"], p.setup["weight_digest"]);
    assert!(v["weight_digest"].is_string(), "{v}");
    assert!(v["weight_commitment"].is_null(), "{v}");
    assert!(p.setup["weight_commitment"].is_null(), "{}", p.setup);
    assert!(v["soundness_bits"].as_f64().unwrap() >= 100.0, "{v}");
    // Text mode says so too.
    let out = zkinfer(&["verify", s(&p.vk()), s(&p.proof), "--input", s(&p.input)]);
    assert_eq!(status(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("VALID"));
}

#[test]
fn tampered_proofs_never_verify() {
    let p = digits_mlp();
    let bytes = std::fs::read(&p.proof).unwrap();
    let dir = p.dir.join("tampered");
    std::fs::create_dir_all(&dir).unwrap();
    // 20 positions spread over the file (header, commitments, round messages, openings).
    let positions: Vec<usize> = (0..20)
        .map(|i| (i * bytes.len() / 20 + 3 * i) % bytes.len())
        .collect();
    std::thread::scope(|sc| {
        for chunk in positions.chunks(10) {
            let (bytes, dir) = (&bytes, &dir);
            sc.spawn(move || {
                for &i in chunk {
                    let mut bad = bytes.clone();
                    bad[i] ^= 0x01;
                    let f = dir.join(format!("proof-{i}.bin"));
                    std::fs::write(&f, &bad).unwrap();
                    let out = p.verify_with(&p.vk(), &f, &p.input);
                    let code = status(&out);
                    assert!(
                        code == 1 || code == 2,
                        "byte {i} changed: exit {code}: {}",
                        stderr(&out)
                    );
                    if code == 1 {
                        assert_eq!(json(&out)["valid"], false);
                    }
                }
            });
        }
    });
}

#[test]
fn another_input_is_invalid() {
    let p = digits_mlp();
    let file = zkinfer_onnx::read_input_file(&p.input).unwrap();
    let mut x = file.input_data[0].clone();
    x.reverse();
    let other = p.dir.join("other-input.json");
    std::fs::write(&other, serde_json::json!({ "input_data": [x] }).to_string()).unwrap();
    let out = p.verify_with(&p.vk(), &p.proof, &other);
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!((&v["ok"], &v["valid"]), (&false.into(), &false.into()));
    assert_eq!(v["error"]["kind"], "invalid_proof", "{v}");
    assert!(!v["error"]["message"].as_str().unwrap().is_empty());
}

#[test]
fn unreadable_or_malformed_files_exit_2() {
    let p = digits_mlp();
    let dir = p.dir.join("malformed");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let f = dir.join(name);
        std::fs::write(&f, bytes).unwrap();
        f
    };
    let proof = std::fs::read(&p.proof).unwrap();
    let vk = std::fs::read(p.vk()).unwrap();
    let cut_proof = write("cut.proof", &proof[..proof.len() / 2]);
    let junk = write("junk", b"this is not a zkinfer file at all");
    let cut_vk = write("cut.vk", &vk[..vk.len() - 1]);
    let mut long = vk.clone();
    long.push(0);
    let long_vk = write("long.vk", &long);
    let pk = p.keys.join("prover.key");
    let missing = dir.join("missing");
    let cases = [
        (p.vk(), cut_proof.clone(), "truncated"),
        (p.vk(), junk.clone(), "not a proof"),
        // A key file ends with its digest: a cut or a lengthened key no longer matches it.
        (
            cut_vk,
            p.proof.clone(),
            "verifier key is corrupt: digest mismatch",
        ),
        (junk.clone(), p.proof.clone(), "not a verifier key"),
        (
            long_vk,
            p.proof.clone(),
            "verifier key is corrupt: digest mismatch",
        ),
        (pk, p.proof.clone(), "prover key"),
        (missing.clone(), p.proof.clone(), "missing"),
        (p.vk(), missing, "missing"),
    ];
    for (vk, proof, what) in cases {
        let out = zkinfer(&["verify", s(&vk), s(&proof), "--input", s(&p.input)]);
        assert_eq!(status(&out), 2, "{what}: {}", stderr(&out));
        assert!(stderr(&out).contains(what), "{what}: {}", stderr(&out));
    }
    // A bad input file is also a usage error, and so is a missing key directory for `prove`.
    let out = zkinfer(&["verify", s(&p.vk()), s(&p.proof), "--input", s(&junk)]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    let out = zkinfer(&[
        "prove",
        s(&dir),
        "--input",
        s(&p.input),
        "--out",
        s(&dir.join("x")),
    ]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("prover.key"), "{}", stderr(&out));
}

#[test]
fn another_models_key_does_not_verify() {
    let p = digits_mlp();
    let m = p.model_dir.join("../digits_linear_small");
    let keys = p.dir.join("linear-keys");
    let out = zkinfer(&[
        "setup",
        s(&m.join("network.onnx")),
        "--calibration",
        s(&m.join("calibration.json")),
        "--out",
        s(&keys),
    ]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let out = p.verify_with(&keys.join("verifier.key"), &p.proof, &p.input);
    // The proof names the key it was made for: refused by name, before any layer is checked.
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["error"]["kind"], "wrong_key", "{v}");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains("this proof was made for key"), "{msg}");
}
