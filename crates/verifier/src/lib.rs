//! The verdict on a proof file, one implementation for every front end: `zkinfer verify` (the
//! CLI reads the files and prints), the browser verifier (`crates/wasm`) and the bindings.
//!
//! - [`verify_proof`] runs the verifier of the proof's kind (plain or zero knowledge, public or
//!   private input); [`check`] adds what comes before it: the key's mode against the proof's, an
//!   input given exactly when the proof is of a public input, and the key id the proof names.
//! - [`Statement`] is what a valid proof establishes, in printable form: model hash, weight
//!   binding, output (real and quantized), mode.
//! - [`check_bytes`] takes the files' bytes and an input file's text and returns a [`Report`],
//!   never panicking on hostile bytes (this crate denies unwrap, expect, panic and indexing like
//!   the verifier crates below it).
//!
//! It depends on `zkinfer-protocol` without its `prover` and `parallel` features, so it builds for
//! wasm32 without the prover or rayon.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod check;
mod input;
mod statement;

#[cfg(test)]
mod tests;

pub use check::{
    CheckError, ErrorKind, Report, check, check_bytes, has_private_input, verify_proof,
};
pub use input::{InputError, input_len, parse_input, quantize_input};
pub use statement::{BindingHex, Statement, dequantize_output, hex, mode_label};
