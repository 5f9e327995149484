//! Tests of the key and proof file formats: round trips and every decoding error.

use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant};

use super::*;

/// Input [1, 8] -> Dense 8->4 (-> Requant+ReLU -> Dense 4->2 when `nonlinear`).
fn model(nonlinear: bool) -> QModel {
    let w = |n: usize, k: i64| (0..n as i64).map(|i| (i * k) % 255 - 127).collect();
    let dense = |n, i, o| Op::Dense {
        weight: w(n, 37),
        in_features: i,
        out_features: o,
    };
    let mut b = ModelBuilder::new("codec", QuantConfig::default());
    let x = b.input("x", vec![1, 8], 1.0, 127).unwrap();
    let mut out = b
        .push("d1", dense(32, 8, 4), vec![x], vec![1, 4], 1.0)
        .unwrap();
    if nonlinear {
        let rq = Op::Requant(Requant {
            multiplier: 3,
            shift: 9,
            min: 0,
            max: 127,
        });
        let q = b.push("q", rq, vec![out], vec![1, 4], 1.0).unwrap();
        out = b
            .push("d2", dense(8, 4, 2), vec![q], vec![1, 2], 1.0)
            .unwrap();
    }
    b.finish(vec![out])
}

fn proven(nonlinear: bool) -> (ProverKey, VerifierKey, Vec<i64>, ProofFile) {
    let input: Vec<i64> = (0..8).map(|i| i * 29 - 100).collect();
    let (pk, vk) = crate::setup(model(nonlinear), crate::ProofMode::Plain).unwrap();
    let (output, proof) = crate::prove(&pk, &input).unwrap();
    let proof = Proof::Plain(proof);
    let key_id = pk.key_id();
    (
        pk,
        vk,
        input,
        ProofFile {
            key_id,
            output,
            proof,
        },
    )
}

/// A zero-knowledge proof of the linear model (the only kind `prove_zk` takes today).
fn proven_zk() -> (VerifierKey, Vec<i64>, ProofFile) {
    let input: Vec<i64> = (0..8).map(|i| i * 29 - 100).collect();
    let (pk, vk) = crate::setup(model(false), crate::ProofMode::ZeroKnowledge).unwrap();
    let (output, proof) = crate::prove_zk(&pk, &input).unwrap();
    let proof = Proof::Zk(proof);
    let key_id = pk.key_id();
    (
        vk,
        input,
        ProofFile {
            key_id,
            output,
            proof,
        },
    )
}

fn plain(p: &Proof) -> &ModelProof {
    match p {
        Proof::Plain(p) => p,
        Proof::Zk(_) => panic!("expected a plain proof"),
    }
}

/// A key file with its digest replaced by the digest of its (changed) contents: how a test
/// reaches the checks after the digest's.
fn reseal(key_file: &[u8]) -> Vec<u8> {
    let mut out = key_file[..key_file.len() - DIGEST_BYTES].to_vec();
    let digest = sha256(&out);
    out.extend_from_slice(&digest);
    out
}

fn files() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (pk, vk, _, pf) = proven(true);
    (pk.to_bytes(), vk.to_bytes(), pf.to_bytes())
}

#[test]
fn keys_and_proofs_round_trip() {
    for nonlinear in [false, true] {
        let (pk, vk, input, pf) = proven(nonlinear);
        assert!(!pf.proof.zero_knowledge());
        // Every model has committed columns: at least the weights' range-check multiplicities.
        assert!(plain(&pf.proof).witness_commitment.is_some());
        assert_eq!(
            plain(&pf.proof).weight_range.len(),
            if nonlinear { 2 } else { 1 }
        );
        assert_eq!(ProverKey::from_bytes(&pk.to_bytes()).unwrap(), pk);
        assert_eq!(VerifierKey::from_bytes(&vk.to_bytes()).unwrap(), vk);
        let bytes = pf.to_bytes();
        let back = ProofFile::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        crate::verify(&vk, &input, &back.output, plain(&back.proof)).unwrap();
    }
}

