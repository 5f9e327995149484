use zkinfer_field::{EF, F, PrimeCharacteristicRing, PrimeField64};

use super::*;
use crate::LayerError;
use crate::test_util::{Rng, mle, transcript};

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
            RequantColumn::Out => w.out.clone(),
            RequantColumn::SatHi => w.sat_hi.clone(),
            RequantColumn::SatLo => w.sat_lo.clone(),
            RequantColumn::Limb(i) => w.limbs[i].clone(),
            RequantColumn::Multiplicities => w.mults.clone(),
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
    // Saturating both ways, so every part of the proof exists.
    let x = inputs(9, 5, 5000);
    let spec = spec_for(5000, 5, 3, 6, -100, 100);
    let layout = spec.layout().unwrap();
    assert!(layout.sat_hi && layout.sat_lo);
    let w = witness(&spec, &x).unwrap();
    let (proof, _) = prove(&spec, &w, &mut transcript("rq")).unwrap();
    let mut variants = vec![];
    for i in 0..proof.range.evals.len() {
        let mut p = proof.clone();
        p.range.evals[i] += EF::ONE;
        variants.push(p);
    }
    for i in 0..proof.zero_evals.len() {
        let mut p = proof.clone();
        p.zero_evals[i] += EF::ONE;
        variants.push(p);
    }
    let mut p = proof.clone();
    p.zero_evals.pop();
    variants.push(p);
    let mut p = proof.clone();
    p.zero_check = None;
    variants.push(p);
    let mut p = proof.clone();
    p.range.lookup.lookup_evals[0] += EF::ONE;
    variants.push(p);
    let mut p = proof.clone();
    p.zero_check.as_mut().unwrap().round_polys[0][0] += EF::ONE;
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
    let w = witness(&spec, &x).unwrap();
    let layout = spec.layout().unwrap();
    // Claim an output one off the true clamp, with its limbs adjusted to match: the range check
    // and zero-check pass, so the identity must make the claim on x false.
    let i = w.out_int.iter().position(|&v| v > 0 && v < 63).unwrap();
    let mut bad = w.clone();
    bad.out[i] += F::ONE;
    set_part(&mut bad, &layout, Part::OutLo, i, w.out_int[i] + 1);
    bad.mults = layout
        .range_spec(spec.num_vars)
        .multiplicities(&bad.limb_refs())
        .unwrap();
    let (proof, claims) = prove(&spec, &bad, &mut transcript("rq")).unwrap();
    // Either the verifier rejects, or the claim on x is false.
    if verify(&spec, &proof, &mut transcript("rq")).is_ok() {
        assert_ne!(claims.input.value, mle(&encode(&x), &claims.input.point));
    }
}

/// Writes `value`'s limbs into `part`'s limb columns at entry `i`.
fn set_part(w: &mut RequantWitness, layout: &Layout, part: Part, i: usize, mut value: i64) {
    let (_, first, count) = layout
        .limb_ranges()
        .into_iter()
        .find(|r| r.0 == part)
        .unwrap();
    for col in w.limbs.iter_mut().skip(first).take(count) {
        col[i] = F::from_u64((value & ((1 << layout.limb_bits) - 1)) as u64);
        value >>= layout.limb_bits;
    }
}

#[test]
fn hiding_a_saturation_breaks_the_zero_check() {
    // q above max but out = max and a = 0 would make the identity fail; out = q is out of range;
    // so the cheater sets a > 0 with out < max: the zero-check must reject.
    let x = inputs(6, 4, 3000);
    let spec = spec_for(3000, 4, 1, 2, 0, 100);
    let w = witness(&spec, &x).unwrap();
    let layout = spec.layout().unwrap();
    let i = w
        .out_int
        .iter()
        .position(|&v| v == 100)
        .expect("a saturated entry");
    let mut bad = w.clone();
    // out - 1 and a + 1 keep q' = out + a - b and so the identity.
    bad.out[i] -= F::ONE;
    bad.sat_hi[i] += F::ONE;
    let a = w.sat_hi[i].as_canonical_u64() as i64;
    set_part(&mut bad, &layout, Part::OutLo, i, 99);
    set_part(&mut bad, &layout, Part::OutHi, i, 1);
    set_part(&mut bad, &layout, Part::SatHi, i, a + 1);
    bad.mults = layout
        .range_spec(spec.num_vars)
        .multiplicities(&bad.limb_refs())
        .expect("limbs stay in range");
    let (proof, _) = prove(&spec, &bad, &mut transcript("rq")).unwrap();
    assert!(matches!(
        verify(&spec, &proof, &mut transcript("rq")),
        Err(LayerError::Sumcheck { .. })
    ));
}

#[test]
fn layouts_follow_the_spec() {
    // 16-bit signed output, q within the clamp: no saturation columns, no complement.
    let l = spec_for(100, 3, 1, 0, -32768, 32767).layout().unwrap();
    assert!(!l.sat_hi && !l.sat_lo);
    assert_eq!(l.parts, vec![(Part::OutLo, 16), (Part::Rem, 0)]);
    // A clamp width that is not a power of two needs the upper complement.
    let l = spec_for(100, 3, 1, 0, 0, 99).layout().unwrap();
    assert!(l.parts.contains(&(Part::OutHi, 7)));
    // A wide q range: saturation both ways.
    let l = spec_for(1 << 20, 3, 1, 4, -128, 127).layout().unwrap();
    assert!(l.sat_hi && l.sat_lo);
    // A q range that only fits the field with exact bounds on a and b gets the caps.
    let s = spec_for(1 << 20, 3, 1, 10, -128, 127);
    let s = RequantSpec {
        q_min: -(3 << 18),
        q_max: 3 << 18,
        ..s
    };
    let l = s.layout().unwrap();
    assert!(l.parts.iter().any(|p| p.0 == Part::SatHiCap), "{l:?}");
    // One that wraps even then is refused.
    let s = RequantSpec {
        q_min: -(1 << 21),
        q_max: 1 << 21,
        ..s
    };
    assert!(s.layout().is_err());
    // Column order and indices agree.
    let l = spec_for(5000, 5, 3, 6, -100, 100).layout().unwrap();
    for (i, (c, _)) in l.columns(5).into_iter().enumerate() {
        assert_eq!(l.column_index(c), i);
    }
}

#[test]
fn inputs_outside_the_static_range_are_refused() {
    let spec = spec_for(100, 2, 1, 0, -50, 50);
    assert!(witness(&spec, &[0, 1, 1000, 2]).is_err());
    // Past the static range but within the limbs: still the right clamp, so accepted.
    assert_eq!(witness(&spec, &[0, 1, 101, 2]).unwrap().out_int[2], 50);
    assert!(witness(&spec, &[0, 1, 2]).is_err());
}
