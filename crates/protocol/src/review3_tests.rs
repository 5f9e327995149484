//! Adversarial review 3 (branch review3): verifier keys written by a model owner, against the
//! public bounds that `QModel::validate_architecture` recomputes (`zkinfer_ir::bounds`).
//!
//! Every test asserts that the verifier REJECTS the crafted key or the false statement it would
//! carry. Tests marked `FIXED` failed when the review wrote them (their doc comments name the code
//! that was at fault); repeated axes are now refused and every bound product saturates.

use std::panic::{AssertUnwindSafe, catch_unwind};

use zkinfer_field::{F, PrimeField64};
use zkinfer_ir::{Node, Op, QModel, QuantConfig, Trace, evaluate};

use crate::owner_keys::{owner_keys, verdicts};
use crate::strip_weights;

fn node(name: &str, op: Op, inputs: Vec<usize>, shape: Vec<usize>, bound: i64) -> Node {
    Node {
        name: name.into(),
        op,
        inputs,
        shape,
        scale: 1.0,
        bound,
        value_bits: 0,
    }
}

/// `validate_architecture` on `model`, a panic reported as `None`.
fn validate_caught(model: &QModel) -> Option<Result<(), zkinfer_ir::IrError>> {
    catch_unwind(AssertUnwindSafe(|| model.validate_architecture())).ok()
}

// ---------------------------------------------------------------------------------------------
// Integer overflow inside `infer_bound`
// ---------------------------------------------------------------------------------------------

/// Input `[2^16]` (bound 32767) -> `ReduceSum` over axis 0 listed 8 times.
const REDUCE_LEN: usize = 1 << 16;
const REDUCE_REPEATS: usize = 8;

fn repeated_axis_reduce() -> QModel {
    QModel {
        name: "reduce".into(),
        config: QuantConfig::default(),
        nodes: vec![
            node("x", Op::Input { index: 0 }, vec![], vec![REDUCE_LEN], 32767),
            node(
                "sum",
                Op::ReduceSum {
                    axes: vec![0; REDUCE_REPEATS],
                },
                vec![0],
                vec![1],
                // What `infer_bound` gives without overflow checks: (2^16)^8 = 2^128 wraps to 0.
                0,
            ),
            // Unused; a commitment needs one weight column.
            Node {
                value_bits: 2,
                ..node("c", Op::Const { values: vec![1] }, vec![], vec![1], 1)
            },
        ],
        inputs: vec![0],
        outputs: vec![1],
    }
}

/// FIXED (was a BUG). A `ReduceSum` whose `axes` repeat an axis: `infer_shape`/`reduced` accept the repeats
/// (setting the axis to 1 twice), the plan's `maps::reduce_sum` sums the axis once (exact), but
/// `crates/ir/src/bounds.rs::infer_bound`
/// (`Op::ReduceSum { axes } => axes.iter().map(..).product::<i128>() * b(0)`) multiplies the
/// axis length once per repeat, unchecked: `(2^16)^8 = 2^128` overflows `i128`. With overflow
/// checks (the dev/test profile) `validate_architecture` panics on the key (the verifier, and
/// `VerifierKey::from_bytes`, crash on a stranger's key); without them (`--release`, the CLI's
/// and the benchmarks' build) the product wraps to exactly 0, so the key passes with a bound of
/// 0 on a sum of 2^16 values of up to 32767. See `review3_repeated_reduce_axis_lets_a_sum_wrap`
/// for the forgery this gives. Fix: refuse repeated axes in `infer_shape`, and use checked
/// (or saturating) arithmetic for every product in `infer_bound`.
#[test]
fn review3_repeated_reduce_axis_bound_overflow_is_refused() {
    assert_eq!((REDUCE_LEN as i128).wrapping_pow(REDUCE_REPEATS as u32), 0);
    let arch = strip_weights(&repeated_axis_reduce());
    match validate_caught(&arch) {
        Some(Err(_)) => {}
        Some(Ok(())) => panic!("the key passes validation with bound 0 on a sum of 2^16 values"),
        None => panic!("validate_architecture panics (i128 overflow) on the owner's key"),
    }
}

