//! The clear run of the engine (plain proofs): with every factor revealed it is the plain sumcheck,
//! message for message; its verifier rejects every tampered element; and the roles that would leak
//! (a factor in the clear in a masked run) or that a clear run cannot honour (a masked factor) are
//! refused on both sides.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::FiatShamir;

use super::{
    Factor, FactorKind, MaskedFactor, MaskedInstance, Table, prove_clear, verify_clear,
    verify_final,
};
use crate::test_util::{Rng, brute_force_sum, honest, transcript};
use crate::zk::tests::seeded_mask;
use crate::{SumcheckError, zk};

/// Every factor revealed: the clear engine sends exactly the plain prover's messages and final
/// evaluations, and leaves both transcripts in the same state.
#[test]
fn with_every_factor_revealed_it_is_the_plain_sumcheck() {
    for seed in 0..12 {
        let h = honest(seed, 1 + (seed as usize % 5), 1 + (seed as usize % 3));
        let kinds = vec![FactorKind::Revealed; h.tables.len()];
        let instance = MaskedInstance {
            sum: h.instance.clone(),
            kinds,
        };
        let factors = h
            .tables
            .iter()
            .map(|t| Factor::Revealed(Table::Base(t.clone())))
            .collect();
        let mut t = transcript("test");
        let out = prove_clear(&instance, factors, &mut t);
        assert_eq!(out.proof.rounds, h.proof, "seed {seed}: round messages");
        assert_eq!(out.proof.final_values, h.evals, "seed {seed}: final values");
        assert_eq!(out.point, h.point);
        let mut plain = h.transcript.clone();
        assert_eq!(
            FiatShamir::<EF>::challenge(&mut t, "next"),
            FiatShamir::<EF>::challenge(&mut plain, "next"),
            "seed {seed}: transcripts diverged"
        );

        let mut v = transcript("test");
        let sub = verify_clear(&instance, h.claim, &out.proof, &mut v).unwrap();
        let deferred = verify_final(&instance, &sub, &[]).unwrap();
        assert_eq!(deferred.value, EF::ZERO, "the final check closes");
        assert_eq!(sub.rho, EF::ZERO);
    }
}

/// A public, a hidden (deferred) and a revealed factor: the prover's evaluations are the tables'
/// at the point, only the revealed one is sent, and solving the final check for the deferred
/// factor gives its true value.
#[test]
fn a_deferred_factor_solves_from_the_final_check() {
    let mut rng = Rng(7);
    let n = 4;
    let tables = rng.tables(3, n);
    let instance = MaskedInstance::new(
        n,
        vec![(EF::ONE, vec![0, 1, 2])],
        vec![FactorKind::Public, FactorKind::Public, FactorKind::Revealed],
    );
    let claim = brute_force_sum(&instance.sum, &tables);
    let factors = vec![
        Factor::Public(Table::Base(tables[0].clone())),
        Factor::Hidden(Table::Base(tables[1].clone())),
        Factor::Revealed(Table::Base(tables[2].clone())),
    ];
    let out = prove_clear(&instance, factors, &mut transcript("d"));
    assert_eq!(out.proof.final_values, vec![out.evals[2]]);
    let sub = verify_clear(&instance, claim, &out.proof, &mut transcript("d")).unwrap();
    let solved = sub.expected_eval / (out.evals[0] * sub.final_values[0]);
    assert_eq!(solved, out.evals[1], "the deferred value is the table's");
}

