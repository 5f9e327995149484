//! Declared bit widths of the values a model stores: what a verifier, who never sees the weights,
//! knows about their magnitudes, and what every proof shows they respect.
//!
//! Kernels (the weights of `Dense` and `Conv2d`) have the model's `QuantConfig::weight_bits`.
//! Biases and constants live at accumulator scale and vary from layer to layer, so each node that
//! stores them records its own width in [`Node::value_bits`](crate::Node::value_bits): the signed
//! bit length of its largest value, set when the node is built. A width of `k` bits means
//! `|v| <= 2^(k-1) - 1`; `k = 1` means every value is zero.

use crate::error::IrError;
use crate::model::{Op, QModel};

/// The least signed width `k` with `max_abs <= 2^(k-1) - 1`.
pub fn signed_bits(max_abs: u64) -> u32 {
    u64::BITS + 1 - max_abs.leading_zeros()
}

/// The width a node records for its stored non-kernel values (a `Const`'s values, a `Conv2d`'s
/// bias), computed from them; 0 for nodes that store none.
pub fn declared_bits(op: &Op) -> u32 {
    let widest =
        |values: &[i64]| signed_bits(values.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0));
    match op {
        Op::Const { values } => widest(values),
        Op::Conv2d { bias, .. } => widest(bias),
        _ => 0,
    }
}

/// Checks every recorded width against the values (a model from an untrusted source).
pub(crate) fn check(model: &QModel) -> Result<(), IrError> {
    for (id, node) in model.nodes.iter().enumerate() {
        let want = declared_bits(&node.op);
        if node.value_bits != want {
            return Err(IrError::Param {
                node: id,
                layer: node.name.clone(),
                detail: format!(
                    "recorded value width {} bits but the values need {want}",
                    node.value_bits
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_bits_is_the_least_width_that_holds_the_magnitude() {
        for (m, k) in [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 3),
            (4, 4),
            (2047, 12),
            (2048, 13),
        ] {
            assert_eq!(signed_bits(m), k, "{m}");
            assert!(m < (1u64 << (k - 1)));
            assert!(
                k == 1 || m > (1u64 << (k - 2)) - 1,
                "{m} fits {} bits",
                k - 1
            );
        }
    }

    #[test]
    fn declared_bits_reads_constants_and_biases_only() {
        let c = Op::Const {
            values: vec![3, -500, 7],
        };
        assert_eq!(declared_bits(&c), 10);
        let conv = Op::Conv2d {
            weight: vec![2047; 4],
            weight_shape: [1, 1, 2, 2],
            bias: vec![-1],
            strides: [1, 1],
            dilations: [1, 1],
            pads: [0; 4],
            group: 1,
        };
        assert_eq!(declared_bits(&conv), 2);
        assert_eq!(declared_bits(&Op::Reshape), 0);
        assert_eq!(declared_bits(&Op::Const { values: vec![0] }), 1);
    }

    /// The builder records the width; validation refuses a model whose recorded width disagrees
    /// with its values (a tampered key, or values changed after the build).
    #[test]
    fn builder_records_and_validation_checks_the_width() {
        use crate::{ModelBuilder, QuantConfig};
        let mut b = ModelBuilder::new("w", QuantConfig::default());
        let x = b.input("x", vec![2], 1.0, 100).unwrap();
        let c = b
            .push(
                "c",
                Op::Const {
                    values: vec![300, -2],
                },
                vec![],
                vec![2],
                1.0,
            )
            .unwrap();
        let y = b
            .push("y", Op::Add { coeffs: [1, 1] }, vec![x, c], vec![2], 1.0)
            .unwrap();
        let model = b.finish(vec![y]);
        assert_eq!(model.nodes[c].value_bits, 10);
        assert_eq!(model.nodes[x].value_bits, 0);
        model.validate().unwrap();
        let mut wider = model.clone();
        wider.nodes[c].value_bits = 11;
        assert!(matches!(wider.validate(), Err(IrError::Param { node, .. }) if node == c));
        let mut narrower = model.clone();
        narrower.nodes[c].value_bits = 9;
        assert!(narrower.validate().is_err());
    }
}
