//! Fidelity of the quantized model against the float model on a test set.

use serde::Serialize;

use crate::data::TestSet;
use crate::error::OnnxError;
use crate::pipeline::Prepared;

/// Float vs quantized results over a test set. Accuracy and agreement are fractions in [0, 1].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccuracyReport {
    /// Number of samples.
    pub samples: usize,
    /// Float (tract) accuracy against the labels; `None` without labels.
    pub float_accuracy: Option<f64>,
    /// Quantized accuracy against the labels; `None` without labels.
    pub quantized_accuracy: Option<f64>,
    /// Fraction of samples whose quantized argmax equals the float argmax; `None` without labels.
    pub agreement: Option<f64>,
    /// Largest |quantized - float| over all outputs of all samples.
    pub max_abs_error: f64,
    /// Largest |tract - float_logits of the file|, when the file has them.
    pub max_reference_error: Option<f64>,
}

/// Index of the largest value (first on ties).
pub fn argmax<T: PartialOrd + Copy>(xs: &[T]) -> usize {
    let mut best = 0;
    for (i, &x) in xs.iter().enumerate() {
        if x > xs[best] {
            best = i;
        }
    }
    best
}

/// Runs every sample of `ts` through the float and the quantized model (first output compared).
pub fn accuracy(prep: &Prepared, ts: &TestSet, path: &str) -> Result<AccuracyReport, OnnxError> {
    let lens = prep.float.input_lens();
    if lens.len() != 1 {
        return Err(OnnxError::Data {
            path: path.into(),
            detail: format!(
                "test sets need a single-input model, this one has {}",
                lens.len()
            ),
        });
    }
    let (mut float_ok, mut quant_ok, mut agree) = (0usize, 0usize, 0usize);
    let (mut max_err, mut ref_err) = (0f64, 0f64);
    for (i, x) in ts.inputs.iter().enumerate() {
        if x.len() != lens[0] {
            return Err(OnnxError::Data {
                path: path.into(),
                detail: format!(
                    "inputs[{i}] has {} values, the model takes {}",
                    x.len(),
                    lens[0]
                ),
            });
        }
        let f = prep.float.run(std::slice::from_ref(x))?;
        let (_, q) = prep.run_quantized(std::slice::from_ref(x))?;
        let (f0, q0) = (&f[0], &q[0]);
        for (a, b) in f0.iter().zip(q0) {
            max_err = max_err.max((*a as f64 - b).abs());
        }
        if let Some(refs) = ts.float_logits.as_ref().and_then(|l| l.get(i)) {
            for (a, b) in f0.iter().zip(refs) {
                ref_err = ref_err.max((a - b).abs() as f64);
            }
        }
        let (fa, qa) = (argmax(f0), argmax(q0));
        agree += usize::from(fa == qa);
        if let Some(labels) = &ts.labels {
            float_ok += usize::from(fa == labels[i]);
            quant_ok += usize::from(qa == labels[i]);
        }
    }
    let n = ts.inputs.len() as f64;
    let labelled = ts.labels.is_some();
    Ok(AccuracyReport {
        samples: ts.inputs.len(),
        float_accuracy: labelled.then(|| float_ok as f64 / n),
        quantized_accuracy: labelled.then(|| quant_ok as f64 / n),
        agreement: labelled.then(|| agree as f64 / n),
        max_abs_error: max_err,
        max_reference_error: ts.float_logits.as_ref().map(|_| ref_err),
    })
}
