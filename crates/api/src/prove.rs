//! Prove: run the model on an input with the reference evaluator and prove the result, in the
//! prover key's mode (zero knowledge, with a public or a private input; or plain).

use std::path::Path;
use std::time::Instant;

use zkinfer_protocol::{
    InputOpening, KeyId, Proof, ProofFile, ProtocolError, ProveTiming, ProverKey,
};

use crate::error::{ApiError, ErrorKind};
use crate::files::{Input, PROVER_KEY, dequantize_output, quantize_input, read_prover_key};
use crate::progress::{Progress, with_phases};

/// What a proof run made.
#[derive(Debug)]
pub struct Proved {
    /// The key the proof is for.
    pub key_id: KeyId,
    /// The output, quantized (the reference evaluator's, bit for bit).
    pub output: Vec<i64>,
    /// The output, dequantized.
    pub output_real: Vec<f64>,
    /// The proof file's bytes (key id, output and proof).
    pub proof: Vec<u8>,
    /// With a private input: the input commitment's opening, which only the input's owner keeps.
    pub opening: Option<InputOpening>,
    /// Time of each phase.
    pub timing: ProveTiming,
    /// Wall time of the proof.
    pub prove_seconds: f64,
    /// The proof's mode.
    pub zero_knowledge: bool,
    /// Whether the input is hidden behind a commitment.
    pub private_input: bool,
}

/// Proves `input` (quantized) in the given mode.
pub fn prove_in_mode(
    pk: &ProverKey,
    input: &[i64],
    zero_knowledge: bool,
) -> Result<(Vec<i64>, Proof, ProveTiming), ProtocolError> {
    if zero_knowledge {
        zkinfer_protocol::prove_zk_timed(pk, input).map(|(o, p, t)| (o, Proof::Zk(p), t))
    } else {
        zkinfer_protocol::prove_timed(pk, input).map(|(o, p, t)| (o, Proof::Plain(p), t))
    }
}

/// Proves `input` (quantized) with `pk` in the key's mode, hiding the input behind a commitment
/// when `private_input` (zero-knowledge keys only). `key` and `input_label` name the key and the
/// input in errors.
pub fn prove_quantized(
    pk: &ProverKey,
    input: &[i64],
    private_input: bool,
    key: &str,
    input_label: &str,
    progress: Option<&Progress>,
) -> Result<Proved, ApiError> {
    let zk = pk.mode().zero_knowledge();
    if private_input && !zk {
        return Err(ApiError::refused(
            ErrorKind::WrongMode,
            format!(
                "{key}: the keys were set up for plain proofs, so they cannot make the \
                 zero-knowledge proof of a private input asked for (setup makes keys for \
                 zero-knowledge proofs by default)"
            ),
        ));
    }
    let start = Instant::now();
    let proved = with_phases(progress, || {
        if private_input {
            zkinfer_protocol::prove_zk_with(pk, input, true)
                .map(|z| (z.output, Proof::Zk(z.proof), z.timing, z.opening))
        } else {
            prove_in_mode(pk, input, zk).map(|(o, p, t)| (o, p, t, None))
        }
    });
    let (output, proof, timing, opening) = proved.map_err(|source| {
        let mode = if private_input {
            "zero-knowledge (private input)"
        } else if zk {
            "zero-knowledge"
        } else {
            "plain"
        };
        ApiError::Protocol {
            context: format!("{mode} proof of {key} on {input_label}"),
            source,
        }
    })?;
    let prove_seconds = start.elapsed().as_secs_f64();
    let zero_knowledge = proof.zero_knowledge();
    let key_id = pk.key_id();
    let output_real = dequantize_output(&pk.model, &output);
    let bytes = ProofFile {
        key_id,
        output: output.clone(),
        proof,
    }
    .to_bytes();
    Ok(Proved {
        key_id,
        output,
        output_real,
        proof: bytes,
        opening,
        timing,
        prove_seconds,
        zero_knowledge,
        private_input,
    })
}

/// Proves an input (a file or values) with a prover key: quantizes it at the model's input scale
/// and proves it ([`prove_quantized`]). `key` names the key in errors.
pub fn prove(
    pk: &ProverKey,
    input: Input<'_>,
    private_input: bool,
    key: &str,
    progress: Option<&Progress>,
) -> Result<Proved, ApiError> {
    let quantized = quantize_input(&pk.model, input)?;
    let label = match input {
        Input::File(p) => p.display().to_string(),
        Input::Values(_) => "the input".to_string(),
    };
    prove_quantized(pk, &quantized, private_input, key, &label, progress)
}

/// [`prove`] with the prover key of a key directory (`DIR/prover.key`, as `setup` wrote it).
pub fn prove_dir(
    dir: &Path,
    input: Input<'_>,
    private_input: bool,
    progress: Option<&Progress>,
) -> Result<Proved, ApiError> {
    let path = dir.join(PROVER_KEY);
    let pk = read_prover_key(&path)?;
    prove(
        &pk,
        input,
        private_input,
        &path.display().to_string(),
        progress,
    )
}
