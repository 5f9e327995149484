//! Cheating setups whose committed weights lie outside the widths their architecture declares
//! (docs/pitfalls.md, 11): setup and the honest prover refuse them, a zero-knowledge proof made from
//! them anyway is rejected by the verifier at the weight range check, and the plain prover cannot
//! make one (its range check does not balance). Without the check, each of these proofs verified:
//! the layers' relations hold in the field whatever the weights' magnitudes.

use zkinfer_field::{F, PrimeField64, decode_signed, encode_signed};
use zkinfer_ir::{ModelBuilder, Op, QModel, Trace, evaluate};
use zkinfer_layers::LayerError;

use crate::owner_keys::{OwnerKeys, owner_keys};
use crate::prove::{Prepared, WeightData, prove_trace};
use crate::test_support::{Rng, input_len, linear, mlp};
use crate::zk::prove_zk_trace;
use crate::{ProofMode, ProtocolError, setup, verify_zk};

/// The integer model's trace on weights the builder would refuse: evaluated on a copy whose config
/// allows 16-bit weights and whose recorded widths and bounds follow the values (a widened copy of
/// the model, node ids unchanged). The trace is what the cheating prover proves.
fn evaluate_unchecked(m: &QModel, input: &[i64]) -> Trace {
    let mut config = m.config.clone();
    config.weight_bits = 16;
    let mut b = ModelBuilder::new(&m.name, config);
    for n in &m.nodes {
        match n.op {
            Op::Input { .. } => b.input(&n.name, n.shape.clone(), n.scale, n.bound),
            _ => b.push(
                &n.name,
                n.op.clone(),
                n.inputs.clone(),
                n.shape.clone(),
                n.scale,
            ),
        }
        .unwrap();
    }
    evaluate(&b.finish(m.outputs.clone()), &[input.to_vec()]).unwrap()
}

/// `r` is the refusal of weight column `column` by its range check (node `node`).
fn assert_range_refusal<T: std::fmt::Debug>(
    r: Result<T, ProtocolError>,
    node: usize,
    column: &str,
    zero_knowledge: bool,
) {
    match r {
        Err(ProtocolError::Layer {
            node: n,
            name,
            source,
        }) => {
            assert_eq!((n, name.as_str()), (node, column), "{source}");
            if zero_knowledge {
                // The zero-knowledge range check's fractional sums do not cancel.
                assert!(
                    matches!(&source, LayerError::Parameter { layer: "signed range (zk)", detail }
                        if detail.contains("do not cancel")),
                    "{source}"
                );
            } else {
                assert!(matches!(source, LayerError::Lookup(_)), "{source}");
            }
        }
        other => panic!("expected {column}'s range check to refuse, got {other:?}"),
    }
}

/// Proves `trace` in both modes with the cheating state and asserts the weight range check stops
/// each: the zero-knowledge proof is made and rejected by the verifier, the plain one is not made.
fn assert_rejected_in_both_modes(
    cheat: &OwnerKeys,
    input: &[i64],
    trace: Trace,
    node: usize,
    column: &str,
) {
    let prepared = &cheat.prepared;
    for (pk, _) in [&cheat.plain, &cheat.zk] {
        // The honest prover refuses the key, naming the column.
        match Prepared::new(pk) {
            Err(ProtocolError::Malformed(m)) => {
                assert!(m.contains(column) && m.contains("declared width"), "{m}")
            }
            other => panic!(
                "expected the prover to refuse the weights, got {:?}",
                other.err()
            ),
        }
    }
    let (pk, vk) = &cheat.zk;
    let z = prove_zk_trace(pk, prepared, input, false, trace.clone()).unwrap();
    assert_range_refusal(
        verify_zk(vk, input, &z.output, &z.proof),
        node,
        column,
        true,
    );
    let (pk, _) = &cheat.plain;
    let data = WeightData::Owned(Box::new(prepared.commit(pk).unwrap()));
    assert_range_refusal(
        prove_trace(pk, prepared, data, input, trace),
        node,
        column,
        false,
    );
}

