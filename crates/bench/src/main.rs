//! Runs setup, prove and verify on the shared models and prints the figures.
//!
//! `cargo run --release -p zkinfer-bench -- [MODEL...]` (models from ../shared/models).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use zkinfer_ir::{Op, quantize_value};

fn main() -> Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/models");
    let mut models: Vec<String> = std::env::args().skip(1).collect();
    if models.is_empty() {
        models = ["digits_linear", "digits_mlp", "digits_cnn", "lenet5_28"]
            .map(String::from)
            .to_vec();
    }
    for name in models {
        let dir = root.join(&name);
        let prep = zkinfer_onnx::prepare(
            &dir.join("network.onnx"),
            &dir.join("calibration.json"),
            None,
        )
        .with_context(|| format!("preparing {name}"))?;
        let q = &prep.qmodel;
        for (id, n) in q.nodes.iter().enumerate() {
            let extra = match &n.op {
                Op::Requant(r) => format!("{r:?} in_bound={}", q.nodes[n.inputs[0]].bound),
                _ => String::new(),
            };
            println!(
                "  {id:3} {:10} {:?} {:?} bound={} {extra}",
                n.op.name(),
                n.inputs,
                n.shape,
                n.bound
            );
        }
        let input_file = zkinfer_onnx::read_input_file(&dir.join("input.json"))?;
        let x: Vec<f32> = input_file.input_data.first().cloned().unwrap_or_default();
        let in_node = &q.nodes[q.inputs[0]];
        let xq: Vec<i64> = x
            .iter()
            .map(|&v| quantize_value(v as f64, in_node.scale, in_node.bound))
            .collect();
        let t = Instant::now();
        let (pk, vk) = zkinfer_protocol::setup(q.clone())?;
        let setup_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (out, proof) = zkinfer_protocol::prove(&pk, &xq)?;
        let prove_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let v = zkinfer_protocol::verify(&vk, &xq, &out, &proof)?;
        let verify_s = t.elapsed().as_secs_f64();
        let size = postcard::to_allocvec(&proof)?.len();
        println!(
            "{name}: setup {setup_s:.3}s prove {prove_s:.3}s verify {verify_s:.3}s proof {} KiB, {:.1} bits",
            size / 1024,
            v.soundness_bits
        );
    }
    Ok(())
}
