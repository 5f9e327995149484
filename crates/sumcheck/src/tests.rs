//! Completeness tests: honest proofs verify and their final evaluations are the polynomials'.

use proptest::prelude::*;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_transcript::FiatShamir;

use crate::test_util::{Rng, brute_force_evals, brute_force_sum, honest, transcript};
use crate::{
    ProductSum, SumcheckProof, interpolate_at, prove, prove_eq, verify, verify_eq, verify_final,
    verify_with_evals,
};

#[test]
fn product_of_two_small_tables() {
    let f: Vec<F> = [1u32, 2, 3, 4].map(F::from_u32).to_vec();
    let g: Vec<F> = [5u32, 6, 7, 8].map(F::from_u32).to_vec();
    let instance = ProductSum::product(2, 2);
    let claim = EF::from_u32(5 + 12 + 21 + 32);
    let (proof, point, evals) = prove(&instance, vec![f.clone(), g.clone()], &mut transcript("t"));
    assert_eq!(proof.round_polys.len(), 2);
    assert!(proof.round_polys.iter().all(|s| s.len() == 3));
    assert_eq!(evals, brute_force_evals(&[f, g], &point));
    let got = verify_with_evals(&instance, claim, &proof, &evals, &mut transcript("t"));
    assert_eq!(got, Ok(point));
}

/// Prover and verifier leave the transcript in the same state, so a later protocol stays in step.
#[test]
fn transcripts_end_in_the_same_state() {
    let mut h = honest(3, 5, 3);
    let mut vt = transcript("test");
    verify_with_evals(&h.instance, h.claim, &h.proof, &h.evals, &mut vt).unwrap();
    assert_eq!(h.transcript.challenge("next"), vt.challenge("next"));
}

/// `verify` + `observe_final_evals` + `verify_final` is the same schedule as `verify_with_evals`.
#[test]
fn split_verification_matches_schedule() {
    let mut h = honest(4, 4, 2);
    let mut vt = transcript("test");
    let sub = verify(&h.instance, h.claim, &h.proof, &mut vt).unwrap();
    assert_eq!(sub.point, h.point);
    crate::observe_final_evals(&mut vt, &h.evals);
    verify_final(&h.instance, &sub, &h.evals).unwrap();
    assert_eq!(h.transcript.challenge("next"), vt.challenge("next"));
}

#[test]
fn zero_variables() {
    let instance = ProductSum::<EF>::product(0, 2);
    let tables = vec![vec![F::from_u32(6)], vec![F::from_u32(7)]];
    let (proof, point, evals) = prove(&instance, tables, &mut transcript("t"));
    assert!(proof.round_polys.is_empty() && point.is_empty());
    let claim = EF::from_u32(42);
    assert_eq!(
        verify_with_evals(&instance, claim, &proof, &evals, &mut transcript("t")),
        Ok(vec![])
    );
}

/// Squares (a repeated index) and constant terms (no factor) are allowed.
#[test]
fn repeated_factors_and_constant_terms() {
    let mut rng = Rng(11);
    let n = 3;
    let c = rng.ext();
    let instance = ProductSum::new(n, vec![(EF::ONE, vec![0, 0, 1]), (c, vec![])]);
    assert_eq!(instance.degree, 3);
    let tables = rng.tables(2, n);
    let claim = brute_force_sum(&instance, &tables);
    let (proof, point, evals) = prove(&instance, tables.clone(), &mut transcript("t"));
    assert_eq!(evals, brute_force_evals(&tables, &point));
    assert!(verify_with_evals(&instance, claim, &proof, &evals, &mut transcript("t")).is_ok());
}

/// Tables big enough for the rayon path (2^15 entries) give the same proof as the sequential math.
#[test]
fn parallel_path_verifies() {
    let h = honest(5, zkinfer_poly::PAR_MIN_LOG + 1, 3);
    assert_eq!(h.evals, brute_force_evals(&h.tables, &h.point));
    let got = verify_with_evals(
        &h.instance,
        h.claim,
        &h.proof,
        &h.evals,
        &mut transcript("test"),
    );
    assert_eq!(got, Ok(h.point));
}

