//! Zero-knowledge max pooling: completeness on real witnesses (form claims hold on the honest
//! hidden vectors, tap claims are the true tap evaluations), soundness (outputs that are not the
//! max, tampered proofs, wrong shapes), masks in effect.

use std::collections::HashMap;

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{BasedVectorSpace, EF, F, Field, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{FormClaim, Symbolic};
use zkinfer_sumcheck::zk::masked::{self, Factor, MaskedFactor, Table};
use zkinfer_transcript::FiatShamir;

use super::zk::{self, ZkMaxPoolClaims, ZkMaxPoolProof};
use super::*;
use crate::LayerError;
use crate::requant::signed;
use crate::test_util::{Rng, mle, transcript};
use crate::zk::{ZkIds, ZkSecrets, ZkShape};

type Store = HashMap<usize, Vec<F>>;

const FIRST: usize = 11;
const MASK_ID: usize = 700;
const BOUND: i64 = 300;

struct Case {
    spec: MaxPoolSpec,
    taps: Vec<Vec<i64>>,
    w: MaxPoolWitness,
}

fn taps_for(seed: u64, num_vars: usize, taps: usize) -> Vec<Vec<i64>> {
    let mut rng = Rng(seed);
    (0..taps)
        .map(|_| (0..1 << num_vars).map(|_| rng.small(BOUND)).collect())
        .collect()
}

/// `out[p] = pick(taps[.][p])`.
fn pooled(taps: &[Vec<i64>], pick: fn(&mut dyn Iterator<Item = i64>) -> i64) -> Vec<i64> {
    (0..taps[0].len())
        .map(|p| pick(&mut taps.iter().map(|t| t[p])))
        .collect()
}

fn max_of(it: &mut dyn Iterator<Item = i64>) -> i64 {
    it.max().unwrap()
}

fn case_with(num_vars: usize, taps: Vec<Vec<i64>>, out: &[i64]) -> Case {
    let spec = MaxPoolSpec::for_bound(num_vars, taps.len(), BOUND);
    let w = witness(&spec, out, &taps).unwrap();
    Case { spec, taps, w }
}

fn case(seed: u64, num_vars: usize, taps: usize) -> Case {
    let taps = taps_for(seed, num_vars, taps);
    let out = pooled(&taps, max_of);
    case_with(num_vars, taps, &out)
}

fn store_of(w: &MaxPoolWitness) -> Store {
    w.columns
        .iter()
        .enumerate()
        .map(|(i, col)| (FIRST + i, col.clone()))
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

fn eval_form(c: &FormClaim<EF>, store: &Store) -> EF {
    c.form
        .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
        .unwrap()
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
        zk::shape(&self.spec).unwrap()
    }

    fn prove_on(
        &self,
        w: &MaxPoolWitness,
        seed: u64,
        random: bool,
    ) -> (ZkMaxPoolProof, ZkMaxPoolClaims, Store) {
        let mut store = store_of(w);
        let ids = ids(&self.shape());
        let sec = secrets(&self.shape(), &ids, seed, random, &mut store);
        let (proof, claims) =
            zk::prove(&self.spec, w, FIRST, &ids, sec, &mut transcript("zkmp")).unwrap();
        (proof, claims, store)
    }

    fn verify(&self, proof: &ZkMaxPoolProof) -> Result<ZkMaxPoolClaims, LayerError> {
        zk::verify(
            &self.spec,
            FIRST,
            &ids(&self.shape()),
            proof,
            &mut transcript("zkmp"),
        )
    }

    /// Every form claim holds on `store` and every tap claim is the true tap evaluation.
    fn all_hold(&self, c: &ZkMaxPoolClaims, store: &Store) -> bool {
        c.columns.iter().all(|f| eval_form(f, store) == f.value)
            && c.taps.len() == self.taps.len()
            && c.taps
                .iter()
                .zip(&self.taps)
                .all(|(cl, t)| value_of(&cl.value, store) == mle(&encode(t), &cl.point))
    }

    fn identity_holds(&self, store: &Store, seed: u64) -> bool {
        let r = Rng(seed).point(self.spec.num_vars);
        let claims = zk::identity(&self.spec, FIRST, &r).unwrap();
        claims.len() == self.spec.taps && claims.iter().all(|f| eval_form(f, store) == f.value)
    }
}

#[test]
fn claims_agree_and_hold() {
    for (num_vars, taps) in [(4, 4), (3, 9), (4, 2), (3, 1)] {
        let c = case(num_vars as u64 * 10 + taps as u64, num_vars, taps);
        let (proof, pc, store) = c.prove_on(&c.w, 1, true);
        let vc = c.verify(&proof).unwrap();
        assert_eq!(pc, vc, "{taps} taps");
        assert_eq!(vc.columns.len(), taps);
        assert!(c.all_hold(&vc, &store), "{taps} taps");
        assert!(c.identity_holds(&store, 3), "{taps} taps");
    }
}

#[test]
fn an_output_that_is_no_tap_fails_the_zero_check() {
    for taps in [4, 9] {
        let t = taps_for(taps as u64, 3, taps);
        // One above the max: every difference is in range, none is zero.
        let out: Vec<i64> = pooled(&t, max_of).iter().map(|v| v + 1).collect();
        let c = case_with(3, t, &out);
        let (proof, _, store) = c.prove_on(&c.w, 2, true);
        if let Ok(claims) = c.verify(&proof) {
            assert!(!c.all_hold(&claims, &store), "{taps} taps");
        }
    }
}

#[test]
fn an_output_below_the_max_breaks_the_identity() {
    let t = taps_for(5, 3, 4);
    let out = pooled(&t, |it| it.min().unwrap());
    let c = case_with(3, t, &out);
    // The zero-check alone passes (out is a tap), but a negative difference is not its limbs.
    let (proof, _, store) = c.prove_on(&c.w, 2, true);
    let claims = c.verify(&proof).unwrap();
    assert!(c.all_hold(&claims, &store));
    assert!(!c.identity_holds(&store, 4));
}

#[test]
fn differences_and_output_are_tied_to_the_taps() {
    let c = case(6, 3, 4);
    let (proof, _, store) = c.prove_on(&c.w, 3, true);
    let claims = c.verify(&proof).unwrap();
    assert!(c.all_hold(&claims, &store));
    // A different committed out or d_k makes a claim false (tap claims, zero-check, or identity).
    let cols = [
        MaxPoolColumn::Out,
        MaxPoolColumn::Diff(0),
        MaxPoolColumn::Diff(3),
    ];
    for col in cols {
        let mut bad = store.clone();
        bad.get_mut(&(FIRST + col.index(&c.spec))).unwrap()[2] += F::ONE;
        assert!(!c.all_hold(&claims, &bad), "{col:?}");
    }
    for l in 0..c.spec.limbs {
        let mut bad = store.clone();
        bad.get_mut(&(FIRST + MaxPoolColumn::Limb(1, l).index(&c.spec)))
            .unwrap()[5] += F::ONE;
        assert!(!c.identity_holds(&bad, 7), "limb {l}");
    }
}

#[test]
fn a_hidden_constant_passes_the_rounds_but_not_the_claims() {
    let t = taps_for(9, 3, 4);
    let out: Vec<i64> = pooled(&t, max_of).iter().map(|v| v + 1).collect();
    let c = case_with(3, t, &out);
    let shape = c.shape();
    let ids = ids(&shape);
    let mut store = store_of(&c.w);
    let sec = secrets(&shape, &ids, 5, true, &mut store);
    let diff = |k: usize| c.w.columns[MaxPoolColumn::Diff(k).index(&c.spec)].clone();
    // A cheating prover: K = -S, with S != 0 the true sum, makes the rounds sum to the public 0.
    let mut tr = transcript("zkmp");
    let r = tr.challenges(LABEL_POINT, 3);
    let eq = zkinfer_poly::eq_table(&r);
    let sum: EF = (0..8)
        .map(|x| eq[x] * (0..4).map(|k| diff(k)[x]).product::<F>())
        .sum();
    assert_ne!(sum, EF::ZERO);
    let mut factors = vec![Factor::Public(Table::Ext(eq))];
    for (k, coeffs) in sec.randomizers.into_iter().enumerate() {
        factors.push(Factor::Masked(MaskedFactor {
            table: Table::Base(diff(k)),
            offset: EF::ZERO,
            coeffs,
        }));
    }
    factors.push(Factor::Public(Table::Base(diff(3))));
    let out = masked::prove(&zk::instance(&c.spec), factors, -sum, sec.mask, &mut tr);
    let proof = ZkMaxPoolProof {
        sumcheck: out.proof,
    };
    // Every round passes, and so do the masked and tap claims; the deferred claim is false.
    let claims = c.verify(&proof).unwrap();
    let holds = |f: &FormClaim<EF>| eval_form(f, &store) == f.value;
    let (last, rest) = claims.columns.split_last().unwrap();
    assert!(rest.iter().all(holds));
    assert!(!holds(last));
    // Revealing the d^_0 that satisfies the final check instead is caught by d_0's masked claim.
    let verify_with = |v: EF| {
        let mut p = proof.clone();
        p.sumcheck.final_values[0] = v;
        let last = c.verify(&p).unwrap().columns.pop().unwrap();
        eval_form(&last, &store) - last.value
    };
    let v0 = proof.sumcheck.final_values[0];
    let (d0, d1) = (verify_with(v0), verify_with(v0 + EF::ONE));
    let mut p = proof.clone();
    p.sumcheck.final_values[0] = v0 - d0 * (d1 - d0).inverse();
    let claims = c.verify(&p).unwrap();
    assert!(holds(claims.columns.last().unwrap()));
    assert!(!holds(&claims.columns[0]));
    assert!(claims.columns[1..3].iter().all(holds));
}

#[test]
fn tampering_with_the_proof_is_caught() {
    for taps in [4, 9] {
        let c = case(30 + taps as u64, 3, taps);
        let (proof, _, store) = c.prove_on(&c.w, 4, true);
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
                assert!(!c.all_hold(&claims, &store), "{taps} taps, variant {i}");
            }
        }
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
        p.sumcheck.rounds.round_polys[1].pop();
        assert!(c.verify(&p).is_err());
    }
}