/// FIXED (was a BUG in release builds; in the test profile the verifier panics instead, which fails this test
/// too). The forgery of `review3_repeated_reduce_axis_bound_overflow_is_refused`: the key records
/// bound 0 for the sum (the output). On an input within its bound whose sum is exactly `p`, the
/// field sum is 0, within the recorded bound, and every verifier built without overflow checks
/// accepts `y = 0`; the reference evaluator computes `p`. Confirmed with
/// `cargo test --release -p zkinfer-protocol --lib review3_`: `[plain, zk, zk private]` all accept.
/// At fault:
/// `crates/ir/src/bounds.rs::infer_bound`, the `Op::ReduceSum` arm (unchecked `i128` product over
/// repeated axes).
#[test]
fn review3_repeated_reduce_axis_lets_a_sum_wrap() {
    let model = repeated_axis_reduce();
    let p = F::ORDER_U64 as i64;
    let mut input = vec![0i64; REDUCE_LEN];
    let full = (p / 32767) as usize;
    input[..full].fill(32767);
    input[full] = p - 32767 * full as i64;
    assert!(input.iter().all(|v| v.abs() <= 32767));
    assert_eq!(input.iter().sum::<i64>(), p);
    // The evaluator validates the model first (which panics with overflow checks).
    let honest = catch_unwind(AssertUnwindSafe(|| {
        evaluate(&model, std::slice::from_ref(&input))
    }));
    if let Ok(Ok(t)) = honest {
        assert_eq!(t.values[1], vec![p], "the integer semantics");
    }
    let keys = owner_keys(&model);
    let trace = Trace {
        values: vec![input.clone(), vec![0], vec![1]],
    };
    let v = catch_unwind(AssertUnwindSafe(|| verdicts(&keys, &input, &trace)));
    match v {
        Ok(v) => assert_eq!(
            v, [false; 3],
            "[plain, zk, zk private] accepted y = 0 where the input sums to p"
        ),
        Err(_) => panic!("a verifier panicked on the owner's key (i128 overflow in infer_bound)"),
    }
}

/// FIXED (was a denial of service only). `SumPool2d` with a kernel of `2^32 x 2^32` over a `1 x 1` image
/// padded by `2^32`: `crates/ir/src/bounds.rs::infer_bound`
/// (`Op::SumPool2d { kernel, .. } => (kernel[0] * kernel[1]) as i128 * b(0)`) multiplies in
/// `usize` before widening: with overflow checks `validate_architecture` panics; without them
/// the product wraps to 0 and the key passes with bound 0 (the window holds one real cell, so the
/// true bound is 1). No forgery follows: the plan's `maps::sum_pool` then walks all `2^64` taps,
/// so the verifier hangs instead. Fix: multiply in `i128` (or checked), and bound a pooling sum by
/// the cells a window can actually cover.
#[test]
fn review3_huge_sum_pool_kernel_is_refused() {
    let k = 1usize << 32;
    let model = QModel {
        name: "pool".into(),
        config: QuantConfig::default(),
        nodes: vec![
            node("x", Op::Input { index: 0 }, vec![], vec![1, 1, 1, 1], 1),
            node(
                "pool",
                Op::SumPool2d {
                    kernel: [k, k],
                    strides: [2, 2],
                    pads: [k, k, 0, 0],
                },
                vec![0],
                vec![1, 1, 1, 1],
                0,
            ),
        ],
        inputs: vec![0],
        outputs: vec![1],
    };
    assert_eq!(k.wrapping_mul(k), 0);
    match validate_caught(&model) {
        Some(Err(_)) => {}
        Some(Ok(())) => panic!("the key passes validation with bound 0"),
        None => panic!("validate_architecture panics (usize overflow) on the owner's key"),
    }
}
