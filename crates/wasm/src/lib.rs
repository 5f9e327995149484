//! The browser verifier: [`verify`] checks a proof file against a verifier key (and an input file,
//! for a proof of a public input) in WebAssembly, and returns the verdict as a JavaScript object.
//!
//! It is a thin binding over `zkinfer-verifier` (the same checks, in the same order, as
//! `zkinfer verify`), which depends on `zkinfer-protocol` without its `prover` and `parallel`
//! features: the module holds no prover, no rayon and no ONNX import. Build it with
//! `scripts/web/build.sh` (wasm32-unknown-unknown, `wasm-bindgen --target web`); `web/` is the
//! page that loads it; docs/browser.md says what it checks and what it trusts.
//!
//! The crate is also an rlib, so that [`verify_report`] (everything but the JavaScript
//! conversion) is tested natively in `cargo test --workspace`; the bindings themselves (`verify`,
//! and wasm-bindgen with them) exist on wasm32 only.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;
use zkinfer_verifier::Report;

/// The verdict and how long it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timed {
    /// The verdict ([`zkinfer_verifier::check_bytes`]).
    #[serde(flatten)]
    pub report: Report,
    /// Milliseconds from the files' bytes to the verdict: decoding both files, parsing the input
    /// and verifying.
    pub verify_ms: f64,
}

/// Checks a proof file (`proof`, the bytes `zkinfer prove` wrote) against a verifier key file
/// (`verifier_key`, DIR/verifier.key from `zkinfer setup`), and the input file's text
/// (`{"input_data": [[...]]}`) for a proof of a public input (`None` for a private input).
pub fn verify_report(verifier_key: &[u8], proof: &[u8], input_json: Option<&str>) -> Timed {
    let start = now_ms();
    let report = zkinfer_verifier::check_bytes(verifier_key, proof, input_json);
    Timed {
        report,
        verify_ms: now_ms() - start,
    }
}

/// [`verify_report`] for JavaScript: `verify(keyBytes, proofBytes, inputText | null)` returns
/// `{valid, error: {kind, message} | null, statement: {key_id, proof_key_id, model_hash,
/// weight_commitment, weight_digest, output, output_quantized, zero_knowledge, private_input,
/// mode} | null, soundness_bits, soundness_terms: [{part, bits}] | null, verify_ms}`. It throws
/// only if the verdict cannot be converted (never for any file contents).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn verify(
    verifier_key: &[u8],
    proof: &[u8],
    input_json: Option<String>,
) -> Result<JsValue, JsValue> {
    let timed = verify_report(verifier_key, proof, input_json.as_deref());
    let json = serde_json::to_string(&timed).map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&json)
}

/// The version of this verifier (the workspace's), shown by the page.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: `std::time::Instant` panics on wasm32-unknown-unknown.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    performance_now()
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
}
