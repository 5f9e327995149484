//! Tests of the hiding PCS.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::Transcript;

use crate::test_util::{eval_mle, random_poly, tamper_positions, transcript};
use crate::{Commitment, HidingOpeningProof, HidingParams, HidingPcs, PcsError, hiding_soundness};

const N: usize = 10;

struct Run {
    commitment: Commitment,
    claims: Vec<(Vec<EF>, EF)>,
    proof: HidingOpeningProof,
    poly: Vec<F>,
}

fn draw_points(t: &mut Transcript, n: usize, k: usize) -> Vec<Vec<EF>> {
    (0..k).map(|_| t.sample_ext_vec("test.point", n)).collect()
}

fn prove(n: usize, k: usize, seed: u64) -> Run {
    let pcs = HidingPcs::new(HidingParams::default());
    let poly = random_poly(seed, n);
    let mut t = transcript("hiding-test");
    let (commitment, data) = pcs.commit(poly.clone(), &mut t).unwrap();
    let points = draw_points(&mut t, n, k);
    let (proof, values) = pcs.open(data, &points, &mut t).unwrap();
    Run {
        commitment,
        claims: points.into_iter().zip(values).collect(),
        proof,
        poly,
    }
}

fn verify_with(
    commitment: &Commitment,
    claims: &[(Vec<EF>, EF)],
    proof: &HidingOpeningProof,
    tag: &str,
) -> Result<(), PcsError> {
    let pcs = HidingPcs::new(HidingParams::default());
    let mut t = transcript(tag);
    pcs.observe_commitment(commitment, N, &mut t)?;
    let _ = draw_points(&mut t, N, claims.len());
    pcs.verify(commitment, N, claims, proof, &mut t)
}

#[test]
fn honest_hiding_opening_verifies() {
    let run = prove(N, 3, 1);
    for (point, value) in &run.claims {
        assert_eq!(*value, eval_mle(&run.poly, point));
    }
    verify_with(&run.commitment, &run.claims, &run.proof, "hiding-test").unwrap();
}

#[test]
fn hiding_rejects_wrong_values_tampering_and_other_transcripts() {
    let run = prove(N, 2, 2);
    let mut wrong = run.claims.clone();
    wrong[1].1 += EF::ONE;
    assert_eq!(
        verify_with(&run.commitment, &wrong, &run.proof, "hiding-test"),
        Err(PcsError::WrongValue { claim: 1 })
    );
    assert!(verify_with(&run.commitment, &run.claims, &run.proof, "hiding-other").is_err());
    let other = prove(N, 2, 3);
    assert!(verify_with(&other.commitment, &run.claims, &run.proof, "hiding-test").is_err());

    let bytes = run.proof.to_bytes();
    let mut decoded = 0;
    for pos in tamper_positions(bytes.len(), 48) {
        let mut b = bytes.clone();
        b[pos] ^= 1 << (pos % 8);
        if let Ok(proof) = HidingOpeningProof::from_bytes(&b) {
            decoded += 1;
            assert!(
                verify_with(&run.commitment, &run.claims, &proof, "hiding-test").is_err(),
                "tampered byte {pos} accepted"
            );
        }
    }
    assert!(decoded > 20, "only {decoded} tampered proofs decoded");
}

#[test]
fn hiding_opening_at_the_native_size_verifies() {
    // 13 variables needs no padding; checks the verifier's size handling without lifting.
    let pcs = HidingPcs::new(HidingParams::default());
    let poly = random_poly(9, 13);
    let mut t = transcript("hiding-13");
    let (c, data) = pcs.commit(poly.clone(), &mut t).unwrap();
    let points = draw_points(&mut t, 13, 1);
    let (proof, values) = pcs.open(data, &points, &mut t).unwrap();
    assert_eq!(values[0], eval_mle(&poly, &points[0]));
    let mut t = transcript("hiding-13");
    pcs.observe_commitment(&c, 13, &mut t).unwrap();
    let _ = draw_points(&mut t, 13, 1);
    let claims: Vec<_> = points.into_iter().zip(values).collect();
    pcs.verify(&c, 13, &claims, &proof, &mut t).unwrap();
}

#[test]
fn hiding_commitments_of_the_same_polynomial_differ() {
    let pcs = HidingPcs::new(HidingParams::default());
    let poly = random_poly(4, N);
    let (a, _) = pcs
        .commit(poly.clone(), &mut transcript("hiding-test"))
        .unwrap();
    let (b, _) = pcs.commit(poly, &mut transcript("hiding-test")).unwrap();
    assert_ne!(a, b);
}

#[test]
fn hiding_refuses_bad_points_with_errors() {
    let run = prove(N, 1, 5);
    let mut short = run.claims.clone();
    short[0].0.pop();
    assert_eq!(
        verify_with(&run.commitment, &short, &run.proof, "hiding-test"),
        Err(PcsError::PointLength {
            claim: 0,
            expected: N,
            actual: N - 1
        })
    );
    assert_eq!(
        verify_with(&run.commitment, &[], &run.proof, "hiding-test"),
        Err(PcsError::NoClaims)
    );
    let two = vec![run.claims[0].clone(), run.claims[0].clone()];
    assert_eq!(
        verify_with(&run.commitment, &two, &run.proof, "hiding-test"),
        Err(PcsError::ClaimCount {
            expected: 2,
            actual: 1
        })
    );
}

#[test]
fn hiding_security_is_reported() {
    assert_eq!(HidingParams::default().committed_vars(10), Ok(13));
    assert_eq!(HidingParams::default().committed_vars(16), Ok(16));
    for n in [10, 16, 22] {
        let s = hiding_soundness(&HidingParams::default(), n, 1).unwrap();
        eprintln!("hiding n={n}: {s:?}");
        assert!(s.bits >= 100.0, "n = {n}: {s:?}");
    }
}

/// A seeded commitment is reproducible from the polynomial and the seed (an input's owner recomputes
/// it), a seeded commitment opens like any other, and another seed or polynomial changes it.
#[test]
fn seeded_commitments_are_reproducible_and_open() {
    let pcs = HidingPcs::new(HidingParams::default());
    let poly = random_poly(7, N);
    let commit = |p: &[F], seed: [u8; 32]| {
        let mut t = transcript("hiding-seeded");
        pcs.commit_seeded(p.to_vec(), seed, &mut t).unwrap()
    };
    let (c1, data) = commit(&poly, [1; 32]);
    let (c2, _) = commit(&poly, [1; 32]);
    assert_eq!(c1, c2);
    assert_ne!(c1, commit(&poly, [2; 32]).0);
    let mut other = poly.clone();
    other[3] += F::ONE;
    assert_ne!(c1, commit(&other, [1; 32]).0);

    let mut t = transcript("hiding-seeded");
    pcs.observe_commitment(&c1, N, &mut t).unwrap();
    let points = draw_points(&mut t, N, 1);
    let mut tp = transcript("hiding-seeded");
    pcs.observe_commitment(&c1, N, &mut tp).unwrap();
    let _ = draw_points(&mut tp, N, 1);
    let (proof, values) = pcs.open(data, &points, &mut tp).unwrap();
    assert_eq!(values, vec![eval_mle(&poly, &points[0])]);
    let claims = vec![(points[0].clone(), values[0])];
    pcs.verify(&c1, N, &claims, &proof, &mut t).unwrap();
}
