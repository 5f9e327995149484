//! Adversarial review 2 (branch review-14): cheating setups and provers against the current code.
//!
//! Every test asserts that the verifier REJECTS a false statement or that hidden data stays
//! hidden. The two static-bound forgeries (marked `FIXED`) were accepted by every verifier when the
//! review found them; the others guard the checks that held.

use zkinfer_field::{F, PrimeCharacteristicRing, PrimeField64, decode_signed, encode_signed};
use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Trace, evaluate};

use crate::keys::weight_tables;
use crate::owner_keys::{owner_keys, owner_keys_with, verdicts};
use crate::plan::Plan;
use crate::zk::prove_zk_trace;
use crate::{VerifierKey, strip_weights, verify, verify_zk, verify_zk_private};

/// A dense layer's outputs computed in the field from `weight` and `input`, read as signed.
fn field_dense(weight: &[i64], in_features: usize, input: &[i64]) -> Vec<i64> {
    let enc = |v: i64| encode_signed::<F>(v).unwrap();
    weight
        .chunks(in_features)
        .map(|row| {
            decode_signed(
                row.iter()
                    .zip(input)
                    .map(|(&a, &b)| enc(a) * enc(b))
                    .sum::<F>(),
            )
        })
        .collect()
}

/// The same over the integers.
fn int_dense(weight: &[i64], in_features: usize, input: &[i64]) -> Vec<i128> {
    weight
        .chunks(in_features)
        .map(|row| {
            row.iter()
                .zip(input)
                .map(|(&a, &b)| a as i128 * b as i128)
                .sum()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Static bounds in the verifier key
// ---------------------------------------------------------------------------------------------

/// FIXED (was the documented gap, confirmed with a working forgery). Input `[1, 64]` with bound
/// 32767 -> Dense 64 -> 1 (the output). Its public bound `64 x 2047 x 32767 ~ 4.3e9` exceeded
/// `PUBLIC_BOUND_MAX`, so setup recorded the exact bound of the weights it was given, rounded to
/// `2^21 - 1` (weights all 1); the builder now refuses the layer, and the owner writes that key by
/// hand. The owner records that architecture but commits other weights, every
/// one within the declared 12 bits (so the weight range check passes): 2047 everywhere but one
/// 514. On the input below the integer accumulator is `p + 5`; the field's is `5`, within the
/// recorded bound, and every verifier accepts `y = 5`. The integer reference evaluator refuses the
/// committed model (its bound is beyond the field) and would compute `p + 5`: a false statement.
///
/// Was at fault: `zkinfer_ir::bounds::weighted_bound` (the fallback to the exact bound, which no
/// proof checked against the committed weights) together with the verifiers, which took the
/// recorded bound on trust. Now bounds come from the widths only and both verifiers recompute them
/// (`QModel::validate_architecture`).
#[test]
fn review2_fallback_bound_lets_an_accumulator_wrap() {
    let k = 64;
    let mut b = ModelBuilder::new("fallback", QuantConfig::default());
    let x = b.input("x", vec![1, k], 1.0, 32767).unwrap();
    let dense = Op::Dense {
        weight: vec![1; k],
        in_features: k,
        out_features: 1,
    };
    assert!(matches!(
        b.push("d", dense.clone(), vec![x], vec![1, 1], 1.0),
        Err(zkinfer_ir::IrError::BoundExceeded { .. })
    ));
    let mut honest = b.finish(vec![x]);
    honest.nodes.push(zkinfer_ir::Node {
        name: "d".into(),
        op: dense,
        inputs: vec![x],
        shape: vec![1, 1],
        scale: 1.0,
        bound: (1 << 21) - 1, // the old fallback's bound
        value_bits: 0,
    });
    let d = x + 1;
    honest.outputs = vec![d];
    assert!(crate::setup(honest.clone(), crate::ProofMode::ZeroKnowledge).is_err());

    // The committed weights: within 12 bits, so every range check holds.
    let mut weight = vec![2047i64; k];
    weight[k - 1] = 514;
    let mut model = honest.clone();
    let Op::Dense { weight: w, .. } = &mut model.nodes[d].op else {
        unreachable!()
    };
    w.clone_from(&weight);
    assert_eq!(strip_weights(&model), strip_weights(&honest));

    let p = F::ORDER_U64 as i128;
    let mut input = vec![0i64; k];
    input[..31].fill(32767);
    input[31] = 25115;
    input[k - 1] = 1;
    assert_eq!(int_dense(&weight, k, &input), vec![p + 5]);
    let y = field_dense(&weight, k, &input);
    assert_eq!(y, vec![5]);
    assert!(evaluate(&model, std::slice::from_ref(&input)).is_err());

    let keys = owner_keys(&model);
    let trace = Trace {
        values: vec![input.clone(), y],
    };
    let v = verdicts(&keys, &input, &trace);
    assert_eq!(
        v, [false; 3],
        "[plain, zk, zk private] accepted y = 5 where the committed weights give p + 5"
    );
}

/// FIXED (was beyond the documented gap: no fallback is involved). The verifier never re-derived
/// any recorded bound from the architecture, not even a public one. Input `[1, 8]` bound 127 ->
/// Dense1 8 -> 8 -> Dense2 8 -> 1 (output), every weight within 12 bits (committed as they are:
/// the weight range checks hold). Dense1's bound is public, `8 x 2047 x 127`; the owner's key
/// records 1 instead, and Dense2's bound derived from that by `infer_bound` itself,
/// `8 x 2047 x 1 = 16376` (the builder would refuse Dense2 with the true input bound: its public
/// bound is beyond the field, and its exact one too). Dense2's integer accumulator is
/// `p - 14838`; the field's is `-14838`, within the recorded bound, and every verifier accepts it.
/// Nothing but one recorded number is false, and a verifier could see from the stripped
/// architecture alone (fan-in, `weight_bits`, input bound) that it is inconsistent.
///
/// Was at fault (now both verifiers run `QModel::validate_architecture`): `verify.rs` `verify` and
/// `zk/verify.rs` `verify_zk_with` (and `VerifierKey::from_bytes`, `codec.rs`) took
/// `vk.architecture` as given: `QModel::validate` runs
/// on prover keys only, and nothing re-derives bounds, `value_bits` or `config` from a stripped
/// architecture. The recorded bounds then feed `Plan::compile` (requantization `q_min/q_max`, fused
/// ReLUs, max-pooling limbs) and `output.rs` (the output bound). The same lie works through a
/// `Const`'s `value_bits` (the width its range check uses) or `config.weight_bits`.
#[test]
fn review2_unchecked_recorded_bound_lets_an_accumulator_wrap() {
    let k = 8;
    let mut w1 = vec![0i64; k * k];
    for i in 0..k {
        w1[i * k + i] = 2047;
    }
    let w2 = vec![2047, 2047, 2047, 2047, 1009, 0, 0, 0];
    let mut b = ModelBuilder::new("chain", QuantConfig::default());
    let x = b.input("x", vec![1, k], 1.0, 127).unwrap();
    let d1 = Op::Dense {
        weight: w1.clone(),
        in_features: k,
        out_features: k,
    };
    let d1 = b.push("d1", d1, vec![x], vec![1, k], 1.0).unwrap();
    let mut model = b.finish(vec![d1]);
    model.validate().unwrap();
    assert_eq!(model.nodes[d1].bound, 8 * 2047 * 127, "the public bound");
    // The owner's key: Dense1's recorded bound lowered to 1, and Dense2 appended with the bound
    // `infer_bound` derives from that.
    model.nodes[d1].bound = 1;
    let op2 = Op::Dense {
        weight: w2.clone(),
        in_features: k,
        out_features: 1,
    };
    let bound2 = zkinfer_ir::infer_bound(&op2, 0, &[1], &[&[1, 8]], 2047);
    assert_eq!(bound2, 8 * 2047);
    model.nodes.push(zkinfer_ir::Node {
        name: "d2".into(),
        op: op2,
        inputs: vec![d1],
        shape: vec![1, 1],
        scale: 1.0,
        bound: bound2 as i64,
        value_bits: 0,
    });
    let d2 = d1 + 1;
    model.outputs = vec![d2];
    assert!(model.validate().is_err(), "the architecture is not valid");

    let input = vec![127, 127, 127, 127, 1, 0, 0, 0];
    let a1 = field_dense(&w1, k, &input);
    let p = F::ORDER_U64 as i128;
    assert_eq!(int_dense(&w2, k, &a1), vec![p - 14838]);
    let y = field_dense(&w2, k, &a1);
    assert_eq!(y, vec![-14838]);
    assert!(y[0].abs() <= model.nodes[d2].bound);

    let keys = owner_keys(&model);
    let trace = Trace {
        values: vec![input.clone(), a1, y],
    };
    let v = verdicts(&keys, &input, &trace);
    // The key file path (the CLI's): a fix may refuse the key when it is decoded instead.
    let decodes = [&keys.plain.1, &keys.zk.1]
        .map(|vk| VerifierKey::from_bytes(&vk.to_bytes()).is_ok())
        .contains(&true);
    assert!(
        !decodes || v == [false; 3],
        "the key decodes, and [plain, zk, zk private] = {v:?} accepted y = -14838 where the \
         weights give p - 14838"
    );
}

// ---------------------------------------------------------------------------------------------
// Padding of the committed weight tables
// ---------------------------------------------------------------------------------------------

/// The weight column of `src` in `plan`.
fn column_of(plan: &Plan, src: crate::plan::WeightSource) -> usize {
    plan.weight_sources.iter().position(|&s| s == src).unwrap()
}

/// Input `[1, 3]` -> Dense 3 -> 3 -> Requant (clamp `[1, 127]`) -> Dense 3 -> 1 (the output).
fn padded_chain() -> (QModel, [usize; 4]) {
    let mut b = ModelBuilder::new("padding", QuantConfig::default());
    let x = b.input("x", vec![1, 3], 1.0, 127).unwrap();
    let d1 = Op::Dense {
        weight: vec![3, -1, 2, 0, 5, 1, -4, 2, 2],
        in_features: 3,
        out_features: 3,
    };
    let d1 = b.push("d1", d1, vec![x], vec![1, 3], 1.0).unwrap();
    let rq = Op::Requant(zkinfer_ir::Requant {
        multiplier: 1,
        shift: 2,
        min: 1,
        max: 127,
    });
    let q = b.push("q", rq, vec![d1], vec![1, 3], 1.0).unwrap();
    let d2 = Op::Dense {
        weight: vec![7, -3, 5],
        in_features: 3,
        out_features: 1,
    };
    let d2 = b.push("d2", d2, vec![q], vec![1, 1], 1.0).unwrap();
    (b.finish(vec![d2]), [x, d1, q, d2])
}

/// Holds. Nothing shows a weight column's padding is zero (the range check bounds it by the width
/// only; `zk/weight_range.rs` shows zero only the leaves between the last column and the salt),
/// and a requantization whose clamp excludes 0 (here `[1, 127]`) has `out = 1` on its padded
/// entries. The owner commits Dense2's table `[7, -3, 5, 2047]` instead of `[7, -3, 5, 0]`
/// hoping the padding acts as a hidden bias (`y = honest + 2047`). It does not: the dense layer's
/// patch map (`maps::dense_input`) reads only the `K` real entries of its input, so the patch
/// matrix's padded rows are zero by construction and the padding weights multiply zeros. The
/// cheating prover's own matmul sumcheck does not balance; nothing is accepted. (The padding is
/// not bound to zero, so a key may commit tables no `pad(W)` gives, but they compute the same
/// function.)
#[test]
fn review2_weight_padding_is_not_a_hidden_bias() {
    let (model, [_, _, q, d2]) = padded_chain();
    model.validate().unwrap();
    let plan = Plan::compile(&model).unwrap();
    let mut tables = weight_tables(&model, &plan).unwrap();
    let col = column_of(&plan, crate::plan::WeightSource::DenseWeight(d2));
    assert_eq!(tables[col].len(), 4);
    assert_eq!(tables[col][3], F::ZERO, "honest padding");
    tables[col][3] = F::from_u64(2047);

    let input = vec![40, -17, 99];
    let honest = evaluate(&model, std::slice::from_ref(&input)).unwrap();
    assert_eq!(honest.values[q].len(), 3);
    let mut trace = honest.clone();
    trace.values[d2] = vec![honest.values[d2][0] + 2047];
    assert!(trace.values[d2][0].abs() <= model.nodes[d2].bound);

    let keys = owner_keys_with(&model, tables);
    let v = verdicts(&keys, &input, &trace);
    assert_eq!(
        v, [false; 3],
        "[plain, zk, zk private] accepted the output plus a bias hidden in the weight padding"
    );
}

/// Holds, for the same reason: a private input's padded entries are range checked but not shown
/// zero, and with weight padding `[w0, w1, w2, 2047]` a cheating prover commits the input table
/// `[x0, x1, x2, 100]` hoping for `y = W x + 204700`. The dense patch map never reads the padding:
/// the prover's own sumcheck fails.
#[test]
fn review2_private_input_padding_does_not_reach_the_output() {
    let mut b = ModelBuilder::new("private", QuantConfig::default());
    let x = b.input("x", vec![1, 3], 1.0, 127).unwrap();
    let d = Op::Dense {
        weight: vec![7, -3, 5],
        in_features: 3,
        out_features: 1,
    };
    let d = b.push("d", d, vec![x], vec![1, 1], 1.0).unwrap();
    let model = b.finish(vec![d]);
    let plan = Plan::compile(&model).unwrap();
    let mut tables = weight_tables(&model, &plan).unwrap();
    let col = column_of(&plan, crate::plan::WeightSource::DenseWeight(d));
    tables[col][3] = F::from_u64(2047);
    let keys = owner_keys_with(&model, tables);

    let input = vec![40, -17, 99];
    let honest = evaluate(&model, std::slice::from_ref(&input)).unwrap();
    let y = honest.values[d][0] + 2047 * 100;
    assert!(y.abs() <= model.nodes[d].bound);
    let trace = Trace {
        values: vec![vec![40, -17, 99, 100], vec![y]],
    };
    let (pk, vk) = &keys.zk;
    let accepted = prove_zk_trace(pk, &keys.prepared, &input, true, trace)
        .and_then(|z| verify_zk_private(vk, &z.output, &z.proof).map(|_| true));
    assert!(
        !matches!(accepted, Ok(true)),
        "verify_zk_private accepted y = W x + 2047 * 100 from input padding"
    );
}

// ---------------------------------------------------------------------------------------------
// Keys and modes
// ---------------------------------------------------------------------------------------------

/// Holds. Keys serve one mode, and a proof of model A does not verify under the key of a model B
/// that differs from A in one public quantization parameter only (a requantization's multiplier,
/// same weights, same outputs on this input): the verifiers refuse the other mode's key
/// (`WrongMode`) and the model hash in the statement separates A from B.
#[test]
fn review2_modes_and_models_do_not_mix() {
    use crate::test_support::{input_len, mlp};
    use crate::{ProofMode, ProtocolError, prove, prove_zk, setup};
    let a = mlp(5);
    let mut b_model = a.clone();
    let q1 = 4;
    let Op::Requant(r) = &mut b_model.nodes[q1].op else {
        panic!("node 4 is the first requantization")
    };
    r.multiplier += 1;
    let b_model = crate::prepare_for_proving(&b_model).unwrap();
    let input = crate::test_support::Rng(3).vec(input_len(&a), 127);
    let (pa, va) = setup(a.clone(), ProofMode::Plain).unwrap();
    let (za, zva) = setup(a, ProofMode::ZeroKnowledge).unwrap();
    let (_, vb) = setup(b_model.clone(), ProofMode::Plain).unwrap();
    let (_, zvb) = setup(b_model, ProofMode::ZeroKnowledge).unwrap();
    let (out, proof) = prove(&pa, &input).unwrap();
    verify(&va, &input, &out, &proof).unwrap();
    assert!(verify(&vb, &input, &out, &proof).is_err());
    assert!(matches!(
        verify(&zva, &input, &out, &proof),
        Err(ProtocolError::WrongMode { .. })
    ));
    let (zout, zproof) = prove_zk(&za, &input).unwrap();
    verify_zk(&zva, &input, &zout, &zproof).unwrap();
    assert!(verify_zk(&zvb, &input, &zout, &zproof).is_err());
    assert!(matches!(
        verify_zk(&va, &input, &zout, &zproof),
        Err(ProtocolError::WrongMode { .. })
    ));
    // A zero-knowledge key whose digest is swapped in from B's (same architecture hash as A's
    // only if the models agree): refused.
    let mut hybrid = zva.clone();
    hybrid.binding = zvb.binding.clone();
    assert!(verify_zk(&hybrid, &input, &zout, &zproof).is_err());
}
