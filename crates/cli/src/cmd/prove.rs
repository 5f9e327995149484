//! `zkinfer prove DIR --input INPUT.json --out PROOF`

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use zkinfer_protocol::ProofFile;

use crate::zk::{
    PROVER_KEY, dequantize_output, fmt_values, quantize_input_file, read_prover_key, spinner,
    write_file,
};

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
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the model on the input, proves the result and writes the proof file.
pub fn run(a: Args) -> anyhow::Result<()> {
    let pk_path = a.dir.join(PROVER_KEY);
    let pk = read_prover_key(&pk_path)?;
    let input = quantize_input_file(&pk.model, &a.input)?;
    let pb = spinner(a.json, "proving");
    let start = Instant::now();
    let (output, proof, timing) = zkinfer_protocol::prove_timed(&pk, &input)
        .with_context(|| format!("proving {} on {}", pk_path.display(), a.input.display()))?;
    let secs = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let bytes = ProofFile {
        output: output.clone(),
        proof,
    }
    .to_bytes();
    write_file(&a.out, &bytes, false)?;
    let real = dequantize_output(&pk.model, &output);
    let ms = timing.as_ms();
    if a.json {
        let v = serde_json::json!({
            "output": real,
            "output_quantized": output,
            "proof": a.out,
            "proof_bytes": bytes.len(),
            "prove_seconds": secs,
            // Protocol version 2 binds the weights and input but does not hide them.
            "zero_knowledge": false,
            "phases_ms": {
                "witness": ms[0],
                "commit": ms[1],
                "layers": ms[2],
                "sumchecks": timing.sumchecks.as_secs_f64() * 1000.0,
                "lookups": timing.lookups.as_secs_f64() * 1000.0,
                "openings": ms[3],
            },
        });
        println!("{v}");
        return Ok(());
    }
    println!("output:           {}", fmt_values(&real));
    println!("output (integer): {output:?}");
    println!(
        "proved in {secs:.2} s; wrote {} ({} bytes)",
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
    println!(
        "note: the proof binds the weights but does not hide them or the input (no zero knowledge yet; docs/security.md)"
    );
    Ok(())
}
