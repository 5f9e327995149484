//! Tests of the zero-knowledge cost profile against real zero-knowledge proofs.
#![allow(clippy::unwrap_used)]

use zkinfer_ir::QModel;

use super::zk_cost_profile;
use crate::test_support::{Rng, cnn, input_len, linear, maxpool, mlp};
use crate::{ProofMode, prove_zk, setup};

/// The counts against a real proof: `Q`'s variables and the proof's bytes outside the HVZK-WHIR
/// opening (exact).
fn check(model: QModel, seed: u64) {
    let (_, z) = zk_cost_profile(&model).unwrap();
    let input = Rng(seed).vec(input_len(&model), 127);
    let (pk, _) = setup(model, ProofMode::ZeroKnowledge).unwrap();
    let (_, proof) = prove_zk(&pk, &input).unwrap();
    let total = postcard::to_allocvec(&proof).unwrap().len() as u64;
    let opening = postcard::to_allocvec(&proof.opening.opening).unwrap().len() as u64;
    assert_eq!(z.proof_body_bytes, total - opening, "{z:?}");
    assert_eq!(z.hash.sumchecks as usize, proof.weight_hash.rounds.len());
    assert_eq!(z.q_vars, proof.opening.batch.rounds.round_polys.len());
    assert!(
        z.q_entries <= z.q_len() && 2 * z.q_entries > z.q_len(),
        "{z:?}"
    );
}

#[test]
fn zk_profile_matches_real_proofs() {
    check(mlp(1), 2);
    check(cnn(3), 4);
    check(maxpool(5), 6);
    check(linear(7), 8);
}

#[test]
fn zk_profile_splits_the_work_as_the_prover_times_it() {
    let (plain, z) = zk_cost_profile(&maxpool(1)).unwrap();
    // One range check per requantization and max pooling, one per nonzero weight column.
    assert!(z.ranges >= 2 && z.range_leaves > 0, "{z:?}");
    // Max pooling's zero-check and taps are lookup-timed; the output view and matmuls are not.
    assert!(
        z.lookup_layers.sumchecks >= 2 && z.layers.sumchecks >= 3,
        "{z:?}"
    );
    // The 29 Poseidon2 rounds, each over IN's variables.
    assert_eq!(z.hash.sumchecks, 29);
    assert_eq!(z.hash.rounds, 29 * z.in_elems.trailing_zeros() as u64);
    // Q holds the witness columns, IN and the randomness; the plain profile is the same plan's.
    assert_eq!(z.witness_elems, plain.witness.elems);
    assert!(z.in_elems >= 2 * plain.weights.elems, "{z:?}");
}
