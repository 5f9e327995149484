//! `zkinfer run MODEL.onnx --calibration CAL.json --input INPUT.json`

use std::path::PathBuf;

use zkinfer_api::{Model, Samples};

use super::quant_args::QuantArgs;

/// Arguments of `run`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ONNX model.
    pub model: PathBuf,
    /// Calibration samples: EZKL's form (input_data[0] holds k samples concatenated) or, for a
    /// single-input model, one list per sample.
    #[arg(long)]
    pub calibration: PathBuf,
    /// The input (`{"input_data": [[...]]}`).
    #[arg(long)]
    pub input: PathBuf,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub quant: QuantArgs,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let r = zkinfer_api::run(
        Model::File(&a.model),
        Samples::File(&a.calibration),
        Samples::File(&a.input),
        a.quant.widths(),
    )?;
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "quantized": r.quantized,
            "float": r.float,
            "max_abs_error": r.max_abs_error,
            "weight_bits": r.weight_bits,
            "act_bits": r.act_bits,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "quantization: {} weight bits, {} activation bits, {} IR nodes",
        r.weight_bits, r.act_bits, r.ir_nodes
    );
    for (i, (q, f)) in r.quantized.iter().zip(&r.float).enumerate() {
        println!("output {i} quantized: {}", fmt(q.iter().copied()));
        println!("output {i} float:     {}", fmt(f.iter().map(|&v| v as f64)));
    }
    println!("max |quantized - float| = {:.6}", r.max_abs_error);
    Ok(())
}

fn fmt(xs: impl Iterator<Item = f64>) -> String {
    let v: Vec<String> = xs.map(|x| format!("{x:.6}")).collect();
    format!("[{}]", v.join(", "))
}
