//! Tamper tests: flipped bytes, structurally malformed proofs, and the byte codec.

use zkinfer_field::{EF, PrimeCharacteristicRing};

use super::tests::{prove, verify_with};
use crate::test_util::tamper_positions;
use crate::{Commitment, DecodeError, OpeningProof};

#[test]
fn tampered_proof_bytes_are_rejected_without_panicking() {
    let run = prove(&[8, 9], &[0, 1], 3);
    let bytes = run.proof.to_bytes();
    assert_eq!(OpeningProof::from_bytes(&bytes).unwrap().to_bytes(), bytes);
    let positions = tamper_positions(bytes.len(), 160);
    let mut decoded = 0;
    for pos in positions {
        let mut b = bytes.clone();
        b[pos] ^= 1 << (pos % 8);
        match OpeningProof::from_bytes(&b) {
            Err(_) => {}
            Ok(proof) => {
                decoded += 1;
                assert!(
                    verify_with(&run, &run.commitment, &run.claims, &proof, "pcs-test").is_err(),
                    "tampered byte {pos} accepted"
                );
            }
        }
    }
    // Most flips leave a decodable proof, so the verifier (not only the decoder) was exercised.
    assert!(decoded > 50, "only {decoded} tampered proofs decoded");
}

#[test]
fn structurally_malformed_proofs_are_rejected_without_panicking() {
    use p3_whir::QueryOpenings;
    // 14 stacked variables: two WHIR rounds, so every field of the proof is populated.
    let run = prove(&[13, 12], &[0, 1], 11);
    let base = run.proof.clone();
    type Mutation = fn(&mut OpeningProof);
    let mutations: Vec<(&str, Mutation)> = vec![
        ("drop a round", |p| {
            p.0.whir.rounds.pop();
        }),
        ("drop the final polynomial", |p| p.0.whir.final_poly = None),
        ("extra OOD answer", |p| {
            p.0.whir.initial_ood_answers.push(EF::ONE)
        }),
        ("drop an initial sumcheck round", |p| {
            p.0.whir.initial_sumcheck.polynomial_evaluations.pop();
        }),
        ("drop a sumcheck PoW witness", |p| {
            p.0.whir.initial_sumcheck.pow_witnesses.pop();
        }),
        ("drop a final sumcheck", |p| p.0.whir.final_sumcheck = None),
        ("short opened row", |p| {
            for r in &mut p.0.whir.rounds {
                match &mut r.openings {
                    QueryOpenings::Base(o) => o.rows.iter_mut().for_each(|row| {
                        row.pop();
                    }),
                    QueryOpenings::Extension(o) => o.rows.iter_mut().for_each(|row| {
                        row.pop();
                    }),
                }
            }
        }),
        ("drop an opened row", |p| {
            match &mut p.0.whir.final_openings {
                QueryOpenings::Base(o) => {
                    o.rows.pop();
                }
                QueryOpenings::Extension(o) => {
                    o.rows.pop();
                }
            }
        }),
        ("drop round sumcheck data", |p| {
            for r in &mut p.0.whir.rounds {
                r.sumcheck.polynomial_evaluations.clear();
            }
        }),
        ("drop round OOD answers", |p| {
            for r in &mut p.0.whir.rounds {
                r.ood_answers.clear();
            }
        }),
    ];
    let mut applied = 0;
    for (name, mutate) in mutations {
        let mut proof = base.clone();
        mutate(&mut proof);
        if proof.to_bytes() == base.to_bytes() {
            continue; // this shape has nothing to mutate there
        }
        applied += 1;
        let result = verify_with(&run, &run.commitment, &run.claims, &proof, "pcs-test");
        eprintln!("{name}: {result:?}");
        assert!(result.is_err(), "{name} accepted");
    }
    assert!(applied >= 6, "only {applied} mutations applied");
}

#[test]
fn codec_refuses_trailing_oversized_and_noncanonical_bytes() {
    let run = prove(&[8], &[0], 9);
    let c = run.commitment.to_bytes();
    assert_eq!(c.len(), 33);
    assert_eq!(Commitment::from_bytes(&c).unwrap(), run.commitment);
    let mut trailing = c.clone();
    trailing.push(0);
    assert_eq!(
        Commitment::from_bytes(&trailing),
        Err(DecodeError::TrailingBytes(1))
    );
    // A field element >= p is not a canonical encoding (postcard/p3 refuse it).
    let mut big = c.clone();
    big[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(Commitment::from_bytes(&big).is_err());
    // A cap of two roots decodes in p3 but is not a commitment of ours.
    let mut two = vec![2u8];
    two.extend_from_slice(&c[1..]);
    two.extend_from_slice(&c[1..]);
    assert!(matches!(
        Commitment::from_bytes(&two),
        Err(DecodeError::Malformed(_))
    ));
    // A non-minimal varint length prefix (0x81 0x00 = 1) decodes but is not canonical.
    let mut padded = vec![0x81, 0x00];
    padded.extend_from_slice(&c[1..]);
    assert_eq!(
        Commitment::from_bytes(&padded),
        Err(DecodeError::NonCanonical)
    );

    let p = run.proof.to_bytes();
    let mut trailing = p.clone();
    trailing.extend_from_slice(&[0, 0]);
    assert_eq!(
        OpeningProof::from_bytes(&trailing).unwrap_err(),
        DecodeError::TrailingBytes(2)
    );
    let huge = vec![0u8; crate::MAX_ENCODED_BYTES + 1];
    assert!(matches!(
        OpeningProof::from_bytes(&huge),
        Err(DecodeError::TooLarge { .. })
    ));
    assert!(OpeningProof::from_bytes(&p[..p.len() - 1]).is_err());
}
