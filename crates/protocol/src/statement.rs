//! The statement every model proof is bound to, and the model hash.

use zkinfer_field::{F, PrimeField32, encode_signed};
use zkinfer_ir::QModel;
use zkinfer_pcs::{Commitment, PcsParams};
use zkinfer_transcript::{Statement, Transcript};

use crate::ProtocolError;
use zkinfer_poseidon2::tree::DIGEST as DIGEST_LEN;

/// Version of the model-proof protocol; bumped whenever the transcript schedule changes.
pub const PROTOCOL_VERSION: u32 = 4;

/// The commitment parameters, fixed by the code (never read from a key or a proof).
///
/// The PCS default with 10 grinding bits instead of 16: p3 makes up the difference with more
/// queries, so every opening still reaches >= 100 provable bits, the proofs grow ~5%, and the
/// prover no longer spends tens of milliseconds (with a long tail: grinding time is geometric)
/// per opening on proof of work (measured 2026-11-25 on the shared models: digits_mlp 40-60 ms ->
/// 20-40 ms, lenet5_28 ~0.40 s -> ~0.30 s). 10, not 8: at 2^26 variables p3 derives a 9-bit
/// proof of work for one term, which an 8-bit budget refuses.
pub fn pcs_params() -> PcsParams {
    PcsParams {
        pow_bits: 10,
        ..PcsParams::default()
    }
}

/// The hash of a model's architecture and quantization parameters (weights stripped): Poseidon2
/// over the canonical encoding, 8 field elements, 32 bytes.
pub fn model_hash(architecture: &QModel) -> [u8; 32] {
    let bytes = postcard::to_allocvec(architecture).unwrap_or_default();
    let st = Statement::new("zkinfer/model-hash", PROTOCOL_VERSION)
        .field_bytes("architecture", &bytes)
        .unwrap_or_else(|_| Statement::new("zkinfer/model-hash", PROTOCOL_VERSION));
    let mut t = Transcript::new(&st);
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(4) {
        let e: F = t.sample_base("hash");
        chunk.copy_from_slice(&e.as_canonical_u32().to_le_bytes());
    }
    out
}

fn encode_all(label: &str, values: &[i64]) -> Result<Vec<F>, ProtocolError> {
    values
        .iter()
        .map(|&v| encode_signed(v))
        .collect::<Result<_, _>>()
        .map_err(|e| ProtocolError::Malformed(format!("{label}: {e}")))
}

/// The statement: protocol version, commitment parameters, model hash, weight commitment, input
/// and output. A proof for one statement must not verify for any other.
pub fn statement(
    model_hash: &[u8; 32],
    weight_commitment: &Commitment,
    input: &[i64],
    output: &[i64],
) -> Result<Statement, ProtocolError> {
    let p = pcs_params();
    Ok(Statement::new("zkinfer/model-proof", PROTOCOL_VERSION)
        .parameter("pcs.security_level", p.security_level as u64)?
        .parameter("pcs.pow_bits", p.pow_bits as u64)?
        .parameter("pcs.folding_factor", p.folding_factor as u64)?
        .parameter("pcs.log_inv_rate", p.starting_log_inv_rate as u64)?
        // Every parameter, including the proximity regime, in its debug form.
        .field_bytes("pcs.params", format!("{p:?}").as_bytes())?
        .field_bytes("model_hash", model_hash)?
        .field_bytes("weight_commitment", &weight_commitment.to_bytes())?
        .field_elems("input", &encode_all("input", input)?)?
        .field_elems("output", &encode_all("output", output)?)?)
}

/// The parameters of the hiding commitment of zero-knowledge proofs, fixed by the code.
pub fn hiding_params() -> zkinfer_pcs::HidingParams {
    zkinfer_pcs::HidingParams {
        whir: pcs_params(),
        ..zkinfer_pcs::HidingParams::default()
    }
}

/// The input part of a zero-knowledge statement.
#[derive(Debug, Clone, Copy)]
pub enum ZkInput<'a> {
    /// The input is public: the verifier knows it.
    Public(&'a [i64]),
    /// The input is hidden; the statement holds its commitment.
    Committed(&'a Commitment),
}

/// The statement of a zero-knowledge proof: its own domain (a zero-knowledge proof never verifies
/// as a plain one or the other way round), the plain statement's parameters plus the hiding
/// commitment's, `h(M)`, the salted weight digest (which hides the weights, unlike `C_W`), the
/// input or its commitment, and the output.
pub fn zk_statement(
    model_hash: &[u8; 32],
    weight_digest: &[F; DIGEST_LEN],
    input: ZkInput<'_>,
    output: &[i64],
) -> Result<Statement, ProtocolError> {
    let p = pcs_params();
    let h = hiding_params();
    let st = Statement::new("zkinfer/model-proof-zk", PROTOCOL_VERSION)
        .parameter("pcs.security_level", p.security_level as u64)?
        .parameter("pcs.pow_bits", p.pow_bits as u64)?
        .field_bytes("pcs.params", format!("{p:?}").as_bytes())?
        .field_bytes("hiding.params", format!("{h:?}").as_bytes())?
        .field_bytes("model_hash", model_hash)?
        .field_elems("weight_digest", weight_digest)?;
    let st = match input {
        ZkInput::Public(x) => st
            .parameter("input.public", 1)?
            .field_elems("input", &encode_all("input", x)?)?,
        ZkInput::Committed(c) => st
            .parameter("input.public", 0)?
            .field_bytes("input_commitment", &c.to_bytes())?,
    };
    Ok(st.field_elems("output", &encode_all("output", output)?)?)
}
