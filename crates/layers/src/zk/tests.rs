//! Wiring and matmul in zero-knowledge mode: completeness (the returned symbolic claims hold on the honest
//! hidden vectors), soundness (tampering gives an error or a false claim), shapes, masks in effect.

use std::collections::HashMap;

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Form, Symbolic};

use super::*;
use crate::matmul::{self, MatMulClaims, MatMulProof, MatMulShape};
use crate::test_util::{Rng, mle, transcript};
use crate::wiring::{self, WiringProof};
use crate::{LayerError, SparseMap, padded_len};
use crate::{Zk, combine};

/// The prover's hidden vectors by id.
type Store = HashMap<usize, Vec<F>>;

const MASK_ID: usize = 100;
const AUX_ID: usize = 200;

fn coords(c: &[EF]) -> Vec<F> {
    c.iter()
        .flat_map(|x| x.as_basis_coefficients_slice().to_vec())
        .collect()
}

fn ids(shape: &ZkShape) -> ZkIds {
    ZkIds {
        mask: MASK_ID,
        randomizers: (0..shape.randomizers.len()).map(|i| 101 + i).collect(),
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
    assert_eq!(mask.coeffs().len(), shape.mask_len());
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

fn value_of(v: &Symbolic<EF>, store: &Store) -> EF {
    v.public
        + v.hidden
            .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
            .unwrap()
}

/// `c` holds on `table`, both as a symbolic claim and as the linear claim on the committed table.
fn holds(c: &SymClaim, table: &[F], store: &Store) -> bool {
    let mut with_table = store.clone();
    with_table.insert(999, table.to_vec());
    let fc = c.to_form_claim(999);
    let as_form = fc
        .form
        .evaluate::<F>(|id| with_table.get(&id).map(Vec::as_slice))
        == Ok(fc.value);
    let direct = mle(table, &c.point) == value_of(&c.value, store);
    assert_eq!(
        as_form, direct,
        "to_form_claim agrees with the symbolic claim"
    );
    direct
}

/// Random symbolic claims on `table` at points of `vars` coordinates; with `hidden`, each value's
/// hidden part is `coeff * aux_j~(q)` on a committed auxiliary vector `aux_j` (in `store`).
fn sym_claims(
    rng: &mut Rng,
    table: &[F],
    vars: usize,
    num: usize,
    hidden: bool,
    store: &mut Store,
) -> Vec<SymClaim> {
    (0..num)
        .map(|j| {
            let point = rng.point(vars);
            let truth = mle(table, &point);
            if !hidden {
                return SymClaim::public(Claim {
                    point,
                    value: truth,
                });
            }
            let a = 1 + j % 3;
            let aux: Vec<F> = (0..1 << a).map(|_| rng.field(50)).collect();
            let (q, coeff) = (rng.point(a), rng.ext());
            let h = coeff * mle(&aux, &q);
            store.insert(AUX_ID + j, aux);
            SymClaim {
                point,
                value: Symbolic {
                    public: truth - h,
                    hidden: Form::eval(coeff, AUX_ID + j, q),
                },
            }
        })
        .collect()
}

// ---------------------------------------------------------------- wiring

struct WCase {
    maps: Vec<SparseMap>,
    /// Padded, with garbage in the padding; committed under ids `0..k`.
    inputs: Vec<Vec<F>>,
    claims: Vec<SymClaim>,
    store: Store,
}

fn random_map(rng: &mut Rng, out_len: usize, in_len: usize) -> SparseMap {
    let entries = (0..2 * in_len.max(out_len))
        .map(|_| {
            let c = 1 + rng.below(4) as i32;
            let q = rng.below(out_len as u64) as u32;
            (
                q,
                rng.below(in_len as u64) as u32,
                if rng.below(2) == 0 { c } else { -c },
            )
        })
        .collect();
    SparseMap::new(out_len, in_len, entries).unwrap()
}

fn wiring_case(
    seed: u64,
    in_lens: &[usize],
    out_len: usize,
    num_claims: usize,
    hidden: bool,
) -> WCase {
    let mut rng = Rng(seed);
    let maps: Vec<SparseMap> = in_lens
        .iter()
        .map(|&l| random_map(&mut rng, out_len, l))
        .collect();
    let inputs: Vec<Vec<F>> = in_lens
        .iter()
        .map(|&l| (0..padded_len(l)).map(|_| rng.field(100)).collect())
        .collect();
    let mut out = vec![F::ZERO; padded_len(out_len)];
    for (m, x) in maps.iter().zip(&inputs) {
        out.iter_mut().zip(m.apply(x)).for_each(|(o, v)| *o += v);
    }
    let mut store: Store = inputs.iter().cloned().enumerate().collect();
    let vars = maps[0].out_vars();
    let claims = sym_claims(&mut rng, &out, vars, num_claims, hidden, &mut store);
    WCase {
        maps,
        inputs,
        claims,
        store,
    }
}

impl WCase {
    fn maps(&self) -> Vec<&SparseMap> {
        self.maps.iter().collect()
    }
    fn shape(&self) -> ZkShape {
        wiring::shape(&self.maps()).unwrap()
    }
    /// Proves on `t`; returns the proof, the prover's claims and the store with the secrets.
    fn prove_on(
        &self,
        seed: u64,
        random: bool,
        t: &mut zkinfer_transcript::Transcript,
    ) -> (WiringProof<Zk>, Vec<SymClaim>, Store) {
        let mut store = self.store.clone();
        let ids = ids(&self.shape());
        let sec = secrets(&self.shape(), &ids, seed, random, &mut store);
        let inputs: Vec<&[F]> = self.inputs.iter().map(Vec::as_slice).collect();
        let get = |id: usize| self.store.get(&id).map(Vec::as_slice);
        let (proof, claims) =
            wiring::prove::<Zk>(&self.maps(), &inputs, &self.claims, &ids, sec, &get, t).unwrap();
        (proof, claims, store)
    }
    fn prove(&self, seed: u64, random: bool) -> (WiringProof<Zk>, Vec<SymClaim>, Store) {
        self.prove_on(seed, random, &mut transcript("zkw"))
    }
    fn verify(
        &self,
        claims: &[SymClaim],
        proof: &WiringProof<Zk>,
    ) -> Result<Vec<SymClaim>, LayerError> {
        wiring::verify::<Zk>(
            &self.maps(),
            claims,
            &ids(&self.shape()),
            proof,
            &mut transcript("zkw"),
        )
    }
    fn all_hold(&self, claims: &[SymClaim], store: &Store) -> bool {
        claims.len() == self.inputs.len()
            && claims
                .iter()
                .zip(&self.inputs)
                .all(|(c, x)| holds(c, x, store))
    }
}

const SIZES: [&[usize]; 4] = [&[13], &[13, 6], &[3, 17, 1], &[1, 1]];

#[test]
fn wiring_claims_agree_and_hold() {
    for (s, in_lens) in SIZES.iter().enumerate() {
        for num_claims in 1..=3 {
            for hidden in [false, true] {
                let c = wiring_case(
                    10 * s as u64 + num_claims as u64,
                    in_lens,
                    11,
                    num_claims,
                    hidden,
                );
                let (proof, prover_claims, store) = c.prove(s as u64, true);
                let claims = c.verify(&c.claims, &proof).unwrap();
                assert_eq!(claims, prover_claims);
                assert!(
                    c.all_hold(&claims, &store),
                    "sizes {in_lens:?}, {num_claims} claims"
                );
                for (cl, m) in claims.iter().zip(&c.maps) {
                    assert_eq!(cl.point.len(), m.in_vars());
                }
                assert_eq!(proof.sumcheck.final_values.len(), in_lens.len() - 1);
            }
        }
    }
}

/// Layer 2 (`y0, y1 -> z`) hands its symbolic claim on the virtual `y1` (deferred: its hidden part
/// holds layer 2's mask) to layer 1 (`x0, x1 -> y1`), with a second, public claim on `y1`.
#[test]
fn wiring_chains_symbolic_claims() {
    let mut rng = Rng(77);
    let l1 = [random_map(&mut rng, 12, 5), random_map(&mut rng, 12, 20)];
    let l2 = [random_map(&mut rng, 9, 7), random_map(&mut rng, 9, 12)];
    let x: Vec<Vec<F>> = [5, 20]
        .iter()
        .map(|&l| (0..padded_len(l)).map(|_| rng.field(9)).collect())
        .collect();
    let y0: Vec<F> = (0..8).map(|_| rng.field(9)).collect();
    let mut y1 = vec![F::ZERO; 16];
    for (m, v) in l1.iter().zip(&x) {
        y1.iter_mut().zip(m.apply(v)).for_each(|(o, a)| *o += a);
    }
    let mut z = l2[0].apply(&y0);
    z.iter_mut()
        .zip(l2[1].apply(&y1))
        .for_each(|(o, a)| *o += a);
    // Committed: x0 (0), x1 (1), y0 (2); y1 is virtual.
    let mut store: Store = [(0, x[0].clone()), (1, x[1].clone()), (2, y0.clone())].into();
    let z_claims = sym_claims(&mut rng, &z, 4, 1, false, &mut store);
    let y1_extra = sym_claims(&mut rng, &y1, 4, 1, false, &mut store);
    let (m1, m2): (Vec<&SparseMap>, Vec<&SparseMap>) = (l1.iter().collect(), l2.iter().collect());
    let (ids1, ids2) = (
        ZkIds {
            mask: 300,
            randomizers: vec![301],
        },
        ZkIds {
            mask: 400,
            randomizers: vec![401],
        },
    );
    let s2 = secrets(&wiring::shape(&m2).unwrap(), &ids2, 1, true, &mut store);
    let s1 = secrets(&wiring::shape(&m1).unwrap(), &ids1, 2, true, &mut store);
    let snapshot = store.clone();
    let get = |id: usize| snapshot.get(&id).map(Vec::as_slice);

    let mut tp = transcript("chain");
    let (p2, c2) =
        wiring::prove::<Zk>(&m2, &[&y0, &y1], &z_claims, &ids2, s2, &get, &mut tp).unwrap();
    let y1_claims = [c2[1].clone(), y1_extra[0].clone()];
    assert!(!y1_claims[0].value.hidden.is_empty());
    let (p1, c1) =
        wiring::prove::<Zk>(&m1, &[&x[0], &x[1]], &y1_claims, &ids1, s1, &get, &mut tp).unwrap();

    let mut tv = transcript("chain");
    let v2 = wiring::verify::<Zk>(&m2, &z_claims, &ids2, &p2, &mut tv).unwrap();
    let v1 = wiring::verify::<Zk>(
        &m1,
        &[v2[1].clone(), y1_extra[0].clone()],
        &ids1,
        &p1,
        &mut tv,
    )
    .unwrap();
    assert_eq!((&v2, &v1), (&c2, &c1));
    assert!(holds(&v2[0], &y0, &store) && holds(&v2[1], &y1, &store));
    assert!(holds(&v1[0], &x[0], &store) && holds(&v1[1], &x[1], &store));
    // Layer 2's mask enters layer 1's deferred claim: changing it falsifies that claim.
    store.get_mut(&400).unwrap()[0] += F::ONE;
    assert!(!holds(&v1[1], &x[1], &store));
}

#[test]
fn wiring_wrong_output_claim_gives_rejection_or_false_claims() {
    for in_lens in SIZES {
        let c = wiring_case(5, in_lens, 11, 2, true);
        // The honest prover run on a false claim.
        let mut bad = c.claims.clone();
        bad[0].value.public += EF::ONE;
        let lying = WCase {
            claims: bad.clone(),
            maps: c.maps.clone(),
            inputs: c.inputs.clone(),
            store: c.store.clone(),
        };
        let (proof, _, store) = lying.prove(1, true);
        if let Ok(cl) = lying.verify(&bad, &proof) {
            assert!(!lying.all_hold(&cl, &store));
        }
        // An honest proof checked against a false claim.
        let (proof, _, mut store) = c.prove(1, true);
        if let Ok(cl) = c.verify(&bad, &proof) {
            assert!(!c.all_hold(&cl, &store));
        }
        // A hidden vector of the claims changed after proving.
        let cl = c.verify(&c.claims, &proof).unwrap();
        assert!(c.all_hold(&cl, &store));
        store.get_mut(&AUX_ID).unwrap()[1] += F::ONE;
        assert!(!c.all_hold(&cl, &store), "sizes {in_lens:?}");
    }
}

#[test]
fn wiring_tampering_gives_rejection_or_false_claims() {
    let c = wiring_case(8, &[3, 17, 6], 11, 2, true);
    let (proof, _, store) = c.prove(3, true);
    let mut variants = vec![];
    let mut p = proof.clone();
    p.sumcheck.mask_sum += EF::ONE;
    variants.push(p);
    for i in 0..proof.sumcheck.final_values.len() {
        let mut p = proof.clone();
        p.sumcheck.final_values[i] += EF::ONE;
        variants.push(p);
    }
    for r in 0..proof.sumcheck.rounds.round_polys.len() {
        for k in 0..proof.sumcheck.rounds.round_polys[r].len() {
            let mut p = proof.clone();
            p.sumcheck.rounds.round_polys[r][k] += EF::ONE;
            variants.push(p);
        }
    }
    assert!(variants.len() > 20);
    for (i, v) in variants.iter().enumerate() {
        if let Ok(cl) = c.verify(&c.claims, v) {
            assert!(
                !c.all_hold(&cl, &store),
                "tampered variant {i} gave true claims"
            );
        }
    }
}

#[test]
fn wiring_wrong_shapes_are_errors() {
    let c = wiring_case(9, &[13, 6], 11, 2, false);
    let (proof, _, _) = c.prove(1, true);
    let mut bad: Vec<WiringProof<Zk>> = vec![];
    let mut p = proof.clone();
    p.sumcheck.rounds.round_polys.pop();
    bad.push(p);
    let mut p = proof.clone();
    p.sumcheck.rounds.round_polys[0].push(EF::ONE);
    bad.push(p);
    let mut p = proof.clone();
    p.sumcheck.final_values.push(EF::ONE);
    bad.push(p);
    let mut p = proof.clone();
    p.sumcheck.final_values.clear();
    bad.push(p);
    for p in &bad {
        assert!(c.verify(&c.claims, p).is_err());
    }
    let maps = c.maps();
    let ids_ok = ids(&c.shape());
    let t = &mut transcript("zkw");
    let no_ids = ZkIds {
        mask: MASK_ID,
        randomizers: vec![],
    };
    assert!(wiring::verify::<Zk>(&maps, &c.claims, &no_ids, &proof, t).is_err());
    let mut short = c.claims.clone();
    short[1].point.pop();
    assert!(wiring::verify::<Zk>(&maps, &short, &ids_ok, &proof, t).is_err());
    assert!(wiring::verify::<Zk>(&maps, &[], &ids_ok, &proof, t).is_err());
    assert!(wiring::verify::<Zk>(&[], &c.claims, &ids_ok, &proof, t).is_err());
    let other_out = random_map(&mut Rng(1), 40, 6);
    assert!(wiring::shape(&[maps[0], &other_out]).is_err());

    // The prover checks its inputs.
    let shape = c.shape();
    let get = |id: usize| c.store.get(&id).map(Vec::as_slice);
    let inputs: Vec<&[F]> = c.inputs.iter().map(Vec::as_slice).collect();
    let sec = |mask: (usize, usize), lens: &[usize]| ZkSecrets {
        mask: MaskPoly::zero(mask.0, mask.1),
        randomizers: lens.iter().map(|&l| vec![EF::ZERO; l]).collect(),
    };
    let (n, d) = (shape.num_vars, shape.degree);
    let prove = |inputs: &[&[F]], s: ZkSecrets| {
        wiring::prove::<Zk>(
            &maps,
            inputs,
            &c.claims,
            &ids_ok,
            s,
            &get,
            &mut transcript("zkw"),
        )
    };
    assert!(prove(&inputs, sec((n, d), &[n])).is_ok());
    assert!(prove(&inputs, sec((n, d + 1), &[n])).is_err());
    assert!(prove(&inputs, sec((n + 1, d), &[n])).is_err());
    assert!(prove(&inputs, sec((n, d), &[n - 1])).is_err());
    assert!(prove(&inputs, sec((n, d), &[])).is_err());
    assert!(prove(&inputs[..1], sec((n, d), &[n])).is_err());
    let long = [c.inputs[0].clone(), vec![F::ZERO; 4]].concat();
    assert!(prove(&[&long, inputs[1]], sec((n, d), &[n])).is_err());
    let hidden_claims = wiring_case(9, &[13, 6], 11, 2, true).claims;
    let nothing = |_: usize| None;
    let r = wiring::prove::<Zk>(
        &maps,
        &inputs,
        &hidden_claims,
        &ids_ok,
        sec((n, d), &[n]),
        &nothing,
        &mut transcript("zkw"),
    );
    assert!(r.is_err(), "an unknown hidden vector is an error");
}

/// All values a wiring proof reveals.
fn revealed(p: &zkinfer_sumcheck::zk::masked::MaskedSumcheckProof<EF>) -> Vec<EF> {
    let mut v = vec![p.mask_sum];
    v.extend(p.rounds.round_polys.iter().flatten());
    v.extend(&p.final_values);
    v
}

fn disjoint(a: &[EF], b: &[EF]) -> bool {
    a.iter().all(|x| !b.contains(x))
}

#[test]
fn wiring_masks_are_in_effect() {
    // Equal sizes, so the masked inputs' final values are plain evaluations at the claim points.
    let c = wiring_case(4, &[13, 9, 16], 11, 2, true);
    let (p1, c1, s1) = c.prove(1, true);
    let (p2, _, _) = c.prove(2, true);
    assert!(disjoint(&revealed(&p1.sumcheck), &revealed(&p2.sumcheck)));
    for (v, (cl, x)) in p1
        .sumcheck
        .final_values
        .iter()
        .zip(c1.iter().zip(&c.inputs))
    {
        assert_ne!(*v, mle(x, &cl.point), "randomizers blind the final values");
    }
    assert!(c.all_hold(&c1, &s1));
    let (p0, c0, s0) = c.prove(1, false);
    for (v, (cl, x)) in p0
        .sumcheck
        .final_values
        .iter()
        .zip(c0.iter().zip(&c.inputs))
    {
        assert_eq!(
            *v,
            mle(x, &cl.point),
            "zero randomizers reveal the evaluations"
        );
    }
    assert!(c.all_hold(&c0, &s0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn wiring_random_shapes(seed in 0u64..1000, lens in prop::collection::vec(1usize..40, 1..4), out_len in 1usize..30, num in 1usize..4) {
        let c = wiring_case(seed, &lens, out_len, num, seed % 2 == 0);
        let (proof, pc, store) = c.prove(seed, true);
        let vc = c.verify(&c.claims, &proof).unwrap();
        prop_assert_eq!(&vc, &pc);
        prop_assert!(c.all_hold(&vc, &store));
    }
}

// ---------------------------------------------------------------- matmul

struct MCase {
    shape: MatMulShape,
    w: Vec<F>,
    x: Vec<F>,
    bias: Option<Vec<F>>,
    claim: SymClaim,
    store: Store,
}

fn mm_case(seed: u64, has_bias: bool) -> MCase {
    let mut rng = Rng(seed);
    let shape = MatMulShape {
        o_vars: 2,
        k_vars: 3,
        p_vars: 2,
        has_bias,
    };
    let (o, k, p) = (4, 8, 4);
    let w: Vec<F> = (0..o * k).map(|_| rng.field(127)).collect();
    let x: Vec<F> = (0..k * p).map(|_| rng.field(127)).collect();
    let bias: Option<Vec<F>> = has_bias.then(|| (0..o).map(|_| rng.field(1000)).collect());
    let mut prod = vec![F::ZERO; o * p];
    for i in 0..o {
        for j in 0..p {
            prod[i * p + j] = bias.as_ref().map_or(F::ZERO, |b| b[i])
                + (0..k).map(|kk| w[i * k + kk] * x[kk * p + j]).sum::<F>();
        }
    }
    let mut store = Store::new();
    let claim = sym_claims(&mut rng, &prod, 4, 1, true, &mut store).remove(0);
    MCase {
        shape,
        w,
        x,
        bias,
        claim,
        store,
    }
}

impl MCase {
    fn zk_shape(&self) -> ZkShape {
        matmul::shape(self.shape)
    }
    fn prove(
        &self,
        seed: u64,
        random: bool,
    ) -> (MatMulProof<Zk>, MatMulClaims<Symbolic<EF>>, Store) {
        let mut store = self.store.clone();
        let ids = ids(&self.zk_shape());
        let sec = secrets(&self.zk_shape(), &ids, seed, random, &mut store);
        let get = |id: usize| self.store.get(&id).map(Vec::as_slice);
        let (proof, claims) = matmul::prove::<Zk>(
            self.shape,
            &self.w,
            &self.x,
            self.bias.as_deref(),
            &self.claim,
            &ids,
            sec,
            &get,
            &mut transcript("zkmm"),
        )
        .unwrap();
        (proof, claims, store)
    }
    fn verify(
        &self,
        claim: &SymClaim,
        proof: &MatMulProof<Zk>,
    ) -> Result<MatMulClaims<Symbolic<EF>>, LayerError> {
        matmul::verify::<Zk>(
            self.shape,
            claim,
            &ids(&self.zk_shape()),
            proof,
            &mut transcript("zkmm"),
        )
    }
    fn all_hold(&self, c: &MatMulClaims<Symbolic<EF>>, store: &Store) -> bool {
        let bias_ok = match (&c.bias, &self.bias) {
            (Some(cl), Some(b)) => mle(b, &cl.point) == cl.value,
            (None, None) => true,
            _ => false,
        };
        bias_ok && holds(&c.weight, &self.w, store) && holds(&c.input, &self.x, store)
    }
}

const MM_CASES: [bool; 2] = [false, true];

#[test]
fn matmul_claims_agree_and_hold() {
    for (i, has_bias) in MM_CASES.into_iter().enumerate() {
        let c = mm_case(20 + i as u64, has_bias);
        let (proof, pc, store) = c.prove(i as u64, true);
        let vc = c.verify(&c.claim, &proof).unwrap();
        assert_eq!(vc, pc);
        assert!(c.all_hold(&vc, &store), "bias {has_bias}");
        // x's symbolic claim is the true x~(r_k, r_p); the weight's is masked.
        assert_eq!(
            value_of(&vc.input.value, &store),
            mle(&c.x, &vc.input.point)
        );
        assert!(vc.weight.public_claim().is_none());
        assert_eq!(vc.bias.is_some(), has_bias);
    }
}

#[test]
fn matmul_soundness() {
    for (i, has_bias) in MM_CASES.into_iter().enumerate() {
        let c = mm_case(30 + i as u64, has_bias);
        let (proof, _, mut store) = c.prove(5, true);
        let mut variants = vec![];
        let mut p = proof.clone();
        p.sumcheck.mask_sum += EF::ONE;
        variants.push(p);
        let mut p = proof.clone();
        p.sumcheck.final_values[0] += EF::ONE;
        variants.push(p);
        if has_bias {
            let mut p = proof.clone();
            *p.bias_eval.as_mut().unwrap() += EF::ONE;
            variants.push(p);
        }
        for r in 0..proof.sumcheck.rounds.round_polys.len() {
            for k in 0..proof.sumcheck.rounds.round_polys[r].len() {
                let mut p = proof.clone();
                p.sumcheck.rounds.round_polys[r][k] += EF::ONE;
                variants.push(p);
            }
        }
        for (j, v) in variants.iter().enumerate() {
            if let Ok(cl) = c.verify(&c.claim, v) {
                assert!(
                    !c.all_hold(&cl, &store),
                    "case {i}: tampered variant {j} gave true claims"
                );
            }
        }
        let mut bad = c.claim.clone();
        bad.value.public += EF::ONE;
        if let Ok(cl) = c.verify(&bad, &proof) {
            assert!(!c.all_hold(&cl, &store));
        }
        let cl = c.verify(&c.claim, &proof).unwrap();
        store.get_mut(&AUX_ID).unwrap()[0] += F::ONE;
        assert!(
            !c.all_hold(&cl, &store),
            "a changed hidden vector falsifies x's claim"
        );
    }
}

#[test]
fn matmul_wrong_shapes_are_errors() {
    let c = mm_case(40, true);
    let (proof, _, _) = c.prove(1, true);
    let mut p = proof.clone();
    p.bias_eval = None;
    assert!(c.verify(&c.claim, &p).is_err());
    let mut p = proof.clone();
    p.sumcheck.final_values.push(EF::ONE);
    assert!(c.verify(&c.claim, &p).is_err());
    let mut p = proof.clone();
    p.sumcheck.rounds.round_polys.pop();
    assert!(c.verify(&c.claim, &p).is_err());
    let mut short = c.claim.clone();
    short.point.pop();
    assert!(c.verify(&short, &proof).is_err());
    let two = ZkIds {
        mask: MASK_ID,
        randomizers: vec![1, 2],
    };
    assert!(
        matmul::verify::<Zk>(c.shape, &c.claim, &two, &proof, &mut transcript("zkmm")).is_err()
    );
    let no_bias = MatMulShape {
        has_bias: false,
        ..c.shape
    };
    assert!(
        matmul::verify::<Zk>(
            no_bias,
            &c.claim,
            &ids(&c.zk_shape()),
            &proof,
            &mut transcript("zkmm")
        )
        .is_err()
    );

    let get = |id: usize| c.store.get(&id).map(Vec::as_slice);
    let ids = ids(&c.zk_shape());
    let (k, d) = (c.shape.k_vars, c.zk_shape().degree);
    let sec = |n: usize, deg: usize, r: usize| ZkSecrets {
        mask: MaskPoly::zero(n, deg),
        randomizers: vec![vec![EF::ZERO; r]],
    };
    let prove = |w: &[F], x: &[F], b: Option<&[F]>, s: ZkSecrets| {
        matmul::prove::<Zk>(
            c.shape,
            w,
            x,
            b,
            &c.claim,
            &ids,
            s,
            &get,
            &mut transcript("zkmm"),
        )
    };
    let b = c.bias.as_deref();
    assert!(prove(&c.w, &c.x, b, sec(k, d, k)).is_ok());
    assert!(prove(&c.w[1..], &c.x, b, sec(k, d, k)).is_err());
    assert!(prove(&c.w, &c.x[1..], b, sec(k, d, k)).is_err());
    assert!(prove(&c.w, &c.x, None, sec(k, d, k)).is_err());
    assert!(prove(&c.w, &c.x, Some(&c.w), sec(k, d, k)).is_err());
    assert!(prove(&c.w, &c.x, b, sec(k, d - 1, k)).is_err());
    assert!(prove(&c.w, &c.x, b, sec(k, d, k + 1)).is_err());
}

#[test]
fn matmul_masks_are_in_effect() {
    let c = mm_case(50, true);
    let (p1, c1, _) = c.prove(1, true);
    let (p2, _, _) = c.prove(2, true);
    assert!(disjoint(&revealed(&p1.sumcheck), &revealed(&p2.sumcheck)));
    assert_ne!(p1.sumcheck.final_values[0], mle(&c.w, &c1.weight.point));
    let c = mm_case(51, true);
    let (p0, c0, s0) = c.prove(1, false);
    assert_eq!(p0.sumcheck.final_values[0], mle(&c.w, &c0.weight.point));
    assert!(c.all_hold(&c0, &s0));
}

#[test]
fn claim_values_are_bound_before_the_combination_weights() {
    let mut rng = Rng(60);
    let table: Vec<F> = (0..16).map(|_| rng.field(9)).collect();
    let claims = sym_claims(&mut rng, &table, 4, 2, true, &mut Store::new());
    let mut other = claims.clone();
    other[1].value.public += EF::ONE;
    let (w1, v1) = combine("t", &claims, 4, &mut transcript("c")).unwrap();
    let (w2, _) = combine("t", &other, 4, &mut transcript("c")).unwrap();
    assert_ne!(w1, w2, "the weights depend on the claimed public parts");
    assert_eq!(v1.hidden.terms.len(), 2, "both hidden parts are carried");
    assert!(combine("t", &claims, 3, &mut transcript("c")).is_err());
    assert!(combine::<Symbolic<EF>>("t", &[], 4, &mut transcript("c")).is_err());
}