#[test]
fn wrong_shapes_are_errors() {
    let c = case(40, 3, 4);
    let shape = c.shape();
    assert_eq!(shape.randomizers, vec![3; 3]);
    assert_eq!(shape.degree, 2 * 4);
    let good = ids(&shape);
    let mut store = Store::new();
    let prove = |w: &MaxPoolWitness, ids: &ZkIds, sec: ZkSecrets| {
        zk::prove(&c.spec, w, FIRST, ids, sec, &mut transcript("zkmp"))
    };
    // Missing or short difference columns.
    let mut w = c.w.clone();
    w.columns[MaxPoolColumn::Diff(2).index(&c.spec)].pop();
    assert!(prove(&w, &good, secrets(&shape, &good, 1, true, &mut store)).is_err());
    let w = MaxPoolWitness {
        columns: c.w.columns[..2].to_vec(),
    };
    assert!(prove(&w, &good, secrets(&shape, &good, 1, true, &mut store)).is_err());
    // Ids and secrets that do not match the shape.
    let mut bad = good.clone();
    bad.randomizers.push(999);
    assert!(prove(&c.w, &bad, secrets(&shape, &good, 1, true, &mut store)).is_err());
    let (proof, ..) = c.prove_on(&c.w, 1, true);
    assert!(zk::verify(&c.spec, FIRST, &bad, &proof, &mut transcript("zkmp")).is_err());
    let mut sec = secrets(&shape, &good, 1, true, &mut store);
    sec.mask = MaskPoly::zero(shape.num_vars + 1, shape.degree);
    assert!(prove(&c.w, &good, sec).is_err());
    let mut sec = secrets(&shape, &good, 1, true, &mut store);
    sec.randomizers.pop();
    assert!(prove(&c.w, &good, sec).is_err());
    // A range point of the wrong length; a spec without taps.
    assert!(zk::identity(&c.spec, FIRST, &Rng(1).point(2)).is_err());
    let empty = MaxPoolSpec {
        taps: 0,
        ..c.spec.clone()
    };
    assert!(zk::shape(&empty).is_err());
    assert!(zk::identity(&empty, FIRST, &Rng(1).point(3)).is_err());
}

