//! End-to-end tests of the proof modes of `prove` (`--zk`, `--no-zk`) and of `verify` on both
//! kinds of proof file.
//!
//! The zero-knowledge proofs are of a small bias-free MatMul model written here: `prove_zk`
//! refuses a weight (a bias) added by a separate Add node ("a weight claim has a hidden part"),
//! which rules out digits_linear today; its test is ignored until the protocol handles it. The
//! tests on shared models skip (with a notice) when ../shared is absent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{matmul_model, scratch, shared, status, stderr, write, zkinfer};
use serde_json::Value;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Keys for one shared model in a scratch folder.
struct Keys {
    dir: PathBuf,
    keys: PathBuf,
    input: PathBuf,
}

impl Keys {
    /// `setup` of `model` with `calibration` into `dir/keys` (zero-knowledge keys, the default).
    fn new(dir: PathBuf, model: &Path, calibration: &Path, input: PathBuf) -> Keys {
        Self::with_flags(dir, model, calibration, input, &[])
    }

    /// [`Keys::new`] with extra `setup` flags (`--no-zk` for plain keys).
    fn with_flags(
        dir: PathBuf,
        model: &Path,
        calibration: &Path,
        input: PathBuf,
        flags: &[&str],
    ) -> Keys {
        let keys = dir.join("keys");
        let mut args = vec![
            "setup",
            s(model),
            "--calibration",
            s(calibration),
            "--out",
            s(&keys),
        ];
        args.extend_from_slice(flags);
        let out = zkinfer(&args);
        assert_eq!(
            status(&out),
            0,
            "setup {}: {}",
            model.display(),
            stderr(&out)
        );
        Keys { dir, keys, input }
    }

    /// Keys of a shared model, with its input.
    fn shared(name: &str) -> Option<Keys> {
        Self::shared_as(name, name)
    }

    /// [`Keys::shared`] in a scratch folder of its own (`tag`), for tests that run in parallel.
    fn shared_as(name: &str, tag: &str) -> Option<Keys> {
        let m = shared()?.join("models").join(name);
        let dir = scratch(&format!("zk-{tag}"));
        let (onnx, cal) = (m.join("network.onnx"), m.join("calibration.json"));
        Some(Keys::new(dir, &onnx, &cal, m.join("input.json")))
    }

    /// Keys of `y = x @ W`, `x: [1, 8]`, `W: [8, 4]` (no bias), with an input.
    fn matmul() -> Keys {
        Self::matmul_with("zk-matmul", &[])
    }

    /// [`Keys::matmul`] in scratch folder `tag`, with extra `setup` flags.
    fn matmul_with(tag: &str, flags: &[&str]) -> Keys {
        let dir = scratch(tag);
        let w: Vec<f32> = (0..32).map(|i| ((i * 7) % 11) as f32 / 8.0 - 0.6).collect();
        let onnx = write(&dir, "matmul.onnx", matmul_model(8, 4, &w));
        let x = r#"{"input_data": [[0.5, -1, 0.25, 2, -0.75, 1, 0, -2]]}"#;
        let cal = write(&dir, "calibration.json", x);
        let input = write(&dir, "input.json", x);
        Keys::with_flags(dir, Path::new(&onnx), Path::new(&cal), input.into(), flags)
    }

    /// `prove` with extra flags, writing `file` in the scratch folder.
    fn prove(&self, file: &str, flags: &[&str]) -> (PathBuf, Output) {
        let proof = self.dir.join(file);
        let mut args = vec![
            "prove",
            s(&self.keys),
            "--input",
            s(&self.input),
            "--out",
            s(&proof),
        ];
        args.extend_from_slice(flags);
        let out = zkinfer(&args);
        (proof, out)
    }

    fn verify(&self, proof: &Path, flags: &[&str]) -> Output {
        let vk = self.keys.join("verifier.key");
        let mut args = vec!["verify", s(&vk), s(proof), "--input", s(&self.input)];
        args.extend_from_slice(flags);
        zkinfer(&args)
    }
}

