//! The coverage run: every model of a folder through import, calibration, quantization and the
//! reference evaluator, compared with tract's float output and the file's `output_data`. Whether a
//! model also proves is asked by a crate that knows the prover (`zkinfer conformance`), from the
//! quantized model and input each [`ConformanceCase`] keeps.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde::Serialize;
use zkinfer_ir::QModel;

use crate::data::{read_input_file, split_samples};
use crate::error::OnnxError;
use crate::float::FloatRunner;
use crate::load::load_typed;
use crate::pipeline::prepare_with_samples;

/// One model's outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConformanceRow {
    pub name: String,
    /// "ok", or "refused" with `reason`.
    pub status: String,
    pub reason: Option<String>,
    /// Activation bits the automatic choice settled on.
    pub act_bits: Option<u32>,
    /// IR nodes.
    pub nodes: Option<usize>,
    /// max |quantized - float|.
    pub max_abs_error: Option<f64>,
    /// max |float| (to read the error against).
    pub max_abs_float: Option<f64>,
    /// max |quantized - output_data| where the file has output_data.
    pub vs_output_data: Option<f64>,
}

/// One model's outcome, with what a proving pass needs: the quantized model and its quantized
/// input (the first sample of `input.json`), for models that evaluate.
#[derive(Clone, Debug)]
pub struct ConformanceCase {
    /// The evaluation outcome.
    pub row: ConformanceRow,
    /// The quantized model and input, when the model evaluates.
    pub quantized: Option<(QModel, Vec<Vec<i64>>)>,
}

fn refused(name: &str, reason: String) -> ConformanceRow {
    ConformanceRow {
        name: name.into(),
        status: "refused".into(),
        reason: Some(reason),
        act_bits: None,
        nodes: None,
        max_abs_error: None,
        max_abs_float: None,
        vs_output_data: None,
    }
}

fn run_one(dir: &Path, name: &str) -> Result<ConformanceCase, OnnxError> {
    let model = dir.join("network.onnx");
    let input = dir.join("input.json");
    let typed = load_typed(&model)?;
    let float = FloatRunner::new(&typed)?;
    let file = read_input_file(&input)?;
    let samples = split_samples(&file, &float.input_lens(), &input)?;
    let prep = prepare_with_samples(&model, typed, float, &samples[..1], None)?;
    let f = prep.float.run(&samples[0])?;
    let (trace, q) = prep.run_quantized(&samples[0])?;
    let input: Vec<Vec<i64>> = prep
        .qmodel
        .inputs
        .iter()
        .map(|&i| trace.values[i].clone())
        .collect();
    let mut err = 0f64;
    let mut fmax = 0f64;
    for (fo, qo) in f.iter().zip(&q) {
        for (a, b) in fo.iter().zip(qo) {
            err = err.max((*a as f64 - b).abs());
            fmax = fmax.max((*a as f64).abs());
        }
    }
    let vs_output_data = file.output_data.as_ref().map(|od| {
        od.iter()
            .zip(&q)
            .flat_map(|(o, qo)| o.iter().zip(qo).map(|(a, b)| (*a as f64 - b).abs()))
            .fold(0f64, f64::max)
    });
    let row = ConformanceRow {
        name: name.into(),
        status: "ok".into(),
        reason: None,
        act_bits: Some(prep.qmodel.config.act_bits),
        nodes: Some(prep.qmodel.nodes.len()),
        max_abs_error: Some(err),
        max_abs_float: Some(fmax),
        vs_output_data,
    };
    Ok(ConformanceCase {
        row,
        quantized: Some((prep.qmodel, input)),
    })
}

/// Runs every sub-folder of `root` that holds a `network.onnx`, in name order. A model without
/// `input.json`, one that fails, and even one that panics, becomes a "refused" row with the reason.
pub fn run_conformance(root: &Path) -> Result<Vec<ConformanceRow>, OnnxError> {
    Ok(conformance_cases(root)?
        .into_iter()
        .map(|c| c.row)
        .collect())
}

/// As [`run_conformance`], keeping each evaluated model's quantized model and input.
pub fn conformance_cases(root: &Path) -> Result<Vec<ConformanceCase>, OnnxError> {
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .map_err(|e| OnnxError::File {
            path: root.display().to_string(),
            detail: e.to_string(),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("network.onnx").is_file())
        .collect();
    dirs.sort();
    let mut rows = vec![];
    for dir in dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let failed = |reason: String| ConformanceCase {
            row: refused(&name, reason),
            quantized: None,
        };
        if !dir.join("input.json").is_file() {
            rows.push(failed("no input.json".into()));
            continue;
        }
        let case = match catch_unwind(AssertUnwindSafe(|| run_one(&dir, &name))) {
            Ok(Ok(case)) => case,
            Ok(Err(e)) => failed(e.to_string()),
            Err(_) => failed("PANIC".into()),
        };
        rows.push(case);
    }
    Ok(rows)
}
