//! The back end on random data: completeness, every tampering rejected, masks in effect.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};
use zkinfer_pcs::{Commitment, HidingParams, HidingPcs};
use zkinfer_poly::MultilinearPoly;
use zkinfer_transcript::{Statement, Transcript};

use crate::prove::{Blinding, commit_inner, coords};
use crate::{
    Layout, LinearClaim, OpeningProof, Term, ZkError, commit, observe_commitment, prove, verify,
};

fn transcript() -> Transcript {
    Transcript::new(&Statement::new("zkinfer/zk-backend-test", 1))
}

fn random_ef(rng: &mut StdRng) -> EF {
    EF::from_basis_coefficients_fn(|_| F::from_u64(rng.next_u64()))
}

fn mle(table: &[F], point: &[EF]) -> EF {
    let lifted: Vec<EF> = table.iter().map(|&x| EF::from(x)).collect();
    MultilinearPoly::new(lifted)
        .unwrap()
        .evaluate(point)
        .unwrap()
}

/// Segments of 10, 7, 4 and 12 variables (the 4-variable one only partly filled), and claims:
/// an evaluation of each, a dense form on the small one, and a two-term claim.
struct Fixture {
    layout: Layout,
    segments: Vec<Vec<F>>,
    claims: Vec<LinearClaim>,
}

fn fixture(seed: u64) -> Fixture {
    let mut rng = StdRng::seed_from_u64(seed);
    let vars = [10, 7, 4, 12];
    let layout = Layout::new(&vars).unwrap();
    let segments: Vec<Vec<F>> = vars
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let len = if i == 2 { 11 } else { 1 << v };
            (0..len).map(|_| F::from_u64(rng.next_u64())).collect()
        })
        .collect();
    let mut claims = vec![];
    for (i, &v) in vars.iter().enumerate() {
        let point: Vec<EF> = (0..v).map(|_| random_ef(&mut rng)).collect();
        let mut padded = segments[i].clone();
        padded.resize(1 << v, F::ZERO);
        claims.push(LinearClaim::eval(i, point.clone(), mle(&padded, &point)));
    }
    let weights: Vec<EF> = (0..13).map(|_| random_ef(&mut rng)).collect();
    let mut padded = segments[2].clone();
    padded.resize(16, F::ZERO);
    let dense: EF = weights.iter().zip(&padded).map(|(&w, &x)| w * x).sum();
    claims.push(LinearClaim {
        terms: vec![Term::Dense {
            segment: 2,
            weights,
        }],
        value: dense,
    });
    let (p0, p1): (Vec<EF>, Vec<EF>) = (
        (0..10).map(|_| random_ef(&mut rng)).collect(),
        (0..7).map(|_| random_ef(&mut rng)).collect(),
    );
    let c = random_ef(&mut rng);
    let value = mle(&segments[0], &p0) + c * mle(&segments[1], &p1);
    claims.push(LinearClaim {
        terms: vec![
            Term::Eval {
                segment: 0,
                point: p0,
                coeff: EF::ONE,
            },
            Term::Eval {
                segment: 1,
                point: p1,
                coeff: c,
            },
        ],
        value,
    });
    Fixture {
        layout,
        segments,
        claims,
    }
}

fn pcs() -> HidingPcs {
    HidingPcs::new(HidingParams::default())
}

fn make_proof(fx: &Fixture, zero: bool) -> (Commitment, OpeningProof) {
    let mut t = transcript();
    let segs: Vec<&[F]> = fx.segments.iter().map(Vec::as_slice).collect();
    let mut rng = StdRng::from_rng(&mut rand::rng());
    let blinding = if zero {
        Blinding::Zero
    } else {
        Blinding::Random(&mut rng)
    };
    let (commitment, committed) =
        commit_inner(&pcs(), &fx.layout, &segs, blinding, &mut t).unwrap();
    for claim in &fx.claims {
        assert_eq!(
            claim.evaluate(&fx.layout, committed.values()).unwrap(),
            claim.value
        );
    }
    let proof = prove(&pcs(), committed, &fx.claims, &mut t).unwrap();
    (commitment, proof)
}

fn check(
    fx: &Fixture,
    claims: &[LinearClaim],
    c: &Commitment,
    proof: &OpeningProof,
) -> Result<(), ZkError> {
    let mut t = transcript();
    observe_commitment(&pcs(), &fx.layout, c, &mut t)?;
    verify(&pcs(), &fx.layout, c, claims, proof, &mut t)
}

#[test]
fn honest_claims_verify() {
    let fx = fixture(1);
    let (c, proof) = make_proof(&fx, false);
    check(&fx, &fx.claims, &c, &proof).unwrap();
    // The public entry point, with an OS-seeded generator, too.
    let mut t = transcript();
    let segs: Vec<&[F]> = fx.segments.iter().map(Vec::as_slice).collect();
    let (c2, committed) = commit(&pcs(), &fx.layout, &segs, &mut rand::rng(), &mut t).unwrap();
    let proof2 = prove(&pcs(), committed, &fx.claims, &mut t).unwrap();
    check(&fx, &fx.claims, &c2, &proof2).unwrap();
}

