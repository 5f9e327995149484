//! Tests of the batched PCS: completeness against brute-force evaluation, and one soundness test
//! per verifier check.

use proptest::prelude::*;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::Transcript;

use crate::test_util::{eval_mle, random_poly, transcript};
use crate::{
    Claim, Commitment, OpeningProof, OpeningShape, Pcs, PcsError, PcsParams, soundness_bits,
};

/// An honest run: commitment, shapes, claims with their values, proof, and the polynomials.
pub(super) struct Run {
    pub(super) commitment: Commitment,
    pub(super) shapes: Vec<usize>,
    pub(super) claims: Vec<(Claim, EF)>,
    pub(super) proof: OpeningProof,
    pub(super) polys: Vec<Vec<F>>,
}

/// Draws each claim's point from the transcript (after the commitment), as a caller would.
fn draw_claims(t: &mut Transcript, shapes: &[usize], claim_polys: &[usize]) -> Vec<Claim> {
    claim_polys
        .iter()
        .map(|&poly| Claim {
            poly,
            point: t.sample_ext_vec("test.point", shapes[poly]),
        })
        .collect()
}

pub(super) fn prove(shapes: &[usize], claim_polys: &[usize], seed: u64) -> Run {
    let pcs = Pcs::new(PcsParams::default());
    let polys: Vec<Vec<F>> = shapes
        .iter()
        .enumerate()
        .map(|(i, &n)| random_poly(seed + i as u64, n))
        .collect();
    let mut t = transcript("pcs-test");
    let (commitment, data) = pcs.commit(polys.clone(), &mut t).unwrap();
    let claims = draw_claims(&mut t, shapes, claim_polys);
    let (proof, values) = pcs.open(&data, &claims, &mut t).unwrap();
    let claims = claims.into_iter().zip(values).collect();
    Run {
        commitment,
        shapes: shapes.to_vec(),
        claims,
        proof,
        polys,
    }
}

/// The honest verifier flow on a fresh transcript for `tag`.
pub(super) fn verify_with(
    run: &Run,
    commitment: &Commitment,
    claims: &[(Claim, EF)],
    proof: &OpeningProof,
    tag: &str,
) -> Result<(), PcsError> {
    let pcs = Pcs::new(PcsParams::default());
    let mut t = transcript(tag);
    pcs.observe_commitment(commitment, &run.shapes, &mut t)?;
    // Re-draw the points as the prover did, so the transcripts stay in step.
    for (c, _) in claims {
        let _ = t.sample_ext_vec("test.point", c.point.len());
    }
    pcs.verify(commitment, &run.shapes, claims, proof, &mut t)
}

fn verify(run: &Run) -> Result<(), PcsError> {
    verify_with(run, &run.commitment, &run.claims, &run.proof, "pcs-test")
}

#[test]
fn honest_batched_opening_verifies_with_brute_force_values() {
    // Different sizes (one below the first folding factor, so it is padded), several points per
    // polynomial, and two claims at the same polynomial.
    let run = prove(&[8, 10, 3, 10, 6], &[0, 1, 2, 3, 0, 4, 1], 1);
    for (claim, value) in &run.claims {
        assert_eq!(
            *value,
            eval_mle(&run.polys[claim.poly], &claim.point),
            "claim {claim:?}"
        );
    }
    verify(&run).unwrap();
}

#[test]
fn single_polynomial_opening_verifies() {
    let run = prove(&[12], &[0], 7);
    assert_eq!(
        run.claims[0].1,
        eval_mle(&run.polys[0], &run.claims[0].0.point)
    );
    verify(&run).unwrap();
}

#[test]
fn wrong_claimed_value_is_rejected() {
    let run = prove(&[8, 9], &[0, 1, 1], 2);
    for i in 0..run.claims.len() {
        let mut claims = run.claims.clone();
        claims[i].1 += EF::ONE;
        assert_eq!(
            verify_with(&run, &run.commitment, &claims, &run.proof, "pcs-test"),
            Err(PcsError::WrongValue { claim: i })
        );
    }
}

#[test]
fn wrong_commitment_is_rejected() {
    let run = prove(&[8, 9], &[0, 1], 4);
    let other = prove(&[8, 9], &[0, 1], 40);
    assert_ne!(run.commitment, other.commitment);
    assert!(verify_with(&run, &other.commitment, &run.claims, &run.proof, "pcs-test").is_err());
}

