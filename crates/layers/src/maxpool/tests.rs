use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use super::*;
use crate::test_util::{Rng, mle, transcript};

fn case(seed: u64) -> (MaxPoolSpec, Vec<Vec<i64>>, MaxPoolWitness) {
    let mut rng = Rng(seed);
    let spec = MaxPoolSpec::for_bound(4, 4, 300);
    let taps: Vec<Vec<i64>> = (0..4)
        .map(|_| (0..16).map(|_| rng.small(300)).collect())
        .collect();
    let out: Vec<i64> = (0..16)
        .map(|p| taps.iter().map(|t| t[p]).max().unwrap())
        .collect();
    let w = witness(&spec, &out, &taps).unwrap();
    (spec, taps, w)
}

fn all_true(spec: &MaxPoolSpec, w: &MaxPoolWitness, taps: &[Vec<i64>], c: &MaxPoolClaims) -> bool {
    let enc = |v: &[i64]| {
        v.iter()
            .map(|&x| crate::requant::signed(x))
            .collect::<Vec<F>>()
    };
    c.columns
        .iter()
        .all(|(col, cl)| mle(&w.columns[col.index(spec)], &cl.point) == cl.value)
        && c.taps
            .iter()
            .zip(taps)
            .all(|(cl, t)| mle(&enc(t), &cl.point) == cl.value)
}

#[test]
fn honest_pooling_verifies_with_true_claims() {
    let (spec, taps, w) = case(1);
    assert!(spec.limbs * spec.limb_bits >= 10);
    let (proof, pc) = prove(&spec, &w, &mut transcript("mp")).unwrap();
    assert!(all_true(&spec, &w, &taps, &pc));
    let vc = verify(&spec, &proof, &mut transcript("mp")).unwrap();
    assert_eq!(pc, vc);
}

#[test]
fn an_output_that_is_not_the_max_fails() {
    let (spec, taps, _) = case(2);
    // Output one above the max: no difference is zero, the zero-check fails.
    let out: Vec<i64> = (0..16)
        .map(|p| taps.iter().map(|t| t[p]).max().unwrap() + 1)
        .collect();
    let w = witness(&spec, &out, &taps).unwrap();
    let (proof, _) = prove(&spec, &w, &mut transcript("mp")).unwrap();
    assert!(verify(&spec, &proof, &mut transcript("mp")).is_err());
    // Output below the max: a negative difference is not in the range table.
    let out: Vec<i64> = (0..16)
        .map(|p| taps.iter().map(|t| t[p]).min().unwrap())
        .collect();
    // (its limbs cannot add up to it).
    if let Ok(w) = witness(&spec, &out, &taps)
        && let Ok((proof, _)) = prove(&spec, &w, &mut transcript("mp"))
    {
        assert!(verify(&spec, &proof, &mut transcript("mp")).is_err());
    }
}

#[test]
fn tampering_is_rejected_or_leaves_false_claims() {
    let (spec, taps, w) = case(3);
    let (proof, _) = prove(&spec, &w, &mut transcript("mp")).unwrap();
    let mut variants = vec![];
    for i in 0..proof.evals.len() {
        let mut p = proof.clone();
        p.evals[i] += EF::ONE;
        variants.push(p);
    }
    for i in 0..proof.diff_evals.len() {
        let mut p = proof.clone();
        p.diff_evals[i] += EF::ONE;
        variants.push(p);
    }
    let mut p = proof.clone();
    p.zerocheck.round_polys[0][0] += EF::ONE;
    variants.push(p);
    let mut p = proof.clone();
    p.range.evals.pop();
    variants.push(p);
    for i in 0..proof.range.evals.len() {
        let mut p = proof.clone();
        p.range.evals[i] += EF::ONE;
        variants.push(p);
    }
    for (i, v) in variants.iter().enumerate() {
        if let Ok(c) = verify(&spec, v, &mut transcript("mp")) {
            assert!(!all_true(&spec, &w, &taps, &c), "variant {i}");
        }
    }
    let _ = F::ZERO;
}
