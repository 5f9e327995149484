use zkinfer_field::{EF, PrimeCharacteristicRing};

use super::*;
use crate::test_util::{Rng, mle, transcript};
use crate::{Claim, LayerError, SparseMap, padded_len};

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

fn run(c: &Case) -> WiringProof {
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let inputs: Vec<&[_]> = c.inputs.iter().map(|v| v.as_slice()).collect();
    let (proof, claims) = prove(&maps, &inputs, &c.claims, &mut transcript("wiring")).unwrap();
    for (cl, x) in claims.iter().zip(&c.inputs) {
        assert_eq!(
            cl.value,
            mle(x, &cl.point),
            "prover's input claims are true"
        );
    }
    proof
}

fn check(c: &Case, proof: &WiringProof) -> Result<Vec<Claim>, LayerError> {
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    verify(&maps, &c.claims, proof, &mut transcript("wiring"))
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

#[test]
fn wrong_claim_is_rejected() {
    let mut c = case(3, 2);
    let proof = run(&c);
    c.claims[1].value += EF::ONE;
    assert!(check(&c, &proof).is_err());
}

#[test]
fn every_tampered_element_is_rejected() {
    let c = case(5, 2);
    let proof = run(&c);
    let mut variants = vec![];
    for i in 0..proof.partial_sums.len() {
        let mut p = proof.clone();
        p.partial_sums[i] += EF::ONE;
        variants.push(p);
    }
    for i in 0..proof.parts.len() {
        let mut p = proof.clone();
        p.parts[i].input_eval += EF::ONE;
        variants.push(p);
        for r in 0..proof.parts[i].sumcheck.round_polys.len() {
            for k in 0..proof.parts[i].sumcheck.round_polys[r].len() {
                let mut p = proof.clone();
                p.parts[i].sumcheck.round_polys[r][k] += EF::ONE;
                variants.push(p);
            }
        }
    }
    let mut p = proof.clone();
    p.parts.pop();
    variants.push(p);
    let mut p = proof.clone();
    p.partial_sums.swap(0, 1);
    variants.push(p);
    assert!(variants.len() > 10);
    for (i, v) in variants.iter().enumerate() {
        // A tampered input evaluation can still pass the layer (it is a claim for the caller to
        // settle), but then the returned claim is false.
        match check(&c, v) {
            Err(_) => {}
            Ok(claims) => {
                let all_true = claims
                    .iter()
                    .zip(&c.inputs)
                    .all(|(cl, x)| cl.value == mle(x, &cl.point));
                assert!(!all_true, "tampered variant {i} verified with true claims");
            }
        }
    }
}

#[test]
fn a_different_transcript_rejects() {
    let c = case(9, 1);
    let proof = run(&c);
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    assert!(verify(&maps, &c.claims, &proof, &mut transcript("other")).is_err());
}