#[test]
fn different_transcript_state_is_rejected() {
    let run = prove(&[8, 9], &[0, 1], 5);
    // Same claims and values, but the verifier's transcript started from another statement.
    assert!(matches!(
        verify_with(
            &run,
            &run.commitment,
            &run.claims,
            &run.proof,
            "pcs-test-other"
        ),
        Err(PcsError::Rejected(_))
    ));
    // A verifier that skips observing the commitment is out of step too.
    let pcs = Pcs::new(PcsParams::default());
    let mut t = transcript("pcs-test");
    let polys: Vec<usize> = run.claims.iter().map(|(c, _)| c.poly).collect();
    let _ = draw_claims(&mut t, &run.shapes, &polys);
    assert!(
        pcs.verify(
            &run.commitment,
            &run.shapes,
            &run.claims,
            &run.proof,
            &mut t
        )
        .is_err()
    );
}

#[test]
fn claims_are_bound_to_their_polynomial() {
    // Polynomials 0 and 1 have the same size, so swapping the claim's polynomial keeps every
    // length valid; the claim binding (and WHIR) must still reject it.
    let run = prove(&[8, 8], &[0], 6);
    let mut claims = run.claims.clone();
    claims[0].0.poly = 1;
    assert!(verify_with(&run, &run.commitment, &claims, &run.proof, "pcs-test").is_err());
}

#[test]
fn malformed_claims_are_refused_with_errors() {
    let run = prove(&[8, 9], &[0, 1], 8);
    let mut short = run.claims.clone();
    short[1].0.point.pop();
    assert_eq!(
        verify_with(&run, &run.commitment, &short, &run.proof, "pcs-test"),
        Err(PcsError::PointLength {
            claim: 1,
            expected: 9,
            actual: 8
        })
    );
    let mut long = run.claims.clone();
    long[0].0.point.push(EF::ONE);
    assert!(matches!(
        verify_with(&run, &run.commitment, &long, &run.proof, "pcs-test"),
        Err(PcsError::PointLength { claim: 0, .. })
    ));
    let mut unknown = run.claims.clone();
    unknown[0].0.poly = 5;
    assert!(matches!(
        verify_with(&run, &run.commitment, &unknown, &run.proof, "pcs-test"),
        Err(PcsError::UnknownPolynomial { .. })
    ));
    assert_eq!(
        verify_with(
            &run,
            &run.commitment,
            &run.claims[..1],
            &run.proof,
            "pcs-test"
        ),
        Err(PcsError::ClaimCount {
            expected: 1,
            actual: 2
        })
    );
    assert_eq!(
        verify_with(&run, &run.commitment, &[], &run.proof, "pcs-test"),
        Err(PcsError::NoClaims)
    );

    // The prover refuses bad points the same way.
    let pcs = Pcs::new(PcsParams::default());
    let mut t = transcript("pcs-test");
    let (_, data) = pcs.commit(vec![random_poly(1, 8)], &mut t).unwrap();
    let bad = [Claim {
        poly: 0,
        point: vec![EF::ONE; 7],
    }];
    assert!(matches!(
        pcs.open(&data, &bad, &mut t),
        Err(PcsError::PointLength { .. })
    ));
    assert!(matches!(
        pcs.commit(vec![vec![F::ONE; 3]], &mut t),
        Err(PcsError::NotPowerOfTwo { .. })
    ));
    assert!(matches!(
        pcs.commit(vec![], &mut t),
        Err(PcsError::NoPolynomials)
    ));
}

#[test]
fn default_parameters_reach_100_provable_bits() {
    for n in [8, 12, 16, 18, 20, 22] {
        let bits = soundness_bits(&PcsParams::default(), &OpeningShape::single(n, 1)).unwrap();
        assert!(bits >= 100.0, "n = {n}: {bits}");
    }
    let batched = OpeningShape {
        num_vars: vec![18, 16, 3],
        claim_polys: vec![0, 1, 2, 0],
    };
    assert!(soundness_bits(&PcsParams::default(), &batched).unwrap() >= 100.0);
    // The conjectured regime is refused outright.
    let conj = PcsParams {
        soundness: p3_whir::SecurityAssumption::CapacityBound,
        ..PcsParams::default()
    };
    assert!(matches!(
        soundness_bits(&conj, &OpeningShape::single(16, 1)),
        Err(PcsError::Security(_))
    ));
}

