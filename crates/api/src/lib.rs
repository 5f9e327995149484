//! zkinfer as a library: the calls behind the `zkinfer` command line and the Python package.
//!
//! - [`setup`] (and [`make_keys`] in memory) quantizes an ONNX model and binds its weights for one
//!   proof mode (zero knowledge by default), writing `prover.key` and `verifier.key`.
//! - [`prove`] / [`prove_dir`] run the model on an input and prove the result in the key's mode.
//! - [`verify`] / [`verify_files`] check a proof against a verifier key and the input (or the
//!   commitment a proof of a private input carries).
//! - [`run`] and [`accuracy`] say what quantization costs, without proving.
//!
//! Models, calibration samples, inputs and test sets are files or values in memory ([`Model`],
//! [`Samples`], [`Input`], [`TestData`]); results are typed; every error is an [`ApiError`] with a
//! kind ([`ErrorKind`]) and a message naming the file, node or value at fault. Long steps report
//! progress to an optional callback ([`Progress`]).

mod error;
mod files;
mod model;
mod progress;
mod prove;
mod run;
mod setup;
mod verify;

pub use error::{ApiError, ErrorKind, protocol_kind};
pub use files::{
    BindingHex, Input, PROVER_KEY, VERIFIER_KEY, decode, dequantize_output, hex, quantize_input,
    read_proof, read_prover_key, read_verifier_key, write_file,
};
pub use model::{Model, Samples, Widths, prepare};
pub use progress::{Progress, with_phases};
pub use prove::{Proved, prove, prove_dir, prove_in_mode, prove_quantized};
pub use run::{Accuracy, RunInput, RunReport, TestData, accuracy, run};
pub use setup::{Keys, SetupReport, ZK_BY_DEFAULT, check_overwrite, make_keys, mode, setup};
pub use verify::{
    Names, Opening, Verification, has_private_input, read_opening, verify, verify_files,
    verify_proof,
};

#[cfg(test)]
mod tests;
