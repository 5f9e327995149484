//! Errors of import, calibration and quantization. Every message names the file, node or field at fault.

use thiserror::Error;
use zkinfer_ir::IrError;

/// What can go wrong turning an ONNX file and data files into a quantized model.
#[derive(Debug, Error)]
pub enum OnnxError {
    /// The file could not be read or is larger than the cap.
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
    /// The model file is not a well-formed model: named problem (docs/hostile-input.md).
    #[error("{path}: invalid model: {detail}")]
    Invalid { path: String, detail: String },
    /// tract refused (or panicked on) the model.
    #[error("{path}: cannot load model: {detail}")]
    Load { path: String, detail: String },
    /// An operator the quantizer does not support, named with its node.
    #[error("node '{node}': unsupported operator {op}")]
    Unsupported { node: String, op: String },
    /// A supported operator with parameters or shapes outside what the IR handles.
    #[error("node '{node}' ({op}): {detail}")]
    BadNode {
        node: String,
        op: String,
        detail: String,
    },
    /// A data file (input, calibration, test set) is malformed.
    #[error("{path}: {detail}")]
    Data { path: String, detail: String },
    /// The float run failed.
    #[error("float run: {0}")]
    Float(String),
    /// The quantized model does not prove at the activation width asked for (or at any width
    /// tried); the message names a width that proves, when there is one.
    #[error("{0}")]
    Unprovable(String),
    /// The IR refused a node (bound over the field limit, inconsistent shapes).
    #[error(transparent)]
    Ir(#[from] IrError),
}

impl OnnxError {
    pub(crate) fn bad(node: &str, op: &str, detail: impl Into<String>) -> Self {
        OnnxError::BadNode {
            node: node.into(),
            op: op.into(),
            detail: detail.into(),
        }
    }
}