#[test]
fn every_false_claim_is_rejected() {
    let fx = fixture(2);
    let (c, proof) = make_proof(&fx, false);
    for i in 0..fx.claims.len() {
        let mut claims = fx.claims.clone();
        claims[i].value += EF::ONE;
        assert!(check(&fx, &claims, &c, &proof).is_err(), "claim {i}");
        // A changed coefficient is a different (false) claim too.
        let mut claims = fx.claims.clone();
        match &mut claims[i].terms[0] {
            Term::Eval { coeff, .. } => *coeff += EF::ONE,
            Term::Dense { weights, .. } => weights[0] += EF::ONE,
        }
        assert!(check(&fx, &claims, &c, &proof).is_err(), "claim {i} form");
    }
    // Dropping a claim changes the batch and the transcript.
    assert!(check(&fx, &fx.claims[1..], &c, &proof).is_err());
}

#[test]
fn every_proof_value_is_bound() {
    let fx = fixture(3);
    let (c, proof) = make_proof(&fx, false);
    let mut mutants: Vec<OpeningProof> = vec![];
    let bump = |p: &mut OpeningProof, f: &dyn Fn(&mut OpeningProof)| f(p);
    type Edit = Box<dyn Fn(&mut OpeningProof)>;
    let edits: Vec<Edit> = vec![
        Box::new(|p| p.batch.mask_sum += EF::ONE),
        Box::new(|p| p.batch.mask_eval += EF::ONE),
        Box::new(|p| p.q_at_z += EF::ONE),
        Box::new(|p| p.v_at_z += EF::ONE),
        Box::new(|p| {
            p.companions.pop();
        }),
        Box::new(|p| p.companions.push(EF::ONE)),
        Box::new(|p| {
            p.batch.rounds.round_polys.pop();
        }),
        Box::new(|p| {
            p.mask.round_polys.pop();
        }),
    ];
    for e in &edits {
        let mut p = proof.clone();
        bump(&mut p, e.as_ref());
        mutants.push(p);
    }
    for i in 0..proof.companions.len() {
        let mut p = proof.clone();
        p.companions[i] += EF::ONE;
        mutants.push(p);
    }
    for (r, round) in proof.batch.rounds.round_polys.iter().enumerate() {
        for k in 0..round.len() {
            let mut p = proof.clone();
            p.batch.rounds.round_polys[r][k] += EF::ONE;
            mutants.push(p);
        }
    }
    for (r, round) in proof.mask.round_polys.iter().enumerate() {
        for k in 0..round.len() {
            let mut p = proof.clone();
            p.mask.round_polys[r][k] += EF::ONE;
            mutants.push(p);
        }
    }
    for (m, p) in mutants.iter().enumerate() {
        assert!(
            check(&fx, &fx.claims, &c, p).is_err(),
            "mutant {m} accepted"
        );
    }
    // The opening's bytes: flips either fail to decode or fail to verify.
    let bytes = proof.opening.to_bytes();
    for pos in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
        let mut b = bytes.clone();
        b[pos] ^= 1;
        if let Ok(opening) = zkinfer_pcs::HidingOpeningProof::from_bytes(&b) {
            let mut p = proof.clone();
            p.opening = opening;
            assert!(
                check(&fx, &fx.claims, &c, &p).is_err(),
                "opening byte {pos}"
            );
        }
    }
}

#[test]
fn another_commitment_or_layout_is_rejected() {
    let fx = fixture(4);
    let (c, proof) = make_proof(&fx, false);
    // Same data, fresh commitment: the proof belongs to the other one.
    let (c2, _) = make_proof(&fx, false);
    assert!(check(&fx, &fx.claims, &c2, &proof).is_err());
    // Other segment sizes: another N or other offsets.
    let other = Fixture {
        layout: Layout::new(&[10, 7, 5, 12]).unwrap(),
        segments: fx.segments.clone(),
        claims: fx.claims.clone(),
    };
    assert!(check(&other, &fx.claims, &c, &proof).is_err());
}

#[test]
fn masks_are_in_effect() {
    let fx = fixture(5);
    // Masks off: no companion, mask sum or mask value carries anything.
    let (_, zero) = make_proof(&fx, true);
    assert!(zero.companions.iter().all(|&u| u == EF::ZERO));
    assert_eq!(zero.batch.mask_sum, EF::ZERO);
    assert_eq!(zero.batch.mask_eval, EF::ZERO);
    // Masks on: two proofs of the same data and claims share no revealed value.
    let (_, a) = make_proof(&fx, false);
    let (_, b) = make_proof(&fx, false);
    let values = |p: &OpeningProof| {
        let mut v = vec![p.batch.mask_sum, p.batch.mask_eval, p.q_at_z, p.v_at_z];
        v.extend(&p.companions);
        v.extend(p.batch.rounds.round_polys.iter().flatten());
        v.extend(p.mask.round_polys.iter().flatten());
        v
    };
    let (va, vb) = (values(&a), values(&b));
    assert_eq!(va.len(), vb.len());
    for (i, (x, y)) in va.iter().zip(&vb).enumerate() {
        // The mask form l_z has 4 (1 + 2N) nonzero entries in a slot of 256, so the last rounds'
        // messages have public zeros: the same with or without masks.
        if *x == EF::ZERO && *y == EF::ZERO {
            continue;
        }
        assert_ne!(x, y, "revealed value {i} repeats across proofs");
    }
}

