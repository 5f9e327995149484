use proptest::prelude::*;

use crate::{IrError, ModelBuilder, Op, QuantConfig, Requant, Table, TableFn, evaluate};

fn cfg() -> QuantConfig {
    QuantConfig::default()
}

#[test]
fn dense_bias_requant_relu_by_hand() {
    let mut b = ModelBuilder::new("t", cfg());
    let x = b.input("x", vec![1, 3], 1.0, 10).unwrap();
    let w = vec![1, -2, 3, 0, 1, -1]; // [2, 3]
    let d = b
        .push(
            "fc",
            Op::Dense {
                weight: w,
                in_features: 3,
                out_features: 2,
            },
            vec![x],
            vec![1, 2],
            1.0,
        )
        .unwrap();
    // Public: fan-in 3 x the 12-bit weight maximum 2047 x the input bound 10, whatever the weights.
    assert_eq!(b.node(d).bound, 3 * 2047 * 10);
    let bias = b
        .push(
            "bias",
            Op::Const {
                values: vec![1, -1],
            },
            vec![],
            vec![2],
            1.0,
        )
        .unwrap();
    let s = b
        .push(
            "add",
            Op::Add { coeffs: [1, 1] },
            vec![d, bias],
            vec![1, 2],
            1.0,
        )
        .unwrap();
    let r = Requant {
        multiplier: 1,
        shift: 1,
        min: 0,
        max: 127,
    };
    let q = b
        .push("rq", Op::Requant(r), vec![s], vec![1, 2], 2.0)
        .unwrap();
    let m = b.finish(vec![q]);
    let t = evaluate(&m, &[vec![2, 1, -1]]).unwrap();
    // fc: [2-2-3, 0+1+1] = [-3, 2]; +bias: [-2, 1]; /2 half up then relu: [-1 -> 0, 0.5 -> 1]
    assert_eq!(t.values[d], vec![-3, 2]);
    assert_eq!(t.values[s], vec![-2, 1]);
    assert_eq!(t.values[q], vec![0, 1]);
}

#[test]
fn refuses_accumulator_over_field_limit() {
    let mut b = ModelBuilder::new("t", cfg());
    // The bound is public: 2 x 2047 (the 12-bit width's maximum) x 2^18, whatever the weights.
    let x = b.input("x", vec![1, 2], 1.0, 1 << 18).unwrap();
    let w = vec![1, -1];
    let err = b.push(
        "big_fc",
        Op::Dense {
            weight: w,
            in_features: 2,
            out_features: 1,
        },
        vec![x],
        vec![1, 1],
        1.0,
    );
    match err {
        Err(IrError::BoundExceeded { layer, bound, .. }) => {
            assert_eq!(layer, "big_fc");
            assert_eq!(bound, 2 * 2047 * (1i128 << 18));
        }
        other => panic!("expected refusal, got {other:?}"),
    }
}

#[test]
fn conv_pool_by_hand() {
    let mut b = ModelBuilder::new("t", cfg());
    let x = b.input("x", vec![1, 1, 3, 3], 1.0, 9).unwrap();
    let conv = Op::Conv2d {
        weight: vec![1, 1, 1, 1],
        weight_shape: [1, 1, 2, 2],
        bias: vec![100],
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1, 1, 0, 0],
        group: 1,
    };
    let c = b
        .push("conv", conv, vec![x], vec![1, 1, 3, 3], 1.0)
        .unwrap();
    let mp = Op::MaxPool2d {
        kernel: [2, 2],
        strides: [2, 2],
        dilations: [1, 1],
        pads: [0, 0, 1, 1],
    };
    let p = b.push("mp", mp, vec![c], vec![1, 1, 2, 2], 1.0).unwrap();
    let sp = Op::SumPool2d {
        kernel: [3, 3],
        strides: [1, 1],
        pads: [0, 0, 0, 0],
    };
    let s = b.push("sp", sp, vec![x], vec![1, 1, 1, 1], 1.0).unwrap();
    let m = b.finish(vec![p, s]);
    let t = evaluate(&m, &[(1..=9).collect()]).unwrap();
    // x = [[1,2,3],[4,5,6],[7,8,9]], pad top/left 1: out[i][j] = sum x[i-1..=i][j-1..=j] + 100
    assert_eq!(
        t.values[c],
        vec![101, 103, 105, 105, 112, 116, 111, 124, 128]
    );
    assert_eq!(t.values[p], vec![112, 116, 124, 128]);
    assert_eq!(t.values[s], vec![45]);
}

