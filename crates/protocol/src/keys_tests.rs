//! Tests of setup's two modes: what each verifier key holds, and that a key serves one mode only.

use zkinfer_pcs::Commitment;

use super::*;
use crate::test_support::{Rng, input_len, mlp};
use crate::{prove, prove_zk, verify, verify_zk};

/// Whether `haystack` contains any 12-byte window of `needle` (a key could hold the commitment's
/// root in another encoding than `Commitment::to_bytes`; its bytes would still show up in runs).
fn contains_part_of(haystack: &[u8], needle: &[u8]) -> bool {
    needle
        .windows(12)
        .any(|w| haystack.windows(w.len()).any(|h| h == w))
}

fn plain_commitment(pk: &ProverKey) -> Commitment {
    let plan = Plan::compile(&pk.model).unwrap();
    commit_weights(&pk.model, &plan).unwrap().0
}

/// Issue item 6: a zero-knowledge verifier key holds no value deterministic in the weights. Its
/// bytes do not contain the plain weight commitment `C_W`, and two setups of the same weights
/// give keys that differ exactly in the salted digest.
#[test]
fn a_zero_knowledge_verifier_key_holds_no_weight_commitment() {
    let model = mlp(5);
    let (pk, vk) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    assert_eq!(
        (pk.mode(), vk.mode()),
        (ProofMode::ZeroKnowledge, ProofMode::ZeroKnowledge)
    );
    let c_w = plain_commitment(&pk).to_bytes();
    let bytes = vk.to_bytes();
    assert!(
        !contains_part_of(&bytes, &c_w),
        "the zk verifier key holds C_W"
    );
    assert!(vk.weight_commitment().is_err());

    let (_, vk2) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    assert_ne!(vk.to_bytes(), vk2.to_bytes(), "setup is not randomized");
    assert_ne!(vk.weight_digest().unwrap(), vk2.weight_digest().unwrap());
    let mut same_salt = vk2.clone();
    same_salt.binding = vk.binding.clone();
    assert_eq!(
        same_salt.to_bytes(),
        bytes,
        "the keys differ beyond the digest"
    );

    // A plain key holds C_W (and no digest): the search above can find it.
    let (ppk, pvk) = setup(model, ProofMode::Plain).unwrap();
    assert_eq!(
        (ppk.mode(), pvk.mode()),
        (ProofMode::Plain, ProofMode::Plain)
    );
    assert!(contains_part_of(&pvk.to_bytes(), &c_w));
    assert!(pvk.weight_digest().is_err());
}

/// A key serves the mode it was set up for: each prover and verifier refuses the other mode's key
/// by name, and both kinds of key survive their file encoding.
#[test]
fn keys_refuse_the_other_mode() {
    let model = mlp(6);
    let input = Rng(7).vec(input_len(&model), 127);
    let (zpk, zvk) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    let (ppk, pvk) = setup(model, ProofMode::Plain).unwrap();
    for (pk, vk) in [(&zpk, &zvk), (&ppk, &pvk)] {
        assert_eq!(&ProverKey::from_bytes(&pk.to_bytes()).unwrap(), pk);
        assert_eq!(&VerifierKey::from_bytes(&vk.to_bytes()).unwrap(), vk);
    }
    let wrong = |e: ProtocolError, key, wanted| {
        assert!(
            matches!(e, ProtocolError::WrongMode { key: k, wanted: w } if k == key && w == wanted),
            "{e}"
        );
        assert!(e.to_string().contains("--no-zk"), "{e}");
    };
    use ProofMode::{Plain, ZeroKnowledge as Zk};
    wrong(prove(&zpk, &input).unwrap_err(), Zk, Plain);
    wrong(prove_zk(&ppk, &input).unwrap_err(), Plain, Zk);
    let (out, plain_proof) = prove(&ppk, &input).unwrap();
    let (zout, zk_proof) = prove_zk(&zpk, &input).unwrap();
    verify(&pvk, &input, &out, &plain_proof).unwrap();
    verify_zk(&zvk, &input, &zout, &zk_proof).unwrap();
    wrong(
        verify(&zvk, &input, &out, &plain_proof).unwrap_err(),
        Zk,
        Plain,
    );
    wrong(
        verify_zk(&pvk, &input, &zout, &zk_proof).unwrap_err(),
        Plain,
        Zk,
    );
}
