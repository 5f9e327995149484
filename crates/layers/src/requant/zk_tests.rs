//! Zero-knowledge requantization: completeness on real witnesses (every form claim holds on the
//! honest hidden vectors, the input claim is the true `x~(r)`), soundness (outputs that are not the
//! clamp, tampered proofs, wrong shapes), masks in effect.

use std::collections::HashMap;

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{BasedVectorSpace, EF, F, Field, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Atom, FormClaim, Symbolic};
use zkinfer_sumcheck::zk::masked::{self, Factor, MaskedFactor, Table};

use super::zk::{self, ZkRequantProof};
use super::*;
use crate::LayerError;
use crate::test_util::{Rng, mle, transcript};
use crate::zk::{ZkIds, ZkSecrets, ZkShape};

/// The prover's hidden vectors by id.
type Store = HashMap<usize, Vec<F>>;

/// Id of the layer's first committed column.
const FIRST: usize = 7;
const MASK_ID: usize = 500;
const X_BOUND: i64 = 20_000;

/// `(name, multiplier, shift, min, max)`; with `|x| <= 20000`, `5 / 2^7` gives `|q| <= 782`.
const LAYOUTS: [(&str, i64, u32, i64, i64); 6] = [
    ("both", 5, 7, -128, 127),
    ("a only", 5, 7, -1000, 127),
    ("b only", 5, 7, -127, 1000),
    ("none", 5, 7, -1000, 1000),
    ("both, no shift", 1, 0, 0, 50),
    // |q| <= 900 with 2^20: the power-of-two bounds on a, b wrap, so SatHiCap and SatLoCap exist.
    ("both, caps", 47_186, 20, -300, 300),
];

fn spec_for(num_vars: usize, multiplier: i64, shift: u32, min: i64, max: i64) -> RequantSpec {
    let off = if shift == 0 { 0 } else { 1i64 << (shift - 1) };
    let q = |x: i64| (x * multiplier + off) >> shift;
    RequantSpec {
        num_vars,
        multiplier,
        shift,
        min,
        max,
        q_min: q(-X_BOUND),
        q_max: q(X_BOUND),
    }
}

struct Case {
    spec: RequantSpec,
    x: Vec<i64>,
    w: RequantWitness,
}

fn case(layout: usize, num_vars: usize, seed: u64) -> Case {
    let (_, m, s, min, max) = LAYOUTS[layout];
    let spec = spec_for(num_vars, m, s, min, max);
    let mut rng = Rng(seed);
    let x: Vec<i64> = (0..1 << num_vars).map(|_| rng.small(X_BOUND)).collect();
    let w = witness(&spec, &x).unwrap();
    Case { spec, x, w }
}

/// The committed columns under `FIRST + position` (the layout's commitment order).
fn store_of(w: &RequantWitness) -> Store {
    w.columns()
        .into_iter()
        .enumerate()
        .map(|(i, (_, col))| (FIRST + i, col.to_vec()))
        .collect()
}

fn coords(c: &[EF]) -> Vec<F> {
    c.iter()
        .flat_map(|x| x.as_basis_coefficients_slice().to_vec())
        .collect()
}

fn ids(shape: &ZkShape) -> ZkIds {
    ZkIds {
        mask: MASK_ID,
        randomizers: (0..shape.randomizers.len())
            .map(|i| MASK_ID + 1 + i)
            .collect(),
    }
}

/// Secrets for `shape` (seeded, or all zero), stored in `store` under `ids`.
fn secrets(shape: &ZkShape, ids: &ZkIds, seed: u64, random: bool, store: &mut Store) -> ZkSecrets {
    let (n, d) = (shape.num_vars, shape.degree);
    let mask = if random {
        MaskPoly::random(n, d, &mut StdRng::seed_from_u64(seed))
    } else {
        MaskPoly::zero(n, d)
    };
    store.insert(ids.mask, mask.coeffs());
    let mut rng = Rng(seed ^ 0x5eed);
    let randomizers = shape
        .randomizers
        .iter()
        .zip(&ids.randomizers)
        .map(|(&len, &id)| {
            let c: Vec<EF> = (0..len)
                .map(|_| if random { rng.ext() } else { EF::ZERO })
                .collect();
            store.insert(id, coords(&c));
            c
        })
        .collect();
    ZkSecrets { mask, randomizers }
}