#[test]
fn headers_are_distinct_and_versioned() {
    let (pk, vk, pf) = files();
    for (b, k) in [
        (&pk, FileKind::ProverKey),
        (&vk, FileKind::VerifierKey),
        (&pf, FileKind::Proof),
    ] {
        assert_eq!(b[..8], k.magic());
        assert_eq!(b[8..10], FORMAT_VERSION.to_le_bytes());
    }
    let err = VerifierKey::from_bytes(&pk).unwrap_err();
    assert!(matches!(
        err,
        CodecError::BadMagic {
            kind: FileKind::VerifierKey,
            other: Some(FileKind::ProverKey),
            ..
        }
    ));
    assert!(matches!(
        ProofFile::from_bytes(b"garbage!garbage!").unwrap_err(),
        CodecError::BadMagic { other: None, .. }
    ));
    let mut v2 = vk.clone();
    let next = FORMAT_VERSION + 1;
    v2[8..10].copy_from_slice(&next.to_le_bytes());
    assert_eq!(
        VerifierKey::from_bytes(&v2).unwrap_err(),
        CodecError::UnsupportedVersion {
            kind: FileKind::VerifierKey,
            found: next
        }
    );
}

#[test]
fn oversized_inputs_are_refused_before_parsing() {
    let big = vec![0u8; MAX_PROOF_BYTES + 1];
    assert!(matches!(
        ProofFile::from_bytes(&big),
        Err(CodecError::TooLarge { .. })
    ));
    let big = vec![0u8; MAX_KEY_BYTES + 1];
    assert!(matches!(
        VerifierKey::from_bytes(&big),
        Err(CodecError::TooLarge { .. })
    ));
    assert!(matches!(
        ProverKey::from_bytes(&big),
        Err(CodecError::TooLarge { .. })
    ));
}

#[test]
fn truncated_and_trailing_bytes_are_refused() {
    let (pk, vk, pf) = files();
    for bytes in [&pk, &vk, &pf] {
        for len in 0..bytes.len() {
            let cut = &bytes[..len];
            let errs = [
                ProverKey::from_bytes(cut).err(),
                VerifierKey::from_bytes(cut).err(),
                ProofFile::from_bytes(cut).err(),
            ];
            assert!(errs.iter().all(Option::is_some), "prefix {len} accepted");
        }
    }
    assert!(matches!(
        ProofFile::from_bytes(&pf[..5]).unwrap_err(),
        CodecError::Truncated { len: 5, .. }
    ));
    assert!(matches!(
        ProofFile::from_bytes(&pf[..pf.len() - 1]).unwrap_err(),
        CodecError::Truncated { .. }
    ));
    let mut long = vk.clone();
    long.push(0);
    assert!(matches!(
        VerifierKey::from_bytes(&long).unwrap_err(),
        CodecError::Corrupt { .. }
    ));
    let mut long = vk[..vk.len() - DIGEST_BYTES].to_vec();
    long.extend_from_slice(&[0; DIGEST_BYTES + 1]);
    assert_eq!(
        VerifierKey::from_bytes(&reseal(&long)).unwrap_err(),
        CodecError::TrailingBytes {
            kind: FileKind::VerifierKey,
            count: 1
        }
    );
}

#[test]
fn non_canonical_and_malformed_bodies_are_refused() {
    let (_, vk, pf) = files();
    // The body starts with the model name's length (5, "codec"): spell it as a two-byte varint.
    assert_eq!(vk[HEADER_LEN], 5);
    let mut long = vk[..HEADER_LEN].to_vec();
    long.extend_from_slice(&[0x85, 0x00]);
    long.extend_from_slice(&vk[HEADER_LEN + 1..]);
    assert!(matches!(
        VerifierKey::from_bytes(&long).unwrap_err(),
        CodecError::Corrupt { .. }
    ));
    assert_eq!(
        VerifierKey::from_bytes(&reseal(&long)).unwrap_err(),
        CodecError::NonCanonical {
            kind: FileKind::VerifierKey
        }
    );
    let mut vkv = VerifierKey::from_bytes(&vk).unwrap();
    vkv.model_hash[0] ^= 1;
    assert!(matches!(
        VerifierKey::from_bytes(&vkv.to_bytes()).unwrap_err(),
        CodecError::Malformed { .. }
    ));
    // Flipping bytes anywhere never panics and never decodes to different bytes.
    for i in (0..pf.len()).step_by(7) {
        let mut bad = pf.clone();
        bad[i] ^= 0x5a;
        if let Ok(p) = ProofFile::from_bytes(&bad) {
            assert_eq!(p.to_bytes(), bad);
        }
    }
}

