//! Errors of IR construction, validation and evaluation.

use thiserror::Error;

/// Everything that can go wrong building, checking or evaluating a [`crate::QModel`].
#[derive(Debug, Error, Clone, PartialEq)]
pub enum IrError {
    /// A static bound reaches the field limit: the layer cannot be proven without wraparound.
    #[error(
        "layer '{layer}' (node {node}): static bound {bound} reaches the field limit {limit} ((p-1)/2 of KoalaBear)"
    )]
    BoundExceeded {
        node: usize,
        layer: String,
        bound: i128,
        limit: i64,
    },
    /// Shapes of a node's inputs, parameters or output do not agree.
    #[error("layer '{layer}' (node {node}): inconsistent shapes: {detail}")]
    Shape {
        node: usize,
        layer: String,
        detail: String,
    },
    /// A parameter is out of its allowed range.
    #[error("layer '{layer}' (node {node}): invalid parameter: {detail}")]
    Param {
        node: usize,
        layer: String,
        detail: String,
    },
    /// A computed value broke its node's recorded static bound (a bug in the quantizer or a tampered model).
    #[error("layer '{layer}' (node {node}): value {value} exceeds the recorded bound {bound}")]
    BoundViolated {
        node: usize,
        layer: String,
        value: i64,
        bound: i64,
    },
    /// The caller passed the wrong inputs.
    #[error("input {index}: {detail}")]
    Input { index: usize, detail: String },
}
