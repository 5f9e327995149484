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
fn bit_length_caps() {
    assert_eq!(bit_length_cap(0), 0);
    assert_eq!(bit_length_cap(1), 1);
    assert_eq!(bit_length_cap(2), 3);
    assert_eq!(bit_length_cap(3), 3);
    assert_eq!(bit_length_cap(4), 7);
    assert_eq!(bit_length_cap(1000), 1023);
    assert_eq!(bit_length_cap(1024), 2047);
    // Below the field limit the cap stays below it; at or above it, the value itself (refused).
    let limit = BOUND_LIMIT as i128;
    assert_eq!(bit_length_cap(limit - 5), limit - 1);
    assert_eq!(bit_length_cap(1 << 29), limit - 1);
    assert_eq!(bit_length_cap(limit), limit);
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
            infer_bound(&dense(w, 4), &[100], &[shape], wmax),
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
            infer_bound(&conv(w, bias), &[10], &[img], wmax),
            2 * 2047 * 10 + 7
        );
    }
    for (v, cap) in [(vec![3, -2], 3), (vec![-600, 1], 1023), (vec![513], 1023)] {
        let k = Op::Const { values: v };
        assert_eq!(infer_bound(&k, &[], &[], wmax), cap);
    }
}

/// Where the public bound would be too wide, or a weight exceeds the bit width, the exact bound
/// is rounded up to its bit length.
#[test]
fn too_wide_public_bounds_fall_back_to_bit_lengths() {
    let wmax = QuantConfig::default().weight_max();
    let shape: &[usize] = &[1, 1000];
    // Public: 1000 x 2047 x 1000 ~ 2^31 > PUBLIC_BOUND_MAX. Exact: 1000 x 1 x 1000 = 10^6 -> 2^20 - 1.
    let w = vec![1; 1000];
    assert_eq!(
        infer_bound(&dense(w, 1000), &[1000], &[shape], wmax),
        (1 << 20) - 1
    );
    // A weight beyond the bit width: exact 3000 x 2 -> 2^13 - 1.
    let small: &[usize] = &[1, 2];
    assert_eq!(
        infer_bound(&dense(vec![3000, 0], 2), &[2], &[small], wmax),
        (1 << 13) - 1
    );
}
