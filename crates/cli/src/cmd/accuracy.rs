//! `zkinfer accuracy MODEL.onnx --calibration CAL.json --test-set TEST.json`

use std::path::PathBuf;

use anyhow::Context;

use super::quant_args::QuantArgs;

/// Arguments of `accuracy`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ONNX model.
    pub model: PathBuf,
    /// Calibration samples (EZKL format).
    #[arg(long)]
    pub calibration: PathBuf,
    /// Test set (`shape`, `inputs`, `labels`, `float_logits`).
    #[arg(long)]
    pub test_set: PathBuf,
    /// One JSON object with float_accuracy, quantized_accuracy, agreement, max_abs_error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub quant: QuantArgs,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let cfg = a.quant.config()?;
    let prep = zkinfer_onnx::prepare(&a.model, &a.calibration, cfg.as_ref())
        .with_context(|| format!("preparing {}", a.model.display()))?;
    let ts = zkinfer_onnx::read_test_set(&a.test_set)?;
    let r = zkinfer_onnx::accuracy(&prep, &ts, &a.test_set.display().to_string())?;
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "float_accuracy": r.float_accuracy,
            "quantized_accuracy": r.quantized_accuracy,
            "agreement": r.agreement,
            "max_abs_error": r.max_abs_error,
        });
        println!("{v}");
        return Ok(());
    }
    let c = &prep.qmodel.config;
    println!(
        "{} samples; {} weight bits, {} activation bits",
        r.samples, c.weight_bits, c.act_bits
    );
    let pct = |x: Option<f64>| {
        x.map_or("n/a (no labels)".to_string(), |v| {
            format!("{:.2}%", 100.0 * v)
        })
    };
    println!("float accuracy:     {}", pct(r.float_accuracy));
    println!("quantized accuracy: {}", pct(r.quantized_accuracy));
    println!("argmax agreement:   {}", pct(r.agreement));
    println!("max |output error|: {:.6}", r.max_abs_error);
    if let Some(e) = r.max_reference_error {
        println!("max |tract - float_logits|: {e:.2e}");
    }
    Ok(())
}