/// A kernel weight of `2^(b-1) + 5` (b = 12 bits declared by the model's config). The static bounds
/// come from the widths, not the weights, so the architecture is the honest one and the proof is
/// consistent in every other respect; the trace is the integer model's on the changed weights.
#[test]
fn a_kernel_weight_beyond_the_declared_width_is_rejected() {
    let mut model = mlp(1);
    let d1 = 1;
    let Op::Dense { weight, .. } = &mut model.nodes[d1].op else {
        panic!("node 1 is the first dense layer")
    };
    let over = (1i64 << (model.config.weight_bits - 1)) + 5;
    weight[3] = over;
    let err = model.validate().unwrap_err().to_string();
    assert!(err.contains(&format!("weight {over} exceeds")), "{err}");
    match setup(model.clone(), ProofMode::ZeroKnowledge) {
        Err(e) => assert!(e.to_string().contains(&format!("weight {over}")), "{e}"),
        Ok(_) => panic!("setup accepted weights beyond their width"),
    }
    let input = Rng(2).vec(input_len(&model), 127);
    let trace = evaluate_unchecked(&model, &input);
    let cheat = owner_keys(&model);
    assert_rejected_in_both_modes(&cheat, &input, trace, d1, "d1/weight");
}

/// A bias constant beyond the width its node declares (`value_bits`, in the architecture).
#[test]
fn a_constant_beyond_its_declared_width_is_rejected() {
    let honest = mlp(1);
    let b1 = 2;
    let declared = honest.nodes[b1].value_bits;
    let mut model = honest.clone();
    let Op::Const { values } = &mut model.nodes[b1].op else {
        panic!("node 2 is the first bias")
    };
    values[0] = 1 << declared;
    // The architecture keeps the declared width and the bounds it gives; the values exceed it.
    let input = Rng(2).vec(input_len(&model), 127);
    let trace = evaluate_unchecked(&model, &input);
    let cheat = owner_keys(&model);
    assert_rejected_in_both_modes(&cheat, &input, trace, b1, "b1/const");
}

/// A weight near `p / 2`: with input 2 at its position, `w x` wraps to `-3` in the field, so the
/// proven output is small and within its static bound, while the integer model's accumulator is
/// about `2^31` (beyond every bound). The cheating prover proves the field's trace; only the width
/// check stops it.
#[test]
fn a_weight_near_half_the_field_that_wraps_an_accumulator_is_rejected() {
    let mut model = linear(1);
    let d = 1;
    let near_half = (F::ORDER_U64 / 2 - 1) as i64;
    let Op::Dense { weight, .. } = &mut model.nodes[d].op else {
        panic!("node 1 is the dense layer")
    };
    weight[0] = near_half;
    let w = weight.clone();
    let cheat = owner_keys(&model);
    let pk = &cheat.zk.0;
    let mut input = Rng(2).vec(input_len(&pk.model), 127);
    input[0] = 2;
    // The trace in the field: out[n] = sum_k w[n, k] x[k] mod p, read as a signed integer.
    let out: Vec<i64> = w
        .chunks(input.len())
        .map(|row| {
            let acc: F = row
                .iter()
                .zip(&input)
                .map(|(&a, &x)| encode_signed::<F>(a).unwrap() * encode_signed::<F>(x).unwrap())
                .sum();
            decode_signed(acc)
        })
        .collect();
    let integer: i128 = w
        .iter()
        .zip(&input)
        .map(|(&a, &x)| a as i128 * x as i128)
        .sum();
    assert!(
        integer > 1 << 30,
        "the integer accumulator is beyond the field's half"
    );
    assert!(
        out.iter().all(|v| v.abs() <= pk.model.nodes[d].bound),
        "{out:?}"
    );
    let trace = Trace {
        values: vec![input.clone(), out],
    };
    assert_rejected_in_both_modes(&cheat, &input, trace, d, "d/weight");
}