fn holds(c: &FormClaim<EF>, store: &Store) -> bool {
    c.form
        .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
        .unwrap()
        == c.value
}

fn all_hold(claims: &[FormClaim<EF>], store: &Store) -> bool {
    claims.iter().all(|c| holds(c, store))
}

fn value_of(v: &Symbolic<EF>, store: &Store) -> EF {
    v.public
        + v.hidden
            .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
            .unwrap()
}

fn encode(v: &[i64]) -> Vec<F> {
    v.iter().map(|&x| signed(x)).collect()
}

impl Case {
    fn shape(&self) -> ZkShape {
        zk::shape(&self.spec).unwrap().unwrap()
    }

    /// Proves the zero-check on `w` (the case's witness or a cheating one); returns the proof,
    /// the prover's claims and the hidden vectors (`w`'s columns and the secrets).
    fn prove_on(
        &self,
        w: &RequantWitness,
        seed: u64,
        random: bool,
    ) -> (ZkRequantProof, Vec<FormClaim<EF>>, Store) {
        let mut store = store_of(w);
        let ids = ids(&self.shape());
        let sec = secrets(&self.shape(), &ids, seed, random, &mut store);
        let (proof, claims) =
            zk::prove(&self.spec, w, FIRST, &ids, sec, &mut transcript("zkrq")).unwrap();
        (proof, claims, store)
    }

    fn verify(&self, proof: &ZkRequantProof) -> Result<Vec<FormClaim<EF>>, LayerError> {
        zk::verify(
            &self.spec,
            FIRST,
            &ids(&self.shape()),
            proof,
            &mut transcript("zkrq"),
        )
    }

    /// The identity at a random point holds on `store` and gives the true `x~(r)`.
    fn identity_holds(&self, store: &Store, seed: u64) -> bool {
        let r = Rng(seed).point(self.spec.num_vars);
        let id = zk::identity(&self.spec, FIRST, &r).unwrap();
        all_hold(&id.columns, store)
            && value_of(&id.input.value, store) == mle(&encode(&self.x), &r)
    }
}

/// The point of the zero-check, read off the deferred claim's `out~(t')` atom.
fn zero_point(claims: &[FormClaim<EF>]) -> Vec<EF> {
    match &claims.last().unwrap().form.terms[0].1 {
        Atom::Eval { point, .. } => point.clone(),
        Atom::Dense { .. } => panic!("the deferred claim starts with out~(t')"),
    }
}

#[test]
fn zero_check_claims_agree_and_hold_on_every_layout() {
    for (i, &(name, ..)) in LAYOUTS.iter().enumerate() {
        let c = case(i, 5, 10 + i as u64);
        let layout = c.spec.layout().unwrap();
        let shape = zk::shape(&c.spec).unwrap();
        assert_eq!(shape.is_some(), layout.sat_hi || layout.sat_lo, "{name}");
        if shape.is_none() {
            let ids = ZkIds {
                mask: MASK_ID,
                randomizers: vec![],
            };
            let sec = ZkSecrets {
                mask: MaskPoly::zero(5, 4),
                randomizers: vec![],
            };
            assert!(zk::prove(&c.spec, &c.w, FIRST, &ids, sec, &mut transcript("zkrq")).is_err());
            continue;
        }
        // The witness saturates, so the zero-check's terms are not trivially zero.
        assert!(c.w.sat_hi.iter().chain(&c.w.sat_lo).any(|&v| v != F::ZERO));
        let (proof, pc, store) = c.prove_on(&c.w, i as u64, true);
        let vc = c.verify(&proof).unwrap();
        assert_eq!(pc, vc, "{name}");
        assert_eq!(vc.len(), 1 + c.shape().randomizers.len());
        assert!(all_hold(&vc, &store), "{name}");
    }
}