#[test]
fn eq_weighted_round_trip() {
    let mut rng = Rng(21);
    let n = 6;
    let r: Vec<EF> = (0..n).map(|_| rng.ext()).collect();
    let inner = ProductSum::new(n, vec![(EF::ONE, vec![0, 1]), (rng.ext(), vec![2])]);
    let tables = rng.tables(3, n);
    let eq = eq_table(&r);
    let claim: EF = (0..1 << n)
        .map(|x| {
            eq[x]
                * inner
                    .combine(&tables.iter().map(|t| EF::from(t[x])).collect::<Vec<_>>())
                    .unwrap()
        })
        .sum();
    let mut pt = transcript("t");
    let (proof, point, evals) = prove_eq(&r, &inner, tables.clone(), &mut pt);
    assert_eq!(evals, brute_force_evals(&tables, &point));
    let mut vt = transcript("t");
    assert_eq!(
        verify_eq(&r, &inner, claim, &proof, &evals, &mut vt),
        Ok(point)
    );
    assert_eq!(pt.challenge("next"), vt.challenge("next"));
    // The eq value is the verifier's own: a wrong r fails.
    let mut r2 = r.clone();
    r2[0] += EF::ONE;
    assert!(verify_eq(&r2, &inner, claim, &proof, &evals, &mut transcript("t")).is_err());
}

#[test]
fn interpolation_hits_the_polynomial() {
    let mut rng = Rng(8);
    for degree in 0..5 {
        let coeffs: Vec<EF> = (0..=degree).map(|_| rng.ext()).collect();
        let eval = |x: EF| coeffs.iter().rev().fold(EF::ZERO, |acc, &c| acc * x + c);
        let evals: Vec<EF> = (0..=degree).map(|t| eval(EF::from_usize(t))).collect();
        let r = rng.ext();
        assert_eq!(interpolate_at(&evals, r), eval(r));
        assert_eq!(
            interpolate_at(&evals, EF::from_usize(degree)),
            evals[degree]
        );
    }
}

#[test]
fn proof_serde_round_trip() {
    let h = honest(9, 4, 2);
    let bytes = postcard::to_allocvec(&h.proof).unwrap();
    let back: SumcheckProof<EF> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, h.proof);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Random n in 1..=10, degree 1..=3, random terms: the proof verifies, the final evaluations
    /// are the tables' multilinear extensions at the point, and the first round sums to the claim.
    #[test]
    fn honest_proofs_verify(seed: u64, n in 1usize..=10, degree in 1usize..=3) {
        let h = honest(seed, n, degree);
        prop_assert_eq!(&h.evals, &brute_force_evals(&h.tables, &h.point));
        let s0 = &h.proof.round_polys[0];
        prop_assert_eq!(s0[0] + s0[1], h.claim);
        let got = verify_with_evals(&h.instance, h.claim, &h.proof, &h.evals, &mut transcript("test"));
        prop_assert_eq!(got, Ok(h.point));
    }
}

/// The weighted prover behind `prove_eq` (base-field round 0) sends exactly the messages of the
/// generic prover run on `with_eq_factor(inner)` with the eq table as polynomial 0.
#[test]
fn weighted_prover_matches_generic_prover() {
    for (n, seed) in [(1, 31), (5, 32), (zkinfer_poly::PAR_MIN_LOG + 1, 33)] {
        let mut rng = Rng(seed);
        let r: Vec<EF> = (0..n).map(|_| rng.ext()).collect();
        let inner = rng.instance(n, 2, 3);
        let tables = rng.tables(3, n);
        let (proof, point, evals) = prove_eq(&r, &inner, tables.clone(), &mut transcript("t"));
        let mut lifted = vec![eq_table(&r)];
        lifted.extend(
            tables
                .iter()
                .map(|t| t.iter().map(|&v| EF::from(v)).collect::<Vec<_>>()),
        );
        let extended = crate::with_eq_factor(&inner);
        let (proof2, point2, evals2) =
            crate::prove::prove_rounds(&extended, None, lifted, &mut transcript("t"));
        assert_eq!(proof, proof2);
        assert_eq!(point, point2);
        assert_eq!(evals[..], evals2[1..]);
    }
}