#[test]
fn secret_entries_do_not_appear_in_the_proof() {
    let fx = fixture(6);
    let (_, proof) = make_proof(&fx, false);
    let mut revealed = vec![
        proof.batch.mask_sum,
        proof.batch.mask_eval,
        proof.q_at_z,
        proof.v_at_z,
    ];
    revealed.extend(&proof.companions);
    revealed.extend(proof.batch.rounds.round_polys.iter().flatten());
    revealed.extend(proof.mask.round_polys.iter().flatten());
    let revealed = coords(&revealed);
    // Nonzero secret values: none shows up as a coordinate of any revealed value.
    for (s, seg) in fx.segments.iter().enumerate() {
        for (i, x) in seg.iter().enumerate().filter(|(_, x)| **x != F::ZERO) {
            assert!(!revealed.contains(x), "segment {s} entry {i} revealed");
        }
    }
}

#[test]
fn malformed_claims_are_errors_on_both_sides() {
    let fx = fixture(7);
    let (c, proof) = make_proof(&fx, false);
    let bad: Vec<(&str, LinearClaim)> = vec![
        (
            "no segment",
            LinearClaim::eval(9, vec![EF::ONE; 4], EF::ZERO),
        ),
        (
            "short point",
            LinearClaim::eval(0, vec![EF::ONE; 3], EF::ZERO),
        ),
        (
            "long weights",
            LinearClaim {
                terms: vec![Term::Dense {
                    segment: 2,
                    weights: vec![EF::ONE; 17],
                }],
                value: EF::ZERO,
            },
        ),
    ];
    for (what, claim) in bad {
        let mut claims = fx.claims.clone();
        claims.push(claim);
        assert!(
            matches!(
                check(&fx, &claims, &c, &proof),
                Err(ZkError::BadTerm { .. })
            ),
            "{what}"
        );
        let mut t = transcript();
        let segs: Vec<&[F]> = fx.segments.iter().map(Vec::as_slice).collect();
        let (_, committed) = commit(&pcs(), &fx.layout, &segs, &mut rand::rng(), &mut t).unwrap();
        assert!(
            matches!(
                prove(&pcs(), committed, &claims, &mut t),
                Err(ZkError::BadTerm { .. })
            ),
            "{what}"
        );
    }
    assert!(matches!(
        check(&fx, &[], &c, &proof),
        Err(ZkError::NoClaims)
    ));
    let mut t = transcript();
    let too_long = vec![F::ONE; 17];
    let segs: Vec<&[F]> = vec![&fx.segments[0], &fx.segments[1], &too_long, &fx.segments[3]];
    assert!(matches!(
        commit(&pcs(), &fx.layout, &segs, &mut rand::rng(), &mut t),
        Err(ZkError::SegmentTooLong { segment: 2, .. })
    ));
    assert!(matches!(
        commit(&pcs(), &fx.layout, &segs[..2], &mut rand::rng(), &mut t),
        Err(ZkError::SegmentCount { .. })
    ));
}

#[test]
fn layout_places_segments_at_multiples_of_their_size() {
    let layout = Layout::new(&[3, 12, 0, 12, 9]).unwrap();
    let mut ends = vec![];
    for s in layout.segments() {
        assert_eq!(s.offset % s.len(), 0);
        ends.push((s.offset, s.offset + s.len()));
    }
    ends.push((
        layout.blind().offset,
        layout.blind().offset + layout.blind().len(),
    ));
    ends.push((
        layout.region().offset,
        layout.region().offset + layout.region().len(),
    ));
    ends.sort();
    for w in ends.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlap {w:?}");
    }
    assert!(ends.last().unwrap().1 <= 1 << layout.num_vars());
    assert!(Layout::new(&[31]).is_err());
    // Dense forms are for small segments only: the verifier's work is linear in the segment.
    let big = Layout::new(&[crate::MAX_DENSE_VARS + 1]).unwrap();
    let dense = LinearClaim {
        terms: vec![Term::Dense {
            segment: 0,
            weights: vec![EF::ONE; 2],
        }],
        value: EF::ZERO,
    };
    assert!(matches!(
        crate::claim::validate(&big, &[dense]),
        Err(ZkError::BadTerm { .. })
    ));
}
