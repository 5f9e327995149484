//! Soundness tests: each tampering is rejected with the error of the check it targets, so each
//! test fails if that check is removed (the tampering would then be caught later, or not at all).

use proptest::prelude::*;
use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_transcript::{FiatShamir, Transcript};

use crate::test_util::{Honest, honest, transcript};
use crate::{
    LABEL_CHALLENGE, LABEL_FINAL_EVALS, LABEL_ROUND, ProductSum, SumcheckError, SumcheckProof,
    interpolate_at, verify, verify_with_evals,
};

const N: usize = 4;

fn check(
    h: &Honest,
    claim: EF,
    proof: &SumcheckProof<EF>,
    evals: &[EF],
) -> Result<(), SumcheckError> {
    verify_with_evals(&h.instance, claim, proof, evals, &mut transcript("test")).map(|_| ())
}

#[test]
fn honest_baseline_verifies() {
    for degree in 1..=3 {
        let h = honest(100 + degree as u64, N, degree);
        assert_eq!(check(&h, h.claim, &h.proof, &h.evals), Ok(()));
    }
}

/// Every value of every round message: s(0), s(1) are caught by that round's sum check; a higher
/// value changes s(r), so the next round's sum check (or the final check) catches it.
#[test]
fn tampered_round_message_every_round_every_value() {
    for degree in 1..=3 {
        let h = honest(200 + degree as u64, N, degree);
        for round in 0..N {
            for t in 0..=degree {
                let mut proof = h.proof.clone();
                proof.round_polys[round][t] += EF::ONE;
                let expected = match (t, round + 1 == N) {
                    (0 | 1, _) => SumcheckError::RoundSumMismatch { round },
                    (_, false) => SumcheckError::RoundSumMismatch { round: round + 1 },
                    (_, true) => SumcheckError::FinalEvalMismatch,
                };
                assert_eq!(
                    check(&h, h.claim, &proof, &h.evals),
                    Err(expected),
                    "round {round}, t {t}"
                );
            }
        }
    }
}

#[test]
fn wrong_claimed_sum() {
    let h = honest(300, N, 2);
    let err = check(&h, h.claim + EF::ONE, &h.proof, &h.evals);
    assert_eq!(err, Err(SumcheckError::RoundSumMismatch { round: 0 }));
}

/// One extra value that is the honest polynomial's own value at `degree + 1` leaves every other
/// check passing: only the length check stands between it and acceptance.
#[test]
fn one_extra_value_is_a_degree_error() {
    let degree = 2;
    let h = honest(400, N, degree);
    for round in 0..N {
        let mut proof = h.proof.clone();
        let s = &proof.round_polys[round];
        let next = interpolate_at(s, EF::from_usize(degree + 1));
        proof.round_polys[round].push(next);
        let err = check(&h, h.claim, &proof, &h.evals);
        assert_eq!(
            err,
            Err(SumcheckError::WrongDegree {
                round,
                expected: 3,
                got: 4
            })
        );
    }
}

#[test]
fn one_missing_value_is_a_degree_error() {
    let h = honest(500, N, 3);
    for round in 0..N {
        let mut proof = h.proof.clone();
        proof.round_polys[round].pop();
        let err = check(&h, h.claim, &proof, &h.evals);
        assert_eq!(
            err,
            Err(SumcheckError::WrongDegree {
                round,
                expected: 4,
                got: 3
            })
        );
    }
    // Degenerate messages are errors too, not panics.
    for len in [0, 1] {
        let mut proof = h.proof.clone();
        proof.round_polys[0].truncate(len);
        let err = check(&h, h.claim, &proof, &h.evals);
        assert_eq!(
            err,
            Err(SumcheckError::WrongDegree {
                round: 0,
                expected: 4,
                got: len
            })
        );
    }
}

#[test]
fn missing_and_extra_rounds() {
    let h = honest(600, N, 2);
    let mut short = h.proof.clone();
    short.round_polys.pop();
    let err = check(&h, h.claim, &short, &h.evals);
    assert_eq!(
        err,
        Err(SumcheckError::WrongRoundCount {
            expected: N,
            got: N - 1
        })
    );
    let mut long = h.proof.clone();
    long.round_polys.push(h.proof.round_polys[N - 1].clone());
    let err = check(&h, h.claim, &long, &h.evals);
    assert_eq!(
        err,
        Err(SumcheckError::WrongRoundCount {
            expected: N,
            got: N + 1
        })
    );
}