/// Every element of a clear proof, and the claimed value, changed by one: the final check no
/// longer closes (or the rounds fail) for each.
#[test]
fn tampering_with_a_clear_proof_is_caught() {
    let h = honest(3, 4, 2);
    let instance = MaskedInstance {
        sum: h.instance.clone(),
        kinds: vec![FactorKind::Revealed; h.tables.len()],
    };
    let factors = h
        .tables
        .iter()
        .map(|t| Factor::Revealed(Table::Base(t.clone())))
        .collect();
    let proof = prove_clear(&instance, factors, &mut transcript("test")).proof;
    let accepts = |claim: EF, proof: &super::ClearSumcheckProof<EF>| {
        verify_clear(&instance, claim, proof, &mut transcript("test"))
            .and_then(|sub| verify_final(&instance, &sub, &[]))
            .is_ok_and(|d| d.value == EF::ZERO)
    };
    assert!(accepts(h.claim, &proof));
    assert!(!accepts(h.claim + EF::ONE, &proof), "claimed value");
    for r in 0..proof.rounds.round_polys.len() {
        for i in 0..proof.rounds.round_polys[r].len() {
            let mut bad = proof.clone();
            bad.rounds.round_polys[r][i] += EF::ONE;
            assert!(!accepts(h.claim, &bad), "round {r} value {i}");
        }
    }
    for i in 0..proof.final_values.len() {
        let mut bad = proof.clone();
        bad.final_values[i] += EF::ONE;
        assert!(!accepts(h.claim, &bad), "final value {i}");
    }
    let mut short = proof.clone();
    short.final_values.pop();
    assert!(matches!(
        verify_clear(&instance, h.claim, &short, &mut transcript("test")),
        Err(SumcheckError::WrongFinalEvalCount { .. })
    ));
}

/// A revealed factor in a masked run would send a hidden table's value in the clear; a masked
/// factor in a clear run has no mask to pair with: both verifiers refuse the instance, and both
/// provers refuse to run it.
#[test]
fn roles_that_do_not_suit_the_run_are_refused() {
    let n = 2;
    let table = || Table::<F, EF>::Base(vec![F::ONE; 1 << n]);
    let revealed = MaskedInstance::new(
        n,
        vec![(EF::ONE, vec![0, 1])],
        vec![FactorKind::Public, FactorKind::Revealed],
    );
    let masked = MaskedInstance::new(
        n,
        vec![(EF::ONE, vec![0, 1])],
        vec![FactorKind::Public, FactorKind::Masked],
    );
    let masked_proof = zk::masked::prove(
        &masked,
        vec![
            Factor::Public(table()),
            Factor::Masked(MaskedFactor {
                table: table(),
                offset: EF::ZERO,
                coeffs: vec![EF::ONE; n],
            }),
        ],
        EF::ZERO,
        seeded_mask(1, n, masked.degree()),
        &mut transcript("r"),
    )
    .proof;
    let in_masked_run =
        zk::masked::verify(&revealed, EF::ZERO, &masked_proof, &mut transcript("r"));
    assert!(matches!(
        in_masked_run,
        Err(SumcheckError::FactorKindForRun {
            factor: 1,
            masked: true
        })
    ));
    let clear_proof = super::ClearSumcheckProof {
        rounds: masked_proof.rounds.clone(),
        final_values: masked_proof.final_values.clone(),
    };
    assert!(matches!(
        verify_clear(&masked, EF::ZERO, &clear_proof, &mut transcript("r")),
        Err(SumcheckError::FactorKindForRun {
            factor: 1,
            masked: false
        })
    ));

    let leak = std::panic::catch_unwind(|| {
        zk::masked::prove(
            &revealed,
            vec![Factor::Public(table()), Factor::Revealed(table())],
            EF::ZERO,
            seeded_mask(1, n, revealed.degree()),
            &mut transcript("r"),
        )
    });
    assert!(leak.is_err(), "the masked prover refuses a revealed factor");
    let unpaired = std::panic::catch_unwind(|| {
        prove_clear(
            &masked,
            vec![
                Factor::Public(table()),
                Factor::Masked(MaskedFactor {
                    table: table(),
                    offset: EF::ZERO,
                    coeffs: vec![EF::ONE; n],
                }),
            ],
            &mut transcript("r"),
        )
    });
    assert!(
        unpaired.is_err(),
        "the clear prover refuses a masked factor"
    );
}
