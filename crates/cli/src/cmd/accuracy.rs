//! `zkinfer accuracy MODEL.onnx --calibration CAL.json --test-set TEST.json`

use std::path::PathBuf;

use zkinfer_api::{Model, Samples, TestData};

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
    let acc = zkinfer_api::accuracy(
        Model::File(&a.model),
        Samples::File(&a.calibration),
        TestData::File(&a.test_set),
        a.quant.widths(),
    )?;
    let r = &acc.report;
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
    println!(
        "{} samples; {} weight bits, {} activation bits",
        r.samples, acc.weight_bits, acc.act_bits
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