#[test]
fn index_ops_by_hand() {
    let mut b = ModelBuilder::new("t", cfg());
    let x = b.input("x", vec![2, 3], 1.0, 10).unwrap();
    let tr = b
        .push(
            "tr",
            Op::Transpose { perm: vec![1, 0] },
            vec![x],
            vec![3, 2],
            1.0,
        )
        .unwrap();
    let sl = b
        .push(
            "sl",
            Op::Slice {
                axis: 1,
                start: 0,
                end: 3,
                step: 2,
            },
            vec![x],
            vec![2, 2],
            1.0,
        )
        .unwrap();
    let cc = b
        .push("cc", Op::Concat { axis: 1 }, vec![x, sl], vec![2, 5], 1.0)
        .unwrap();
    let pd = b
        .push(
            "pd",
            Op::Pad {
                pads: vec![[0, 1], [1, 0]],
                value: 0,
            },
            vec![sl],
            vec![3, 3],
            1.0,
        )
        .unwrap();
    let rs = b
        .push(
            "rs",
            Op::ReduceSum { axes: vec![1] },
            vec![x],
            vec![2, 1],
            1.0,
        )
        .unwrap();
    let rm = b
        .push(
            "rm",
            Op::ReduceMax { axes: vec![0] },
            vec![x],
            vec![1, 3],
            1.0,
        )
        .unwrap();
    let m = b.finish(vec![tr]);
    let t = evaluate(&m, &[vec![1, 2, 3, 4, 5, 6]]).unwrap();
    assert_eq!(t.values[tr], vec![1, 4, 2, 5, 3, 6]);
    assert_eq!(t.values[sl], vec![1, 3, 4, 6]);
    assert_eq!(t.values[cc], vec![1, 2, 3, 1, 3, 4, 5, 6, 4, 6]);
    assert_eq!(t.values[pd], vec![0, 1, 3, 0, 4, 6, 0, 0, 0]);
    assert_eq!(t.values[rs], vec![6, 15]);
    assert_eq!(t.values[rm], vec![4, 5, 6]);
}

#[test]
fn softmax_pieces_and_lookup_clamp() {
    let mut b = ModelBuilder::new("t", cfg());
    let x = b.input("x", vec![1, 3], 1.0, 4).unwrap();
    let table = Table {
        func: TableFn::Exp,
        in_scale: 1.0,
        out_scale: 1.0,
        in_min: -2,
        values: vec![1, 3, 8],
    };
    let e = b
        .push("exp", Op::Lookup(table), vec![x], vec![1, 3], 1.0)
        .unwrap();
    let s = b
        .push(
            "sum",
            Op::ReduceSum { axes: vec![1] },
            vec![e],
            vec![1, 1],
            1.0,
        )
        .unwrap();
    let d = b
        .push(
            "div",
            Op::DivRound { shift: 4 },
            vec![e, s],
            vec![1, 3],
            1.0,
        )
        .unwrap();
    let m = b.finish(vec![d]);
    let t = evaluate(&m, &[vec![-4, -1, 3]]).unwrap();
    assert_eq!(t.values[e], vec![1, 3, 8]);
    // 16/12, 48/12, 128/12 rounded half up
    assert_eq!(t.values[d], vec![1, 4, 11]);
}

