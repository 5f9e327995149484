//! Loading an ONNX file into tract's typed graph, with size caps and panics turned into errors.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use tract_onnx::prelude::*;

use crate::error::OnnxError;

/// Largest ONNX file accepted (bytes).
pub const MAX_MODEL_BYTES: u64 = 512 << 20;
/// Largest tensor any declared shape may describe (elements).
pub const MAX_TENSOR_ELEMENTS: usize = zkinfer_ir::MAX_ELEMENTS;

/// Runs `f`, turning a panic inside tract into an error message (tract panics on some malformed files).
pub(crate) fn guard<T>(f: impl FnOnce() -> TractResult<T>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(format!("{e:#}")),
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown".into());
            Err(format!("tract panicked: {msg}"))
        }
    }
}

/// Loads `path`, fixes every symbolic dimension (batch) to 1, and returns the typed graph after constant
/// propagation and compaction (ONNX layouts kept; see the tract notes).
pub fn load_typed(path: &Path) -> Result<TypedModel, OnnxError> {
    let p = path.display().to_string();
    let bytes = crate::read_capped(path, MAX_MODEL_BYTES).map_err(|detail| OnnxError::File {
        path: p.clone(),
        detail,
    })?;
    // tract's default hook silently prints panics; keep stderr clean while guarding.
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let res = guard(|| {
        let model = tract_onnx::onnx().model_for_read(&mut bytes.as_slice())?;
        let mut typed = model.into_typed()?;
        let syms = typed.symbols.all_symbols();
        if !syms.is_empty() {
            let values = syms.into_iter().map(|s| (s, TDim::Val(1))).collect();
            typed = typed.set_symbols(&values)?;
        }
        typed.prop_consts()?;
        typed.into_compact()
    });
    std::panic::set_hook(prev);
    let typed = res.map_err(|detail| OnnxError::Load {
        path: p.clone(),
        detail,
    })?;
    check_shapes(&typed).map_err(|detail| OnnxError::Load { path: p, detail })?;
    Ok(typed)
}

/// Every fact must be concrete and below the element cap, so nothing later allocates from an absurd size.
fn check_shapes(model: &TypedModel) -> Result<(), String> {
    for node in model.nodes() {
        for (slot, out) in node.outputs.iter().enumerate() {
            let shape = out.fact.shape.as_concrete().ok_or_else(|| {
                format!(
                    "node '{}' output {slot}: symbolic shape {:?}",
                    node.name, out.fact.shape
                )
            })?;
            if zkinfer_ir::checked_len(shape).is_none() {
                return Err(format!(
                    "node '{}' output {slot}: shape {shape:?} exceeds {MAX_TENSOR_ELEMENTS} elements",
                    node.name
                ));
            }
        }
    }
    Ok(())
}