fn revealed(p: &ZkMaxPoolProof) -> Vec<EF> {
    let s = &p.sumcheck;
    let mut v = vec![s.mask_sum];
    v.extend(s.rounds.round_polys.iter().flatten());
    v.extend(&s.final_values);
    v
}

#[test]
fn masks_are_in_effect() {
    let c = case(50, 3, 4);
    let (p1, c1, _) = c.prove_on(&c.w, 1, true);
    let (p2, _, _) = c.prove_on(&c.w, 2, true);
    let (r1, r2) = (revealed(&p1), revealed(&p2));
    assert!(r1.iter().all(|v| !r2.contains(v)));
    // Zero randomness reveals the true d_k~(t'), random randomizers do not.
    let (p0, c0, store) = c.prove_on(&c.w, 3, false);
    let diff = |k: usize| &c.w.columns[MaxPoolColumn::Diff(k).index(&c.spec)];
    let t0 = &c0.taps[0].point;
    let truth: Vec<EF> = (0..3).map(|k| mle(diff(k), t0)).collect();
    assert_eq!(p0.sumcheck.final_values, truth);
    assert!(c.all_hold(&c0, &store));
    let t1 = &c1.taps[0].point;
    let truth1: Vec<EF> = (0..3).map(|k| mle(diff(k), t1)).collect();
    assert!(p1.sumcheck.final_values.iter().all(|v| !truth1.contains(v)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn random_windows_are_complete(seed in 0u64..1000, num_vars in 0usize..4, taps in 1usize..10) {
        let c = case(seed, num_vars, taps);
        let (proof, pc, store) = c.prove_on(&c.w, seed, true);
        let vc = c.verify(&proof).unwrap();
        prop_assert_eq!(&pc, &vc);
        prop_assert!(c.all_hold(&vc, &store));
        prop_assert!(c.identity_holds(&store, seed));
    }
}
