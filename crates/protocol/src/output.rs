//! The verifiers' check of the claimed output against its node's static bound.
//!
//! Every node of the architecture records a static bound: `|q| <= bound` for every admissible input
//! (crates/ir, `bounds.rs`). An output outside it is produced by no admissible run, whatever the
//! proof says, so both verifiers refuse it before anything else. The layer proofs alone would not:
//! they trust the committed weights' magnitudes (docs/pitfalls.md, 11) and, before the fusion fix,
//! dropped the claim on a fused output (bug 10).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{F, decode_signed, encode_signed};
use zkinfer_ir::QModel;

use crate::ProtocolError;

/// Refuses `output` unless every value is a canonical small signed integer (it encodes into the
/// field and decodes back to itself) with `|y_i| <= bound` of output node `id`.
pub(crate) fn check_output(model: &QModel, id: usize, output: &[i64]) -> Result<(), ProtocolError> {
    let node = model
        .nodes
        .get(id)
        .ok_or_else(|| ProtocolError::Structure("output node out of range".into()))?;
    let canonical = |v: i64| encode_signed::<F>(v).is_ok_and(|f| decode_signed(f) == v);
    match output
        .iter()
        .enumerate()
        .find(|&(_, &v)| !canonical(v) || v.unsigned_abs() > node.bound.unsigned_abs())
    {
        Some((index, &value)) => Err(ProtocolError::OutputOutOfBound {
            node: id,
            name: node.name.clone(),
            index,
            value,
            bound: node.bound,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::linear;

    #[test]
    fn values_beyond_the_bound_or_the_field_are_refused_with_their_index() {
        let model = linear(1);
        let id = model.outputs[0];
        let b = model.nodes[id].bound;
        assert!(b > 0);
        check_output(&model, id, &[b, -b]).unwrap();
        let p = zkinfer_ir::KOALA_BEAR_P;
        for bad in [b + 1, -b - 1, p - 1, (p - 1) / 2, i64::MIN, i64::MAX] {
            match check_output(&model, id, &[0, bad]) {
                Err(ProtocolError::OutputOutOfBound {
                    node, index, value, ..
                }) => assert_eq!((node, index, value), (id, 1, bad)),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
