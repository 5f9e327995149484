//! Every data-movement map proves the IR evaluator's semantics: a model chaining them proves and
//! verifies, and a wrong output is rejected.

use zkinfer_ir::{ModelBuilder, Op, QuantConfig, Requant};

fn rq() -> Op {
    Op::Requant(Requant {
        multiplier: 1,
        shift: 1,
        min: -127,
        max: 127,
    })
}

#[test]
fn slice_concat_pad_transpose_reduce_prove() {
    let mut b = ModelBuilder::new("moves", QuantConfig::default());
    let x = b.input("x", vec![1, 2, 3, 4], 1.0, 100).unwrap();
    let t = b
        .push(
            "t",
            Op::Transpose {
                perm: vec![0, 1, 3, 2],
            },
            vec![x],
            vec![1, 2, 4, 3],
            1.0,
        )
        .unwrap();
    let s = b
        .push(
            "s",
            Op::Slice {
                axis: 2,
                start: 1,
                end: 4,
                step: 2,
            },
            vec![t],
            vec![1, 2, 2, 3],
            1.0,
        )
        .unwrap();
    let p = b
        .push(
            "p",
            Op::Pad {
                pads: vec![[0, 0], [0, 0], [1, 0], [0, 2]],
                value: 0,
            },
            vec![s],
            vec![1, 2, 3, 5],
            1.0,
        )
        .unwrap();
    let c = b
        .push(
            "c",
            Op::Concat { axis: 2 },
            vec![p, p],
            vec![1, 2, 6, 5],
            1.0,
        )
        .unwrap();
    let r = b
        .push(
            "r",
            Op::ReduceSum { axes: vec![3] },
            vec![c],
            vec![1, 2, 6, 1],
            1.0,
        )
        .unwrap();
    let q = b.push("q", rq(), vec![r], vec![1, 2, 6, 1], 1.0).unwrap();
    let f = b.push("f", Op::Reshape, vec![q], vec![1, 12], 1.0).unwrap();
    let w: Vec<i64> = (0..36).map(|i| (i * 13 % 41) - 20).collect();
    let d = b
        .push(
            "d",
            Op::Dense {
                weight: w,
                in_features: 12,
                out_features: 3,
            },
            vec![f],
            vec![1, 3],
            1.0,
        )
        .unwrap();
    let model = b.finish(vec![d]);
    let input: Vec<i64> = (0..24).map(|i| (i * 37 % 201) - 100).collect();
    let expected = zkinfer_ir::evaluate(&model, std::slice::from_ref(&input)).unwrap();
    let (pk, vk) = crate::setup(model, crate::ProofMode::Plain).unwrap();
    let (out, proof) = crate::prove(&pk, &input).unwrap();
    assert_eq!(out, expected.values[d]);
    crate::verify(&vk, &input, &out, &proof).unwrap();
    let mut wrong = out.clone();
    wrong[1] += 1;
    assert!(crate::verify(&vk, &input, &wrong, &proof).is_err());
}
