use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use super::*;
use crate::test_util::{Rng, mle, transcript};
use crate::{Claim, LayerError, Plain, no_hidden};

struct Case {
    shape: MatMulShape,
    w: Vec<F>,
    x: Vec<F>,
    bias: Option<Vec<F>>,
    claim: Claim,
}

fn case(seed: u64, has_bias: bool) -> Case {
    let mut rng = Rng(seed);
    let shape = MatMulShape {
        o_vars: 3,
        k_vars: 4,
        p_vars: 2,
        has_bias,
    };
    let (o, k, p) = (1 << shape.o_vars, 1 << shape.k_vars, 1 << shape.p_vars);
    let w: Vec<F> = (0..o * k).map(|_| rng.field(127)).collect();
    let x: Vec<F> = (0..k * p).map(|_| rng.field(127)).collect();
    let bias: Option<Vec<F>> = has_bias.then(|| (0..o).map(|_| rng.field(1000)).collect());
    let mut prod = vec![F::ZERO; o * p];
    for i in 0..o {
        for j in 0..p {
            let mut acc = bias.as_ref().map_or(F::ZERO, |b| b[i]);
            for kk in 0..k {
                acc += w[i * k + kk] * x[kk * p + j];
            }
            prod[i * p + j] = acc;
        }
    }
    let point = rng.point(shape.o_vars + shape.p_vars);
    let claim = Claim {
        value: mle(&prod, &point),
        point,
    };
    Case {
        shape,
        w,
        x,
        bias,
        claim,
    }
}

fn run(c: &Case) -> MatMulProof<Plain> {
    let (proof, claims) = prove::<Plain>(
        c.shape,
        &c.w,
        &c.x,
        c.bias.as_deref(),
        &c.claim,
        &(),
        (),
        &no_hidden,
        &mut transcript("mm"),
    )
    .unwrap();
    assert_eq!(claims.weight.value, mle(&c.w, &claims.weight.point));
    assert_eq!(claims.input.value, mle(&c.x, &claims.input.point));
    proof
}

fn check(c: &Case, proof: &MatMulProof<Plain>) -> Result<MatMulClaims, LayerError> {
    verify::<Plain>(c.shape, &c.claim, &(), proof, &mut transcript("mm"))
}

fn all_true(c: &Case, cl: &MatMulClaims) -> bool {
    cl.weight.value == mle(&c.w, &cl.weight.point)
        && cl.input.value == mle(&c.x, &cl.input.point)
        && match (&cl.bias, &c.bias) {
            (Some(bc), Some(b)) => bc.value == mle(b, &bc.point),
            (None, None) => true,
            _ => false,
        }
}

#[test]
fn honest_proofs_verify_with_true_claims() {
    for has_bias in [false, true] {
        let c = case(11, has_bias);
        let proof = run(&c);
        let claims = check(&c, &proof).unwrap();
        assert!(all_true(&c, &claims));
    }
}

/// A false claim passes on as a false claim about the input (the deferred factor).
#[test]
fn wrong_claim_gives_false_claims() {
    let mut c = case(12, true);
    let proof = run(&c);
    c.claim.value += EF::ONE;
    assert!(!check(&c, &proof).is_ok_and(|cl| all_true(&c, &cl)));
}

#[test]
fn tampered_elements_are_rejected_or_give_false_claims() {
    let c = case(13, true);
    let proof = run(&c);
    let mut variants = vec![];
    for r in 0..proof.sumcheck.rounds.round_polys.len() {
        for k in 0..proof.sumcheck.rounds.round_polys[r].len() {
            let mut p = proof.clone();
            p.sumcheck.rounds.round_polys[r][k] += EF::ONE;
            variants.push(p);
        }
    }
    let mut p = proof.clone();
    p.bias_eval = p.bias_eval.map(|b| b + EF::ONE);
    variants.push(p);
    let mut p = proof.clone();
    p.bias_eval = None;
    variants.push(p);
    let mut p = proof.clone();
    p.sumcheck.final_values[0] += EF::ONE;
    variants.push(p);
    let mut p = proof.clone();
    p.sumcheck.final_values.push(EF::ONE);
    variants.push(p);
    let mut p = proof.clone();
    p.sumcheck.rounds.round_polys.pop();
    variants.push(p);
    for (i, v) in variants.iter().enumerate() {
        if let Ok(cl) = check(&c, v) {
            assert!(
                !all_true(&c, &cl),
                "tampered variant {i} verified with true claims"
            );
        }
    }
}

#[test]
fn wrong_point_length_is_an_error() {
    let mut c = case(14, false);
    let proof = run(&c);
    c.claim.point.pop();
    assert!(matches!(
        check(&c, &proof),
        Err(LayerError::PointLength { .. })
    ));
}
