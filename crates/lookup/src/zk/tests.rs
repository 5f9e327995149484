//! Completeness (every returned claim holds on the honest hidden vectors, prover and verifier
//! claims agree) and the masks in effect; the honest-proof helpers soundness_tests.rs shares.

use std::collections::HashMap;

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::{Statement, Transcript};

use super::prove::build_tree;
use super::verify::verify_traced;
use super::*;

/// splitmix64: deterministic test data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        let mut s = zkinfer_field::SplitMix64(self.0);
        let v = s.next_u64();
        self.0 = s.0;
        v
    }
}

pub(super) fn spec(column_vars: usize, bits: usize, segs: &[(usize, u32)]) -> ZkRangeSpec {
    let num_columns = segs.iter().map(|s| s.0 + 1).max().unwrap_or(1);
    ZkRangeSpec {
        column_vars,
        bits,
        num_columns,
        segments: segs
            .iter()
            .map(|&(column, shift)| ZkSegment { column, shift })
            .collect(),
    }
}

/// Columns whose every segment is in range: column `c` below `2^(bits - max shift of c)`.
pub(super) fn columns(spec: &ZkRangeSpec, seed: u64) -> Vec<Vec<F>> {
    let mut rng = Rng(seed);
    (0..spec.num_columns)
        .map(|c| {
            let shift = spec
                .segments
                .iter()
                .filter(|s| s.column == c)
                .map(|s| s.shift as usize)
                .max()
                .unwrap_or(0);
            let bound = 1u64 << (spec.bits - shift);
            (0..1 << spec.column_vars)
                .map(|_| F::from_u64(rng.next() % bound))
                .collect()
        })
        .collect()
}

pub(super) fn ids(spec: &ZkRangeSpec) -> ZkRangeIds {
    ZkRangeIds {
        columns: (0..spec.num_columns).map(|i| 10 + i).collect(),
        multiplicities: 3,
        blinder: 7,
        first_random: 100,
    }
}

pub(super) fn refs(cols: &[Vec<F>]) -> Vec<&[F]> {
    cols.iter().map(Vec::as_slice).collect()
}

/// An honest run: the hidden vectors by id, and the prover's proof and claims.
pub(super) struct Honest {
    pub(super) spec: ZkRangeSpec,
    pub(super) ids: ZkRangeIds,
    pub(super) hidden: HashMap<usize, Vec<F>>,
    pub(super) proof: ZkRangeProof,
    pub(super) claims: Vec<FormClaim<EF>>,
}

/// A transcript that has observed every hidden vector, in id order: a stand-in for the one hiding
/// commitment (bug 3: before alpha).
pub(super) fn committed(hidden: &HashMap<usize, Vec<F>>) -> Transcript {
    let mut t = Transcript::new(
        &Statement::new("zkinfer/lookup-zk-test", 1)
            .field_bytes("tag", b"range")
            .unwrap(),
    );
    let mut keys: Vec<_> = hidden.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        t.observe_base("commit", &hidden[&k]);
    }
    t
}

/// Proves with the given witness and randomness (the multiplicities are not checked).
pub(super) fn run(
    spec: &ZkRangeSpec,
    cols: &[Vec<F>],
    mults: Vec<F>,
    randomness: ZkRangeRandomness,
) -> Honest {
    let ids = ids(spec);
    let mut hidden: HashMap<usize, Vec<F>> = randomness.vectors(&ids).into_iter().collect();
    for (id, c) in ids.columns.iter().zip(cols) {
        hidden.insert(*id, c.clone());
    }
    let (proof, claims) = prove(
        spec,
        &refs(cols),
        &mults,
        randomness,
        &ids,
        &mut committed(&{
            let mut h = hidden.clone();
            h.insert(ids.multiplicities, mults.clone());
            h
        }),
    )
    .unwrap();
    hidden.insert(ids.multiplicities, mults);
    Honest {
        spec: spec.clone(),
        ids,
        hidden,
        proof,
        claims,
    }
}

pub(super) fn honest(spec: &ZkRangeSpec, seed: u64) -> Honest {
    let cols = columns(spec, seed);
    let mults = spec.multiplicities(&refs(&cols)).unwrap();
    run(
        spec,
        &cols,
        mults,
        spec.sample(&mut StdRng::seed_from_u64(seed)),
    )
}

