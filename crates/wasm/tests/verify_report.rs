//! The browser verifier's entry point, natively: honest proofs of both modes are valid, tampered
//! ones invalid, and the verdict has the fields web/ reads.

use serde_json::Value;
use zkinfer_protocol::test_support::{Rng, input_len, mlp};
use zkinfer_protocol::{Proof, ProofFile, ProofMode, prove, prove_zk, setup};
use zkinfer_wasm::verify_report;

/// Key bytes, proof bytes and the input file's text for one proof of `mode`.
fn files(mode: ProofMode) -> (Vec<u8>, Vec<u8>, String) {
    let model = mlp(21);
    let q = Rng(22).vec(input_len(&model), 90);
    let scale = model.nodes[model.inputs[0]].scale;
    let values: Vec<f32> = q.iter().map(|&v| (v as f64 * scale) as f32).collect();
    let input = serde_json::json!({ "input_data": [values] }).to_string();
    let (pk, vk) = setup(model, mode).unwrap();
    let (output, proof) = if mode.zero_knowledge() {
        let (o, p) = prove_zk(&pk, &q).unwrap();
        (o, Proof::Zk(p))
    } else {
        let (o, p) = prove(&pk, &q).unwrap();
        (o, Proof::Plain(p))
    };
    let pf = ProofFile {
        key_id: pk.key_id(),
        output,
        proof,
    };
    (vk.to_bytes(), pf.to_bytes(), input)
}

fn json(v: &zkinfer_wasm::Timed) -> Value {
    serde_json::to_value(v).unwrap()
}

#[test]
fn honest_proofs_verify_and_report_their_statement() {
    for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
        let (vk, proof, input) = files(mode);
        let t = verify_report(&vk, &proof, Some(&input));
        assert!(t.report.valid, "{mode:?}: {:?}", t.report.error);
        assert!(t.verify_ms >= 0.0);
        let v = json(&t);
        assert_eq!(v["valid"], true);
        assert!(v["error"].is_null());
        assert!(v["soundness_bits"].as_f64().unwrap() >= 100.0);
        assert!(!v["soundness_terms"].as_array().unwrap().is_empty());
        let s = &v["statement"];
        assert_eq!(s["zero_knowledge"], mode.zero_knowledge());
        assert_eq!(s["private_input"], false);
        assert_eq!(s["model_hash"].as_str().unwrap().len(), 64);
        assert_eq!(
            s["output"].as_array().unwrap().len(),
            s["output_quantized"].as_array().unwrap().len()
        );
    }
}

#[test]
fn tampered_proofs_are_invalid_with_a_message() {
    for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
        let (vk, proof, input) = files(mode);
        // The last byte sits in the final opening; the middle one in a layer proof.
        for i in [proof.len() / 2, proof.len() - 1] {
            let mut bad = proof.clone();
            bad[i] ^= 1;
            let v = json(&verify_report(&vk, &bad, Some(&input)));
            assert_eq!(v["valid"], false, "{mode:?}: flip at {i} accepted");
            assert!(!v["error"]["message"].as_str().unwrap().is_empty());
            assert!(v["soundness_bits"].is_null());
        }
        // Random bytes for either file: refused, not a panic.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        for (k, p) in [(&noise, &proof), (&vk, &noise)] {
            let v = json(&verify_report(k, p, Some(&input)));
            assert_eq!(v["error"]["kind"], "malformed_file", "{v}");
        }
    }
}
