//! What the proving subcommands (`setup`, `prove`, `verify`, `demo`) share: reading and writing key
//! and proof files, quantizing an input file, hex, progress spinners.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use zkinfer_ir::QModel;
use zkinfer_protocol::{CodecError, FileKind, ProofFile, ProverKey, VerifierKey};

/// File names inside a key directory.
pub const PROVER_KEY: &str = "prover.key";
/// The public key's file name.
pub const VERIFIER_KEY: &str = "verifier.key";

// What a key binds and a proof claims, printed the same way by the CLI, the browser verifier and
// the bindings.
pub use zkinfer_verifier::{BindingHex, dequantize_output, hex};

/// Reads and decodes a file of the given kind: a regular file, never more than the kind's cap.
/// The header (magic and version, 10 bytes) is decoded first, so a file of another kind or of
/// random bytes is refused before the rest of it is read.
fn read_kind<T>(
    path: &Path,
    kind: FileKind,
    decode: fn(&[u8]) -> Result<T, CodecError>,
) -> anyhow::Result<T> {
    use std::io::Read;
    let cap = kind.max_bytes() as u64;
    let cannot = |e: String| anyhow::anyhow!("{}: cannot read {kind} file: {e}", path.display());
    let mut file = zkinfer_onnx::open_capped(path, cap).map_err(cannot)?;
    let mut bytes = Vec::new();
    let read = |file: &mut std::io::Take<std::fs::File>, n: u64, bytes: &mut Vec<u8>| {
        file.by_ref()
            .take(n)
            .read_to_end(bytes)
            .map_err(|e| cannot(e.to_string()))
    };
    read(&mut file, 10, &mut bytes)?;
    if let Err(e @ (CodecError::BadMagic { .. } | CodecError::UnsupportedVersion { .. })) =
        decode(&bytes)
    {
        return Err(e).with_context(|| path.display().to_string());
    }
    read(&mut file, u64::MAX, &mut bytes)?;
    if zkinfer_onnx::over_cap(&file) {
        return Err(cannot(format!(
            "over the {cap}-byte cap (the file grew while it was read)"
        )));
    }
    decode(&bytes).with_context(|| path.display().to_string())
}

/// Reads and decodes a prover key file.
pub fn read_prover_key(path: &Path) -> anyhow::Result<ProverKey> {
    read_kind(path, FileKind::ProverKey, ProverKey::from_bytes)
}

/// Reads and decodes a verifier key file.
pub fn read_verifier_key(path: &Path) -> anyhow::Result<VerifierKey> {
    read_kind(path, FileKind::VerifierKey, VerifierKey::from_bytes)
}

/// Reads and decodes a proof file.
pub fn read_proof(path: &Path) -> anyhow::Result<ProofFile> {
    read_kind(path, FileKind::Proof, ProofFile::from_bytes)
}

/// Writes a file; `private` files are readable by their owner only (Unix).
pub fn write_file(path: &Path, bytes: &[u8], private: bool) -> anyhow::Result<()> {
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
        .with_context(|| format!("{}: cannot write", path.display()))?;
    // `mode` applies only to new files: an existing key file is narrowed too.
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("{}: cannot restrict permissions", path.display()))?;
    }
    Ok(())
}

/// Reads an input file (`{"input_data": [[...]]}`, one sample) and quantizes it at the model's
/// input scale and bound, as the quantizer does.
pub fn quantize_input_file(model: &QModel, path: &Path) -> anyhow::Result<Vec<i64>> {
    let [id] = model.inputs[..] else {
        bail!(
            "the model has {} inputs; only one-input models are proven",
            model.inputs.len()
        );
    };
    if model.nodes.get(id).is_none() {
        bail!("the model's input node {id} does not exist");
    }
    let want = model.len_of(id);
    // One sample: more numbers than the input takes are refused as they are read.
    let limits = zkinfer_onnx::InputLimits::one_sample(want);
    let file = zkinfer_onnx::read_input_file_with(path, &limits)?;
    let [values] = &file.input_data[..] else {
        bail!(
            "{}: input_data holds {} lists, the model takes one input",
            path.display(),
            file.input_data.len()
        );
    };
    zkinfer_verifier::quantize_input(model, values).with_context(|| path.display().to_string())
}

/// A spinner on stderr for one long step; hidden with `--json` or when stderr is not a terminal.
pub fn spinner(quiet: bool, msg: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        pb.set_style(style);
    }
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(Duration::from_millis(100));
    pb
}

/// Formats real values for text output.
pub fn fmt_values(xs: &[f64]) -> String {
    let v: Vec<String> = xs.iter().map(|x| format!("{x:.6}")).collect();
    format!("[{}]", v.join(", "))
}