#[test]
fn identity_holds_and_gives_the_true_input() {
    for (i, &(name, ..)) in LAYOUTS.iter().enumerate() {
        let c = case(i, 5, 20 + i as u64);
        let layout = c.spec.layout().unwrap();
        let id = zk::identity(&c.spec, FIRST, &Rng(1).point(5)).unwrap();
        // out - OutLo, then OutHi, a, a's cap, b, b's cap when they exist.
        let expected = layout.parts.iter().filter(|(p, _)| *p != Part::Rem).count();
        assert_eq!(id.columns.len(), expected, "{name}");
        assert!(c.identity_holds(&store_of(&c.w), 1), "{name}");
    }
    let caps = case(5, 4, 3).spec.layout().unwrap();
    assert!(caps.parts.iter().any(|&(p, _)| p == Part::SatHiCap));
    assert!(caps.parts.iter().any(|&(p, _)| p == Part::SatLoCap));
}

#[test]
fn identity_ties_every_column_to_its_limbs() {
    for layout in [0, 5] {
        let c = case(layout, 4, 30);
        let store = store_of(&c.w);
        assert!(c.identity_holds(&store, 2));
        let cols = c.w.columns();
        for (pos, (name, _)) in cols.iter().enumerate() {
            if *name == RequantColumn::Multiplicities {
                continue;
            }
            // E.g. out != clamp(q) with unchanged limbs, or a wrong remainder limb.
            let mut bad = store.clone();
            bad.get_mut(&(FIRST + pos)).unwrap()[3] += F::ONE;
            assert!(!c.identity_holds(&bad, 2), "{name:?} in layout {layout}");
        }
    }
}

/// Indices where `q > max` (`a > 0`) and `q < min` (`b > 0`).
fn saturated(w: &RequantWitness) -> (usize, usize) {
    let hi = w.sat_hi.iter().position(|&v| v != F::ZERO).unwrap();
    let lo = w.sat_lo.iter().position(|&v| v != F::ZERO).unwrap();
    (hi, lo)
}

#[test]
fn outputs_that_are_not_the_clamp_fail_the_zero_check() {
    let c = case(0, 5, 40);
    let (hi, lo) = saturated(&c.w);
    let (max, min) = (signed(c.spec.max), signed(c.spec.min));
    let mut cheats = vec![];
    // q > max but out = max - 1, with a one larger so that q = out + a - b is unchanged.
    let mut w = c.w.clone();
    w.out[hi] = max - F::ONE;
    w.sat_hi[hi] += F::ONE;
    cheats.push(w);
    // q < min but out = min + 1.
    let mut w = c.w.clone();
    w.out[lo] = min + F::ONE;
    w.sat_lo[lo] += F::ONE;
    cheats.push(w);
    // a and b both nonzero at one entry, q unchanged.
    let mut w = c.w.clone();
    w.sat_hi[hi] += F::ONE;
    w.sat_lo[hi] += F::ONE;
    cheats.push(w);
    for (i, w) in cheats.iter().enumerate() {
        let (proof, _, store) = c.prove_on(w, 7, true);
        if let Ok(claims) = c.verify(&proof) {
            assert!(!all_hold(&claims, &store), "cheat {i}");
        }
    }
    // With a only, an output below max where q > max.
    let c = case(1, 5, 41);
    let hi = c.w.sat_hi.iter().position(|&v| v != F::ZERO).unwrap();
    let mut w = c.w.clone();
    w.out[hi] -= F::ONE;
    w.sat_hi[hi] += F::ONE;
    let (proof, _, store) = c.prove_on(&w, 8, true);
    if let Ok(claims) = c.verify(&proof) {
        assert!(!all_hold(&claims, &store));
    }
}

/// `D(v) = form - value` of the deferred claim when the first revealed value is `v`: affine in
/// `v`, so its root is where a prover that may pick `v` freely makes the final check hold.
fn solve_first_value(
    verify: impl Fn(&[EF]) -> Vec<FormClaim<EF>>,
    values: &[EF],
    store: &Store,
) -> EF {
    let d = |v: EF| {
        let mut vals = values.to_vec();
        vals[0] = v;
        let last = verify(&vals).pop().unwrap();
        last.form
            .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
            .unwrap()
            - last.value
    };
    let (d0, d1) = (d(values[0]), d(values[0] + EF::ONE));
    values[0] - d0 * (d1 - d0).inverse()
}