#[test]
fn wrong_inputs_and_tampering_are_errors() {
    let mut b = ModelBuilder::new("t", cfg());
    let x = b.input("x", vec![2], 1.0, 5).unwrap();
    let c = b
        .push("c", Op::Clamp { min: 0, max: 3 }, vec![x], vec![2], 1.0)
        .unwrap();
    let mut m = b.finish(vec![c]);
    assert!(matches!(
        evaluate(&m, &[vec![1]]),
        Err(IrError::Input { .. })
    ));
    assert!(matches!(
        evaluate(&m, &[vec![1, 9]]),
        Err(IrError::BoundViolated { .. })
    ));
    assert!(matches!(evaluate(&m, &[]), Err(IrError::Input { .. })));
    m.nodes[1].bound = 2; // tampered: the clamp gives 3
    assert!(matches!(
        evaluate(&m, &[vec![1, 2]]),
        Err(IrError::Param { .. })
    ));
    m.nodes[1].bound = 3;
    m.nodes[1].op = Op::Clamp { min: 3, max: 0 };
    assert!(matches!(
        evaluate(&m, &[vec![1, 2]]),
        Err(IrError::Param { .. })
    ));
    m.nodes[1].op = Op::Clamp { min: 0, max: 3 };
    m.nodes[1].shape = vec![1 << 40];
    assert!(matches!(
        evaluate(&m, &[vec![1, 2]]),
        Err(IrError::Shape { .. })
    ));
}

#[test]
fn serde_round_trip() {
    let mut b = ModelBuilder::new("t", cfg());
    let x = b.input("x", vec![1, 2], 0.5, 7).unwrap();
    let r = Requant {
        multiplier: 3,
        shift: 2,
        min: -7,
        max: 7,
    };
    let q = b
        .push("rq", Op::Requant(r), vec![x], vec![1, 2], 0.25)
        .unwrap();
    let m = b.finish(vec![q]);
    let json = serde_json::to_string(&m).unwrap();
    let back: crate::QModel = serde_json::from_str(&json).unwrap();
    assert_eq!(m, back);
    back.validate().unwrap();
}

proptest! {
    /// A 1x1 convolution is a Dense over the channel axis after moving channels last.
    #[test]
    fn conv1x1_matches_dense(xs in proptest::collection::vec(-50i64..50, 12), ws in proptest::collection::vec(-9i64..9, 6)) {
        let mut b = ModelBuilder::new("t", cfg());
        let x = b.input("x", vec![1, 3, 2, 2], 1.0, 50).unwrap();
        let conv = Op::Conv2d { weight: ws.clone(), weight_shape: [2, 3, 1, 1], bias: vec![0, 0], strides: [1, 1], dilations: [1, 1], pads: [0; 4], group: 1 };
        let c = b.push("c", conv, vec![x], vec![1, 2, 2, 2], 1.0).unwrap();
        let t = b.push("t", Op::Transpose { perm: vec![0, 2, 3, 1] }, vec![x], vec![1, 2, 2, 3], 1.0).unwrap();
        let d = b.push("d", Op::Dense { weight: ws, in_features: 3, out_features: 2 }, vec![t], vec![1, 2, 2, 2], 1.0).unwrap();
        let back = b.push("b", Op::Transpose { perm: vec![0, 3, 1, 2] }, vec![d], vec![1, 2, 2, 2], 1.0).unwrap();
        let m = b.finish(vec![c, back]);
        let tr = evaluate(&m, &[xs]).unwrap();
        prop_assert_eq!(&tr.values[c], &tr.values[back]);
    }

    /// Requantization never exceeds its recorded bound and matches exact rational rounding.
    #[test]
    fn requant_is_round_half_up(x in -100_000i64..100_000, m in 1i64..1000, s in 0u32..20) {
        let r = Requant { multiplier: m, shift: s, min: -(1 << 40), max: 1 << 40 };
        let exact = (x as f64) * (m as f64) / 2f64.powi(s as i32);
        let expected = (exact + 0.5).floor() as i64;
        prop_assert_eq!(r.apply(x), expected);
    }
}
