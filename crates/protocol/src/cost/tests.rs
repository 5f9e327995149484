//! Tests of the cost profile against real proofs.
#![allow(clippy::unwrap_used)]

use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig};

use super::cost_profile;
use crate::plan::Plan;
use crate::test_support::{Rng, cnn, input_len, linear, maxpool, mlp, proven};

/// The profile against a real proof: the witness the prover commits, and the proof's bytes
/// outside its openings (exact).
fn check(model: QModel, seed: u64) {
    let profile = cost_profile(&model).unwrap();
    let input = Rng(seed).vec(input_len(&model), 127);
    let (pk, _, _, proof) = proven(model, &input);
    let plan = Plan::compile(&pk.model).unwrap();
    let trace = zkinfer_ir::evaluate(&pk.model, &[input]).unwrap();
    let weights = crate::keys::weight_tables(&pk.model, &plan).unwrap();
    let ranges = crate::weight_range::witnesses(&plan, &weights).unwrap();
    let wit = crate::witness::build(&pk.model, &plan, &trace, &ranges).unwrap();
    let elems: usize = wit.columns.iter().map(Vec::len).sum();
    assert_eq!(profile.witness.columns, wit.columns.len());
    assert_eq!(profile.witness.elems, elems as u64);
    let weights: usize = crate::keys::weight_tables(&pk.model, &plan)
        .unwrap()
        .iter()
        .map(Vec::len)
        .sum();
    assert_eq!(profile.weights.elems, weights as u64);
    let openings = proof.weight_opening.to_bytes().len()
        + proof
            .witness_opening
            .as_ref()
            .map_or(0, |o| o.to_bytes().len());
    let total = postcard::to_allocvec(&proof).unwrap().len();
    assert_eq!(profile.proof_body_bytes, (total - openings) as u64);
    assert_eq!(profile.step_proofs, proof.steps.len());
}

#[test]
fn profile_matches_real_proofs() {
    check(mlp(1), 2);
    check(cnn(3), 4);
    check(maxpool(5), 6);
    check(linear(7), 8);
}

#[test]
fn profile_counts_the_work() {
    let p = cost_profile(&mlp(1)).unwrap();
    // Dense 12->6 then 6->3 on one row: 12*6 + 6*3 MACs; rows padded to 8 and 4, one column.
    assert_eq!(p.macs, 90);
    assert_eq!(p.matmul_mults, 90);
    assert_eq!(p.matmul_fold_elems, 8 * 16 + 16 + 4 * 8 + 8);
    assert!(p.lookup_entries > 0 && p.table_rows > 0);
    assert!(p.witness.claims > 0 && p.weights.claims >= 4);
    // The requantization's range check and zero-check rounds, and nothing else, count as lookups.
    assert!(p.lookup_step_rounds > 0 && p.lookup_step_wiring_elems == 0);
    let pool = cost_profile(&maxpool(1)).unwrap();
    assert!(pool.lookup_step_wiring_entries > 0 && pool.lookup_step_wiring_elems > 0);
    // A linear model's only lookups and committed columns are its weights' width check.
    let q = cost_profile(&linear(1)).unwrap();
    let plan = Plan::compile(&linear(1)).unwrap();
    let [check] = plan.weight_checks.as_slice() else {
        panic!("one weight column")
    };
    let range = check
        .spec
        .layout()
        .unwrap()
        .range_spec(&check.spec)
        .unwrap();
    assert_eq!(q.witness.columns, plan.witness_cols.len());
    assert_eq!(
        q.witness.columns,
        check.spec.layout().unwrap().columns(&check.spec).len()
    );
    assert_eq!(
        q.lookup_entries,
        1 << (range.num_vars + range.segment_vars())
    );
}

#[test]
fn refuses_what_setup_refuses_with_the_same_error() {
    let mut b = ModelBuilder::new("bad", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let sq = b.push("sq", Op::Mul, vec![x, x], vec![1, 4], 1.0).unwrap();
    let unsupported = b.finish(vec![sq]);
    let mut b = ModelBuilder::new("flat", QuantConfig::default());
    let x = b.input("x", vec![2, 2], 1.0, 127).unwrap();
    let r = b.push("r", Op::Reshape, vec![x], vec![4], 1.0).unwrap();
    let weightless = b.finish(vec![r]);
    for m in [unsupported, weightless] {
        let want = crate::setup(m.clone(), crate::ProofMode::Plain)
            .unwrap_err()
            .to_string();
        assert_eq!(cost_profile(&m).unwrap_err().to_string(), want);
    }
}
