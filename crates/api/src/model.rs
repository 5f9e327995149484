//! Where a model and its calibration come from (files or memory), the bit widths, and the one
//! import path that `setup`, `run` and `accuracy` share: load, calibrate, quantize.

use std::path::Path;

use zkinfer_ir::QuantConfig;
use zkinfer_onnx::{FloatRunner, Prepared};
use zkinfer_protocol::ProofMode;

use crate::error::{ApiError, invalid};

/// An ONNX model: a file, or its bytes with a name for messages.
#[derive(Debug, Clone, Copy)]
pub enum Model<'a> {
    /// An ONNX file.
    File(&'a Path),
    /// An ONNX model's bytes and a name for it.
    Bytes {
        /// The bytes.
        bytes: &'a [u8],
        /// What messages call the model.
        name: &'a str,
    },
}

impl Model<'_> {
    /// What messages call the model: its path, or its name.
    pub fn label(&self) -> String {
        match self {
            Model::File(p) => p.display().to_string(),
            Model::Bytes { name, .. } => name.to_string(),
        }
    }
}

/// Calibration samples of a one-input model (or sample inputs for any model, as a file): EZKL's
/// JSON form, one list per sample in a JSON file, or the samples' values in memory (each one
/// input, row-major).
#[derive(Debug, Clone, Copy)]
pub enum Samples<'a> {
    /// A JSON file (`{"input_data": [...]}`, docs/cli.md, `setup`).
    File(&'a Path),
    /// One list of values per sample.
    Values(&'a [Vec<f32>]),
}

/// The bit widths to force: `None` for both keeps the automatic choice (12-bit weights, the widest
/// activations of 16, 14, 12, 10, 8 bits that fit and prove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Widths {
    /// Weight bits (2..=16); default 12.
    pub weight_bits: Option<u32>,
    /// Activation bits (2..=16); default automatic.
    pub act_bits: Option<u32>,
}

impl Widths {
    /// The configuration to force, or `None` for the automatic choice.
    pub fn config(&self) -> Result<Option<QuantConfig>, ApiError> {
        if self.weight_bits.is_none() && self.act_bits.is_none() {
            return Ok(None);
        }
        let d = QuantConfig::default();
        let cfg = QuantConfig {
            weight_bits: self.weight_bits.unwrap_or(d.weight_bits),
            act_bits: self.act_bits.unwrap_or(d.act_bits),
            ..d
        };
        cfg.check()
            .map_err(|e| invalid!("invalid bit widths: {e}"))?;
        Ok(Some(cfg))
    }
}

/// Loads, calibrates and quantizes a model as `setup` does. With `mode`, an automatic width at
/// which the model does not prove in that mode is passed over for a narrower one
/// ([`zkinfer_onnx::prepare_checked`]); without, the widest width that fits is kept (`run`,
/// `accuracy`).
pub fn prepare(
    model: Model<'_>,
    calibration: Samples<'_>,
    cfg: Option<&QuantConfig>,
    mode: Option<ProofMode>,
) -> Result<Prepared, ApiError> {
    let label = model.label();
    let context = |source| ApiError::Prepare {
        context: format!("preparing {label}"),
        source,
    };
    let (typed, name) = match model {
        Model::File(path) => (
            zkinfer_onnx::load_typed(path),
            zkinfer_onnx::model_name(path),
        ),
        Model::Bytes { bytes, name } => (
            zkinfer_onnx::load_typed_bytes(bytes, &format!("{name} (network.onnx)")),
            name.to_string(),
        ),
    };
    let typed = typed.map_err(context)?;
    let float = FloatRunner::new(&typed).map_err(context)?;
    let samples = match calibration {
        Samples::File(path) => {
            let file = zkinfer_onnx::read_input_file(path).map_err(context)?;
            zkinfer_onnx::split_samples(&file, &float.input_lens(), path).map_err(context)?
        }
        Samples::Values(values) => one_input_samples(&float, values, "calibration")?,
    };
    let check = |q: &zkinfer_ir::QModel| match mode {
        Some(mode) => zkinfer_protocol::check_provable(q, mode).map_err(|e| e.to_string()),
        None => Ok(()),
    };
    zkinfer_onnx::prepare_loaded(&name, typed, float, &samples, cfg, &check).map_err(context)
}

/// Samples held in memory, for a one-input model: each exactly the input's size.
pub(crate) fn one_input_samples(
    float: &FloatRunner,
    values: &[Vec<f32>],
    what: &str,
) -> Result<Vec<Vec<Vec<f32>>>, ApiError> {
    let lens = float.input_lens();
    let [len] = lens[..] else {
        return Err(invalid!(
            "{what}: samples in memory need a one-input model, this one has {} inputs",
            lens.len()
        ));
    };
    if values.is_empty() {
        return Err(invalid!("{what}: no samples"));
    }
    if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| v.len() != len) {
        return Err(invalid!(
            "{what}: sample {i} has {} values, the model's input has {len}",
            v.len()
        ));
    }
    Ok(values.iter().map(|v| vec![v.clone()]).collect())
}