impl Honest {
    pub(super) fn holds(&self, claim: &FormClaim<EF>) -> bool {
        claim
            .form
            .evaluate::<F>(|id| self.hidden.get(&id).map(Vec::as_slice))
            .unwrap()
            == claim.value
    }

    /// Verifies `proof` against this run's commitment stand-in.
    pub(super) fn verify(&self, proof: &ZkRangeProof) -> Result<Vec<FormClaim<EF>>, ZkRangeError> {
        verify(&self.spec, proof, &self.ids, &mut committed(&self.hidden))
    }

    /// Whether `proof` is rejected: by the verifier, or by a claim that fails on the honest data.
    pub(super) fn rejects(&self, proof: &ZkRangeProof) -> bool {
        match self.verify(proof) {
            Err(_) => true,
            Ok(claims) => !claims.iter().all(|c| self.holds(c)),
        }
    }
}

/// n_v < bits, n_v > bits (blinders in the lookups' or the table's side), equal and tiny sizes
/// (the wider fallback layout), 1-4 columns with shifts.
pub(super) fn shapes() -> Vec<ZkRangeSpec> {
    vec![
        spec(2, 5, &[(0, 0)]),
        spec(4, 3, &[(0, 0), (1, 1)]),
        spec(3, 4, &[(0, 0), (1, 0)]),
        spec(2, 4, &[(0, 0), (1, 2), (2, 3)]),
        spec(1, 6, &[(1, 0), (0, 0), (0, 2), (3, 5), (2, 1)]),
        spec(0, 1, &[(0, 0)]),
        spec(3, 1, &[(0, 0)]),
        spec(0, 3, &[(0, 0)]),
        spec(1, 2, &[(0, 0)]),
    ]
}

pub(super) fn assert_complete(h: &Honest) {
    let depth = h.spec.depth();
    assert_eq!(h.proof.layers.len(), depth - 1);
    assert_eq!(h.claims.len(), depth + 1);
    let verified = h.verify(&h.proof).unwrap();
    assert_eq!(verified, h.claims, "prover and verifier claims differ");
    for (i, c) in h.claims.iter().enumerate() {
        assert!(h.holds(c), "claim {i} of {} fails", h.claims.len());
    }
}

#[test]
fn honest_proofs_verify_and_every_claim_holds() {
    for (seed, s) in shapes().into_iter().enumerate() {
        s.check().unwrap();
        assert_complete(&honest(&s, seed as u64));
    }
}

#[test]
fn depth_and_shape_follow_the_spec() {
    // n_v = 5 > bits = 4: the table's side has room for the blinders, so D = max + 1.
    let s = spec(3, 4, &[(0, 0), (1, 0), (1, 1)]);
    assert_eq!((s.segment_vars(), s.lookup_vars(), s.depth()), (2, 5, 6));
    assert_eq!((s.side_vars(), s.blinder_side()), (5, 1));
    let shape = s.shape();
    assert_eq!(shape.depth, 6);
    assert_eq!(shape.masks, (1..6).map(|k| (k, 5)).collect::<Vec<_>>());
    assert_eq!(shape.randomizer_coeffs, (1..6).collect::<Vec<_>>());
    let ids = ids(&s);
    let r = s.sample(&mut StdRng::seed_from_u64(1));
    let lens: Vec<(usize, usize)> = r.vectors(&ids).iter().map(|(i, v)| (*i, v.len())).collect();
    assert_eq!(lens, shape.random_vectors(&ids));
    assert_eq!(lens.len(), 1 + 5 * 5);
    // One n_v = 22, bits = 16 instance: about 2^-102.
    let big = spec(22, 16, &[(0, 0)]);
    let bits = big.soundness_error_log2();
    assert!((-103.0..-101.0).contains(&bits), "{bits}");
}

/// All values a proof reveals.
pub(super) fn revealed(p: &ZkRangeProof) -> Vec<EF> {
    let mut out = p.root.to_vec();
    for l in &p.layers {
        out.push(l.mask_sum);
        out.extend(l.rounds.round_polys.iter().flatten());
        out.extend(&l.final_values);
    }
    out
}

