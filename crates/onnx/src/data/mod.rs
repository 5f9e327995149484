//! Reading EZKL-style JSON data files (input, calibration, test set) with size caps and strict
//! checks. Files are streamed from disk into typed lists (`stream.rs`, `files.rs`): peak memory is
//! the numbers kept (4 bytes each, at most [`MAX_DATA_VALUES`] or the caller's budget) plus a read
//! buffer, whatever the file's size.

mod files;
mod stream;

use std::io::BufReader;
use std::path::Path;

use serde::de::DeserializeSeed;

use crate::error::OnnxError;
use files::{InputSeed, TestSetSeed};
use stream::Budget;

/// Largest JSON file accepted (64 MiB): about 8 million numbers as EZKL writes them (~8 bytes
/// each), and a file this size is scanned in about half a second.
pub const MAX_JSON_BYTES: u64 = 64 << 20;

/// Most numbers one data file may hold (2^23, 32 MiB as `f32`): a file with more is refused as
/// soon as the first excess number is read. 50 ImageNet samples (3x224x224) fit.
pub const MAX_DATA_VALUES: usize = 1 << 23;

/// `{"input_data": [[...], ...], "output_data": [[...]]?}`: one flat list per model input.
#[derive(Clone, Debug, PartialEq)]
pub struct InputFile {
    pub input_data: Vec<Vec<f32>>,
    pub output_data: Option<Vec<Vec<f32>>>,
}

/// A labelled (or unlabelled) test set: per-sample flat inputs, optional labels and reference logits.
#[derive(Clone, Debug, PartialEq)]
pub struct TestSet {
    pub shape: Vec<usize>,
    pub inputs: Vec<Vec<f32>>,
    pub labels: Option<Vec<usize>>,
    pub float_logits: Option<Vec<Vec<f32>>>,
}

/// What a reader of an input file keeps: how many numbers, and whether `output_data`.
#[derive(Clone, Debug)]
pub struct InputLimits {
    /// Most numbers kept (input_data and output_data together).
    pub max_values: usize,
    /// Why that many, for the error (`"the model's input takes 784"`).
    pub why: String,
    /// Keep `output_data`; when false it is skipped without being kept.
    pub keep_output_data: bool,
}

impl Default for InputLimits {
    fn default() -> Self {
        Self {
            max_values: MAX_DATA_VALUES,
            why: "the cap on numbers in a data file".into(),
            keep_output_data: true,
        }
    }
}

impl InputLimits {
    /// One sample of a model input of `len` values; `output_data` is skipped.
    pub fn one_sample(len: usize) -> Self {
        Self {
            max_values: len,
            why: format!("the model's input takes {len}"),
            keep_output_data: false,
        }
    }
}

/// Parses `reader` (at most `MAX_JSON_BYTES + 1` bytes of `path`) with `seed`.
fn read_with<T>(
    path: &Path,
    seed: impl for<'de> DeserializeSeed<'de, Value = T>,
) -> Result<T, OnnxError> {
    let err = |detail: String| OnnxError::Data {
        path: path.display().to_string(),
        detail,
    };
    let mut file = crate::read::open_capped(path, MAX_JSON_BYTES).map_err(err)?;
    // The BufReader is moved into serde_json (not borrowed): std reads bytes from an owned
    // BufReader through a fast path, ~10x faster than through `&mut BufReader`.
    let mut de =
        serde_json::Deserializer::from_reader(BufReader::with_capacity(64 << 10, &mut file));
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    drop(de);
    if crate::read::over_cap(&file) {
        return Err(err(crate::read::grew(MAX_JSON_BYTES)));
    }
    parsed.map_err(|e| err(describe(&e)))
}

/// Parses `bytes` with `seed`; `label` names them in errors.
fn parse_with<T>(
    bytes: &[u8],
    label: &str,
    seed: impl for<'de> DeserializeSeed<'de, Value = T>,
) -> Result<T, OnnxError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    seed.deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| OnnxError::Data {
            path: label.into(),
            detail: describe(&e),
        })
}

