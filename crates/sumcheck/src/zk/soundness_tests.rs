//! Soundness of the masked sumcheck: each tampering is rejected with the error of the check it
//! targets, so each test fails if that check (or the observation it relies on) is removed.

use proptest::prelude::*;
use zkinfer_field::{EF, Field, PrimeCharacteristicRing};
use zkinfer_transcript::{FiatShamir, Transcript};

use super::tests::{ZkHonest, zk_honest};
use super::{
    LABEL_MASK_EVAL, LABEL_MASK_RHO, LABEL_MASK_SUM, MaskClaim, ZkSumcheckProof, verify,
    verify_with_evals,
};
use crate::test_util::transcript;
use crate::{
    LABEL_CHALLENGE, LABEL_FINAL_EVALS, LABEL_ROUND, SumcheckError, SumcheckProof, interpolate_at,
};

const N: usize = 4;

fn check(
    h: &ZkHonest,
    claim: EF,
    proof: &ZkSumcheckProof<EF>,
    evals: &[EF],
) -> Result<MaskClaim<EF>, SumcheckError> {
    verify_with_evals(&h.instance, claim, proof, evals, &mut transcript("test"))
}

/// The `rho` the verifier draws for the honest proof, read from the verifier itself so that the
/// attacks below adapt to whatever it observes.
fn verifier_rho(h: &ZkHonest) -> EF {
    let proof = &h.out.proof;
    verify(&h.instance, h.claim, proof, &mut transcript("test"))
        .unwrap()
        .rho
}

#[test]
fn honest_baseline_verifies() {
    for degree in 1..=3 {
        let h = zk_honest(100 + degree as u64, N, degree);
        let got = check(&h, h.claim, &h.out.proof, &h.out.final_evals);
        assert_eq!(got, Ok(h.out.mask_claim));
    }
}

/// Every value of every round message: s(0), s(1) fail that round's sum check; a higher value
/// changes s(r), caught by the next round's sum check or, in the last round, the masked final check.
#[test]
fn tampered_round_message_every_round_every_value() {
    for degree in 1..=3 {
        let h = zk_honest(200 + degree as u64, N, degree);
        for round in 0..N {
            for t in 0..=degree {
                let mut proof = h.out.proof.clone();
                proof.rounds.round_polys[round][t] += EF::ONE;
                let expected = match (t, round + 1 == N) {
                    (0 | 1, _) => SumcheckError::RoundSumMismatch { round },
                    (_, false) => SumcheckError::RoundSumMismatch { round: round + 1 },
                    (_, true) => SumcheckError::MaskedFinalMismatch,
                };
                let got = check(&h, h.claim, &proof, &h.out.final_evals);
                assert_eq!(got, Err(expected), "round {round}, t {t}");
            }
        }
    }
}

#[test]
fn wrong_claimed_sum_or_mask_sum() {
    let h = zk_honest(300, N, 2);
    let err = Err(SumcheckError::RoundSumMismatch { round: 0 });
    assert_eq!(
        check(&h, h.claim + EF::ONE, &h.out.proof, &h.out.final_evals),
        err
    );
    let mut proof = h.out.proof.clone();
    proof.mask_sum += EF::ONE;
    assert_eq!(check(&h, h.claim, &proof, &h.out.final_evals), err);
}

/// A prover who could predict `rho` would pay for a false sum `H + 1` with
/// `G' = G - 1 / rho`, keeping `H + rho * G` and every round message. Observing `G` before
/// drawing `rho` is what stops it: without that observation this proof verifies.
#[test]
fn mask_sum_is_bound_before_rho() {
    let h = zk_honest(350, N, 2);
    let rho = verifier_rho(&h);
    let mut proof = h.out.proof.clone();
    proof.mask_sum -= rho.inverse();
    let got = check(&h, h.claim + EF::ONE, &proof, &h.out.final_evals);
    assert_eq!(got, Err(SumcheckError::RoundSumMismatch { round: 0 }));
}

#[test]
fn wrong_mask_eval_or_final_eval() {
    let h = zk_honest(400, N, 3);
    let mut proof = h.out.proof.clone();
    proof.mask_eval += EF::ONE;
    let got = check(&h, h.claim, &proof, &h.out.final_evals);
    assert_eq!(got, Err(SumcheckError::MaskedFinalMismatch));
    for i in 0..h.out.final_evals.len() {
        let mut evals = h.out.final_evals.clone();
        evals[i] += EF::ONE;
        let got = check(&h, h.claim, &h.out.proof, &evals);
        assert_eq!(got, Err(SumcheckError::MaskedFinalMismatch), "eval {i}");
    }
}