#[test]
fn wrong_final_evaluation() {
    let h = honest(700, N, 3);
    for i in 0..h.evals.len() {
        let mut evals = h.evals.clone();
        evals[i] += EF::ONE;
        assert_eq!(
            check(&h, h.claim, &h.proof, &evals),
            Err(SumcheckError::FinalEvalMismatch)
        );
    }
    let mut fewer = h.evals.clone();
    fewer.pop();
    let err = check(&h, h.claim, &h.proof, &fewer);
    let expected = SumcheckError::WrongFinalEvalCount {
        expected: h.evals.len(),
        got: fewer.len(),
    };
    assert_eq!(err, Err(expected));
}

/// A proof made for one statement does not verify for another: the challenges differ, so the
/// second round's claim (interpolated at a different r_0) no longer matches.
#[test]
fn different_statement_rejects() {
    let h = honest(800, N, 2);
    let err = verify_with_evals(
        &h.instance,
        h.claim,
        &h.proof,
        &h.evals,
        &mut transcript("other"),
    );
    assert_eq!(err, Err(SumcheckError::RoundSumMismatch { round: 1 }));
    // The same after a claim observed differently on top of the same statement.
    let mut t = transcript("test");
    t.observe("claim", &[h.claim]);
    let err = verify_with_evals(&h.instance, h.claim, &h.proof, &h.evals, &mut t);
    assert_eq!(err, Err(SumcheckError::RoundSumMismatch { round: 1 }));
}

/// Logs the transcript schedule while delegating to a real transcript.
struct Recording {
    inner: Transcript,
    log: Vec<(&'static str, usize)>,
}

impl FiatShamir<EF> for Recording {
    fn observe(&mut self, label: &'static str, values: &[EF]) {
        self.log.push((label, values.len()));
        self.inner.observe(label, values);
    }
    fn challenge(&mut self, label: &'static str) -> EF {
        self.log.push((label, 0));
        self.inner.challenge(label)
    }
}

/// Each round message is observed before its challenge is drawn, on both sides, in one schedule.
#[test]
fn schedule_observes_each_round_before_its_challenge() {
    let degree = 2;
    let h = honest(900, N, degree);
    let mut expected = vec![];
    for _ in 0..N {
        expected.push((LABEL_ROUND, degree + 1));
        expected.push((LABEL_CHALLENGE, 0));
    }
    expected.push((LABEL_FINAL_EVALS, h.evals.len()));
    let mut p = Recording {
        inner: transcript("test"),
        log: vec![],
    };
    let _ = crate::prove(&h.instance, h.tables.clone(), &mut p);
    assert_eq!(p.log, expected);
    let mut v = Recording {
        inner: transcript("test"),
        log: vec![],
    };
    verify_with_evals(&h.instance, h.claim, &h.proof, &h.evals, &mut v).unwrap();
    assert_eq!(v.log, expected);
}

#[test]
fn malformed_instances_are_errors() {
    let h = honest(1000, 2, 2);
    let mut zero = h.instance.clone();
    zero.degree = 0;
    let err = verify(&zero, h.claim, &h.proof, &mut transcript("test"));
    assert_eq!(err, Err(SumcheckError::ZeroDegree));
    let low = ProductSum {
        num_vars: 2,
        degree: 1,
        terms: vec![(EF::ONE, vec![0, 1])],
    };
    let err = verify(&low, h.claim, &h.proof, &mut transcript("test"));
    assert_eq!(
        err,
        Err(SumcheckError::TermDegreeTooHigh {
            term: 0,
            factors: 2,
            degree: 1
        })
    );
    let empty = ProductSum::<EF> {
        num_vars: 2,
        degree: 1,
        terms: vec![],
    };
    let err = verify(&empty, h.claim, &h.proof, &mut transcript("test"));
    assert_eq!(err, Err(SumcheckError::NoTerms));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A random nonzero change to a random value of a random round is rejected.
    #[test]
    fn random_tampering_rejected(seed: u64, n in 1usize..=6, degree in 1usize..=3,
                                 round_pick: usize, t_pick: usize, delta in 1u32..) {
        let h = honest(seed, n, degree);
        let mut proof = h.proof.clone();
        proof.round_polys[round_pick % n][t_pick % (degree + 1)] += EF::from_u32(delta);
        prop_assert!(check(&h, h.claim, &proof, &h.evals).is_err());
    }

    /// Proofs of any shape are errors, never panics.
    #[test]
    fn arbitrary_shapes_never_panic(seed: u64, lens in proptest::collection::vec(0usize..6, 0..8)) {
        let h = honest(seed, 4, 2);
        let proof = SumcheckProof { round_polys: lens.iter().map(|&l| vec![EF::ONE; l]).collect() };
        prop_assert!(check(&h, h.claim, &proof, &h.evals).is_err());
    }
}