/// A syntax error is "invalid JSON"; a well-formed file of the wrong content is described as is
/// (serde_json appends the line and column to both).
fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("invalid JSON: {e}"),
        Category::Io => format!("cannot read: {e}"),
        Category::Data => e.to_string(),
    }
}

/// Reads an input (or calibration) file, keeping at most [`MAX_DATA_VALUES`] numbers.
pub fn read_input_file(path: &Path) -> Result<InputFile, OnnxError> {
    read_input_file_with(path, &InputLimits::default())
}

/// Reads an input file within `limits`.
pub fn read_input_file_with(path: &Path, limits: &InputLimits) -> Result<InputFile, OnnxError> {
    let budget = Budget::new(limits.max_values, limits.why.clone());
    let seed = InputSeed {
        budget: &budget,
        keep_output_data: limits.keep_output_data,
    };
    read_with(path, seed)
}

/// Parses an input (or calibration) file already in memory; `label` names it in errors.
pub fn parse_input_file(bytes: &[u8], label: &str) -> Result<InputFile, OnnxError> {
    let limits = InputLimits::default();
    let budget = Budget::new(limits.max_values, limits.why);
    let seed = InputSeed {
        budget: &budget,
        keep_output_data: true,
    };
    parse_with(bytes, label, seed)
}

/// Reads a test set file, keeping at most [`MAX_DATA_VALUES`] numbers.
pub fn read_test_set(path: &Path) -> Result<TestSet, OnnxError> {
    let budget = Budget::new(MAX_DATA_VALUES, "the cap on numbers in a data file".into());
    read_with(path, TestSetSeed { budget: &budget })
}

/// Parses a test set already in memory; `label` names it in errors.
pub fn parse_test_set(bytes: &[u8], label: &str) -> Result<TestSet, OnnxError> {
    let budget = Budget::new(MAX_DATA_VALUES, "the cap on numbers in a data file".into());
    parse_with(bytes, label, TestSetSeed { budget: &budget })
}

/// Splits an input file into samples, given each model input's element count. EZKL's calibration
/// convention concatenates samples: `input_data[i]` holds `k * len_i` values for every input `i`.
/// A single-input model also takes one list per sample (`input_data[s]` is sample `s`), each of
/// exactly the input's size.
pub fn split_samples(
    file: &InputFile,
    lens: &[usize],
    path: &Path,
) -> Result<Vec<Vec<Vec<f32>>>, OnnxError> {
    let err = |detail: String| OnnxError::Data {
        path: path.display().to_string(),
        detail,
    };
    // One list per sample, for a single-input model: every list is exactly one input.
    if let [len] = lens
        && file.input_data.len() > 1
    {
        if let Some((i, d)) = file
            .input_data
            .iter()
            .enumerate()
            .find(|(_, d)| d.len() != *len)
        {
            return Err(err(format!(
                "input_data holds {} lists, read as one sample each, but input_data[{i}] has {} \
                 values where the model's input has {len}",
                file.input_data.len(),
                d.len()
            )));
        }
        return Ok(file.input_data.iter().map(|d| vec![d.clone()]).collect());
    }
    if file.input_data.len() != lens.len() {
        return Err(err(format!(
            "model has {} inputs, file has {} lists",
            lens.len(),
            file.input_data.len()
        )));
    }
    let mut count = None;
    for (i, (data, &len)) in file.input_data.iter().zip(lens).enumerate() {
        if len == 0 || data.is_empty() || data.len() % len != 0 {
            return Err(err(format!(
                "input_data[{i}] has {} values, not a multiple of the input size {len}",
                data.len()
            )));
        }
        let k = data.len() / len;
        if count.is_some_and(|c| c != k) {
            return Err(err(format!(
                "input_data[{i}] holds {k} samples, earlier inputs hold {count:?}"
            )));
        }
        count = Some(k);
    }
    let k = count.unwrap_or(0);
    Ok((0..k)
        .map(|s| {
            file.input_data
                .iter()
                .zip(lens)
                .map(|(d, &len)| d[s * len..(s + 1) * len].to_vec())
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests;
