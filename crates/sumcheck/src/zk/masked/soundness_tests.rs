//! Soundness of the masked-factor sumcheck: each tampering is rejected with the error of the check
//! it targets or, where the verifier defers the check to the caller, gives a deferred claim that is
//! false for the honest mask and hidden constant.

use zkinfer_field::{EF, PrimeCharacteristicRing};

use super::tests::{Honest, honest, shapes};
use super::{MaskedSumcheckProof, verify, verify_final};
use crate::SumcheckError;
use crate::test_util::{Rng, transcript};

const N: usize = 4;

fn soundness_cases() -> Vec<Honest> {
    shapes(&mut Rng(5))
        .into_iter()
        .enumerate()
        .map(|(i, (terms, specs))| honest(50 + i as u64, N, terms, &specs, true))
        .collect()
}

/// `s(0)`, `s(1)` fail that round's sum check; a higher value changes `s(r)`, caught by the next
/// round's sum check or, in the last round, by the deferred claim.
#[test]
fn tampered_round_message_every_round_every_value() {
    for h in soundness_cases() {
        assert_eq!(h.outcome(h.claim, &h.out.proof), Ok(true));
        let d = h.instance.degree();
        for round in 0..N {
            for t in 0..=d {
                let mut proof = h.out.proof.clone();
                proof.rounds.round_polys[round][t] += EF::ONE;
                let expected = match (t, round + 1 == N) {
                    (0 | 1, _) => Err(SumcheckError::RoundSumMismatch { round }),
                    (_, false) => Err(SumcheckError::RoundSumMismatch { round: round + 1 }),
                    (_, true) => Ok(false),
                };
                assert_eq!(h.outcome(h.claim, &proof), expected, "round {round}, t {t}");
            }
        }
    }
}

#[test]
fn wrong_value_or_mask_sum_fails_round_zero() {
    for h in soundness_cases() {
        let err = Err(SumcheckError::RoundSumMismatch { round: 0 });
        assert_eq!(h.outcome(h.claim + EF::ONE, &h.out.proof), err);
        let mut proof = h.out.proof.clone();
        proof.mask_sum += EF::ONE;
        assert_eq!(h.outcome(h.claim, &proof), err);
    }
}

#[test]
fn tampered_final_value_makes_the_deferred_claim_false() {
    for h in soundness_cases() {
        for i in 0..h.out.proof.final_values.len() {
            let mut proof = h.out.proof.clone();
            proof.final_values[i] += EF::ONE;
            assert_eq!(h.outcome(h.claim, &proof), Ok(false), "final value {i}");
        }
    }
}

#[test]
fn malformed_proofs_give_errors() {
    let h = soundness_cases().remove(1);
    let d = h.instance.degree();
    let m = h.instance.num_sent();
    let edit = |f: &dyn Fn(&mut MaskedSumcheckProof<EF>)| {
        let mut proof = h.out.proof.clone();
        f(&mut proof);
        h.outcome(h.claim, &proof)
    };
    let rounds = |got| Err(SumcheckError::WrongRoundCount { expected: N, got });
    assert_eq!(
        edit(&|p| p.rounds.round_polys.truncate(N - 1)),
        rounds(N - 1)
    );
    assert_eq!(
        edit(&|p| p.rounds.round_polys.push(vec![EF::ZERO; d + 1])),
        rounds(N + 1)
    );
    assert_eq!(edit(&|p| p.rounds.round_polys.clear()), rounds(0));
    let length = |got| {
        Err(SumcheckError::WrongDegree {
            round: 1,
            expected: d + 1,
            got,
        })
    };
    assert_eq!(edit(&|p| p.rounds.round_polys[1].truncate(d)), length(d));
    assert_eq!(
        edit(&|p| p.rounds.round_polys[1].push(EF::ZERO)),
        length(d + 2)
    );
    assert_eq!(edit(&|p| p.rounds.round_polys[1].clear()), length(0));
    // Through `verify` alone: the count is checked before the values are observed.
    let finals = |f: &dyn Fn(&mut Vec<EF>)| {
        let mut proof = h.out.proof.clone();
        f(&mut proof.final_values);
        verify(&h.instance, h.claim, &proof, &mut transcript("test")).map(|_| ())
    };
    let count = |got| Err(SumcheckError::WrongFinalEvalCount { expected: m, got });
    assert_eq!(finals(&|v| v.truncate(m - 1)), count(m - 1));
    assert_eq!(finals(&|v| v.push(EF::ONE)), count(m + 1));
}

#[test]
fn wrong_public_values_or_instance_give_errors() {
    let h = soundness_cases().remove(1);
    let sub = verify(&h.instance, h.claim, &h.out.proof, &mut transcript("test")).unwrap();
    let public = h.public_evals(&sub.point);
    for public in [&public[..0], &[public[0], EF::ONE][..]] {
        let expected = Err(SumcheckError::WrongFinalEvalCount {
            expected: 1,
            got: public.len(),
        });
        assert_eq!(verify_final(&h.instance, &sub, public), expected);
    }
    let mut claim = verify_final(&h.instance, &sub, &[public[0] + EF::ONE]).unwrap();
    assert_ne!(
        claim.value,
        h.truth(&claim),
        "a wrong public value makes the claim false"
    );
    claim.value = h.out.deferred.value;
    assert_eq!(claim, h.out.deferred);

    let mut bad = h.instance.clone();
    bad.kinds.pop();
    let expected = Err(SumcheckError::FactorKindCount {
        expected: 3,
        got: 2,
    });
    assert_eq!(
        verify(&bad, h.claim, &h.out.proof, &mut transcript("test")).map(|_| ()),
        expected
    );
    let mut bad = h.instance.clone();
    bad.sum.degree -= 1;
    let expected = Err(SumcheckError::MaskedTermDegreeTooHigh {
        term: 0,
        needed: 5,
        degree: 4,
    });
    assert_eq!(
        verify(&bad, h.claim, &h.out.proof, &mut transcript("test")).map(|_| ()),
        expected
    );
}