#[test]
fn zk_proofs_round_trip_and_keep_their_kind() {
    let (vk, input, pf) = proven_zk();
    assert!(pf.proof.zero_knowledge());
    let bytes = pf.to_bytes();
    assert_eq!(bytes[8..10], FORMAT_VERSION.to_le_bytes());
    let back = ProofFile::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    let Proof::Zk(proof) = &back.proof else {
        panic!("a zero-knowledge proof decoded as a plain one");
    };
    crate::verify_zk(&vk, &input, &back.output, proof).unwrap();
}

#[test]
fn truncated_and_trailing_zk_proofs_are_refused() {
    let (_, _, pf) = proven_zk();
    let bytes = pf.to_bytes();
    // Every prefix is refused; step through the long opening to keep the test fast.
    let step = (bytes.len() / 400).max(1);
    for len in (0..bytes.len())
        .step_by(step)
        .chain(bytes.len() - 8..bytes.len())
    {
        assert!(
            ProofFile::from_bytes(&bytes[..len]).is_err(),
            "prefix {len} accepted"
        );
    }
    assert!(matches!(
        ProofFile::from_bytes(&bytes[..bytes.len() - 1]).unwrap_err(),
        CodecError::Truncated { .. }
    ));
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        ProofFile::from_bytes(&long).unwrap_err(),
        CodecError::TrailingBytes {
            kind: FileKind::Proof,
            count: 1
        }
    );
}

#[test]
fn proof_kind_tags_are_checked() {
    let (_, _, zk) = proven_zk();
    let (_, _, _, plain_pf) = proven(false);
    let zk = zk.to_bytes();
    let plain_bytes = plain_pf.to_bytes();
    // The body is the key id, the output (length 4, then the values), then the proof's variant
    // tag.
    let tag_at = |b: &[u8]| {
        let pf = ProofFile::from_bytes(b).unwrap();
        HEADER_LEN + DIGEST_BYTES + postcard::to_allocvec(&pf.output).unwrap().len()
    };
    let (zt, pt) = (tag_at(&zk), tag_at(&plain_bytes));
    assert_eq!((zk[zt], plain_bytes[pt]), (1, 0));
    // An unknown kind is malformed.
    for (bytes, at) in [(&zk, zt), (&plain_bytes, pt)] {
        let mut bad = bytes.clone();
        bad[at] = 2;
        assert!(matches!(
            ProofFile::from_bytes(&bad).unwrap_err(),
            CodecError::Malformed { .. }
        ));
        // The tag spelt as a two-byte varint is not canonical (or not decodable).
        let mut long = bytes[..at].to_vec();
        long.extend_from_slice(&[bytes[at] | 0x80, 0x00]);
        long.extend_from_slice(&bytes[at + 1..]);
        assert!(ProofFile::from_bytes(&long).is_err());
    }
    // A zero-knowledge body relabelled plain does not decode (it starts with a commitment,
    // not an optional one), and a plain body relabelled zero-knowledge does not either.
    let mut swapped = zk.clone();
    swapped[zt] = 0;
    assert!(ProofFile::from_bytes(&swapped).is_err());
    let mut swapped = plain_bytes.clone();
    swapped[pt] = 1;
    assert!(ProofFile::from_bytes(&swapped).is_err());
    // A zero-knowledge proof file is not a key.
    assert!(matches!(
        VerifierKey::from_bytes(&zk).unwrap_err(),
        CodecError::BadMagic {
            other: Some(FileKind::Proof),
            ..
        }
    ));
}
