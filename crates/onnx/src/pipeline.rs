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
    /// Automatic widths passed over because the prover's check refused them, widest first, with
    /// its reason ([`prepare_checked`]); empty when the widest width was used.
    pub narrowed: Vec<(u32, String)>,
}

/// Whether a quantized model can be proven (the CLI compiles the prover's plan); `Err` says why.
pub type ProvableCheck<'a> = &'a dyn Fn(&QModel) -> Result<(), String>;

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

/// As [`prepare`], preferring a quantization that `check` accepts: with no `cfg`, an automatic
/// width the check refuses is passed over for the next narrower one (recorded in
/// [`Prepared::narrowed`]); with a `cfg` the check refuses, the error names a narrower
/// `--act-bits` that passes. When no width passes, the model is returned as [`prepare`] would
/// (the caller's own step then reports why).
pub fn prepare_checked(
    model: &Path,
    calibration: &Path,
    cfg: Option<&QuantConfig>,
    check: ProvableCheck<'_>,
) -> Result<Prepared, OnnxError> {
    let typed = load_typed(model)?;
    let float = FloatRunner::new(&typed)?;
    let file = read_input_file(calibration)?;
    let samples = split_samples(&file, &float.input_lens(), calibration)?;
    let name = model_name(model);
    quantize_calibrated(&name, typed, float, &samples, cfg, check)
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
    quantize_calibrated(name, typed, float, &samples, cfg, &|_| Ok(()))
}

/// As [`prepare`], with calibration samples already in memory.
pub fn prepare_with_samples(
    model: &Path,
    typed: TypedModel,
    float: FloatRunner,
    samples: &[Vec<Vec<f32>>],
    cfg: Option<&QuantConfig>,
) -> Result<Prepared, OnnxError> {
    quantize_calibrated(&model_name(model), typed, float, samples, cfg, &|_| Ok(()))
}

/// A model's name for messages: its file stem (or its folder's name).
pub fn model_name(model: &Path) -> String {
    model
        .file_stem()
        .or(model.parent().and_then(|p| p.file_name()))
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// As [`prepare_checked`], for a model already loaded (from a file or from bytes) and calibration
/// samples already in memory (one list per model input for each sample); `name` names the model.
pub fn prepare_loaded(
    name: &str,
    typed: TypedModel,
    float: FloatRunner,
    samples: &[Vec<Vec<f32>>],
    cfg: Option<&QuantConfig>,
    check: ProvableCheck<'_>,
) -> Result<Prepared, OnnxError> {
    quantize_calibrated(name, typed, float, samples, cfg, check)
}

fn quantize_calibrated(
    name: &str,
    typed: TypedModel,
    float: FloatRunner,
    samples: &[Vec<Vec<f32>>],
    cfg: Option<&QuantConfig>,
    check: ProvableCheck<'_>,
) -> Result<Prepared, OnnxError> {
    let ranges = float.calibrate(samples)?;
    let (qmodel, narrowed) = match cfg {
        Some(c) => {
            let q = quantize(&typed, &ranges, c, name)?;
            if let Err(why) = check(&q)
                && let Some(e) = suggest_width(&typed, &ranges, c, name, check, why)
            {
                return Err(e);
            }
            (q, vec![])
        }
        None => {
            let mut first_err = None;
            let mut narrowed = vec![];
            let mut found = None;
            let mut widest = None;
            for bits in AUTO_ACT_BITS {
                let c = QuantConfig {
                    act_bits: bits,
                    ..QuantConfig::default()
                };
                match quantize(&typed, &ranges, &c, name) {
                    Ok(q) => match check(&q) {
                        Ok(()) => {
                            found = Some(q);
                            break;
                        }
                        Err(why) => {
                            narrowed.push((bits, why));
                            widest.get_or_insert(q);
                        }
                    },
                    Err(e @ OnnxError::Ir(_)) => {
                        first_err.get_or_insert(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            // When no width passes, narrowing cannot help (an operator without a proof, say):
            // keep the widest, so that setup reports the problem as it would without the check.
            match (found, widest, first_err) {
                (Some(q), _, _) => (q, narrowed),
                (None, Some(q), _) => (q, vec![]),
                (None, None, Some(e)) => return Err(e),
                (None, None, None) => unreachable!("AUTO_ACT_BITS is not empty"),
            }
        }
    };
    Ok(Prepared {
        typed,
        float,
        qmodel,
        narrowed,
    })
}

/// The error for a width `cfg` asked for that `check` refused, naming the widest narrower automatic
/// width that quantizes and passes; `None` when none does (narrowing would not help).
fn suggest_width(
    typed: &TypedModel,
    ranges: &crate::Ranges,
    cfg: &QuantConfig,
    name: &str,
    check: ProvableCheck<'_>,
    why: String,
) -> Option<OnnxError> {
    let fits = AUTO_ACT_BITS
        .into_iter()
        .filter(|&b| b < cfg.act_bits)
        .find(|&b| {
            let c = QuantConfig {
                act_bits: b,
                ..cfg.clone()
            };
            quantize(typed, ranges, &c, name).is_ok_and(|q| check(&q).is_ok())
        });
    fits.map(|b| {
        OnnxError::Unprovable(format!(
            "{name}: at --act-bits {}: {why}; it proves at --act-bits {b}",
            cfg.act_bits
        ))
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
