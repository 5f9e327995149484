//! The verdict on honest, tampered and mismatched files, in both modes, on a small model.

use zkinfer_ir::QModel;
use zkinfer_protocol::prove_zk_private;
use zkinfer_protocol::test_support::{Rng, input_len, mlp};
use zkinfer_protocol::{Proof, ProofFile, ProofMode, VerifierKey, prove, prove_zk, setup};

use crate::{ErrorKind, Report, check_bytes};

/// An input file whose numbers quantize back to `q` at the model's input scale.
fn input_text(model: &QModel, q: &[i64]) -> String {
    let scale = model.nodes[model.inputs[0]].scale;
    let values: Vec<f32> = q.iter().map(|&v| (v as f64 * scale) as f32).collect();
    serde_json::json!({ "input_data": [values] }).to_string()
}

struct Files {
    vk: Vec<u8>,
    proof: Vec<u8>,
    input: String,
}

fn files(mode: ProofMode, private: bool) -> Files {
    let model = mlp(11);
    let q = Rng(12).vec(input_len(&model), 100);
    let input = input_text(&model, &q);
    let (pk, vk) = setup(model.clone(), mode).unwrap();
    let (output, proof) = match (mode, private) {
        (ProofMode::Plain, _) => {
            let (o, p) = prove(&pk, &q).unwrap();
            (o, Proof::Plain(p))
        }
        (ProofMode::ZeroKnowledge, false) => {
            let (o, p) = prove_zk(&pk, &q).unwrap();
            (o, Proof::Zk(p))
        }
        (ProofMode::ZeroKnowledge, true) => {
            let (o, p, _) = prove_zk_private(&pk, &q).unwrap();
            (o, Proof::Zk(p))
        }
    };
    let pf = ProofFile {
        key_id: pk.key_id(),
        output,
        proof,
    };
    Files {
        vk: vk.to_bytes(),
        proof: pf.to_bytes(),
        input,
    }
}

fn kind(r: &Report) -> Option<ErrorKind> {
    r.error.as_ref().map(|e| e.kind)
}

#[test]
fn honest_proofs_are_valid_with_their_statement() {
    for (mode, private) in [
        (ProofMode::Plain, false),
        (ProofMode::ZeroKnowledge, false),
        (ProofMode::ZeroKnowledge, true),
    ] {
        let f = files(mode, private);
        let input = (!private).then_some(f.input.as_str());
        let r = check_bytes(&f.vk, &f.proof, input);
        assert!(r.valid, "{mode:?} private {private}: {:?}", r.error);
        let bits = r.soundness_bits.unwrap();
        assert!(bits >= 100.0, "{bits}");
        let s = r.statement.unwrap();
        let vk = VerifierKey::from_bytes(&f.vk).unwrap();
        assert_eq!(s.model_hash, crate::hex(&vk.model_hash));
        assert_eq!(s.zero_knowledge, mode.zero_knowledge());
        assert_eq!(s.private_input, private);
        assert_eq!(s.key_id, s.proof_key_id);
        assert_eq!(s.output.len(), s.output_quantized.len());
        // A zero-knowledge key shows its salted digest, never a commitment.
        assert_eq!(s.weight_commitment.is_some(), !mode.zero_knowledge());
        assert_eq!(s.weight_digest.is_some(), mode.zero_knowledge());
    }
}

#[test]
fn tampered_proofs_are_invalid() {
    for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
        let f = files(mode, false);
        let mut rejected = 0;
        // Bytes through the whole body (the header is 10 bytes): each flip is refused, as a
        // malformed file or an invalid proof, never accepted.
        for i in (10..f.proof.len()).step_by(f.proof.len() / 40) {
            let mut bad = f.proof.clone();
            bad[i] ^= 0x5a;
            let r = check_bytes(&f.vk, &bad, Some(&f.input));
            assert!(!r.valid, "{mode:?}: flip at {i} accepted");
            rejected += usize::from(kind(&r) == Some(ErrorKind::InvalidProof));
        }
        assert!(rejected > 0, "{mode:?}: no flip reached the verifier");
    }
}

#[test]
fn a_wrong_input_or_output_is_invalid() {
    let f = files(ProofMode::ZeroKnowledge, false);
    let mut pf = ProofFile::from_bytes(&f.proof).unwrap();
    pf.output[0] += 1;
    let r = check_bytes(&f.vk, &pf.to_bytes(), Some(&f.input));
    assert_eq!(kind(&r), Some(ErrorKind::InvalidProof), "{r:?}");
    let vk = VerifierKey::from_bytes(&f.vk).unwrap();
    let other = input_text(&vk.architecture, &vec![3; input_len(&vk.architecture)]);
    let r = check_bytes(&f.vk, &f.proof, Some(&other));
    assert_eq!(kind(&r), Some(ErrorKind::InvalidProof), "{r:?}");
}

#[test]
fn mismatched_files_and_inputs_are_named() {
    let plain = files(ProofMode::Plain, false);
    let zk = files(ProofMode::ZeroKnowledge, false);
    let private = files(ProofMode::ZeroKnowledge, true);
    let r = check_bytes(&plain.vk, &zk.proof, Some(&zk.input));
    assert_eq!(kind(&r), Some(ErrorKind::WrongMode), "{r:?}");
    // Another run of setup: another key id.
    let r = check_bytes(&zk.vk, &private.proof, None);
    assert_eq!(kind(&r), Some(ErrorKind::WrongKey), "{r:?}");
    let r = check_bytes(&zk.vk, &zk.proof, None);
    assert_eq!(kind(&r), Some(ErrorKind::Usage), "{r:?}");
    let r = check_bytes(&private.vk, &private.proof, Some(&private.input));
    assert_eq!(kind(&r), Some(ErrorKind::Usage), "{r:?}");
    let r = check_bytes(&zk.vk, &zk.proof, Some("{\"input_data\": [[1, 2]]}"));
    assert_eq!(kind(&r), Some(ErrorKind::BadInput), "{r:?}");
    let r = check_bytes(&zk.vk, &zk.proof, Some("not json"));
    assert_eq!(kind(&r), Some(ErrorKind::BadInput), "{r:?}");
    // Files swapped or cut.
    let r = check_bytes(&zk.proof, &zk.vk, None);
    assert_eq!(kind(&r), Some(ErrorKind::MalformedFile), "{r:?}");
    assert!(r.statement.is_none());
    for cut in [0, 5, 10, zk.proof.len() / 2, zk.proof.len() - 1] {
        let r = check_bytes(&zk.vk, &zk.proof[..cut], Some(&zk.input));
        assert_eq!(kind(&r), Some(ErrorKind::MalformedFile), "cut {cut}: {r:?}");
    }
}
