//! Shape inference on parameters from untrusted keys: refused, never an overflow (found by the
//! mutation run of crates/e2e/tests/mutation.rs: a verifier key whose SumPool pad was 2^64 - 1
//! panicked in `window_out`).

use super::*;

#[test]
fn huge_pads_are_refused_not_overflowed() {
    let x: &[usize] = &[1, 2, 4, 4];
    for pads in [
        [usize::MAX, 0, 0, 0],
        [0, 1, 0, usize::MAX],
        [usize::MAX; 4],
    ] {
        let pool = Op::SumPool2d {
            kernel: [2, 2],
            strides: [2, 2],
            pads,
        };
        assert!(infer_shape(&pool, &[x], &[], true).is_err(), "{pads:?}");
        let max = Op::MaxPool2d {
            kernel: [2, 2],
            strides: [2, 2],
            dilations: [1, 1],
            pads,
        };
        assert!(infer_shape(&max, &[x], &[], true).is_err(), "{pads:?}");
    }
    // In range, the same pool still has its shape.
    let pool = Op::SumPool2d {
        kernel: [2, 2],
        strides: [2, 2],
        pads: [0; 4],
    };
    assert_eq!(infer_shape(&pool, &[x], &[], true), Ok(vec![1, 2, 2, 2]));
}

#[test]
fn a_huge_conv_group_is_refused_not_overflowed() {
    let conv = |group| Op::Conv2d {
        weight: vec![],
        weight_shape: [2, 2, 3, 3],
        bias: vec![],
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1; 4],
        group,
    };
    let x: &[usize] = &[1, 2, 4, 4];
    assert!(infer_shape(&conv(usize::MAX / 2 + 1), &[x], &[], true).is_err());
    assert_eq!(infer_shape(&conv(1), &[x], &[], true), Ok(vec![1, 2, 4, 4]));
}

#[test]
fn empty_shapes_with_huge_dims_are_refused() {
    assert_eq!(checked_len(&[0, 1 << 40, 1 << 40]), None);
    assert_eq!(checked_len(&[0, 4]), Some(0));
    assert_eq!(checked_len(&[3, 4]), Some(12));
    assert_eq!(checked_len(&[MAX_ELEMENTS, 2]), None);
}
