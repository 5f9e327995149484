//! `zkinfer prove DIR --input INPUT.json --out PROOF [--zk | --no-zk]`
//!
//! The proof's mode is the prover key's (setup chose it); `--zk` or `--no-zk` only confirm it, and
//! one that contradicts the key is refused.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use zkinfer_protocol::{Proof, ProofFile, ProofMode, ProtocolError, ProveTiming, ProverKey};

use crate::cmd::files::{
    PROVER_KEY, dequantize_output, fmt_values, quantize_input_file, read_prover_key, spinner,
    write_file,
};
use crate::report::{ErrorKind, fail, layer_parts_json, phases_json};

/// Whether `setup` makes keys for zero-knowledge proofs (and `demo` proves in zero knowledge)
/// when neither `--zk` nor `--no-zk` is given; `prove` follows its key. The one place the default
/// lives.
///
/// Zero knowledge is the default: the zero-knowledge proof covers every layer the plain one does.
/// `--no-zk` remains for smaller, faster proofs where nothing needs hiding.
pub const ZK_BY_DEFAULT: bool = true;

const ZK_HELP: &str = "Make a zero-knowledge proof, hiding the weights and the activations (needs \
     keys from `setup`, whose default is zero knowledge; without --zk or --no-zk the key's mode is \
     used). A model whose layers the zero-knowledge proof does not cover yet is refused, naming \
     the node";
const NO_ZK_HELP: &str = "Make a plain proof: it reveals evaluations of the input and the \
     activations (needs keys from `setup --no-zk`)";

/// What `prove` prints about what a proof hides, for each mode (docs/security.md). A
/// zero-knowledge proof hides the weights (its statement binds their salted digest) and the
/// activations; the input is public unless `--private-input` is given.
pub fn hiding_note(zero_knowledge: bool, private_input: bool) -> &'static str {
    if private_input {
        "zero knowledge, private input: the proof hides the input, the weights and the \
         activations (its statement holds the input's commitment and the weights' salted digest; \
         docs/security.md)"
    } else if zero_knowledge {
        "zero knowledge: the proof hides the weights (bound by the key's salted digest) and the \
         activations; the input is public to the verifier (verify takes it; --private-input \
         hides it) (docs/security.md)"
    } else {
        "the proof binds the weights but does not hide them or the input (no zero knowledge; \
         docs/security.md)"
    }
}

/// Runs `prove`, naming each phase the prover enters in `pb`'s message ("proving: layer
/// proofs"); a hidden spinner (`--json`, stderr not a terminal) shows nothing.
pub fn with_phases<R>(pb: &indicatif::ProgressBar, prove: impl FnOnce() -> R) -> R {
    let pb = pb.clone();
    zkinfer_protocol::with_phase_observer(
        move |phase| pb.set_message(format!("proving: {}", phase.name())),
        prove,
    )
}

/// Proves `input` in the given mode.
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

/// Arguments of `prove`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The key directory written by `setup` (its prover.key is read).
    pub dir: PathBuf,
    /// The input (`{"input_data": [[...]]}`), quantized at the model's input scale.
    #[arg(long)]
    pub input: PathBuf,
    /// Where to write the proof file.
    #[arg(long)]
    pub out: PathBuf,
    /// Make a zero-knowledge proof (see `ZK_HELP`).
    #[arg(long, conflicts_with = "no_zk", help = ZK_HELP)]
    pub zk: bool,
    /// Make a plain proof (see `NO_ZK_HELP`).
    #[arg(long, help = NO_ZK_HELP)]
    pub no_zk: bool,
    /// Hide the input too: the proof's statement holds a commitment to it instead, and the
    /// commitment's opening (input, blinder, seed) is written to `--opening` for the input's owner
    #[arg(long, conflicts_with = "no_zk")]
    pub private_input: bool,
    /// With --private-input: where to write the input commitment's opening [default: the proof
    /// path with `.opening.json` appended]
    #[arg(long, requires = "private_input")]
    pub opening: Option<PathBuf>,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The mode asked for: `Some(true)` for `--zk` or `--private-input`, `Some(false)` for
    /// `--no-zk`, `None` (the key's mode) without a flag.
    pub fn asked_mode(&self) -> Option<bool> {
        match (self.zk || self.private_input, self.no_zk) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }

    /// The proof's mode: the key's, after checking that the flags do not ask for the other.
    pub fn zero_knowledge(&self, key: ProofMode, key_path: &Path) -> anyhow::Result<bool> {
        let zk = key.zero_knowledge();
        match self.asked_mode() {
            Some(asked) if asked != zk => {
                let (flag, kind) = if asked {
                    (
                        if self.private_input {
                            "--private-input"
                        } else {
                            "--zk"
                        },
                        "zero-knowledge",
                    )
                } else {
                    ("--no-zk", "plain")
                };
                Err(fail(
                    ErrorKind::WrongMode,
                    format!(
                        "{}: the keys were set up for {key} proofs, so they cannot make the \
                         {kind} proof {flag} asks for (setup makes keys for zero-knowledge proofs \
                         by default and for plain ones with --no-zk)",
                        key_path.display()
                    ),
                ))
            }
            _ => Ok(zk),
        }
    }
}

