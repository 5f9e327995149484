//! Adversarial review 4: plain wiring and matmul now run the masked engine's clear run, the last
//! wiring input's and the matmul input's values are solved by the verifier from the final check
//! (never sent, never checked at the final point), and the layer proofs are generic over the mode
//! (`WiringProof<M>`, `MatMulProof<M>`, `#[serde(bound = "")]`).
//!
//! Every test asserts that the verifier REJECTS the false statement or the altered proof (or, for
//! the one completeness test, that the honest prover succeeds). The layer-level cheating provers
//! are in `crates/layers/src/review4_tests.rs`.

use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant, evaluate};
use zkinfer_layers::wiring::WiringProof;
use zkinfer_layers::{Plain, Zk};

use crate::owner_keys::{owner_keys, verdicts};
use crate::prove::{WeightData, prove_trace};
use crate::test_support::{Rng, cnn, linear, maxpool, mlp, regression};
use crate::zk::prove_zk_trace;
use crate::{ModelProof, ProofMode, StepProof, prove, prove_zk, setup, verify, verify_zk};

fn dense(r: &mut Rng, i: usize, o: usize, b: i64) -> Op {
    Op::Dense {
        weight: r.vec(i * o, b),
        in_features: i,
        out_features: o,
    }
}

fn rq() -> Op {
    Op::Requant(Requant {
        multiplier: 5,
        shift: 10,
        min: 0,
        max: 127,
    })
}

/// Input x [1, 8] -> Dense 8->4 -> Requant (q) -> Concat of (q, x) or (x, q) -> Dense 12->2: a
/// wiring of two inputs of different sizes (2 and 3 variables; the smaller is zero-extended), whose
/// last (solved) input is the public input or a committed witness column.
fn concat(seed: u64, input_last: bool) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("concat", QuantConfig::default());
    let x = b.input("x", vec![1, 8], 1.0, 127).unwrap();
    let d = b
        .push("d", dense(&mut r, 8, 4, 127), vec![x], vec![1, 4], 1.0)
        .unwrap();
    let q = b.push("q", rq(), vec![d], vec![1, 4], 1.0).unwrap();
    let ins = if input_last { vec![q, x] } else { vec![x, q] };
    let c = b
        .push("cat", Op::Concat { axis: 1 }, ins, vec![1, 12], 1.0)
        .unwrap();
    let out = b
        .push("out", dense(&mut r, 12, 2, 127), vec![c], vec![1, 2], 1.0)
        .unwrap();
    b.finish(vec![out])
}

