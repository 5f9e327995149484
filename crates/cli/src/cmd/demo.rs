//! `zkinfer demo`: setup, prove and verify a small MLP built here, with fixed weights; needs no
//! files and no network. Exits non-zero if any step fails.

use std::time::Instant;

use anyhow::{Context, bail, ensure};
use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant, quantize_value};
use zkinfer_protocol::{ProofFile, ProofMode, ProverKey, VerifierKey};

use crate::zk::prove::{ZK_BY_DEFAULT, prove_in_mode};
use crate::zk::verify::{mode_label, verify_proof};
use crate::zk::{BindingHex, dequantize_output, fmt_values, hex, spinner};

/// Arguments of `demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

const IN: usize = 16;
const HIDDEN: usize = 8;
const OUT: usize = 4;
/// Input and weight scale: real values in [-2, 2) as 8-bit integers.
const SCALE: f64 = 1.0 / 64.0;

/// Deterministic small weights (xorshift64), so every run proves the same model.
struct Weights(u64);

impl Weights {
    fn take(&mut self, n: usize, bound: i64) -> Vec<i64> {
        (0..n)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                (self.0 % (2 * bound as u64 + 1)) as i64 - bound
            })
            .collect()
    }
}

/// Input [1, 16] -> Dense 16->8 -> +bias -> requantize with ReLU -> Dense 8->4 -> +bias.
pub fn demo_model() -> anyhow::Result<QModel> {
    let mut w = Weights(0x5eed_2024_0bad_cafe);
    let mut b = ModelBuilder::new("demo-mlp", QuantConfig::default());
    let acc1 = SCALE * SCALE;
    // Requantize by 5 / 2^10: the hidden layer's scale is acc1 * 2^10 / 5.
    let (mult, shift) = (5, 10);
    let hidden = acc1 * f64::from(1u32 << shift) / mult as f64;
    let x = b.input("x", vec![1, IN], SCALE, 127)?;
    let dense = |weight, i, o| Op::Dense {
        weight,
        in_features: i,
        out_features: o,
    };
    let d1 = b.push(
        "fc1",
        dense(w.take(IN * HIDDEN, 63), IN, HIDDEN),
        vec![x],
        vec![1, HIDDEN],
        acc1,
    )?;
    let b1 = b.push(
        "fc1.bias",
        Op::Const {
            values: w.take(HIDDEN, 2000),
        },
        vec![],
        vec![HIDDEN],
        acc1,
    )?;
    let a1 = b.push(
        "fc1.add",
        Op::Add { coeffs: [1, 1] },
        vec![d1, b1],
        vec![1, HIDDEN],
        acc1,
    )?;
    let rq = Op::Requant(Requant {
        multiplier: mult,
        shift,
        min: 0,
        max: 127,
    });
    let r1 = b.push("relu1", rq, vec![a1], vec![1, HIDDEN], hidden)?;
    let acc2 = hidden * SCALE;
    let d2 = b.push(
        "fc2",
        dense(w.take(HIDDEN * OUT, 63), HIDDEN, OUT),
        vec![r1],
        vec![1, OUT],
        acc2,
    )?;
    let b2 = b.push(
        "fc2.bias",
        Op::Const {
            values: w.take(OUT, 2000),
        },
        vec![],
        vec![OUT],
        acc2,
    )?;
    let out = b.push(
        "fc2.add",
        Op::Add { coeffs: [1, 1] },
        vec![d2, b2],
        vec![1, OUT],
        acc2,
    )?;
    let model = b.finish(vec![out]);
    model.validate().context("the demo model is invalid")?;
    Ok(model)
}

