//! Zero-knowledge Poseidon2 rounds, soundness: a wrong state in the trace, every tampered value of
//! every round proof, swapped or missing round proofs, and wrong ids or points all end in an error
//! or a claim that does not hold on the honest hidden vectors.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use super::tests::{KINDS, apply_round, case};
use super::*;
use crate::test_util::{Rng, transcript};
use crate::zk::{SymClaim, ZkIds};

#[test]
fn a_wrong_state_fails() {
    let honest = case(&KINDS, 2, 5);
    let run = honest.prove(7, true);
    assert!(honest.accepts(&run, &run.proof, &honest.states[0]));
    let mut rng = Rng(9);
    for j in 1..honest.states.len() {
        for recompute in [false, true] {
            let mut c = honest.clone();
            let at = rng.below(c.states[j].len() as u64) as usize;
            c.states[j][at] += F::ONE;
            if recompute {
                // A consistent trace from the wrong state on: only round j - 1 is violated.
                for i in j..c.rounds.len() {
                    c.states[i + 1] = apply_round(&c.rounds[i], &c.states[i]);
                }
            }
            let run = c.prove(7, true);
            assert!(
                !c.accepts(&run, &run.proof, &c.states[0]),
                "state {j}, recompute {recompute}"
            );
        }
    }
}

#[test]
fn every_tampered_proof_value_fails() {
    let c = case(&KINDS, 2, 11);
    let run = c.prove(13, true);
    assert!(c.accepts(&run, &run.proof, &c.states[0]));
    let mut tampered = 0;
    for i in 0..c.rounds.len() {
        // Every field element of round i's proof, as a mutable reference into a fresh copy.
        let r = &run.proof.rounds[i];
        let spots = 2 + r.rounds.round_polys.iter().map(Vec::len).sum::<usize>();
        for spot in 0..spots {
            let mut proof = run.proof.clone();
            let p = &mut proof.rounds[i];
            let value = std::iter::once(&mut p.mask_sum)
                .chain(p.final_values.iter_mut())
                .chain(p.rounds.round_polys.iter_mut().flatten())
                .nth(spot)
                .unwrap();
            *value += EF::ONE;
            assert!(
                !c.accepts(&run, &proof, &c.states[0]),
                "round {i}, spot {spot}"
            );
            tampered += 1;
        }
    }
    // 8 rounds of 6 variables, one of degree 3 and seven of degree 7.
    assert_eq!(tampered, 8 * 2 + 6 * (4 + 7 * 8));
}

#[test]
fn swapped_or_missing_round_proofs_fail() {
    let c = case(&KINDS, 2, 17);
    let run = c.prove(19, true);
    assert!(c.accepts(&run, &run.proof, &c.states[0]));
    for (a, b) in [(1, 2), (3, 4), (0, 1), (2, 5), (6, 7)] {
        let mut proof = run.proof.clone();
        proof.rounds.swap(a, b);
        assert!(!c.accepts(&run, &proof, &c.states[0]), "swap {a} {b}");
    }
    let count = |e| {
        matches!(
            e,
            Err(LayerError::PartCount {
                expected: 8,
                got: 7 | 9,
                ..
            })
        )
    };
    let mut fewer = run.proof.clone();
    fewer.rounds.pop();
    assert!(count(c.verify(&run.top, &fewer)));
    let mut more = run.proof.clone();
    more.rounds.push(more.rounds[0].clone());
    assert!(count(c.verify(&run.top, &more)));
}

#[test]
fn wrong_ids_or_points_are_errors() {
    let c = case(&KINDS, 2, 23);
    let run = c.prove(29, true);
    let verify_with = |ids: &[ZkIds], top: &SymClaim| {
        verify(
            &c.rounds,
            2,
            top,
            ids,
            &run.proof,
            &mut transcript("zkhash"),
        )
    };
    let ids = c.ids();
    assert!(verify_with(&ids[1..], &run.top).is_err());
    let mut two = ids.clone();
    two[3].randomizers.push(999);
    assert!(verify_with(&two, &run.top).is_err());
    let mut short = run.top.clone();
    short.point.pop();
    assert!(matches!(
        verify_with(&ids, &short),
        Err(LayerError::PointLength { .. })
    ));
    assert!(
        verify(
            &[],
            2,
            &run.top,
            &[],
            &ZkHashProof { rounds: vec![] },
            &mut transcript("zkhash")
        )
        .is_err()
    );
}
