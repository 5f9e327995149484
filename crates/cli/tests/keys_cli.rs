//! End-to-end tests of the keys' proof mode (`setup [--zk | --no-zk]`) and of what the proving
//! commands print and write: a zero-knowledge setup, proof and verification never print the
//! plain weight commitment `C_W` (deterministic in the weights, so a guess-checking oracle), keys
//! of one mode are refused for the other, and a private input's opening is written private.
//!
//! The model is `y = x @ W` with `x: [1, 8]`, `W: [8, 4]`, written here: no shared files needed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{matmul_model, scratch, status, stderr, write, zkinfer};
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

fn unhex(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// A scratch folder with the model, its calibration and an input.
struct Files {
    dir: PathBuf,
    onnx: PathBuf,
    cal: PathBuf,
    input: PathBuf,
}

impl Files {
    fn new(tag: &str) -> Files {
        let dir = scratch(&format!("keys-{tag}"));
        let w: Vec<f32> = (0..32).map(|i| ((i * 5) % 13) as f32 / 8.0 - 0.7).collect();
        let onnx = write(&dir, "matmul.onnx", matmul_model(8, 4, &w)).into();
        let x = r#"{"input_data": [[0.5, -1, 0.25, 2, -0.75, 1, 0, -2]]}"#;
        let cal = write(&dir, "calibration.json", x).into();
        let input = write(&dir, "input.json", x).into();
        Files {
            dir,
            onnx,
            cal,
            input,
        }
    }

    /// `setup` into `dir/<keys>` with extra flags.
    fn setup(&self, keys: &str, flags: &[&str]) -> (PathBuf, Output) {
        let out_dir = self.dir.join(keys);
        let mut args = vec![
            "setup",
            s(&self.onnx),
            "--calibration",
            s(&self.cal),
            "--out",
            s(&out_dir),
        ];
        args.extend_from_slice(flags);
        let out = zkinfer(&args);
        assert_eq!(status(&out), 0, "setup {flags:?}: {}", stderr(&out));
        (out_dir, out)
    }

    fn prove(&self, keys: &Path, proof: &str, flags: &[&str]) -> (PathBuf, Output) {
        let path = self.dir.join(proof);
        let mut args = vec![
            "prove",
            s(keys),
            "--input",
            s(&self.input),
            "--out",
            s(&path),
        ];
        args.extend_from_slice(flags);
        let out = zkinfer(&args);
        (path, out)
    }

    fn verify(&self, keys: &Path, proof: &Path, flags: &[&str]) -> Output {
        let vk = keys.join("verifier.key");
        let mut args = vec!["verify", s(&vk), s(proof)];
        args.extend_from_slice(flags);
        zkinfer(&args)
    }
}

/// Issue item 6: the plain commitment `C_W` of the weights (what `setup --no-zk` prints) appears
/// in no output of a zero-knowledge setup, proof or verification, nor in the zero-knowledge
/// verifier key; a second zero-knowledge setup gives another digest.
#[test]
fn zero_knowledge_commands_never_print_the_weight_commitment() {
    let f = Files::new("no-commitment");
    let (plain_keys, out) = f.setup("plain", &["--no-zk", "--json"]);
    let plain = json(&out);
    assert_eq!(plain["zero_knowledge"], false, "{plain}");
    assert!(plain["weight_digest"].is_null(), "{plain}");
    let c_w = plain["weight_commitment"].as_str().unwrap().to_string();
    assert!(c_w.len() >= 64, "{c_w}");
    // The commitment's root, without its length prefix, in hex and as bytes.
    let root = &c_w[c_w.len() - 64..];
    let root_bytes = unhex(root);
    let plain_vk = std::fs::read(plain_keys.join("verifier.key")).unwrap();
    assert!(plain_vk.windows(32).any(|w| w == root_bytes.as_slice()));

    let (zk_keys, zk_json) = f.setup("zk", &["--json"]);
    let (_, zk_text) = f.setup("zk-text", &[]);
    let (_, zk_explicit) = f.setup("zk-explicit", &["--zk", "--json"]);
    let (proof, prove_text) = f.prove(&zk_keys, "zk.proof", &[]);
    assert_eq!(status(&prove_text), 0, "{}", stderr(&prove_text));
    let input = ["--input", s(&f.input)];
    let verify_text = f.verify(&zk_keys, &proof, &input);
    let verify_json = f.verify(&zk_keys, &proof, &[&input[..], &["--json"]].concat());
    assert_eq!(status(&verify_text), 0, "{}", stderr(&verify_text));
    assert!(stdout(&verify_text).contains("VALID (zero knowledge)"));
    for (what, o) in [
        ("setup --json", &zk_json),
        ("setup", &zk_text),
        ("setup --zk --json", &zk_explicit),
        ("prove", &prove_text),
        ("verify", &verify_text),
        ("verify --json", &verify_json),
    ] {
        let text = format!("{}{}", stdout(o), stderr(o));
        assert!(!text.contains(root), "{what} prints C_W: {text}");
        assert!(!text.contains("weight commitment"), "{what}: {text}");
    }
    for v in [json(&zk_json), json(&zk_explicit), json(&verify_json)] {
        assert!(v["weight_commitment"].is_null(), "{v}");
        assert!(v["weight_digest"].is_string(), "{v}");
    }
    assert_eq!(json(&zk_json)["zero_knowledge"], true);
    assert_ne!(
        json(&zk_json)["weight_digest"],
        json(&zk_explicit)["weight_digest"],
        "zero-knowledge setup is randomized"
    );
    assert_eq!(
        json(&verify_json)["weight_digest"],
        json(&zk_json)["weight_digest"]
    );
    let zk_vk = std::fs::read(zk_keys.join("verifier.key")).unwrap();
    assert!(
        !zk_vk
            .windows(16)
            .any(|w| root_bytes.windows(16).any(|r| r == w))
    );
    // The plain keys print the commitment and make plain proofs.
    let (plain_proof, out) = f.prove(&plain_keys, "plain.proof", &["--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["zero_knowledge"], false);
    let out = f.verify(&plain_keys, &plain_proof, &input);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains(root), "{}", stdout(&out));
}

/// Keys serve the mode they were set up for: `prove` refuses a flag asking for the other mode,
/// and `verify` refuses a proof of the other mode (status 2, naming the mode and `--no-zk`).
#[test]
fn keys_of_one_mode_are_refused_for_the_other() {
    let f = Files::new("modes");
    let (zk_keys, _) = f.setup("zk", &[]);
    let (plain_keys, _) = f.setup("plain", &["--no-zk"]);
    let refused = |o: &Output, what: &str| {
        assert_eq!(status(o), 2, "{what}: {}", stdout(o));
        let e = stderr(o);
        assert!(
            e.contains("set up for") || e.contains("cannot check"),
            "{what}: {e}"
        );
        assert!(e.contains("--no-zk"), "{what}: {e}");
    };
    let (p, o) = f.prove(&zk_keys, "a.proof", &["--no-zk"]);
    refused(&o, "prove --no-zk with zero-knowledge keys");
    assert!(!p.exists());
    let (p, o) = f.prove(&plain_keys, "b.proof", &["--zk"]);
    refused(&o, "prove --zk with plain keys");
    assert!(!p.exists());
    let (_, o) = f.prove(&plain_keys, "c.proof", &["--private-input"]);
    refused(&o, "prove --private-input with plain keys");
    // Without a flag, each key proves in its own mode; each proof is refused by the other key.
    let (zk_proof, o) = f.prove(&zk_keys, "zk.proof", &["--json"]);
    assert_eq!(json(&o)["zero_knowledge"], true);
    let (plain_proof, o) = f.prove(&plain_keys, "plain.proof", &["--json"]);
    assert_eq!(json(&o)["zero_knowledge"], false);
    let input = ["--input", s(&f.input)];
    refused(
        &f.verify(&zk_keys, &plain_proof, &input),
        "verify plain with zk key",
    );
    refused(
        &f.verify(&plain_keys, &zk_proof, &input),
        "verify zk with plain key",
    );
    // `setup --zk --no-zk` is a usage error.
    let out = zkinfer(&[
        "setup",
        s(&f.onnx),
        "--calibration",
        s(&f.cal),
        "--out",
        s(&f.dir.join("both")),
        "--zk",
        "--no-zk",
    ]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
}

/// Issue item 8: the opening of a private input reveals the input, so it is written readable by
/// its owner only (0600, like prover.key, also over an existing file), and `prove` says who must
/// keep it.
#[cfg(unix)]
#[test]
fn the_input_opening_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let f = Files::new("opening");
    let (keys, _) = f.setup("keys", &[]);
    let opening = f.dir.join("input.opening.json");
    std::fs::write(&opening, b"old").unwrap();
    std::fs::set_permissions(&opening, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (proof, out) = f.prove(
        &keys,
        "private.proof",
        &["--private-input", "--opening", s(&opening)],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&opening), 0o600, "the opening is readable by others");
    assert_eq!(mode(&keys.join("prover.key")), 0o600);
    let text = stdout(&out);
    assert!(text.contains("reveals the input"), "{text}");
    assert!(text.contains("input's owner"), "{text}");
    // The default path, a new file, is private too, and the opening still checks the proof.
    let (proof2, out) = f.prove(&keys, "private2.proof", &["--private-input", "--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let default = PathBuf::from(json(&out)["input_opening"].as_str().unwrap());
    assert_eq!(mode(&default), 0o600);
    let ok = f.verify(&keys, &proof2, &["--input-opening", s(&default)]);
    assert_eq!(status(&ok), 0, "{}", stderr(&ok));
    let ok = f.verify(&keys, &proof, &["--input-opening", s(&opening)]);
    assert_eq!(status(&ok), 0, "{}", stderr(&ok));
}

/// Issue item 10: a zero-knowledge proof's note says the weights are hidden (bound by the salted
/// digest), not the stale "bound by the weight commitment but not hidden yet".
#[test]
fn the_zero_knowledge_note_says_the_weights_are_hidden() {
    let f = Files::new("note");
    let (keys, _) = f.setup("keys", &[]);
    for flags in [&[][..], &["--private-input"][..]] {
        let (_, out) = f.prove(&keys, "note.proof", flags);
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        let text = stdout(&out);
        let note = text.lines().find(|l| l.starts_with("note:")).unwrap();
        assert!(!note.contains("not hidden"), "{flags:?}: {note}");
        assert!(!note.contains("weight commitment"), "{flags:?}: {note}");
        assert!(
            note.contains("hides the") && note.contains("weights"),
            "{note}"
        );
        assert!(note.contains("salted digest"), "{note}");
    }
}
