//! The whole import path in one call: load, float runner, calibration, quantization.

use std::path::Path;

use tract_onnx::prelude::*;
use zkinfer_ir::{QModel, QuantConfig, Trace, evaluate};

use crate::data::{read_input_file, split_samples};
use crate::error::OnnxError;
use crate::float::FloatRunner;
use crate::load::load_typed;
use crate::quantize::quantize;

/// A loaded, calibrated and quantized model with its float reference.
pub struct Prepared {
    /// tract's typed graph (the float model).
    pub typed: TypedModel,
    /// Runs the float model.
    pub float: FloatRunner,
    /// The quantized integer model.
    pub qmodel: QModel,
}

/// Activation widths tried, widest first, when no configuration is given.
pub const AUTO_ACT_BITS: [u32; 5] = [16, 14, 12, 10, 8];

/// Loads `model`, calibrates on `calibration` (EZKL format) and quantizes with `cfg`, or with the widest
/// activations of [`AUTO_ACT_BITS`] whose bounds fit the field when `cfg` is `None`.
pub fn prepare(
    model: &Path,
    calibration: &Path,
    cfg: Option<&QuantConfig>,
) -> Result<Prepared, OnnxError> {
    let typed = load_typed(model)?;
    let float = FloatRunner::new(&typed)?;
    let file = read_input_file(calibration)?;
    let samples = split_samples(&file, &float.input_lens(), calibration)?;
    prepare_with_samples(model, typed, float, &samples, cfg)
}

/// As [`prepare`], for a model and a calibration file already in memory (`zkinfer demo`'s bundled
/// model); `name` names the model and, in errors, the two files.
pub fn prepare_bytes(
    model: &[u8],
    calibration: &[u8],
    name: &str,
    cfg: Option<&QuantConfig>,
) -> Result<Prepared, OnnxError> {
    let typed = crate::load::load_typed_bytes(model, &format!("{name} (network.onnx)"))?;
    let float = FloatRunner::new(&typed)?;
    let label = format!("{name} (calibration.json)");
    let file = crate::data::parse_input_file(calibration, &label)?;
    let samples = split_samples(&file, &float.input_lens(), Path::new(&label))?;
    quantize_calibrated(name, typed, float, &samples, cfg)
}

/// As [`prepare`], with calibration samples already in memory.
pub fn prepare_with_samples(
    model: &Path,
    typed: TypedModel,
    float: FloatRunner,
    samples: &[Vec<Vec<f32>>],
    cfg: Option<&QuantConfig>,
) -> Result<Prepared, OnnxError> {
    let name = model
        .file_stem()
        .or(model.parent().and_then(|p| p.file_name()))
        .map(|s| s.to_string_lossy().to_string());
    quantize_calibrated(&name.unwrap_or_default(), typed, float, samples, cfg)
}

fn quantize_calibrated(
    name: &str,
    typed: TypedModel,
    float: FloatRunner,
    samples: &[Vec<Vec<f32>>],
    cfg: Option<&QuantConfig>,
) -> Result<Prepared, OnnxError> {
    let ranges = float.calibrate(samples)?;
    let qmodel = match cfg {
        Some(c) => quantize(&typed, &ranges, c, name)?,
        None => {
            let mut first_err = None;
            let mut found = None;
            for bits in AUTO_ACT_BITS {
                let c = QuantConfig {
                    act_bits: bits,
                    ..QuantConfig::default()
                };
                match quantize(&typed, &ranges, &c, name) {
                    Ok(q) => {
                        found = Some(q);
                        break;
                    }
                    Err(e @ OnnxError::Ir(_)) => {
                        first_err.get_or_insert(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            match (found, first_err) {
                (Some(q), _) => q,
                (None, Some(e)) => return Err(e),
                (None, None) => unreachable!("AUTO_ACT_BITS is not empty"),
            }
        }
    };
    Ok(Prepared {
        typed,
        float,
        qmodel,
    })
}

impl Prepared {
    /// Quantizes float inputs, evaluates the integer model, and returns the trace and the dequantized
    /// outputs.
    pub fn run_quantized(&self, inputs: &[Vec<f32>]) -> Result<(Trace, Vec<Vec<f64>>), OnnxError> {
        let xs: Vec<Vec<f64>> = inputs
            .iter()
            .map(|x| x.iter().map(|&v| v as f64).collect())
            .collect();
        let q = self.qmodel.quantize_inputs(&xs)?;
        let trace = evaluate(&self.qmodel, &q)?;
        let out = self.qmodel.dequantize_outputs(&trace);
        Ok((trace, out))
    }
}