/// A false `g(r)` paid for by a false `f(r)` passes the sumcheck itself; what catches it is the
/// returned mask claim, whose value is then not the committed mask's `g(r)`. The caller's opening
/// of that claim is a required check, not an optional one.
#[test]
fn compensated_mask_eval_moves_into_the_mask_claim() {
    let h = zk_honest(450, N, 1);
    // Degree 1: f(r) is linear in each f_i(r), so shifting f_last by delta moves f(r) by
    // kappa * delta, with kappa the slope measured here.
    let last = h.out.final_evals.len() - 1;
    let mut bumped = h.out.final_evals.clone();
    bumped[last] += EF::ONE;
    let combine = |e: &[EF]| h.instance.combine(e).unwrap();
    let kappa = combine(&bumped) - combine(&h.out.final_evals);
    let rho = verifier_rho(&h);
    let mut proof = h.out.proof.clone();
    proof.mask_eval += EF::ONE;
    let mut evals = h.out.final_evals.clone();
    evals[last] -= rho * kappa.inverse();
    let claim = check(&h, h.claim, &proof, &evals).unwrap();
    assert_ne!(claim.value, h.out.mask_claim.value);
    assert_eq!(claim.value, proof.mask_eval);
}

/// One extra value that is the honest polynomial's own value at `degree + 1`, or one value
/// missing: only the length check rejects these.
#[test]
fn wrong_degree() {
    let degree = 2;
    let h = zk_honest(500, N, degree);
    for round in 0..N {
        let mut long = h.out.proof.clone();
        let s = &long.rounds.round_polys[round];
        let next = interpolate_at(s, EF::from_usize(degree + 1));
        long.rounds.round_polys[round].push(next);
        let mut short = h.out.proof.clone();
        short.rounds.round_polys[round].pop();
        for (proof, got) in [(long, degree + 2), (short, degree)] {
            let expected = SumcheckError::WrongDegree {
                round,
                expected: degree + 1,
                got,
            };
            assert_eq!(
                check(&h, h.claim, &proof, &h.out.final_evals),
                Err(expected)
            );
        }
    }
}

#[test]
fn wrong_round_count() {
    let h = zk_honest(600, N, 2);
    let rounds = &h.out.proof.rounds.round_polys;
    for got in [N - 1, N + 1] {
        let mut proof = h.out.proof.clone();
        proof.rounds.round_polys = rounds.iter().cycle().take(got).cloned().collect();
        let err = SumcheckError::WrongRoundCount { expected: N, got };
        assert_eq!(check(&h, h.claim, &proof, &h.out.final_evals), Err(err));
    }
}

/// A proof made for one statement does not verify for another.
#[test]
fn different_statement_rejects() {
    let h = zk_honest(700, N, 2);
    let err = verify_with_evals(
        &h.instance,
        h.claim,
        &h.out.proof,
        &h.out.final_evals,
        &mut transcript("other"),
    );
    assert_eq!(err, Err(SumcheckError::RoundSumMismatch { round: 0 }));
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

/// G before rho, each round message before its challenge, then g(r) and the final evaluations:
/// one schedule on both sides.
#[test]
fn schedule_binds_every_message_before_its_challenge() {
    let degree = 2;
    let h = zk_honest(900, N, degree);
    let mut expected = vec![(LABEL_MASK_SUM, 1), (LABEL_MASK_RHO, 0)];
    for _ in 0..N {
        expected.push((LABEL_ROUND, degree + 1));
        expected.push((LABEL_CHALLENGE, 0));
    }
    expected.push((LABEL_MASK_EVAL, 1));
    expected.push((LABEL_FINAL_EVALS, h.out.final_evals.len()));
    let mut p = Recording {
        inner: transcript("test"),
        log: vec![],
    };
    let mask = super::tests::seeded_mask(900, N, degree);
    let _ = super::prove(&h.instance, h.tables.clone(), mask, &mut p);
    assert_eq!(p.log, expected);
    let mut v = Recording {
        inner: transcript("test"),
        log: vec![],
    };
    let proof = &h.out.proof;
    verify_with_evals(&h.instance, h.claim, proof, &h.out.final_evals, &mut v).unwrap();
    assert_eq!(v.log, expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A random nonzero change to any value of the proof is rejected.
    #[test]
    fn random_tampering_rejected(seed: u64, n in 1usize..=6, degree in 1usize..=3,
                                 pick: usize, t_pick: usize, delta in 1u32..) {
        let h = zk_honest(seed, n, degree);
        let mut proof = h.out.proof.clone();
        let d = EF::from_u32(delta);
        match pick % (n + 2) {
            0 => proof.mask_sum += d,
            1 => proof.mask_eval += d,
            r => proof.rounds.round_polys[r - 2][t_pick % (degree + 1)] += d,
        }
        prop_assert!(check(&h, h.claim, &proof, &h.out.final_evals).is_err());
    }

    /// Proofs of any shape are errors, never panics.
    #[test]
    fn arbitrary_shapes_never_panic(seed: u64, lens in proptest::collection::vec(0usize..6, 0..8)) {
        let h = zk_honest(seed, 4, 2);
        let proof = ZkSumcheckProof {
            mask_sum: EF::ONE,
            rounds: SumcheckProof { round_polys: lens.iter().map(|&l| vec![EF::ONE; l]).collect() },
            mask_eval: EF::ONE,
        };
        prop_assert!(verify(&h.instance, h.claim, &proof, &mut transcript("test")).is_err());
    }
}
