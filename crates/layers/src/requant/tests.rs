use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use super::*;
use crate::test_util::{Rng, mle, transcript};
use crate::{Claim, LayerError};

fn spec_for(
    x_bound: i64,
    num_vars: usize,
    multiplier: i64,
    shift: u32,
    min: i64,
    max: i64,
) -> RequantSpec {
    let off = if shift == 0 { 0 } else { 1i64 << (shift - 1) };
    let q = |x: i64| (x * multiplier + off) >> shift;
    RequantSpec {
        num_vars,
        multiplier,
        shift,
        min,
        max,
        q_min: q(-x_bound),
        q_max: q(x_bound),
    }
}

fn inputs(seed: u64, n: usize, bound: i64) -> Vec<i64> {
    let mut rng = Rng(seed);
    (0..1 << n).map(|_| rng.small(bound)).collect()
}

fn encode(v: &[i64]) -> Vec<F> {
    v.iter().map(|&x| super::signed(x)).collect()
}

fn check_claims(w: &RequantWitness, x: &[i64], claims: &RequantClaims) -> bool {
    let col = |c: RequantColumn| -> Vec<F> {
        match c {
            RequantColumn::Q => w.q.clone(),
            RequantColumn::Out => w.out.clone(),
            RequantColumn::Limb(i) => w.limbs[i].clone(),
            RequantColumn::ClampMultiplicities => w.clamp_mult.clone(),
            RequantColumn::LimbMultiplicities(i) => w.limb_mults[i].clone(),
        }
    };
    claims
        .columns
        .iter()
        .all(|(c, cl)| mle(&col(*c), &cl.point) == cl.value)
        && claims.input.value == mle(&encode(x), &claims.input.point)
}

#[test]
fn matches_the_reference_rounding_and_verifies() {
    for (seed, (m, s, min, max)) in [
        (5, 7, 0, 127),
        (3, 14, -127, 127),
        (1, 0, 0, 50),
        (11, 20, -300, 300),
    ]
    .into_iter()
    .enumerate()
    {
        let x = inputs(seed as u64, 6, 20_000);
        let spec = spec_for(20_000, 6, m, s, min, max);
        let w = witness(&spec, &x).unwrap();
        for (i, &v) in x.iter().enumerate() {
            // The IR's rule: floor((x m + 2^(s-1)) / 2^s), clamped.
            let off = if s == 0 { 0.0 } else { 2f64.powi(s as i32 - 1) };
            let q = ((v as f64 * m as f64 + off) / 2f64.powi(s as i32)).floor() as i64;
            assert_eq!(w.out_int[i], q.clamp(min, max));
        }
        let (proof, pclaims) = prove(&spec, &w, &mut transcript("rq")).unwrap();
        assert!(check_claims(&w, &x, &pclaims));
        let vclaims = verify(&spec, &proof, &mut transcript("rq")).unwrap();
        assert_eq!(pclaims, vclaims);
    }
}

#[test]
fn tampering_is_rejected_or_leaves_a_false_claim() {
    let x = inputs(9, 5, 5000);
    let spec = spec_for(5000, 5, 3, 13, 0, 255);
    let w = witness(&spec, &x).unwrap();
    let (proof, _) = prove(&spec, &w, &mut transcript("rq")).unwrap();
    let mut variants = vec![];
    for i in 0..proof.evals.len() {
        let mut p = proof.clone();
        p.evals[i] += EF::ONE;
        variants.push(p);
    }
    let mut p = proof.clone();
    p.evals.pop();
    variants.push(p);
    let mut p = proof.clone();
    p.limb_lookups.pop();
    variants.push(p);
    let mut p = proof.clone();
    p.clamp_lookup.lookup_evals[1] += EF::ONE;
    variants.push(p);
    let mut p = proof.clone();
    p.limb_lookups[0].lookup_evals[0] += EF::ONE;
    variants.push(p);
    for (i, v) in variants.iter().enumerate() {
        if let Ok(c) = verify(&spec, v, &mut transcript("rq")) {
            assert!(
                !check_claims(&w, &x, &c),
                "variant {i} verified with true claims"
            );
        }
    }
}

#[test]
fn a_wrong_output_has_no_valid_witness() {
    let x = inputs(4, 4, 1000);
    let spec = spec_for(1000, 4, 5, 6, 0, 63);
    let mut w = witness(&spec, &x).unwrap();
    // Claim an output one off the true clamp: the pair is not in the table, so the honest
    // multiplicity computation refuses, and a forced proof does not verify.
    let i = w.out_int.iter().position(|&v| v > 0 && v < 63).unwrap();
    w.out[i] += F::ONE;
    let forced = prove(&spec, &w, &mut transcript("rq"));
    match forced {
        Err(LayerError::Lookup(_)) => {}
        Err(e) => panic!("unexpected error {e}"),
        Ok((proof, _)) => assert!(verify(&spec, &proof, &mut transcript("rq")).is_err()),
    }
}

#[test]
fn limbs_split_the_shift() {
    let spec = spec_for(10, 3, 1, 25, 0, 1);
    assert_eq!(spec.limb_bits(), vec![9, 8, 8]);
    assert_eq!(spec_for(10, 3, 1, 12, 0, 1).limb_bits(), vec![12]);
    assert!(spec_for(10, 3, 1, 0, 0, 1).limb_bits().is_empty());
    let _ = Claim {
        point: vec![],
        value: EF::ZERO,
    };
}
