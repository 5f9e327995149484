//! What quantization costs, without proving: `run` compares the quantized model with the float one
//! on one input, `accuracy` on a test set.

use std::path::Path;

use zkinfer_onnx::{AccuracyReport, TestSet};

use crate::error::{ApiError, invalid};
use crate::model::{Model, Samples, Widths, one_input_samples, prepare};

/// One input sample for `run`: a file (any number of model inputs) or one input's values.
pub type RunInput<'a> = Samples<'a>;

/// The quantized and the float model's outputs on one input.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// Each output, quantized then dequantized.
    pub quantized: Vec<Vec<f64>>,
    /// Each output of the float model (tract).
    pub float: Vec<Vec<f32>>,
    /// The largest |quantized - float| over every output.
    pub max_abs_error: f64,
    /// Weight bits.
    pub weight_bits: u32,
    /// Activation bits.
    pub act_bits: u32,
    /// IR nodes of the quantized model.
    pub ir_nodes: usize,
}

/// Quantizes the model as `setup` does and runs the float and the integer model on one sample.
pub fn run(
    model: Model<'_>,
    calibration: Samples<'_>,
    input: RunInput<'_>,
    widths: Widths,
) -> Result<RunReport, ApiError> {
    let cfg = widths.config()?;
    let prep = prepare(model, calibration, cfg.as_ref(), None)?;
    let samples = match input {
        Samples::File(path) => {
            let file = zkinfer_onnx::read_input_file(path)?;
            let samples = zkinfer_onnx::split_samples(&file, &prep.float.input_lens(), path)?;
            if samples.len() != 1 {
                return Err(invalid!(
                    "{}: expected one sample, found {}",
                    path.display(),
                    samples.len()
                ));
            }
            samples
        }
        Samples::Values(values) => {
            let samples = one_input_samples(&prep.float, values, "input")?;
            if samples.len() != 1 {
                return Err(invalid!(
                    "input: expected one sample, found {}",
                    samples.len()
                ));
            }
            samples
        }
    };
    let float = prep.float.run(&samples[0])?;
    let (_, quantized) = prep.run_quantized(&samples[0])?;
    let max_abs_error = float
        .iter()
        .zip(&quantized)
        .flat_map(|(f, q)| f.iter().zip(q).map(|(a, b)| (*a as f64 - b).abs()))
        .fold(0f64, f64::max);
    let c = &prep.qmodel.config;
    Ok(RunReport {
        quantized,
        float,
        max_abs_error,
        weight_bits: c.weight_bits,
        act_bits: c.act_bits,
        ir_nodes: prep.qmodel.nodes.len(),
    })
}

/// A test set: a JSON file (`{"shape", "inputs", "labels", "float_logits"}`) or the samples'
/// values (each one input) with optional labels.
#[derive(Debug, Clone, Copy)]
pub enum TestData<'a> {
    /// A JSON test set file.
    File(&'a Path),
    /// The samples and, optionally, their labels.
    Values {
        /// One list of values per sample.
        inputs: &'a [Vec<f32>],
        /// The class of each sample.
        labels: Option<&'a [usize]>,
    },
}

/// The float and the quantized model's accuracy on a test set, with the widths used.
#[derive(Debug, Clone, PartialEq)]
pub struct Accuracy {
    /// Samples, accuracies, agreement and errors.
    pub report: AccuracyReport,
    /// Weight bits.
    pub weight_bits: u32,
    /// Activation bits.
    pub act_bits: u32,
}

/// Quantizes the model as `setup` does and runs both models on every sample of the test set.
pub fn accuracy(
    model: Model<'_>,
    calibration: Samples<'_>,
    test: TestData<'_>,
    widths: Widths,
) -> Result<Accuracy, ApiError> {
    let cfg = widths.config()?;
    let prep = prepare(model, calibration, cfg.as_ref(), None)?;
    let (ts, label) = match test {
        TestData::File(path) => (
            zkinfer_onnx::read_test_set(path)?,
            path.display().to_string(),
        ),
        TestData::Values { inputs, labels } => {
            if let Some(l) = labels
                && l.len() != inputs.len()
            {
                return Err(invalid!(
                    "test set: {} labels for {} samples",
                    l.len(),
                    inputs.len()
                ));
            }
            let ts = TestSet {
                shape: vec![],
                inputs: inputs.to_vec(),
                labels: labels.map(<[usize]>::to_vec),
                float_logits: None,
            };
            (ts, "test set".to_string())
        }
    };
    let report = zkinfer_onnx::accuracy(&prep, &ts, &label)?;
    let c = &prep.qmodel.config;
    Ok(Accuracy {
        report,
        weight_bits: c.weight_bits,
        act_bits: c.act_bits,
    })
}