#[test]
fn fresh_randomness_shares_no_revealed_value() {
    let s = spec(3, 4, &[(0, 0), (1, 2)]);
    let cols = columns(&s, 5);
    let mults = s.multiplicities(&refs(&cols)).unwrap();
    let rand = |seed| s.sample(&mut StdRng::seed_from_u64(seed));
    let a = run(&s, &cols, mults.clone(), rand(1));
    let b = run(&s, &cols, mults, rand(2));
    assert_complete(&a);
    assert_complete(&b);
    let va = revealed(&a.proof);
    assert_eq!(va.len(), revealed(&b.proof).len());
    for x in revealed(&b.proof) {
        assert!(!va.contains(&x), "a value is revealed by both proofs");
    }
}

/// The MLE of `t` at `point` (MSB-first), naively.
fn mle(t: &[EF], point: &[EF]) -> EF {
    t.iter()
        .enumerate()
        .map(|(i, &v)| {
            let n = point.len();
            let w: EF = (0..n)
                .map(|b| match (i >> (n - 1 - b)) & 1 {
                    1 => point[b],
                    _ => EF::ONE - point[b],
                })
                .product();
            w * v
        })
        .sum()
}

#[test]
fn without_randomness_the_proof_reveals_the_true_layers() {
    for (seed, s) in shapes().into_iter().enumerate() {
        let cols = columns(&s, seed as u64);
        let v = s.virtual_column(&refs(&cols)).unwrap();
        let mults = s.multiplicities(&refs(&cols)).unwrap();
        let h = run(&s, &cols, mults.clone(), s.trivial_randomness());
        let mut t = committed(&h.hidden);
        let (claims, points, _) = verify_traced(&s, &h.proof, &h.ids, &mut t).unwrap();
        assert_eq!(claims, h.claims);
        // The unblinded tree, built here independently: lookups, table, padding 0/1 elsewhere.
        let alpha = {
            let mut t = committed(&h.hidden);
            zkinfer_transcript::FiatShamir::observe(&mut t, labels::INSTANCE, &s.encode());
            zkinfer_transcript::FiatShamir::<EF>::challenge(&mut t, labels::ALPHA)
        };
        // Leaf (side, x) at side 2^h + x.
        let half = 1 << (s.depth() - 1);
        let mut p = vec![EF::ZERO; 2 * half];
        let mut q = vec![EF::ONE; 2 * half];
        for (i, &x) in v.iter().enumerate() {
            (p[i], q[i]) = (EF::ONE, alpha - x);
        }
        for (j, &m) in mults.iter().enumerate() {
            (p[half + j], q[half + j]) = (-EF::from(m), alpha - EF::from_usize(j));
        }
        let mut layers = vec![(p, q)];
        while layers.last().unwrap().1.len() > 2 {
            let (p, q) = layers.last().unwrap();
            let h = q.len() / 2;
            let next = (0..h)
                .map(|i| (p[i] * q[i + h] + p[i + h] * q[i], q[i] * q[i + h]))
                .unzip();
            layers.push(next);
        }
        layers.reverse(); // layers[k - 1] is layer k.
        let (p1, q1) = &layers[0];
        assert_eq!(h.proof.root, [p1[0], p1[1], q1[0], q1[1]]);
        for (k, (layer, s_k)) in h.proof.layers.iter().zip(&points).enumerate() {
            let (p, q) = &layers[k + 1];
            let n = p.len() / 2;
            let truth = [&p[..n], &p[n..], &q[..n], &q[n..]].map(|t| mle(t, s_k));
            assert_eq!(layer.final_values, truth, "layer {}", k + 1);
        }
        // And the prover's own tree agrees with this one.
        let own = build_tree(&s, &v, &mults, alpha, [EF::ZERO, EF::ONE, EF::ONE, EF::ONE]);
        assert_eq!(own[1..], layers[..]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn random_shapes_are_complete(
        column_vars in 0usize..4,
        bits in 1usize..6,
        raw in proptest::collection::vec((0usize..4, 0u32..8), 1..5),
        seed in any::<u64>(),
    ) {
        let segs: Vec<(usize, u32)> =
            raw.iter().map(|&(c, sh)| (c, sh % bits as u32)).collect();
        let s = spec(column_vars, bits, &segs);
        prop_assume!(s.check().is_ok());
        let h = honest(&s, seed);
        let verified = h.verify(&h.proof).unwrap();
        prop_assert_eq!(&verified, &h.claims);
        prop_assert!(h.claims.iter().all(|c| h.holds(c)));
    }
}