#[test]
fn a_hidden_constant_passes_the_rounds_but_not_the_claims() {
    let c = case(0, 4, 80);
    let (hi, _) = saturated(&c.w);
    let mut w = c.w.clone();
    w.out[hi] -= F::ONE;
    w.sat_hi[hi] += F::ONE;
    let layout = c.spec.layout().unwrap();
    let shape = c.shape();
    let ids = ids(&shape);
    let mut store = store_of(&w);
    let sec = secrets(&shape, &ids, 5, true, &mut store);
    // A cheating prover: K = -S, with S != 0 the true sum, makes the rounds sum to the public 0.
    let mut tr = transcript("zkrq");
    let (t, gamma) = zk::challenges(&c.spec, &layout, &mut tr);
    let (max, min) = (signed(c.spec.max), signed(c.spec.min));
    let eq = zkinfer_poly::eq_table(&t);
    let sum: EF = (0..16)
        .map(|x| {
            let (o, a, b) = (w.out[x], w.sat_hi[x], w.sat_lo[x]);
            eq[x] * (EF::from(a * (max - o)) + gamma * (b * (o - min)))
        })
        .sum();
    assert_ne!(sum, EF::ZERO);
    let mut factors = vec![
        Factor::Public(Table::Ext(eq)),
        Factor::Public(Table::Base(w.out.clone())),
    ];
    for (col, coeffs) in [&w.sat_hi, &w.sat_lo].into_iter().zip(sec.randomizers) {
        factors.push(Factor::Masked(MaskedFactor {
            table: Table::Base(col.clone()),
            offset: EF::ZERO,
            coeffs,
        }));
    }
    let instance = zk::instance(&c.spec, &layout, gamma);
    let out = masked::prove(&instance, factors, -sum, sec.mask, &mut tr);
    let proof = ZkRequantProof {
        sumcheck: out.proof,
    };
    // Every round passes; the deferred claim (which has no hidden constant) is false.
    let claims = c.verify(&proof).unwrap();
    let (last, rest) = claims.split_last().unwrap();
    assert!(all_hold(rest, &store));
    assert!(!holds(last, &store));
    // Revealing the a^ that satisfies the final check instead is caught by a's masked claim.
    let verify_with = |vals: &[EF]| {
        let mut p = proof.clone();
        p.sumcheck.final_values = vals.to_vec();
        c.verify(&p).unwrap()
    };
    let forged = solve_first_value(verify_with, &proof.sumcheck.final_values, &store);
    let mut vals = proof.sumcheck.final_values.clone();
    vals[0] = forged;
    let claims = verify_with(&vals);
    assert!(holds(claims.last().unwrap(), &store));
    assert!(!holds(&claims[0], &store));
    assert!(holds(&claims[1], &store));
}

#[test]
fn tampering_with_the_proof_is_caught() {
    for layout in [0, 1, 2] {
        let c = case(layout, 4, 50 + layout as u64);
        let (proof, _, store) = c.prove_on(&c.w, 9, true);
        let mut variants = vec![];
        let mut p = proof.clone();
        p.sumcheck.mask_sum += EF::ONE;
        variants.push(p);
        for i in 0..proof.sumcheck.final_values.len() {
            let mut p = proof.clone();
            p.sumcheck.final_values[i] += EF::ONE;
            variants.push(p);
        }
        for (k, round) in proof.sumcheck.rounds.round_polys.iter().enumerate() {
            for j in 0..round.len() {
                let mut p = proof.clone();
                p.sumcheck.rounds.round_polys[k][j] += EF::ONE;
                variants.push(p);
            }
        }
        for (i, p) in variants.iter().enumerate() {
            if let Ok(claims) = c.verify(p) {
                assert!(!all_hold(&claims, &store), "layout {layout}, variant {i}");
            }
        }
        // Wrong lengths are errors.
        let mut p = proof.clone();
        p.sumcheck.final_values.pop();
        assert!(c.verify(&p).is_err());
        let mut p = proof.clone();
        p.sumcheck.final_values.push(EF::ONE);
        assert!(c.verify(&p).is_err());
        let mut p = proof.clone();
        p.sumcheck.rounds.round_polys.pop();
        assert!(c.verify(&p).is_err());
        let mut p = proof.clone();
        p.sumcheck.rounds.round_polys[0].push(EF::ZERO);
        assert!(c.verify(&p).is_err());
    }
}

