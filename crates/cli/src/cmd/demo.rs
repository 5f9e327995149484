//! `zkinfer demo`: a trained convolutional network bundled in the binary (`fixtures/models/
//! digits_cnn_small`, made by `scripts/fixtures/make_fixtures.py`) imported from ONNX, quantized, set
//! up, and a few of its bundled test images proven and verified in the default mode (zero knowledge).
//! Needs no files and no network; exits non-zero if any step fails.

use std::time::Instant;

use anyhow::{Context, bail, ensure};
use zkinfer_ir::quantize_value;
use zkinfer_onnx::{Prepared, TestSet, argmax};
use zkinfer_protocol::{ProofFile, ProofMode, ProverKey, VerifierKey};

use zkinfer_api::{BindingHex, ZK_BY_DEFAULT, dequantize_output, hex, prove_in_mode, verify_proof};

use crate::cmd::files::spinner;
use crate::cmd::verify::mode_label;

/// Arguments of `demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// How many of the bundled test images to prove (each is proven and verified on its own).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub samples: u16,
}

/// The bundled model's name, and its files.
const NAME: &str = "digits_cnn_small";
const NETWORK: &[u8] = include_bytes!("../../../../fixtures/models/digits_cnn_small/network.onnx");
const CALIBRATION: &[u8] =
    include_bytes!("../../../../fixtures/models/digits_cnn_small/calibration.json");
const TEST_SET: &[u8] =
    include_bytes!("../../../../fixtures/models/digits_cnn_small/test_set.json");
const META: &[u8] = include_bytes!("../../../../fixtures/models/digits_cnn_small/meta.json");

/// One proven test image.
struct Proven {
    index: usize,
    label: Option<usize>,
    float_class: usize,
    output: Vec<i64>,
    real: Vec<f64>,
    prove_s: f64,
    verify_s: f64,
    proof_bytes: usize,
    soundness_bits: f64,
}

/// The bundled model, quantized as `setup` would (automatic activation width), and its test sample.
fn bundled() -> anyhow::Result<(Prepared, TestSet, serde_json::Value)> {
    let prep = zkinfer_onnx::prepare_bytes(NETWORK, CALIBRATION, NAME, None)
        .context("importing the bundled model")?;
    let ts = zkinfer_onnx::parse_test_set(TEST_SET, &format!("{NAME} (test_set.json)"))?;
    let meta = serde_json::from_slice(META).context("the bundled meta.json")?;
    Ok((prep, ts, meta))
}

/// Keys in `mode`, passed through their file formats as `setup`, `prove` and `verify` would.
fn keys(
    prep: &Prepared,
    mode: ProofMode,
) -> anyhow::Result<(ProverKey, VerifierKey, usize, usize)> {
    let (pk, vk) = zkinfer_protocol::setup(prep.qmodel.clone(), mode).context("setup failed")?;
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    let pk = ProverKey::from_bytes(&pk_bytes).context("decoding the prover key")?;
    let vk = VerifierKey::from_bytes(&vk_bytes).context("decoding the verifier key")?;
    Ok((pk, vk, pk_bytes.len(), vk_bytes.len()))
}

/// Proves and verifies test image `index`: the output must be the reference evaluator's, and (for
/// the first image) a changed output must be rejected.
fn prove_one(
    prep: &Prepared,
    pk: &ProverKey,
    vk: &VerifierKey,
    ts: &TestSet,
    index: usize,
    mode: ProofMode,
) -> anyhow::Result<Proven> {
    let x = ts.inputs.get(index).context("no such bundled image")?;
    let node = &pk.model.nodes[pk.model.inputs[0]];
    let input: Vec<i64> = x
        .iter()
        .map(|&v| quantize_value(f64::from(v), node.scale, node.bound))
        .collect();
    let reference = zkinfer_ir::evaluate(&pk.model, std::slice::from_ref(&input))?;
    let expected = &reference.values[pk.model.outputs[0]];
    let float = prep.float.run(std::slice::from_ref(x))?;

    let t = Instant::now();
    let (output, proof, _) =
        prove_in_mode(pk, &input, mode.zero_knowledge()).context("proving failed")?;
    let prove_s = t.elapsed().as_secs_f64();
    ensure!(
        &output == expected,
        "image #{index}: the prover's output differs from the reference evaluator's"
    );
    let proof_bytes = ProofFile {
        key_id: pk.key_id(),
        output,
        proof,
    }
    .to_bytes();
    let pf = ProofFile::from_bytes(&proof_bytes).context("decoding the proof")?;

    let t = Instant::now();
    pf.check_key(vk).context("the proof names another key")?;
    let verified = verify_proof(vk, Some(&input), &pf.output, &pf.proof)
        .with_context(|| format!("image #{index}: the proof did not verify"))?;
    let verify_s = t.elapsed().as_secs_f64();
    if index == 0 {
        let mut wrong = pf.output.clone();
        wrong[0] += 1;
        if verify_proof(vk, Some(&input), &wrong, &pf.proof).is_ok() {
            bail!("a proof verified for a wrong output");
        }
    }
    Ok(Proven {
        index,
        label: ts.labels.as_ref().and_then(|l| l.get(index).copied()),
        float_class: argmax(&float[0]),
        real: dequantize_output(&vk.architecture, &pf.output),
        output: pf.output,
        prove_s,
        verify_s,
        proof_bytes: proof_bytes.len(),
        soundness_bits: verified.soundness_bits,
    })
}

