//! The published bounds of weighted ops depend on public quantities only, or on bit lengths.

use super::*;
use crate::config::QuantConfig;

fn dense(weight: Vec<i64>, in_features: usize) -> Op {
    let out_features = weight.len() / in_features;
    Op::Dense {
        weight,
        in_features,
        out_features,
    }
}

#[test]
fn width_maxima() {
    for (bits, max) in [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 3),
        (8, 127),
        (12, 2047),
        (31, (1 << 30) - 1),
    ] {
        assert_eq!(width_max(bits), max, "{bits}");
    }
}

/// Dense and Conv bounds are fan-in x weight maximum x input bound (+ the bias's cap) for any
/// weights within the bit width; constants are rounded to their bit length.
#[test]
fn weighted_bounds_are_public() {
    let wmax = QuantConfig::default().weight_max();
    let shape: &[usize] = &[1, 4];
    for w in [
        vec![1, 0, 0, 0, 0, 0, 0, 1],
        vec![2047, -2047, 5, 9, -3, 0, 1, 2],
    ] {
        assert_eq!(
            infer_bound(&dense(w, 4), 0, &[100], &[shape], wmax),
            4 * 2047 * 100
        );
    }
    let conv = |weight: Vec<i64>, bias: Vec<i64>| Op::Conv2d {
        weight,
        weight_shape: [2, 1, 1, 2],
        bias,
        strides: [1, 1],
        dilations: [1, 1],
        pads: [0; 4],
        group: 1,
    };
    let img: &[usize] = &[1, 1, 2, 2];
    for (w, bias) in [
        (vec![1, 1, 1, 1], vec![5, 6]),
        (vec![-900, 2000, 3, 0], vec![-7, 0]),
    ] {
        assert_eq!(
            infer_bound(&conv(w, bias), 4, &[10], &[img], wmax),
            2 * 2047 * 10 + 7
        );
    }
    for (v, cap) in [(vec![3, -2], 3), (vec![-600, 1], 1023), (vec![513], 1023)] {
        let k = Op::Const { values: v };
        let bits = crate::widths::declared_bits(&k);
        assert_eq!(infer_bound(&k, bits, &[], &[], wmax), cap);
    }
}

/// The stored values are never read: a wide public bound stays wide (the builder then refuses it,
/// whatever the weights), and a stripped op gives the bound its filled twin gives.
#[test]
fn bounds_never_read_the_stored_values() {
    let wmax = QuantConfig::default().weight_max();
    let shape: &[usize] = &[1, 1000];
    assert_eq!(
        infer_bound(&dense(vec![1; 1000], 1000), 0, &[1000], &[shape], wmax),
        1000 * 2047 * 1000
    );
    let stripped = Op::Dense {
        weight: vec![],
        in_features: 1000,
        out_features: 1,
    };
    assert_eq!(
        infer_bound(&stripped, 0, &[1000], &[shape], wmax),
        1000 * 2047 * 1000
    );
}

fn small_dense_model(weight: Vec<i64>) -> Result<QModel, IrError> {
    let mut b = ModelBuilder::new("d", QuantConfig::default());
    let x = b.input("x", vec![1, 2], 1.0, 100)?;
    let y = b.push(
        "y",
        Op::Dense {
            weight,
            in_features: 2,
            out_features: 1,
        },
        vec![x],
        vec![1, 1],
        1.0,
    )?;
    Ok(b.finish(vec![y]))
}

/// A weight beyond the bit width is refused: the published bound assumes the width.
#[test]
fn weights_beyond_the_width_are_refused() {
    assert!(small_dense_model(vec![2047, -2047]).is_ok());
    let err = small_dense_model(vec![2048, 0]).unwrap_err().to_string();
    assert!(err.contains("exceeds the 12-bit weight width"), "{err}");
}

/// A verifier key's architecture (values stripped) validates, and a recorded bound other than the
/// widths' is refused: a key that under-states an accumulator's bound would let it wrap mod p.
#[test]
fn stripped_architectures_validate_their_bounds() {
    let model = small_dense_model(vec![3, -1]).unwrap();
    let mut arch = model.clone();
    if let Op::Dense { weight, .. } = &mut arch.nodes[1].op {
        weight.clear();
    }
    arch.validate_architecture().unwrap();
    assert!(
        arch.validate().is_err(),
        "full validation needs the weights"
    );
    assert_eq!(arch.nodes[1].bound, 2 * 2047 * 100);
    let mut low = arch.clone();
    low.nodes[1].bound = 400; // the exact bound of these weights: not what the widths give
    let err = low.validate_architecture().unwrap_err().to_string();
    assert!(err.contains("widths give"), "{err}");
}

/// Bounds never overflow: a product beyond `i128` saturates (and is then refused as beyond the
/// field), and a repeated reduction axis, summed once but counted twice, is refused.
#[test]
fn bound_products_saturate_and_axes_do_not_repeat() {
    let wmax = QuantConfig::default().weight_max();
    let pool = |k: usize| Op::SumPool2d {
        kernel: [k, k],
        strides: [1, 1],
        pads: [0; 4],
    };
    let img: &[usize] = &[1, 1, 1, 1];
    // 2^64 wrapped to 0 in usize before.
    assert_eq!(
        infer_bound(&pool(1 << 32), 0, &[1 << 30], &[img], wmax),
        1 << 94
    );
    assert_eq!(
        infer_bound(&pool(usize::MAX), 0, &[1 << 30], &[img], wmax),
        i128::MAX
    );
    let sum = Op::ReduceSum { axes: vec![0; 8] };
    let shape: &[usize] = &[1 << 16];
    assert_eq!(infer_bound(&sum, 0, &[32767], &[shape], wmax), i128::MAX);
    let mut b = ModelBuilder::new("r", QuantConfig::default());
    let x = b.input("x", vec![4, 4], 1.0, 10).unwrap();
    let err = b
        .push(
            "s",
            Op::ReduceSum { axes: vec![1, 1] },
            vec![x],
            vec![4, 1],
            1.0,
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("repeat an axis"), "{err}");
    assert!(
        b.push(
            "s",
            Op::ReduceSum { axes: vec![1] },
            vec![x],
            vec![4, 1],
            1.0
        )
        .is_ok()
    );
}

/// A model whose listed input is a computed node is refused (the public input would be unused).
#[test]
fn listed_inputs_are_input_nodes() {
    let mut model = small_dense_model(vec![1, 1]).unwrap();
    model.validate().unwrap();
    model.inputs = vec![1];
    let err = model.validate().unwrap_err().to_string();
    assert!(err.contains("not that input"), "{err}");
}