/// Input x [1, 4] -> Dense 4->4 (d) -> Add(d, d) with coefficients [1, -1] (identically zero) ->
/// Add with a constant: a wiring whose two inputs are one tensor, with opposite maps, so the
/// solved input's coefficient and the sent one's cancel on the tensor.
fn self_cancel(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("cancel", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let d = b
        .push("d", dense(&mut r, 4, 4, 127), vec![x], vec![1, 4], 1.0)
        .unwrap();
    let z = b
        .push(
            "z",
            Op::Add { coeffs: [1, -1] },
            vec![d, d],
            vec![1, 4],
            1.0,
        )
        .unwrap();
    let k = b
        .push(
            "k",
            Op::Const {
                values: r.vec(4, 100),
            },
            vec![],
            vec![4],
            1.0,
        )
        .unwrap();
    let out = b
        .push(
            "out",
            Op::Add { coeffs: [1, 1] },
            vec![z, k],
            vec![1, 4],
            1.0,
        )
        .unwrap();
    b.finish(vec![out])
}

fn models() -> Vec<(&'static str, QModel, usize)> {
    vec![
        ("mlp", mlp(1), 12),
        ("cnn", cnn(2), 36),
        ("maxpool", maxpool(3), 64),
        ("linear", linear(4), 4),
        ("regression", regression(5), 4),
        ("concat q,x", concat(6, true), 8),
        ("concat x,q", concat(7, false), 8),
        ("self cancel", self_cancel(8), 4),
    ]
}

fn input(len: usize, seed: u64) -> Vec<i64> {
    Rng(seed).vec(len, 100)
}

/// Plain only: whether the plain verifier accepts `trace` proven by the honest prover.
fn plain_accepts(model: &QModel, input: &[i64], trace: zkinfer_ir::Trace) -> bool {
    let keys = owner_keys(model);
    let (pk, vk) = &keys.plain;
    let data = WeightData::Owned(Box::new(keys.prepared.commit(pk).unwrap()));
    match prove_trace(pk, &keys.prepared, data, input, trace) {
        Ok((out, proof, _)) => verify(vk, input, &out, &proof).is_ok(),
        Err(_) => false,
    }
}

/// A false value in any node's tensor (one entry off by one, first or last entry), proven by the
/// honest prover on the tampered trace: refused by the plain verifier, for every node of every
/// model; the output node's lie is refused in all three modes.
#[test]
fn review4_tampered_traces_are_refused() {
    for (name, model, len) in models() {
        let x = input(len, 17);
        let honest = evaluate(&model, std::slice::from_ref(&x)).unwrap();
        assert!(plain_accepts(&model, &x, honest.clone()), "{name}: honest");
        let input_id = model.inputs[0];
        for id in 0..model.nodes.len() {
            if id == input_id || matches!(model.nodes[id].op, Op::Const { .. }) {
                continue;
            }
            for last in [false, true] {
                let mut t = honest.clone();
                let v = &mut t.values[id];
                let j = if last { v.len() - 1 } else { 0 };
                v[j] += 1;
                assert!(
                    !plain_accepts(&model, &x, t),
                    "{name}: node {id} ({}) entry {j} off by one accepted",
                    model.nodes[id].name
                );
            }
        }
        let out = model.outputs[0];
        let mut t = honest.clone();
        t.values[out][0] -= 3;
        let keys = owner_keys(&model);
        assert_eq!(verdicts(&keys, &x, &t), [false; 3], "{name}: false output");
    }
}

/// Every wiring proof in a plain model proof (the output view, linear steps, a matmul's two
/// wirings, max pooling's taps) and every matmul proof, altered in the ways the new schedule
/// could miss: a sent final value moved, a round moved while keeping its sum (so only the point
/// and the solved value change), a final value added or removed.
#[test]
fn review4_altered_layer_proofs_are_refused() {
    for (name, model, len) in models() {
        let (pk, vk) = setup(model, ProofMode::Plain).unwrap();
        let x = input(len, 23);
        let (out, proof) = prove(&pk, &x).unwrap();
        verify(&vk, &x, &out, &proof).unwrap();
        let mut variants: Vec<(String, ModelProof)> = Vec::new();
        let n_wirings = wirings_mut(&mut proof.clone()).len();
        for w in 0..n_wirings {
            for alter in 0..4 {
                let mut p = proof.clone();
                let mut ws = wirings_mut(&mut p);
                let s = &mut ws[w].sumcheck;
                let done = alter_clear(s, alter);
                if done {
                    variants.push((format!("wiring {w} alteration {alter}"), p));
                }
            }
        }
        for (i, step) in proof.steps.iter().enumerate() {
            if let StepProof::MatMul { .. } = step {
                for alter in 0..4 {
                    let mut p = proof.clone();
                    let StepProof::MatMul { matmul, .. } = &mut p.steps[i] else {
                        unreachable!()
                    };
                    if alter_clear(&mut matmul.sumcheck, alter) {
                        variants.push((format!("matmul step {i} alteration {alter}"), p));
                    }
                }
                let mut p = proof.clone();
                let StepProof::MatMul { matmul, .. } = &mut p.steps[i] else {
                    unreachable!()
                };
                if let Some(b) = &mut matmul.bias_eval {
                    *b += EF::ONE;
                    variants.push((format!("matmul step {i} bias"), p));
                }
            }
        }
        assert!(!variants.is_empty());
        for (what, p) in variants {
            assert!(
                verify(&vk, &x, &out, &p).is_err(),
                "{name}: {what} accepted"
            );
        }
    }
}

/// Sub-proofs moved: a matmul's two wirings exchanged, two steps of the same kind exchanged, a
/// linear step's proof replayed at the output view.
#[test]
fn review4_swapped_sub_proofs_are_refused() {
    for (name, model, len) in models() {
        let (pk, vk) = setup(model, ProofMode::Plain).unwrap();
        let x = input(len, 29);
        let (out, proof) = prove(&pk, &x).unwrap();
        let mut variants: Vec<(String, ModelProof)> = Vec::new();
        for i in 0..proof.steps.len() {
            let mut p = proof.clone();
            if let StepProof::MatMul {
                to_prod, patches, ..
            } = &mut p.steps[i]
            {
                std::mem::swap(to_prod, patches);
                variants.push((format!("step {i}: to_prod <-> patches"), p));
            }
            let mut p = proof.clone();
            if let StepProof::Linear(w) = &p.steps[i] {
                p.output_view = w.clone();
                variants.push((format!("step {i} replayed as the output view"), p));
            }
            if let StepProof::MaxPool { taps, .. } = &proof.steps[i]
                && taps.len() > 1
            {
                let mut p = proof.clone();
                let StepProof::MaxPool { taps, .. } = &mut p.steps[i] else {
                    unreachable!()
                };
                taps.swap(0, 1);
                variants.push((format!("step {i}: taps 0 <-> 1"), p));
            }
            for j in i + 1..proof.steps.len() {
                if std::mem::discriminant(&proof.steps[i])
                    == std::mem::discriminant(&proof.steps[j])
                {
                    let mut p = proof.clone();
                    p.steps.swap(i, j);
                    variants.push((format!("steps {i} <-> {j}"), p));
                }
            }
        }
        for (what, p) in variants {
            assert!(
                verify(&vk, &x, &out, &p).is_err(),
                "{name}: {what} accepted"
            );
        }
    }
}

/// The generic proof types' serde (`#[serde(bound = "")]`): a zero-knowledge wiring proof's bytes
/// read as a plain one (postcard has no tags to tell them apart) and put in a plain proof are
/// refused; and a plain proof's bytes round-trip exactly.
#[test]
fn review4_zk_wiring_bytes_in_a_plain_proof_are_refused() {
    for (name, model, len) in models() {
        let keys = owner_keys(&model);
        let x = input(len, 31);
        let trace = evaluate(&model, std::slice::from_ref(&x)).unwrap();
        let z = prove_zk_trace(&keys.zk.0, &keys.prepared, &x, false, trace).unwrap();
        let (pk, vk) = &keys.plain;
        let (out, proof) = prove(pk, &x).unwrap();
        let bytes = postcard::to_allocvec(&proof).unwrap();
        let back: ModelProof = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(postcard::to_allocvec(&back).unwrap(), bytes, "{name}");
        let zk_view = postcard::to_allocvec(&z.proof.output_view).unwrap();
        if let Ok(as_plain) = postcard::from_bytes::<WiringProof<Plain>>(&zk_view) {
            let mut p = proof.clone();
            p.output_view = as_plain;
            assert!(
                verify(vk, &x, &out, &p).is_err(),
                "{name}: zk view as plain"
            );
        }
        let plain_view = postcard::to_allocvec(&proof.output_view).unwrap();
        if let Ok(as_zk) = postcard::from_bytes::<WiringProof<Zk>>(&plain_view) {
            let mut p = z.proof.clone();
            p.output_view = as_zk;
            assert!(
                verify_zk(&keys.zk.1, &x, &z.output, &p).is_err(),
                "{name}: plain view as zk"
            );
        }
    }
}

/// `alter` 0: the first final value + 1; 1: the first round's `s(0) + 1`, `s(1) - 1` (the round
/// sum holds; the challenge and the solved value move); 2: a final value more; 3: one fewer.
/// Returns whether the alteration applied.
fn alter_clear(s: &mut zkinfer_sumcheck::zk::masked::ClearSumcheckProof<EF>, alter: usize) -> bool {
    match alter {
        0 => match s.final_values.first_mut() {
            Some(v) => {
                *v += EF::ONE;
                true
            }
            None => false,
        },
        1 => match s.rounds.round_polys.first_mut() {
            Some(r) => {
                r[0] += EF::ONE;
                r[1] -= EF::ONE;
                true
            }
            None => false,
        },
        2 => {
            s.final_values.push(EF::ONE);
            true
        }
        _ => s.final_values.pop().is_some(),
    }
}

fn wirings_mut(p: &mut ModelProof) -> Vec<&mut WiringProof<Plain>> {
    let mut out = vec![&mut p.output_view];
    for s in &mut p.steps {
        match s {
            StepProof::Linear(w) => out.push(w),
            StepProof::MatMul {
                to_prod, patches, ..
            } => {
                out.push(to_prod);
                out.push(patches);
            }
            StepProof::MaxPool { taps, .. } => out.extend(taps.iter_mut()),
            StepProof::Requant(_) => {}
        }
    }
    out
}

/// Input [1, 4] -> Dense 4->2 with all-zero weights -> + constant: an honest model (a pruned
/// layer).
fn zero_dense() -> QModel {
    let mut b = ModelBuilder::new("zero", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let d = Op::Dense {
        weight: vec![0; 8],
        in_features: 4,
        out_features: 2,
    };
    let d = b.push("d", d, vec![x], vec![1, 2], 1.0).unwrap();
    let k = b
        .push(
            "k",
            Op::Const {
                values: vec![5, -7],
            },
            vec![],
            vec![2],
            1.0,
        )
        .unwrap();
    let out = b
        .push(
            "out",
            Op::Add { coeffs: [1, 1] },
            vec![d, k],
            vec![1, 2],
            1.0,
        )
        .unwrap();
    b.finish(vec![out])
}

/// Completeness (not soundness): the plain matmul solves `x` from `w(r_o, r_k) x = e`; with
/// all-zero weights the coefficient is zero at every point and the verifier (and the honest
/// prover, which derives its claims by the same code) refuses. The zero-knowledge matmul masks
/// `w`, so its coefficient is nonzero with high probability and it proves.
#[test]
fn review4_zero_weight_dense_proves_in_plain_mode() {
    let (pk, vk) = setup(zero_dense(), ProofMode::Plain).unwrap();
    let x = vec![1, 2, 3, 4];
    let (out, proof) = prove(&pk, &x).expect("honest plain proof");
    verify(&vk, &x, &out, &proof).unwrap();
}

/// The same model in zero knowledge proves, and a false output is refused; in plain mode a false
/// output is refused too (the prover cannot produce a proof at all).
#[test]
fn review4_zero_weight_dense_false_output_is_refused() {
    let model = zero_dense();
    let x = vec![1, 2, 3, 4];
    let (pk, vk) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    let (out, proof) = prove_zk(&pk, &x).unwrap();
    assert_eq!(out, vec![5, -7]);
    verify_zk(&vk, &x, &out, &proof).unwrap();
    let mut t = evaluate(&model, std::slice::from_ref(&x)).unwrap();
    t.values[model.outputs[0]][1] += 1;
    assert_eq!(verdicts(&owner_keys(&model), &x, &t), [false; 3]);
}

/// Input x [1, 4] -> Dense 4->4 (d) -> `Add { coeffs }` of (d, x): with a zero coefficient one
/// input's map has only zero entries, so its pulled-back table vanishes.
fn zero_coeff_add(coeffs: [i64; 2]) -> QModel {
    let mut r = Rng(41);
    let mut b = ModelBuilder::new("zadd", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let d = b
        .push("d", dense(&mut r, 4, 4, 127), vec![x], vec![1, 4], 1.0)
        .unwrap();
    let out = b
        .push("out", Op::Add { coeffs }, vec![d, x], vec![1, 4], 1.0)
        .unwrap();
    b.finish(vec![out])
}

/// Completeness (not soundness): `coeffs = [1, 0]` makes the LAST (solved) input's pulled-back
/// map zero, so `coeff = z^2 M_last(s_low) = 0` and the plain wiring refuses even the honest
/// prover. The old plain wiring ran one sumcheck per input and checked `0 = 0` there.
#[test]

fn review4_zero_coefficient_last_input_proves_in_plain_mode() {
    let (pk, vk) = setup(zero_coeff_add([1, 0]), ProofMode::Plain).unwrap();
    let x = vec![1, -2, 3, 4];
    let (out, proof) = prove(&pk, &x).expect("honest plain proof");
    verify(&vk, &x, &out, &proof).unwrap();
}

/// A zero coefficient on either input: a false output is refused in every mode (a sent input with
/// a zero map gets a free value, which only its own settlement pins down: here the public input
/// or the matmul below).
#[test]
fn review4_zero_coefficient_add_false_output_is_refused() {
    for coeffs in [[0, 1], [1, 0]] {
        let model = zero_coeff_add(coeffs);
        let x = vec![1, -2, 3, 4];
        let honest = evaluate(&model, std::slice::from_ref(&x)).unwrap();
        for j in 0..4 {
            let mut t = honest.clone();
            t.values[model.outputs[0]][j] += 1;
            assert_eq!(
                verdicts(&owner_keys(&model), &x, &t),
                [false; 3],
                "{coeffs:?} entry {j}"
            );
        }
    }
}

/// Zero knowledge with a zero coefficient on the solved input (the zk wiring defers the last
/// non-weight input, here the public input, as before this change).
#[test]
fn review4_zero_coefficient_last_input_proves_in_zk_mode() {
    let (pk, vk) = setup(zero_coeff_add([1, 0]), ProofMode::ZeroKnowledge).unwrap();
    let x = vec![1, -2, 3, 4];
    let (out, proof) = prove_zk(&pk, &x).expect("honest zk proof");
    verify_zk(&vk, &x, &out, &proof).unwrap();
}
