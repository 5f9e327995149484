use zkinfer_field::{EF, PrimeCharacteristicRing};

use super::*;
use crate::test_util::{Rng, mle, transcript};
use crate::{Claim, LayerError, Plain, SparseMap, no_hidden, padded_len};

struct Case {
    maps: Vec<SparseMap>,
    inputs: Vec<Vec<zkinfer_field::F>>,
    claims: Vec<Claim>,
}

/// Two inputs of different sizes mapped into one output, with garbage in the inputs' padding.
fn case(seed: u64, num_claims: usize) -> Case {
    let mut rng = Rng(seed);
    let out_len = 11;
    let in_lens = [13usize, 6];
    let maps: Vec<SparseMap> = in_lens
        .iter()
        .map(|&in_len| {
            let entries = (0..20)
                .map(|_| {
                    (
                        rng.below(out_len as u64) as u32,
                        rng.below(in_len as u64) as u32,
                        rng.small(3) as i32,
                    )
                })
                .collect();
            SparseMap::new(out_len, in_len, entries).unwrap()
        })
        .collect();
    let inputs: Vec<Vec<_>> = in_lens
        .iter()
        .map(|&l| (0..padded_len(l)).map(|_| rng.field(100)).collect())
        .collect();
    let mut out = vec![zkinfer_field::F::ZERO; padded_len(out_len)];
    for (m, x) in maps.iter().zip(&inputs) {
        for (o, v) in out.iter_mut().zip(m.apply(x)) {
            *o += v;
        }
    }
    let claims = (0..num_claims)
        .map(|_| {
            let point = rng.point(4);
            Claim {
                value: mle(&out, &point),
                point,
            }
        })
        .collect();
    Case {
        maps,
        inputs,
        claims,
    }
}

fn run(c: &Case) -> WiringProof<Plain> {
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let inputs: Vec<&[_]> = c.inputs.iter().map(|v| v.as_slice()).collect();
    let (proof, claims) = prove::<Plain>(
        &maps,
        &inputs,
        &c.claims,
        &(),
        (),
        &no_hidden,
        &mut transcript("wiring"),
    )
    .unwrap();
    for (cl, x) in claims.iter().zip(&c.inputs) {
        assert_eq!(
            cl.value,
            mle(x, &cl.point),
            "prover's input claims are true"
        );
    }
    proof
}

fn check(c: &Case, proof: &WiringProof<Plain>) -> Result<Vec<Claim>, LayerError> {
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    verify::<Plain>(&maps, &c.claims, &(), proof, &mut transcript("wiring"))
}

/// Accepted with every returned claim true.
fn accepted_truly(c: &Case, proof: &WiringProof<Plain>) -> bool {
    check(c, proof).is_ok_and(|claims| {
        claims
            .iter()
            .zip(&c.inputs)
            .all(|(cl, x)| cl.value == mle(x, &cl.point))
    })
}

#[test]
fn honest_proofs_verify_with_true_input_claims() {
    for num_claims in 1..=3 {
        let c = case(7 + num_claims as u64, num_claims);
        let proof = run(&c);
        let claims = check(&c, &proof).unwrap();
        for (cl, x) in claims.iter().zip(&c.inputs) {
            assert_eq!(cl.value, mle(x, &cl.point));
        }
    }
}

/// A false output claim is rejected, or passes on as a false claim about an input (the deferred
/// one's value is solved from the final check, so the next layer catches it).
#[test]
fn wrong_claim_gives_rejection_or_false_claims() {
    let mut c = case(3, 2);
    let proof = run(&c);
    assert!(accepted_truly(&c, &proof));
    c.claims[1].value += EF::ONE;
    assert!(!accepted_truly(&c, &proof));
}

#[test]
fn every_tampered_element_is_rejected_or_gives_false_claims() {
    let c = case(5, 2);
    let proof = run(&c);
    let mut variants = vec![];
    for (r, round) in proof.sumcheck.rounds.round_polys.iter().enumerate() {
        for k in 0..round.len() {
            let mut p = proof.clone();
            p.sumcheck.rounds.round_polys[r][k] += EF::ONE;
            variants.push(p);
        }
    }
    for i in 0..proof.sumcheck.final_values.len() {
        let mut p = proof.clone();
        p.sumcheck.final_values[i] += EF::ONE;
        variants.push(p);
    }
    let mut p = proof.clone();
    p.sumcheck.final_values.pop();
    variants.push(p);
    let mut p = proof.clone();
    p.sumcheck.rounds.round_polys.pop();
    variants.push(p);
    assert!(variants.len() > 10);
    for (i, v) in variants.iter().enumerate() {
        // A tampered value can still pass the layer (it is a claim for the caller to settle), but
        // then a returned claim is false.
        assert!(
            !accepted_truly(&c, v),
            "tampered variant {i} verified with true claims"
        );
    }
}

#[test]
fn a_different_transcript_rejects_or_gives_false_claims() {
    let c = case(9, 1);
    let proof = run(&c);
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let other = verify::<Plain>(&maps, &c.claims, &(), &proof, &mut transcript("other"));
    let all_true = other.is_ok_and(|claims| {
        claims
            .iter()
            .zip(&c.inputs)
            .all(|(cl, x)| cl.value == mle(x, &cl.point))
    });
    assert!(!all_true);
}