#[test]
fn wrong_shapes_are_errors() {
    let c = case(0, 4, 60);
    let shape = c.shape();
    let good = ids(&shape);
    let fresh = |store: &mut Store| secrets(&shape, &good, 1, true, store);
    let prove = |w: &RequantWitness, ids: &ZkIds, sec: ZkSecrets| {
        zk::prove(&c.spec, w, FIRST, ids, sec, &mut transcript("zkrq"))
    };
    let mut store = Store::new();
    // A column of the wrong length.
    for col in 0..3 {
        let mut w = c.w.clone();
        [&mut w.out, &mut w.sat_hi, &mut w.sat_lo][col].pop();
        assert!(prove(&w, &good, fresh(&mut store)).is_err(), "column {col}");
    }
    // Randomizer ids that do not match the masked columns, on both sides.
    let mut bad = good.clone();
    bad.randomizers.pop();
    assert!(prove(&c.w, &bad, fresh(&mut store)).is_err());
    let (proof, ..) = c.prove_on(&c.w, 1, true);
    assert!(zk::verify(&c.spec, FIRST, &bad, &proof, &mut transcript("zkrq")).is_err());
    // Secrets of the wrong shape.
    let mut sec = fresh(&mut store);
    sec.mask = MaskPoly::zero(shape.num_vars, shape.degree + 1);
    assert!(prove(&c.w, &good, sec).is_err());
    let mut sec = fresh(&mut store);
    sec.randomizers[1].pop();
    assert!(prove(&c.w, &good, sec).is_err());
    // A range point of the wrong length.
    assert!(zk::identity(&c.spec, FIRST, &Rng(1).point(3)).is_err());
    assert!(zk::identity(&c.spec, FIRST, &Rng(1).point(5)).is_err());
    // A spec with no zero-check has nothing to verify.
    let none = case(3, 4, 61);
    assert_eq!(zk::shape(&none.spec).unwrap(), None);
    assert!(zk::verify(&none.spec, FIRST, &good, &proof, &mut transcript("zkrq")).is_err());
}

fn revealed(p: &ZkRequantProof) -> Vec<EF> {
    let s = &p.sumcheck;
    let mut v = vec![s.mask_sum];
    v.extend(s.rounds.round_polys.iter().flatten());
    v.extend(&s.final_values);
    v
}

#[test]
fn masks_are_in_effect() {
    let c = case(0, 4, 70);
    let (p1, c1, _) = c.prove_on(&c.w, 1, true);
    let (p2, c2, _) = c.prove_on(&c.w, 2, true);
    // Same transcript up to the first masked message, fresh masks: nothing revealed is shared.
    let (r1, r2) = (revealed(&p1), revealed(&p2));
    assert!(r1.iter().all(|v| !r2.contains(v)));
    assert_ne!(zero_point(&c1), zero_point(&c2));
    // Zero randomness reveals the true evaluations a~(t'), b~(t'); random randomizers do not.
    let (p0, c0, store) = c.prove_on(&c.w, 3, false);
    let t = zero_point(&c0);
    let truth = [mle(&c.w.sat_hi, &t), mle(&c.w.sat_lo, &t)];
    assert_eq!(p0.sumcheck.final_values, truth);
    assert!(all_hold(&c0, &store));
    let t1 = zero_point(&c1);
    let truth1 = [mle(&c.w.sat_hi, &t1), mle(&c.w.sat_lo, &t1)];
    assert!(p1.sumcheck.final_values.iter().all(|v| !truth1.contains(v)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn random_specs_are_complete(
        seed in 0u64..1000,
        num_vars in 0usize..5,
        multiplier in 1i64..200,
        shift in 0u32..12,
        min in -300i64..0,
        width in 0i64..400,
    ) {
        let spec = spec_for(num_vars, multiplier, shift, min, min + width);
        let mut rng = Rng(seed);
        let x: Vec<i64> = (0..1 << num_vars).map(|_| rng.small(X_BOUND)).collect();
        let w = witness(&spec, &x).unwrap();
        let c = Case { spec, x, w };
        prop_assert!(c.identity_holds(&store_of(&c.w), seed));
        if zk::shape(&c.spec).unwrap().is_some() {
            let (proof, pc, store) = c.prove_on(&c.w, seed, true);
            let vc = c.verify(&proof).unwrap();
            prop_assert_eq!(&pc, &vc);
            prop_assert!(all_hold(&vc, &store));
        }
    }
}
