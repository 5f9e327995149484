//! What `--json` prints in every command (docs/cli.md, "JSON output"): one shape for a failure,
//! `{"ok": false, "error": {"kind": KIND, "message": TEXT}}`, beside `"ok": true` in every
//! command's success object; and one shape for the prover's phases, `phases_ms`.

use serde_json::{Value, json};
use zkinfer_api::ApiError;
use zkinfer_protocol::{CodecError, ProtocolError};

/// Why a command failed, as `--json` names it (the library's kinds: programs branch on the kind
/// and show the message).
pub use zkinfer_api::{ErrorKind, protocol_kind};

/// An error the command line raises itself, with its kind.
#[derive(Debug)]
pub struct Failure {
    kind: ErrorKind,
    message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// An [`anyhow::Error`] of the given kind.
pub fn fail(kind: ErrorKind, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Failure {
        kind,
        message: message.into(),
    })
}

/// The kind of an error: the first cause in its chain that has one, else [`ErrorKind::BadInput`].
pub fn classify(e: &anyhow::Error) -> ErrorKind {
    e.chain()
        .find_map(|cause| {
            if let Some(f) = cause.downcast_ref::<Failure>() {
                return Some(f.kind);
            }
            if let Some(e) = cause.downcast_ref::<ApiError>() {
                return Some(e.kind());
            }
            if let Some(c) = cause.downcast_ref::<CodecError>() {
                return Some(match c {
                    CodecError::Corrupt { .. } => ErrorKind::CorruptKey,
                    _ => ErrorKind::MalformedFile,
                });
            }
            cause
                .downcast_ref::<ProtocolError>()
                .and_then(protocol_kind)
        })
        .unwrap_or(ErrorKind::BadInput)
}

/// The error object every command prints with `--json` when it fails.
pub fn error_json(kind: ErrorKind, message: &str) -> Value {
    json!({ "ok": false, "error": { "kind": kind.name(), "message": message } })
}

/// The prover's phases (witness, commit, layers, openings; they add up to the proving time), in
/// ms, by name: the one shape of `phases_ms` in `prove`, `estimate` and its measurements.
pub fn phases_json(ms: [f64; 4]) -> Value {
    let [witness, commit, layers, openings] = ms;
    json!({ "witness": witness, "commit": commit, "layers": layers, "openings": openings })
}

/// The two parts of the layers phase, in ms: wiring and matmul sumchecks, then requantization and
/// max-pooling proofs (range checks, zero-checks).
pub fn layer_parts_json(ms: [f64; 2]) -> Value {
    let [sumchecks, lookups] = ms;
    json!({ "sumchecks": sumchecks, "lookups": lookups })
}

/// `value` (an object serialized from a struct holding `phases_ms: [f64; 4]` and maybe
/// `layer_parts_ms: [f64; 2]`) with those arrays given by name.
pub fn name_phases(mut value: Value) -> Value {
    let numbers =
        |v: &Value| -> Option<Vec<f64>> { v.as_array()?.iter().map(Value::as_f64).collect() };
    if let Some(obj) = value.as_object_mut() {
        let phases = obj.get("phases_ms").and_then(numbers);
        if let Some(Ok(ms)) = phases.map(<[f64; 4]>::try_from) {
            obj.insert("phases_ms".into(), phases_json(ms));
        }
        let parts = obj.get("layer_parts_ms").and_then(numbers);
        if let Some(Ok(ms)) = parts.map(<[f64; 2]>::try_from) {
            obj.insert("layer_parts_ms".into(), layer_parts_json(ms));
        }
    }
    value
}
