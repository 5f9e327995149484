//! `zkinfer prove DIR --input INPUT.json --out PROOF [--zk | --no-zk]`
//!
//! The proof's mode is the prover key's (setup chose it); `--zk` or `--no-zk` only confirm it, and
//! one that contradicts the key is refused.

use std::path::{Path, PathBuf};

use zkinfer_api::{Input, PROVER_KEY, read_prover_key, write_file};
use zkinfer_protocol::ProofMode;

use crate::cmd::files::{fmt_values, progress, spinner};
use crate::report::{ErrorKind, fail, layer_parts_json, phases_json};

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
    a.zero_knowledge(pk.mode(), &pk_path)?;
    let private = a.private_input;
    let pb = spinner(a.json, "proving");
    let proved = zkinfer_api::prove(
        &pk,
        Input::File(&a.input),
        private,
        &pk_path.display().to_string(),
        Some(&progress(&pb)),
    )?;
    pb.finish_and_clear();
    let (secs, key_id, output, timing) = (
        proved.prove_seconds,
        proved.key_id,
        &proved.output,
        &proved.timing,
    );
    let bytes = &proved.proof;
    write_file(&a.out, bytes, false)?;
    let opening_path = match &proved.opening {
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
    let real = &proved.output_real;
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
            "zero_knowledge": proved.zero_knowledge,
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
    println!("output:           {}", fmt_values(real));
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
    println!("note: {}", hiding_note(proved.zero_knowledge, private));
    Ok(())
}
