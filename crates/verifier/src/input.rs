//! The input a proof of a public input is checked against: an input file's numbers quantized at
//! the model's input scale and bound, exactly as `prove` quantized them.

use serde::Deserialize;
use thiserror::Error;
use zkinfer_ir::{QModel, quantize_value};
use zkinfer_protocol::VerifierKey;

/// Why an input is refused.
#[derive(Debug, Error, PartialEq)]
pub enum InputError {
    /// The model does not have exactly one input.
    #[error("the model has {0} inputs; only one-input models are proven")]
    Inputs(usize),
    /// The key names an input node it does not have.
    #[error("the model's input node {0} does not exist")]
    NoNode(usize),
    /// Not one list of numbers.
    #[error("input_data holds {0} lists, the model takes one input")]
    Lists(usize),
    /// The wrong number of values.
    #[error("input_data[0] has {got} values, the model's input {shape:?} takes {want}")]
    Len {
        /// Values given.
        got: usize,
        /// Values the input takes.
        want: usize,
        /// The input's shape.
        shape: Vec<usize>,
    },
    /// Larger than an input of this model can be written in.
    #[error("the input file has {got} bytes, over the {cap}-byte cap for this key's input")]
    TooLarge {
        /// The text's length.
        got: usize,
        /// The cap.
        cap: usize,
    },
    /// Not an input file.
    #[error("not an input file (`{{\"input_data\": [[...]]}}`): {0}")]
    Json(String),
}

/// The number of values in the model's one input (0 if the key names no input node).
pub fn input_len(vk: &VerifierKey) -> usize {
    let m = &vk.architecture;
    m.inputs.first().map_or(0, |&id| m.len_of(id))
}

/// Quantizes one sample (`values`, as an input file holds them) at the model's input scale and
/// bound, as the quantizer does.
pub fn quantize_input(model: &QModel, values: &[f32]) -> Result<Vec<i64>, InputError> {
    let [id] = model.inputs[..] else {
        return Err(InputError::Inputs(model.inputs.len()));
    };
    let node = model.nodes.get(id).ok_or(InputError::NoNode(id))?;
    let want = model.len_of(id);
    if values.len() != want {
        return Err(InputError::Len {
            got: values.len(),
            want,
            shape: node.shape.clone(),
        });
    }
    Ok(values
        .iter()
        .map(|&v| quantize_value(f64::from(v), node.scale, node.bound))
        .collect())
}

/// `{"input_data": [[...]], "output_data": ...}` (EZKL's input file; `output_data` ignored).
#[derive(Deserialize)]
struct InputFile {
    input_data: Vec<Vec<f32>>,
}

/// Parses an input file's text (`{"input_data": [[...]]}`, one sample) and quantizes it. The text
/// is refused beyond 64 bytes per value the model's input takes (plus 64 KiB), so a hostile file
/// cannot make the parser allocate more than a proper one would.
pub fn parse_input(model: &QModel, text: &str) -> Result<Vec<i64>, InputError> {
    let want = model.inputs.first().map_or(0, |&id| model.len_of(id));
    let cap = want.saturating_mul(64).saturating_add(64 << 10);
    if text.len() > cap {
        return Err(InputError::TooLarge {
            got: text.len(),
            cap,
        });
    }
    let file: InputFile =
        serde_json::from_str(text).map_err(|e| InputError::Json(e.to_string()))?;
    let [values] = &file.input_data[..] else {
        return Err(InputError::Lists(file.input_data.len()));
    };
    quantize_input(model, values)
}
