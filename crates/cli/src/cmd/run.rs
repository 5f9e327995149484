//! `zkinfer run MODEL.onnx --calibration CAL.json --input INPUT.json`

use std::path::PathBuf;

use anyhow::{Context, bail};

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
    let cfg = a.quant.config()?;
    let prep = zkinfer_onnx::prepare(&a.model, &a.calibration, cfg.as_ref())
        .with_context(|| format!("preparing {}", a.model.display()))?;
    let file = zkinfer_onnx::read_input_file(&a.input)?;
    let samples = zkinfer_onnx::split_samples(&file, &prep.float.input_lens(), &a.input)?;
    if samples.len() != 1 {
        bail!(
            "{}: expected one sample, found {}",
            a.input.display(),
            samples.len()
        );
    }
    let float = prep.float.run(&samples[0])?;
    let (_, quant) = prep.run_quantized(&samples[0])?;
    let err = float
        .iter()
        .zip(&quant)
        .flat_map(|(f, q)| f.iter().zip(q).map(|(a, b)| (*a as f64 - b).abs()))
        .fold(0f64, f64::max);
    let cfgq = &prep.qmodel.config;
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "quantized": quant,
            "float": float,
            "max_abs_error": err,
            "weight_bits": cfgq.weight_bits,
            "act_bits": cfgq.act_bits,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "quantization: {} weight bits, {} activation bits, {} IR nodes",
        cfgq.weight_bits,
        cfgq.act_bits,
        prep.qmodel.nodes.len()
    );
    for (i, (q, f)) in quant.iter().zip(&float).enumerate() {
        println!("output {i} quantized: {}", fmt(q.iter().copied()));
        println!("output {i} float:     {}", fmt(f.iter().map(|&v| v as f64)));
    }
    println!("max |quantized - float| = {err:.6}");
    Ok(())
}

fn fmt(xs: impl Iterator<Item = f64>) -> String {
    let v: Vec<String> = xs.map(|x| format!("{x:.6}")).collect();
    format!("[{}]", v.join(", "))
}
