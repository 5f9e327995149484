//! zkinfer's model proof: "model `M` with weights committed in `C_W` maps input `x` to output `y`".
//!
//! - [`plan`] compiles a quantized model ([`zkinfer_ir::QModel`]) into one step per node.
//! - [`setup`] commits to the weights once and makes the prover and verifier keys.
//! - [`prove`] evaluates the model with the reference evaluator, commits every non-linear
//!   step's columns in one batched commitment, reduces the output claim layer by layer from the
//!   output back to the input ("claims in, claims out"), and settles every remaining claim with one
//!   opening of the witness commitment and one of the weight commitment.
//! - [`verify`] repeats the schedule from the verifier key alone, with parameters it fixes itself.
//!
//! See docs/protocol.md for the protocol and its transcript schedule.
//!
//! Features: `prover` (default) builds [`prove`], [`prove_zk`] and their sessions; without it the
//! crate verifies only (crates/verifier, crates/wasm). `parallel` (default) turns on rayon in
//! every prover below.

// Without the prover, its helpers inside the modules both sides share go unused.
#![cfg_attr(not(feature = "prover"), allow(dead_code))]

mod codec;
pub mod cost;
mod error;
mod key_id;
mod keys;
mod maps;
mod output;
#[cfg(feature = "prover")]
mod phase;
pub mod plan;
mod proof;
pub mod provable;
#[cfg(feature = "prover")]
mod prove;
mod reduce;
mod rewrite;
mod route;
#[cfg(feature = "prover")]
mod session;
mod soundness;
mod statement;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
mod verify;
pub mod weight_range;
#[cfg(feature = "prover")]
mod witness;
pub mod zk;

pub use codec::{
    CodecError, FORMAT_VERSION, FileKind, MAX_KEY_BYTES, MAX_PROOF_BYTES, MAX_VERIFIER_KEY_BYTES,
    Proof, ProofFile,
};
pub use error::ProtocolError;
pub use key_id::{DIGEST_BYTES, KeyId};
pub use keys::{
    ProofMode, ProverBinding, ProverKey, VerifierKey, WeightBinding, setup, strip_weights,
};
#[cfg(feature = "prover")]
pub use phase::{Phase, with_phase_observer};
pub use plan::Plan;
pub use proof::{ModelProof, StepProof};
pub use provable::{OpProof, Refusal, check_provable, node_refusals, op_proof};
#[cfg(feature = "prover")]
pub use prove::{ProveTiming, prove, prove_timed};
pub use reduce::GroupReduction;
pub use rewrite::prepare_for_proving;
#[cfg(feature = "prover")]
pub use session::Prover;
pub use soundness::SoundnessTerm;
pub use statement::{PROTOCOL_VERSION, model_hash, pcs_params, statement};
pub use statement::{ZkInput, hiding_params, zk_statement};
pub use verify::{Verified, verify};
pub use zk::{
    INPUT_OPENING_VERSION, InputOpening, ZkModelProof, ZkStepProof, verify_zk, verify_zk_private,
    verify_zk_with,
};
#[cfg(feature = "prover")]
pub use zk::{ZkProved, prove_zk, prove_zk_private, prove_zk_timed, prove_zk_with};

#[cfg(test)]
mod attack_tests;
#[cfg(test)]
mod forgery_tests;
#[cfg(test)]
mod owner_keys;
#[cfg(test)]
mod review2_tests;
#[cfg(test)]
mod review3_tests;
#[cfg(test)]
mod review4_tests;
#[cfg(test)]
mod tests;
