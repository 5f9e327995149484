//! Key and proof files: reading them within their caps, writing them (private files readable by
//! their owner only), and what the proving calls share: quantizing an input, dequantizing an
//! output, the weight binding in hex.

use std::path::Path;

use zkinfer_ir::{QModel, quantize_value};
use zkinfer_protocol::{CodecError, FileKind, ProofFile, ProverKey, VerifierKey};

use crate::error::{ApiError, invalid};

/// The private key's file name inside a key directory.
pub const PROVER_KEY: &str = "prover.key";
/// The public key's file name.
pub const VERIFIER_KEY: &str = "verifier.key";

// The key's binding and the output's real values are printed by the browser verifier too: one
// implementation, in the verifier crate.
pub use zkinfer_verifier::{BindingHex, dequantize_output, hex};

/// Reads and decodes a file of the given kind: a regular file, never more than the kind's cap.
/// The header (magic and version, 10 bytes) is decoded first, so a file of another kind or of
/// random bytes is refused before the rest of it is read.
fn read_kind<T>(
    path: &Path,
    kind: FileKind,
    decode: fn(&[u8]) -> Result<T, CodecError>,
) -> Result<T, ApiError> {
    use std::io::Read;
    let cap = kind.max_bytes() as u64;
    let cannot = |e: String| invalid!("{}: cannot read {kind} file: {e}", path.display());
    let mut file = zkinfer_onnx::open_capped(path, cap).map_err(cannot)?;
    let mut bytes = Vec::new();
    let read = |file: &mut std::io::Take<std::fs::File>, n: u64, bytes: &mut Vec<u8>| {
        file.by_ref()
            .take(n)
            .read_to_end(bytes)
            .map_err(|e| cannot(e.to_string()))
    };
    let codec = |source| ApiError::Codec {
        context: path.display().to_string(),
        source,
    };
    read(&mut file, 10, &mut bytes)?;
    if let Err(e @ (CodecError::BadMagic { .. } | CodecError::UnsupportedVersion { .. })) =
        decode(&bytes)
    {
        return Err(codec(e));
    }
    read(&mut file, u64::MAX, &mut bytes)?;
    if zkinfer_onnx::over_cap(&file) {
        return Err(cannot(format!(
            "over the {cap}-byte cap (the file grew while it was read)"
        )));
    }
    decode(&bytes).map_err(codec)
}

/// Reads and decodes a prover key file.
pub fn read_prover_key(path: &Path) -> Result<ProverKey, ApiError> {
    read_kind(path, FileKind::ProverKey, ProverKey::from_bytes)
}

/// Reads and decodes a verifier key file.
pub fn read_verifier_key(path: &Path) -> Result<VerifierKey, ApiError> {
    read_kind(path, FileKind::VerifierKey, VerifierKey::from_bytes)
}

/// Reads and decodes a proof file.
pub fn read_proof(path: &Path) -> Result<ProofFile, ApiError> {
    read_kind(path, FileKind::Proof, ProofFile::from_bytes)
}

/// Decodes bytes of the given kind held in memory (within the kind's cap); `label` names them.
pub fn decode<T>(
    bytes: &[u8],
    label: &str,
    kind: FileKind,
    decode: fn(&[u8]) -> Result<T, CodecError>,
) -> Result<T, ApiError> {
    if bytes.len() > kind.max_bytes() {
        return Err(invalid!(
            "{label}: {} bytes, over the {}-byte cap of a {kind} file",
            bytes.len(),
            kind.max_bytes()
        ));
    }
    decode(bytes).map_err(|source| ApiError::Codec {
        context: label.to_string(),
        source,
    })
}

/// Writes a file; `private` files are readable by their owner only (Unix).
pub fn write_file(path: &Path, bytes: &[u8], private: bool) -> Result<(), ApiError> {
    let io = |what: &str| {
        let context = format!("{}: {what}", path.display());
        move |source| ApiError::Io { context, source }
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    use std::io::Write;
    opts.open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(io("cannot write"))?;
    // `mode` applies only to new files: an existing key file is narrowed too.
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(io("cannot restrict permissions"))?;
    }
    Ok(())
}

/// One sample of a model's one input: an input file (`{"input_data": [[...]]}`) or its values,
/// row-major.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A JSON input file.
    File(&'a Path),
    /// The values.
    Values(&'a [f32]),
}

/// Reads (or takes) one input sample and quantizes it at the model's input scale and bound, as
/// the quantizer does.
pub fn quantize_input(model: &QModel, input: Input<'_>) -> Result<Vec<i64>, ApiError> {
    let [id] = model.inputs[..] else {
        return Err(invalid!(
            "the model has {} inputs; only one-input models are proven",
            model.inputs.len()
        ));
    };
    let node = model
        .nodes
        .get(id)
        .ok_or_else(|| invalid!("the model's input node {id} does not exist"))?;
    let want = model.len_of(id);
    let quantize = |values: &[f32]| {
        values
            .iter()
            .map(|&v| quantize_value(v as f64, node.scale, node.bound))
            .collect()
    };
    let path = match input {
        Input::Values(values) if values.len() == want => return Ok(quantize(values)),
        Input::Values(values) => {
            return Err(invalid!(
                "the input has {} values, the model's input {:?} takes {want}",
                values.len(),
                node.shape
            ));
        }
        Input::File(path) => path,
    };
    // One sample: more numbers than the input takes are refused as they are read.
    let limits = zkinfer_onnx::InputLimits::one_sample(want);
    let file = zkinfer_onnx::read_input_file_with(path, &limits)?;
    let [values] = &file.input_data[..] else {
        return Err(invalid!(
            "{}: input_data holds {} lists, the model takes one input",
            path.display(),
            file.input_data.len()
        ));
    };
    if values.len() != want {
        return Err(invalid!(
            "{}: input_data[0] has {} values, the model's input {:?} takes {want}",
            path.display(),
            values.len(),
            node.shape
        ));
    }
    Ok(quantize(values))
}