/// `prove --zk --json` with `k`: the proof file and the JSON.
fn prove_zk(k: &Keys) -> (PathBuf, Value) {
    let (proof, out) = k.prove("zk.proof", &["--zk", "--json"]);
    assert_eq!(status(&out), 0, "prove --zk: {}", stderr(&out));
    (proof, json(&out))
}

/// The MatMul model's keys and a `--zk` proof (with its `--json` output), made once per binary.
fn matmul_zk() -> &'static (Keys, PathBuf, Value) {
    static P: OnceLock<(Keys, PathBuf, Value)> = OnceLock::new();
    P.get_or_init(|| {
        let k = Keys::matmul();
        let (proof, v) = prove_zk(&k);
        (k, proof, v)
    })
}

/// `prove --zk` made `proof` (JSON `prove`): it verifies, and both commands say it is
/// zero-knowledge.
fn check_zk_proof(k: &Keys, proof: &Path, prove: &Value) {
    assert_eq!(prove["zero_knowledge"], true, "{prove}");
    let out = k.verify(proof, &["--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["zero_knowledge"], true, "{v}");
    assert_eq!(v["output_quantized"], prove["output_quantized"]);
    assert!(v["soundness_bits"].as_f64().unwrap() >= 100.0, "{v}");
    let out = k.verify(proof, &[]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("VALID (zero knowledge)"),
        "{}",
        stdout(&out)
    );
    // The text output of `prove --zk` says what the proof hides: the weights too.
    let (_, out) = k.prove("zk-text.proof", &["--zk"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("hides the weights"), "{text}");
    assert!(text.contains("activations"), "{text}");
    assert!(!text.contains("not hidden"), "{text}");
}

#[test]
fn zk_proof_verifies_and_says_so() {
    let (k, proof, prove) = matmul_zk();
    check_zk_proof(k, proof, prove);
}

#[test]
fn zk_proof_of_digits_linear_verifies_and_says_so() {
    let Some(k) = Keys::shared("digits_linear") else {
        return;
    };
    let (proof, prove) = prove_zk(&k);
    check_zk_proof(&k, &proof, &prove);
}

#[test]
fn no_zk_makes_a_plain_proof() {
    // Plain proofs need plain keys (`setup --no-zk`).
    let k = Keys::matmul_with("zk-matmul-plain", &["--no-zk"]);
    let (proof, out) = k.prove("plain.proof", &["--no-zk", "--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["zero_knowledge"], false);
    let out = k.verify(&proof, &["--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        (&v["valid"], &v["zero_knowledge"]),
        (&true.into(), &false.into())
    );
    let out = k.verify(&proof, &[]);
    assert!(stdout(&out).contains("VALID (plain"), "{}", stdout(&out));
    let (_, out) = k.prove("plain-text.proof", &["--no-zk"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("does not hide them or the input"),
        "{}",
        stdout(&out)
    );
    // Without a flag, the proof is of the key's mode (plain here), and verify agrees.
    let (proof, out) = k.prove("default.proof", &["--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["zero_knowledge"], false);
    let out = k.verify(&proof, &["--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["zero_knowledge"], false);
}

#[test]
fn tampered_zk_proofs_never_verify() {
    let (k, proof, _) = matmul_zk();
    let bytes = std::fs::read(proof).unwrap();
    let dir = k.dir.join("tampered");
    std::fs::create_dir_all(&dir).unwrap();
    // 12 positions spread over the file, the header and the proof's kind tag included.
    let mut positions: Vec<usize> = (0..10)
        .map(|i| (i * bytes.len() / 10 + 5 * i + 11) % bytes.len())
        .collect();
    positions.extend([8, bytes.len() - 1]);
    std::thread::scope(|sc| {
        for chunk in positions.chunks(6) {
            let (bytes, dir) = (&bytes, &dir);
            sc.spawn(move || {
                for &i in chunk {
                    let mut bad = bytes.clone();
                    bad[i] ^= 0x01;
                    let f = dir.join(format!("proof-{i}.bin"));
                    std::fs::write(&f, &bad).unwrap();
                    let out = k.verify(&f, &["--json"]);
                    let code = status(&out);
                    assert!(
                        code == 1 || code == 2,
                        "byte {i} changed: exit {code}: {}",
                        stderr(&out)
                    );
                    assert_eq!(json(&out)["valid"], false, "byte {i}");
                }
            });
        }
    });
    // Byte 8 is the format version: a version-2 file is refused by name.
    let mut old = bytes.clone();
    old[8..10].copy_from_slice(&2u16.to_le_bytes());
    let f = dir.join("v2.bin");
    std::fs::write(&f, &old).unwrap();
    let out = k.verify(&f, &[]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("format version 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn zk_and_no_zk_together_are_a_usage_error() {
    let (k, _, _) = matmul_zk();
    let (proof, out) = k.prove("both.proof", &["--zk", "--no-zk"]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    assert!(!proof.exists());
}

/// Zero knowledge is the default: with no flag, digits_mlp (requantization, ReLU, biases added
/// by their own nodes) gets a zero-knowledge proof that verifies.
#[test]
fn the_default_is_a_zero_knowledge_proof_of_digits_mlp() {
    let Some(k) = Keys::shared("digits_mlp") else {
        return;
    };
    let (proof, out) = k.prove("mlp.proof", &["--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["zero_knowledge"], true);
    let v = k.verify(&proof, &[]);
    assert_eq!(status(&v), 0, "{}", stderr(&v));
    assert!(stdout(&v).contains("zero knowledge"), "{}", stdout(&v));
}

/// `--private-input`: the proof verifies without the input, refuses `--input`, the owner's
/// opening matches, another input's opening makes it INVALID, and the input's values appear in
/// neither the proof nor the verifier's arguments.
#[test]
fn private_input_proofs_verify_without_the_input() {
    let Some(k) = Keys::shared_as("digits_mlp", "private") else {
        return;
    };
    let (proof, out) = k.prove("private.proof", &["--private-input", "--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let j = json(&out);
    assert_eq!(j["private_input"], true);
    let opening = PathBuf::from(j["input_opening"].as_str().unwrap());
    assert!(opening.exists());
    let vk = k.keys.join("verifier.key");
    let bare = zkinfer(&["verify", s(&vk), s(&proof), "--json"]);
    assert_eq!(status(&bare), 0, "{}", stderr(&bare));
    assert_eq!(json(&bare)["private_input"], true);
    // With the input: refused, the proof carries a commitment instead.
    let with = k.verify(&proof, &[]);
    assert_eq!(status(&with), 2, "{}", stderr(&with));
    assert!(stderr(&with).contains("private input"), "{}", stderr(&with));
    // The owner's opening matches; another input's does not.
    let ok = zkinfer(&["verify", s(&vk), s(&proof), "--input-opening", s(&opening)]);
    assert_eq!(status(&ok), 0, "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("matches the opening"),
        "{}",
        stdout(&ok)
    );
    let mut o: Value = serde_json::from_slice(&std::fs::read(&opening).unwrap()).unwrap();
    let first = o["input"][0].as_i64().unwrap();
    o["input"][0] = (first + 1).into();
    let other = k.dir.join("other.opening.json");
    std::fs::write(&other, serde_json::to_vec(&o).unwrap()).unwrap();
    let bad = zkinfer(&["verify", s(&vk), s(&proof), "--input-opening", s(&other)]);
    assert_eq!(status(&bad), 1, "{}", stdout(&bad));
    // The quantized input, as JSON or postcard, is nowhere in the proof file.
    let input: Vec<i64> = o["input"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let mut input = input;
    input[0] = first;
    let bytes = std::fs::read(&proof).unwrap();
    for needle in [
        serde_json::to_vec(&input).unwrap(),
        postcard::to_allocvec(&input).unwrap(),
    ] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_slice()));
    }
}