/// Runs the model on the input, proves the result and writes the proof file.
pub fn run(a: Args) -> anyhow::Result<()> {
    let pk_path = a.dir.join(PROVER_KEY);
    let pk = read_prover_key(&pk_path)?;
    let zk = a.zero_knowledge(pk.mode(), &pk_path)?;
    let input = quantize_input_file(&pk.model, &a.input)?;
    let pb = spinner(a.json, "proving");
    let start = Instant::now();
    let private = a.private_input;
    let proved = with_phases(&pb, || {
        if private {
            zkinfer_protocol::prove_zk_with(&pk, &input, true)
                .map(|z| (z.output, Proof::Zk(z.proof), z.timing, z.opening))
        } else {
            prove_in_mode(&pk, &input, zk).map(|(o, p, t)| (o, p, t, None))
        }
    });
    let (output, proof, timing, opening) = proved.with_context(|| {
        let mode = if private {
            "zero-knowledge (private input)"
        } else if zk {
            "zero-knowledge"
        } else {
            "plain"
        };
        format!(
            "{mode} proof of {} on {}",
            pk_path.display(),
            a.input.display()
        )
    })?;
    let secs = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let zero_knowledge = proof.zero_knowledge();
    let key_id = pk.key_id();
    let bytes = ProofFile {
        key_id,
        output: output.clone(),
        proof,
    }
    .to_bytes();
    write_file(&a.out, &bytes, false)?;
    let opening_path = match &opening {
        Some(o) => {
            let path = a.opening.clone().unwrap_or_else(|| {
                let mut p = a.out.clone().into_os_string();
                p.push(".opening.json");
                PathBuf::from(p)
            });
            // It reveals the input: readable by its owner only, like prover.key.
            write_file(&path, &serde_json::to_vec_pretty(o)?, true)?;
            Some(path)
        }
        None => None,
    };
    let real = dequantize_output(&pk.model, &output);
    let ms = timing.as_ms();
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "key_id": key_id.to_string(),
            "output": real,
            "output_quantized": output,
            "proof": a.out,
            "proof_bytes": bytes.len(),
            "prove_seconds": secs,
            "zero_knowledge": zero_knowledge,
            "private_input": private,
            "input_opening": opening_path,
            "phases_ms": phases_json(ms),
            "layer_parts_ms": layer_parts_json(
                [timing.sumchecks, timing.lookups].map(|d| d.as_secs_f64() * 1000.0)
            ),
        });
        println!("{v}");
        return Ok(());
    }
    println!("output:           {}", fmt_values(&real));
    println!("output (integer): {output:?}");
    println!(
        "proved in {secs:.2} s; wrote {} ({} bytes), for key {key_id}",
        a.out.display(),
        bytes.len()
    );
    println!(
        "phases: witness {:.0} ms, commitments {:.0} ms, layer proofs {:.0} ms (sumchecks {:.0}, \
         lookups {:.0}), openings {:.0} ms",
        ms[0],
        ms[1],
        ms[2],
        timing.sumchecks.as_secs_f64() * 1000.0,
        timing.lookups.as_secs_f64() * 1000.0,
        ms[3]
    );
    if let Some(p) = &opening_path {
        println!(
            "wrote the input commitment's opening to {} (private, mode 0600): it reveals the \
             input, so only the input's owner may keep it; they use it to recognise proofs of \
             their input (verify --input-opening)",
            p.display()
        );
    }
    println!("note: {}", hiding_note(zero_knowledge, private));
    Ok(())
}
