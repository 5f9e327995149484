//! Loading an ONNX file into tract's typed graph, with size caps and panics turned into errors.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use tract_onnx::prelude::*;

use crate::error::OnnxError;

/// Largest ONNX file accepted (bytes).
pub const MAX_MODEL_BYTES: u64 = 512 << 20;

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
///
/// The decoded file is validated before tract sees it and the typed graph after
/// ([`crate::validate`]): a malformed or hostile model is an [`OnnxError::Invalid`] naming the
/// problem, never a panic, an abort on a huge allocation, or a model that looks fine.
pub fn load_typed(path: &Path) -> Result<TypedModel, OnnxError> {
    let p = path.display().to_string();
    let bytes = crate::read_capped(path, MAX_MODEL_BYTES).map_err(|detail| OnnxError::File {
        path: p.clone(),
        detail,
    })?;
    load_typed_bytes(&bytes, &p)
}

/// As [`load_typed`], for a model already in memory (`zkinfer demo`'s bundled model); `label` stands
/// for the path in error messages.
pub fn load_typed_bytes(bytes: &[u8], label: &str) -> Result<TypedModel, OnnxError> {
    let p = label.to_string();
    let invalid = |detail: String| OnnxError::Invalid {
        path: p.clone(),
        detail,
    };
    // tract's default hook silently prints panics; keep stderr clean while guarding.
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let proto = guard(|| tract_onnx::onnx().proto_model_for_read(&mut &bytes[..]));
    let res = proto
        .map_err(|e| invalid(format!("not an ONNX protobuf ({e})")))
        .and_then(|proto| {
            crate::validate::check_proto(&proto).map_err(invalid)?;
            guard(|| {
                let model = tract_onnx::onnx().model_for_proto_model(&proto)?;
                let mut typed = model.into_typed()?;
                let syms = typed.symbols.all_symbols();
                if !syms.is_empty() {
                    let values = syms.into_iter().map(|s| (s, TDim::Val(1))).collect();
                    typed = typed.set_symbols(&values)?;
                }
                typed.prop_consts()?;
                typed.into_compact()
            })
            .map_err(|detail| OnnxError::Load {
                path: p.clone(),
                detail,
            })
        });
    std::panic::set_hook(prev);
    let typed = res?;
    crate::validate::check_typed(&typed).map_err(invalid)?;
    Ok(typed)
}