/// Runs the demo.
pub fn run(a: Args) -> anyhow::Result<()> {
    let start = Instant::now();
    let pb = spinner(a.json, "importing the bundled model");
    let (prep, ts, meta) = bundled()?;
    let acc = zkinfer_onnx::accuracy(&prep, &ts, NAME)?;
    let import_s = start.elapsed().as_secs_f64();

    pb.set_message("setup: committing to the weights");
    let t = Instant::now();
    // Keys for the default mode of `setup` (zero knowledge), which `prove` then follows.
    let mode = if ZK_BY_DEFAULT {
        ProofMode::ZeroKnowledge
    } else {
        ProofMode::Plain
    };
    let (pk, vk, pk_len, vk_len) = keys(&prep, mode)?;
    let setup_s = t.elapsed().as_secs_f64();

    let count = usize::from(a.samples).min(ts.inputs.len());
    let mut proven = Vec::with_capacity(count);
    for i in 0..count {
        pb.set_message(format!("proving and verifying image {} of {count}", i + 1));
        proven.push(prove_one(&prep, &pk, &vk, &ts, i, mode)?);
    }
    pb.finish_and_clear();
    let total_s = start.elapsed().as_secs_f64();

    let zero_knowledge = mode.zero_knowledge();
    let binding = BindingHex::of(&vk);
    let mean = |f: fn(&Proven) -> f64| proven.iter().map(f).sum::<f64>() / count as f64;
    let (prove_s, verify_s) = (mean(|p| p.prove_s), mean(|p| p.verify_s));
    let soundness = proven
        .iter()
        .map(|p| p.soundness_bits)
        .fold(f64::INFINITY, f64::min);
    let proof_bytes = proven.iter().map(|p| p.proof_bytes).max().unwrap_or(0);
    let pct = |x: Option<f64>| x.map_or_else(|| "n/a".into(), |v| format!("{:.1}%", 100.0 * v));
    if a.json {
        let images: Vec<_> = proven
            .iter()
            .map(|p| {
                serde_json::json!({
                    "index": p.index,
                    "label": p.label,
                    "float_class": p.float_class,
                    "proven_class": argmax(&p.output),
                    "output": p.real,
                    "output_quantized": p.output,
                    "prove_seconds": p.prove_s,
                    "verify_seconds": p.verify_s,
                    "proof_bytes": p.proof_bytes,
                })
            })
            .collect();
        let v = serde_json::json!({
            "ok": true,
            "model": NAME,
            "architecture": meta["arch"],
            "parameters": meta["params"],
            "ir_nodes": pk.model.nodes.len(),
            "test_samples": acc.samples,
            "float_accuracy": acc.float_accuracy,
            "quantized_accuracy": acc.quantized_accuracy,
            "agreement": acc.agreement,
            "model_hash": hex(&vk.model_hash),
            "weight_commitment": binding.commitment,
            "weight_digest": binding.digest,
            "import_seconds": import_s,
            "setup_seconds": setup_s,
            "prove_seconds": prove_s,
            "verify_seconds": verify_s,
            "total_seconds": total_s,
            "proof_bytes": proof_bytes,
            "prover_key_bytes": pk_len,
            "verifier_key_bytes": vk_len,
            "soundness_bits": soundness,
            "zero_knowledge": zero_knowledge,
            "wrong_output_rejected": true,
            "proven": images,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "model:             {NAME}, bundled: {} ({} parameters, {} IR nodes)",
        meta["arch"].as_str().unwrap_or("?"),
        meta["params"],
        pk.model.nodes.len()
    );
    println!(
        "                   trained on scikit-learn's 8x8 handwritten digits (fixtures/README.md)"
    );
    println!(
        "accuracy:          float {}, quantized {} on the {} bundled test images (same class on {})",
        pct(acc.float_accuracy),
        pct(acc.quantized_accuracy),
        acc.samples,
        pct(acc.agreement)
    );
    println!("model hash:        {}", hex(&vk.model_hash));
    println!("{}", binding.line());
    println!(
        "import:            {import_s:.3} s (ONNX, calibration, quantization, accuracy)\n\
         setup:             {setup_s:.3} s (prover key {pk_len} bytes, verifier key {vk_len} bytes)"
    );
    println!("image  label  float model  proven output  prove      verify");
    for p in &proven {
        let label = p.label.map_or_else(|| "-".into(), |l| l.to_string());
        println!(
            "#{:<5} {label:<6} {:<12} {:<14} {:.3} s    {:.3} s",
            p.index,
            p.float_class,
            argmax(&p.output),
            p.prove_s,
            p.verify_s
        );
    }
    println!(
        "proofs:            {} ({proof_bytes} bytes at most), {soundness:.1} bits of soundness",
        mode_label(zero_knowledge)
    );
    println!("every proven output equals the reference evaluator's; a wrong output is rejected");
    println!("total:             {total_s:.2} s");
    println!("demo OK");
    Ok(())
}
