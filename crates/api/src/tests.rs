//! The library on the bundled fixture MLP: files and in-memory values give the same keys' model,
//! outputs and verdicts; each refusal has its kind and names what is at fault.

use std::path::{Path, PathBuf};

use zkinfer_protocol::{FileKind, ProofFile, ProofMode, VerifierKey};

use crate::*;

fn fixture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/models/digits_mlp_small")
        .join(file)
}

/// A fresh scratch folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkinfer-api-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The fixture's test images (flat) and labels.
fn test_set() -> (Vec<Vec<f32>>, Vec<usize>) {
    let ts = zkinfer_onnx::read_test_set(&fixture("test_set.json")).unwrap();
    (ts.inputs, ts.labels.unwrap())
}

fn names<'a>() -> Names<'a> {
    Names {
        key: "vk",
        proof: "proof",
        input_arg: "input",
        opening_arg: "opening",
    }
}

#[test]
fn in_memory_setup_prove_and_verify() {
    let model = std::fs::read(fixture("network.onnx")).unwrap();
    let (images, _) = test_set();
    let model = Model::Bytes {
        bytes: &model,
        name: "mlp",
    };
    let steps = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = steps.clone();
    let progress: Progress = std::sync::Arc::new(move |s: &str| log.lock().unwrap().push(s.into()));
    let keys = make_keys(
        model,
        Samples::Values(&images[..50]),
        None,
        ProofMode::ZeroKnowledge,
        Some(&progress),
    )
    .unwrap();
    let proved = prove(
        &keys.prover,
        Input::Values(&images[0]),
        false,
        "pk",
        Some(&progress),
    )
    .unwrap();
    let seen = steps.lock().unwrap().clone();
    assert_eq!(
        seen[..2],
        ["quantizing the model", "committing to the weights"]
    );
    assert!(
        seen.contains(&"proving: layer proofs".to_string()),
        "{seen:?}"
    );
    // Through the file encodings, as a caller holding bytes would.
    let vk_bytes = keys.verifier.to_bytes();
    let vk = decode(
        &vk_bytes,
        "vk",
        FileKind::VerifierKey,
        VerifierKey::from_bytes,
    )
    .unwrap();
    let pf = decode(
        &proved.proof,
        "proof",
        FileKind::Proof,
        ProofFile::from_bytes,
    )
    .unwrap();
    let v = verify(&vk, &pf, Some(Input::Values(&images[0])), None, &names()).unwrap();
    assert!(v.valid(), "{:?}", v.result.err());
    assert!(v.soundness_bits().unwrap() > 90.0);
    assert_eq!(v.output, proved.output);
    assert!(v.zero_knowledge && !v.private_input);
    // Another input: invalid, with its kind and the proof named.
    let v = verify(&vk, &pf, Some(Input::Values(&images[1])), None, &names()).unwrap();
    let (kind, message) = v.result.unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidProof);
    assert!(message.starts_with("proof: "), "{message}");
    // No input for a proof of a public input: a usage error naming the argument.
    let e = verify(&vk, &pf, None, None, &names()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(
        e.message().contains("give it with input"),
        "{}",
        e.message()
    );
    // A wrong-sized input.
    let e = prove(
        &keys.prover,
        Input::Values(&images[0][1..]),
        false,
        "pk",
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().contains("63 values"), "{}", e.message());
}

#[test]
fn files_setup_refuses_to_replace_keys_and_verifies_from_files() {
    let dir = scratch("files");
    let (model, cal) = (fixture("network.onnx"), fixture("calibration.json"));
    let widths = Widths::default();
    let r = setup(
        Model::File(&model),
        Samples::File(&cal),
        widths,
        ProofMode::Plain,
        &dir,
        false,
        None,
    )
    .unwrap();
    assert!(!r.zero_knowledge && r.binding.commitment.is_some() && r.binding.digest.is_none());
    let again = setup(
        Model::File(&model),
        Samples::File(&cal),
        widths,
        ProofMode::Plain,
        &dir,
        false,
        None,
    );
    let e = again.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::KeysExist);
    let input = fixture("input.json");
    let proved = prove_dir(&dir, Input::File(&input), false, None).unwrap();
    assert!(!proved.zero_knowledge);
    let e = prove_dir(&dir, Input::File(&input), true, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongMode);
    let proof = dir.join("proof.bin");
    write_file(&proof, &proved.proof, false).unwrap();
    let v = verify_files(
        &r.verifier_key,
        &proof,
        Some(Input::File(&input)),
        None,
        &names(),
    );
    assert!(v.unwrap().valid());
    // A prover key where the verifier key belongs: a malformed file, named.
    let e = verify_files(
        &r.prover_key,
        &proof,
        Some(Input::File(&input)),
        None,
        &names(),
    );
    let e = e.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedFile);
    assert!(e.message().contains("prover.key"), "{}", e.message());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn values_and_files_agree_for_run_and_accuracy() {
    let (model, cal) = (fixture("network.onnx"), fixture("calibration.json"));
    let (images, labels) = test_set();
    let from_file = accuracy(
        Model::File(&model),
        Samples::File(&cal),
        TestData::File(&fixture("test_set.json")),
        Widths::default(),
    )
    .unwrap();
    let from_values = accuracy(
        Model::File(&model),
        Samples::File(&cal),
        TestData::Values {
            inputs: &images,
            labels: Some(&labels),
        },
        Widths::default(),
    )
    .unwrap();
    assert_eq!(
        from_file.report.quantized_accuracy,
        from_values.report.quantized_accuracy
    );
    assert!(from_values.report.quantized_accuracy.unwrap() > 0.8);
    let one = [images[0].clone()];
    let r = run(
        Model::File(&model),
        Samples::File(&cal),
        Samples::Values(&one),
        Widths::default(),
    )
    .unwrap();
    assert_eq!(r.quantized[0].len(), 10);
    assert!(r.max_abs_error < 0.5, "{}", r.max_abs_error);
    let e = Widths {
        weight_bits: Some(40),
        act_bits: None,
    }
    .config()
    .unwrap_err();
    assert!(
        e.message().starts_with("invalid bit widths"),
        "{}",
        e.message()
    );
}
