//! zkinfer-onnx (placeholder)