/// Runs the demo.
pub fn run(a: Args) -> anyhow::Result<()> {
    let model = demo_model()?;
    let params = IN * HIDDEN + HIDDEN + HIDDEN * OUT + OUT;
    let real_input: Vec<f64> = (0..IN).map(|i| (i as f64 * 0.7).sin() * 1.5).collect();
    let in_node = &model.nodes[model.inputs[0]];
    let input: Vec<i64> = real_input
        .iter()
        .map(|&v| quantize_value(v, in_node.scale, in_node.bound))
        .collect();
    let reference = zkinfer_ir::evaluate(&model, std::slice::from_ref(&input))?;
    let expected = reference.values[model.outputs[0]].clone();

    let pb = spinner(a.json, "setup: committing to the weights");
    let t = Instant::now();
    // Keys for the default mode of `setup` (zero knowledge), which `prove` then follows.
    let mode = if ZK_BY_DEFAULT {
        ProofMode::ZeroKnowledge
    } else {
        ProofMode::Plain
    };
    let (pk, vk) = zkinfer_protocol::setup(model.clone(), mode).context("setup failed")?;
    let setup_s = t.elapsed().as_secs_f64();
    // Through the file formats, as `setup`, `prove` and `verify` would pass them.
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    let pk = ProverKey::from_bytes(&pk_bytes).context("decoding the prover key")?;
    let vk = VerifierKey::from_bytes(&vk_bytes).context("decoding the verifier key")?;

    pb.set_message("proving");
    let t = Instant::now();
    let (output, proof, _) =
        prove_in_mode(&pk, &input, mode.zero_knowledge()).context("proving failed")?;
    let prove_s = t.elapsed().as_secs_f64();
    ensure!(
        output == expected,
        "the prover's output differs from the reference evaluator's"
    );
    let key_id = pk.key_id();
    let proof_bytes = ProofFile {
        key_id,
        output,
        proof,
    }
    .to_bytes();
    let pf = ProofFile::from_bytes(&proof_bytes).context("decoding the proof")?;

    pb.set_message("verifying");
    let t = Instant::now();
    pf.check_key(&vk).context("the proof names another key")?;
    let verified = verify_proof(&vk, Some(&input), &pf.output, &pf.proof)
        .context("the proof did not verify")?;
    let verify_s = t.elapsed().as_secs_f64();
    let mut wrong = pf.output.clone();
    wrong[0] += 1;
    if verify_proof(&vk, Some(&input), &wrong, &pf.proof).is_ok() {
        bail!("a proof verified for a wrong output");
    }
    pb.finish_and_clear();

    let zero_knowledge = pf.proof.zero_knowledge();
    let real = dequantize_output(&vk.architecture, &pf.output);
    let hash = hex(&vk.model_hash);
    let binding = BindingHex::of(&vk);
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "model": model.name,
            "parameters": params,
            "input": real_input,
            "output": real,
            "output_quantized": pf.output,
            "model_hash": hash,
            "weight_commitment": binding.commitment,
            "weight_digest": binding.digest,
            "setup_seconds": setup_s,
            "prove_seconds": prove_s,
            "verify_seconds": verify_s,
            "proof_bytes": proof_bytes.len(),
            "prover_key_bytes": pk_bytes.len(),
            "verifier_key_bytes": vk_bytes.len(),
            "soundness_bits": verified.soundness_bits,
            "zero_knowledge": zero_knowledge,
            "wrong_output_rejected": true,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "model:             {} (dense {IN}->{HIDDEN}, ReLU, dense {HIDDEN}->{OUT}; {params} parameters, {} IR nodes)",
        model.name,
        model.nodes.len()
    );
    println!("model hash:        {hash}");
    println!("{}", binding.line());
    println!("input:             {}", fmt_values(&real_input));
    println!(
        "output:            {} (integer {:?}, equals the reference evaluator)",
        fmt_values(&real),
        pf.output
    );
    println!(
        "setup:             {setup_s:.3} s (prover key {} bytes, verifier key {} bytes)",
        pk_bytes.len(),
        vk_bytes.len()
    );
    println!(
        "prove:             {prove_s:.3} s, proof {} bytes ({})",
        proof_bytes.len(),
        mode_label(zero_knowledge)
    );
    println!(
        "verify:            {verify_s:.3} s, {:.1} bits of soundness",
        verified.soundness_bits
    );
    println!("a wrong output is rejected: yes");
    println!("demo OK");
    Ok(())
}
