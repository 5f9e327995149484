//! Tests of the key files' integrity digest and of key ids.

use super::*;
use crate::test_support::{Rng, input_len, mlp};
use crate::{CodecError, FORMAT_VERSION, Proof, ProofMode, setup};

const HEADER_LEN: usize = 10;

/// `n` positions spread over `len` bytes, with the first and last ones: every part of the file
/// (header, body, digest) is sampled.
fn sampled(len: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng(seed);
    let mut at: Vec<usize> = (0..n)
        .map(|_| rng.small(i64::MAX / 4).unsigned_abs() as usize % len)
        .collect();
    at.extend([0, HEADER_LEN, len - DIGEST_BYTES - 1, len - 1]);
    at
}

/// Issue 15: `prove` accepted 2 of 200 flipped prover keys (a flipped weight is still a
/// well-formed key). Every flipped byte of either key, in either mode, is now refused when the
/// file is read: past the header, by the digest, with a message that says so.
#[test]
fn every_flipped_key_byte_is_refused() {
    for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
        let (pk, vk) = setup(mlp(3), mode).unwrap();
        for (name, bytes) in [
            ("prover key", pk.to_bytes()),
            ("verifier key", vk.to_bytes()),
        ] {
            let decode = |b: &[u8]| match name {
                "prover key" => ProverKey::from_bytes(b).err(),
                _ => VerifierKey::from_bytes(b).err(),
            };
            assert_eq!(decode(&bytes), None, "{name}: the intact file is refused");
            for (k, i) in sampled(bytes.len(), 200, 11).into_iter().enumerate() {
                let mut bad = bytes.clone();
                bad[i] ^= 1 << (k % 8);
                let err = decode(&bad).unwrap_or_else(|| panic!("{mode} {name}: byte {i} kept"));
                if i >= HEADER_LEN {
                    assert!(matches!(err, CodecError::Corrupt { .. }), "{err}");
                    let msg = err.to_string();
                    assert!(
                        msg.starts_with(&format!("{name} is corrupt: digest mismatch")),
                        "{msg}"
                    );
                }
            }
        }
    }
}

/// The key id is the verifier key file's digest; the prover derives the same id from its own key;
/// the version of the file format is covered.
#[test]
fn the_key_id_is_the_verifier_key_files_digest() {
    for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
        let (pk, vk) = setup(mlp(4), mode).unwrap();
        let bytes = vk.to_bytes();
        assert_eq!(vk.key_id().0, bytes[bytes.len() - DIGEST_BYTES..]);
        assert_eq!(pk.key_id(), vk.key_id());
        assert_eq!(pk.verifier_key(), vk);
        assert_eq!(bytes[8..10], FORMAT_VERSION.to_le_bytes());
        assert_eq!(vk.key_id().to_string().len(), 2 * DIGEST_BYTES);
    }
}

/// Which setups share a key id: a plain setup is deterministic (the same model and quantization
/// give the same key, and its proofs stay valid); a zero-knowledge setup is not; other weights or
/// another mode always give another id.
#[test]
fn key_ids_tell_setups_apart() {
    let (a, b) = (mlp(5), mlp(6));
    let id = |m: &zkinfer_ir::QModel, mode| setup(m.clone(), mode).unwrap().1.key_id();
    assert_eq!(id(&a, ProofMode::Plain), id(&a, ProofMode::Plain));
    assert_ne!(id(&a, ProofMode::Plain), id(&b, ProofMode::Plain));
    assert_ne!(
        id(&a, ProofMode::ZeroKnowledge),
        id(&a, ProofMode::ZeroKnowledge)
    );
    assert_ne!(id(&a, ProofMode::Plain), id(&a, ProofMode::ZeroKnowledge));
}

/// A proof file made with `pk`, with the key id the prover writes.
fn proof_file(pk: &ProverKey, input: &[i64]) -> ProofFile {
    let (output, proof) = match pk.mode() {
        ProofMode::Plain => crate::prove(pk, input).map(|(o, p)| (o, Proof::Plain(p))),
        ProofMode::ZeroKnowledge => crate::prove_zk(pk, input).map(|(o, p)| (o, Proof::Zk(p))),
    }
    .unwrap();
    ProofFile {
        key_id: pk.key_id(),
        output,
        proof,
    }
}

fn verify_file(vk: &VerifierKey, input: &[i64], pf: &ProofFile) -> Result<(), ProtocolError> {
    match &pf.proof {
        Proof::Plain(p) => crate::verify(vk, input, &pf.output, p).map(|_| ()),
        Proof::Zk(p) => crate::verify_zk(vk, input, &pf.output, p).map(|_| ()),
    }
}

/// A proof checked with the key of another model (other weights, same architecture) or of a
/// re-run setup (zero knowledge: a fresh salt) is refused by [`ProofFile::check_key`], naming
/// both ids. Rewriting the proof's recorded id to the other key's does not help: the statement
/// binds what the id covers, so the proof itself is rejected (the id needs no statement field).
#[test]
fn a_proof_names_its_key_and_is_bound_to_it() {
    let (a, b) = (mlp(7), mlp(8));
    let input = Rng(9).vec(input_len(&a), 127);
    for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
        let (pk, vk) = setup(a.clone(), mode).unwrap();
        let pf = proof_file(&pk, &input);
        pf.check_key(&vk).unwrap();
        verify_file(&vk, &input, &pf).unwrap();
        let other_model = setup(b.clone(), mode).unwrap().1;
        let rerun = setup(a.clone(), mode).unwrap().1;
        let others = match mode {
            ProofMode::Plain => vec![other_model],
            ProofMode::ZeroKnowledge => vec![other_model, rerun],
        };
        for other in others {
            let err = pf.check_key(&other).unwrap_err();
            let ProtocolError::WrongKey { proof, key } = &err else {
                panic!("{mode}: {err}");
            };
            assert_eq!((*proof, *key), (vk.key_id(), other.key_id()));
            let msg = err.to_string();
            let want =
                format!("this proof was made for key {proof}, not for this verifier key {key}");
            assert!(msg.starts_with(&want), "{msg}");
            let mut relabelled = pf.clone();
            relabelled.key_id = other.key_id();
            relabelled.check_key(&other).unwrap();
            assert!(
                verify_file(&other, &input, &relabelled).is_err(),
                "{mode}: a proof verified with another key"
            );
        }
    }
}