#[test]
fn weak_parameters_are_refused_by_the_verifier() {
    // A verifier demanding more than the parameters give refuses before touching the proof.
    let run = prove(&[8], &[0], 10);
    let strict = Pcs::new(PcsParams {
        min_soundness_bits: 200.0,
        ..PcsParams::default()
    });
    let mut t = transcript("pcs-test");
    strict
        .observe_commitment(&run.commitment, &run.shapes, &mut t)
        .unwrap();
    let _ = draw_claims(&mut t, &run.shapes, &[0]);
    assert!(matches!(
        strict.verify(
            &run.commitment,
            &run.shapes,
            &run.claims,
            &run.proof,
            &mut t
        ),
        Err(PcsError::Security(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
    #[test]
    fn random_batches_verify(
        shapes in prop::collection::vec(1usize..10, 1..4),
        picks in prop::collection::vec(0usize..8, 1..5),
        seed in 0u64..1000,
    ) {
        let claim_polys: Vec<usize> = picks.iter().map(|p| p % shapes.len()).collect();
        let run = prove(&shapes, &claim_polys, seed);
        for (claim, value) in &run.claims {
            prop_assert_eq!(*value, eval_mle(&run.polys[claim.poly], &claim.point));
        }
        prop_assert_eq!(verify(&run), Ok(()));
    }
}

#[test]
fn open_once_matches_open() {
    let pcs = Pcs::new(PcsParams::default());
    let polys = vec![random_poly(1, 9), random_poly(2, 5)];
    let shapes = [9, 5];
    let mut t = transcript("pcs-test");
    let (c, data) = pcs.commit(polys.clone(), &mut t).unwrap();
    let claims = draw_claims(&mut t, &shapes, &[1, 0]);
    let (proof, values) = pcs.open_once(data, &claims, &mut t).unwrap();
    assert_eq!(values[0], eval_mle(&polys[1], &claims[0].point));
    let run = Run {
        commitment: c,
        shapes: shapes.to_vec(),
        claims: claims.into_iter().zip(values).collect(),
        proof,
        polys,
    };
    verify(&run).unwrap();
}

/// Claims sharing a point (several columns of one size, and a repeated claim) go into one p3
/// batch; each value is still checked against its own claim.
#[test]
fn claims_at_a_shared_point_are_batched_and_each_checked() {
    let shapes = [6usize, 6, 6, 4];
    let pcs = Pcs::new(PcsParams::default());
    let polys: Vec<Vec<F>> = shapes
        .iter()
        .enumerate()
        .map(|(i, &n)| random_poly(40 + i as u64, n))
        .collect();
    let mut t = transcript("pcs-shared");
    let (commitment, data) = pcs.commit(polys.clone(), &mut t).unwrap();
    let z = t.sample_ext_vec("test.point", 6);
    let w = t.sample_ext_vec("test.point", 4);
    let claims: Vec<Claim> = [(0, &z), (2, &z), (1, &z), (2, &z), (3, &w)]
        .into_iter()
        .map(|(poly, p)| Claim {
            poly,
            point: p.clone(),
        })
        .collect();
    let (proof, values) = pcs.open(&data, &claims, &mut t).unwrap();
    // One batch per (table, point): the 6-variable table at z, the 4-variable one at w.
    assert_eq!(proof.0.evals.len(), 2);
    for (c, v) in claims.iter().zip(&values) {
        assert_eq!(*v, eval_mle(&polys[c.poly], &c.point));
    }
    let verify = |vals: &[EF]| {
        let mut t = transcript("pcs-shared");
        pcs.observe_commitment(&commitment, &shapes, &mut t)
            .unwrap();
        let _ = t.sample_ext_vec("test.point", 6);
        let _ = t.sample_ext_vec("test.point", 4);
        let pairs: Vec<(Claim, EF)> = claims.iter().cloned().zip(vals.iter().copied()).collect();
        pcs.verify(&commitment, &shapes, &pairs, &proof, &mut t)
    };
    assert!(verify(&values).is_ok());
    // A wrong value on the repeated claim (index 3) is caught even though its twin is right.
    for i in 0..values.len() {
        let mut bad = values.clone();
        bad[i] += EF::ONE;
        assert!(
            matches!(verify(&bad), Err(PcsError::WrongValue { claim }) if claim == i),
            "claim {i}"
        );
    }
}

/// Polynomials that fit one by one but not together get an error naming the stack, not a
/// polynomial index.
#[test]
fn a_stack_too_large_is_named_as_such() {
    let err = crate::layout::StackLayout::new(&[26, 26], 4).unwrap_err();
    assert_eq!(
        err,
        PcsError::StackTooLarge {
            num_vars: 27,
            max: 26
        }
    );
    assert!(err.to_string().contains("too large to commit in one piece"));
}
