use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Table, TableFn};

use super::*;
use crate::test_support::{cnn, maxpool, mlp};

/// Input [1, 4] -> `op` ("odd", reading the input as often as its arity asks) -> Dense 4->2
/// ("out"), so the odd node is an inner one and the model has weights.
fn with_inner(op: Op) -> QModel {
    let mut b = ModelBuilder::new("odd", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 7).unwrap();
    let dense = |n: usize| Op::Dense {
        weight: vec![1; 4 * n],
        in_features: 4,
        out_features: n,
    };
    let ins = vec![x; op.arity().unwrap_or(1)];
    let odd = b.push("odd", op, ins, vec![1, 4], 1.0).unwrap();
    let out = b.push("out", dense(2), vec![odd], vec![1, 2], 1.0).unwrap();
    b.finish(vec![out])
}

fn unproven_ops() -> Vec<Op> {
    vec![
        Op::Mul,
        Op::Clamp { min: -3, max: 3 },
        Op::Lookup(Table {
            func: TableFn::Sigmoid,
            in_scale: 1.0,
            out_scale: 1.0,
            in_min: -8,
            values: (0..16).collect(),
        }),
        Op::DivRound { shift: 2 },
    ]
}

#[test]
fn test_models_prove_in_both_modes_and_use_only_proven_ops() {
    for model in [mlp(1), cnn(2), maxpool(3)] {
        for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
            check_provable(&model, mode)
                .unwrap_or_else(|e| panic!("{} in {mode:?}: {e}", model.name));
        }
        assert!(node_refusals(&model).is_empty(), "{}", model.name);
        for node in &model.nodes {
            assert_ne!(op_proof(node.op.name()), OpProof::Refused, "{}", node.name);
        }
    }
}

#[test]
fn an_unproven_operator_is_named_in_both_modes() {
    for op in unproven_ops() {
        let name = op.name();
        assert_ne!(op_proof(name), OpProof::Proven, "{name}");
        let model = with_inner(op);
        for mode in [ProofMode::Plain, ProofMode::ZeroKnowledge] {
            let err = check_provable(&model, mode).expect_err(name).to_string();
            assert!(err.contains("(odd)"), "{name} in {mode:?}: {err}");
        }
        let refused = node_refusals(&model);
        assert_eq!(refused.len(), 1, "{name}: {refused:?}");
        assert_eq!(refused[0].node.as_deref(), Some("odd"), "{name}");
        // setup refuses exactly what check_provable refuses.
        assert!(crate::setup(model, ProofMode::Plain).is_err(), "{name}");
    }
}

#[test]
fn every_refused_node_is_listed_not_only_the_first() {
    let mut b = ModelBuilder::new("two", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 7).unwrap();
    let m1 = b.push("m1", Op::Mul, vec![x, x], vec![1, 4], 1.0).unwrap();
    let m2 = b.push("m2", Op::Mul, vec![m1, x], vec![1, 4], 1.0).unwrap();
    let d = Op::Dense {
        weight: vec![1; 8],
        in_features: 4,
        out_features: 2,
    };
    let out = b.push("d", d, vec![m2], vec![1, 2], 1.0).unwrap();
    let model = b.finish(vec![out]);
    let names: Vec<_> = node_refusals(&model)
        .into_iter()
        .map(|r| r.node.unwrap_or_default())
        .collect();
    assert_eq!(names, ["m1", "m2"]);
    assert!(Plan::compile(&model).is_err());
}

#[test]
fn proven_ops_are_ir_operator_names() {
    let names = [
        "Input",
        "Const",
        "Dense",
        "Conv2d",
        "MatMul",
        "Add",
        "Mul",
        "DivRound",
        "Requant",
        "Clamp",
        "Lookup",
        "MaxPool2d",
        "SumPool2d",
        "ReduceSum",
        "ReduceMax",
        "Reshape",
        "Transpose",
        "Concat",
        "Slice",
        "Pad",
    ];
    for p in PROVEN_OPS {
        assert!(names.contains(p), "{p}");
    }
    for n in ["MatMul", "Mul", "DivRound", "Lookup", "ReduceMax"] {
        assert_eq!(op_proof(n), OpProof::Refused, "{n}");
    }
}
