//! Reading EZKL-style JSON data files (input, calibration, test set) with size caps and strict checks.

use std::path::Path;

use serde_json::Value;

use crate::error::OnnxError;

/// Largest JSON file accepted (bytes).
pub const MAX_JSON_BYTES: u64 = 256 << 20;

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

fn read_json(path: &Path) -> Result<Vec<u8>, OnnxError> {
    crate::read_capped(path, MAX_JSON_BYTES).map_err(|detail| OnnxError::Data {
        path: path.display().to_string(),
        detail,
    })
}

fn parse_json(bytes: &[u8], label: &str) -> Result<Value, OnnxError> {
    serde_json::from_slice(bytes).map_err(|e| OnnxError::Data {
        path: label.into(),
        detail: format!("invalid JSON: {e}"),
    })
}

fn numbers(v: &Value, what: &str) -> Result<Vec<f32>, String> {
    let arr = v
        .as_array()
        .ok_or_else(|| format!("{what} is not a list"))?;
    arr.iter()
        .enumerate()
        .map(|(i, x)| {
            let f = x
                .as_f64()
                .ok_or_else(|| format!("{what}[{i}] is not a number: {x}"))?;
            let f32v = f as f32;
            if !f32v.is_finite() {
                return Err(format!("{what}[{i}] = {f} is not a finite f32"));
            }
            Ok(f32v)
        })
        .collect()
}

fn lists(v: &Value, what: &str) -> Result<Vec<Vec<f32>>, String> {
    let arr = v
        .as_array()
        .ok_or_else(|| format!("{what} is not a list of lists"))?;
    arr.iter()
        .enumerate()
        .map(|(i, l)| numbers(l, &format!("{what}[{i}]")))
        .collect()
}

/// Reads an input (or calibration) file.
pub fn read_input_file(path: &Path) -> Result<InputFile, OnnxError> {
    parse_input_file(&read_json(path)?, &path.display().to_string())
}

/// Parses an input (or calibration) file already in memory; `label` names it in errors.
pub fn parse_input_file(bytes: &[u8], label: &str) -> Result<InputFile, OnnxError> {
    let v = parse_json(bytes, label)?;
    let err = |detail: String| OnnxError::Data {
        path: label.into(),
        detail,
    };
    let inputs = v
        .get("input_data")
        .ok_or_else(|| err("missing field input_data".into()))?;
    let input_data = lists(inputs, "input_data").map_err(err)?;
    if input_data.is_empty() {
        return Err(err("input_data is empty".into()));
    }
    let output_data = match v.get("output_data") {
        None | Some(Value::Null) => None,
        Some(o) => lists(o, "output_data").ok(),
    };
    Ok(InputFile {
        input_data,
        output_data,
    })
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

/// Reads a test set file.
pub fn read_test_set(path: &Path) -> Result<TestSet, OnnxError> {
    parse_test_set(&read_json(path)?, &path.display().to_string())
}

/// Parses a test set already in memory; `label` names it in errors.
pub fn parse_test_set(bytes: &[u8], label: &str) -> Result<TestSet, OnnxError> {
    let v = parse_json(bytes, label)?;
    let err = |detail: String| OnnxError::Data {
        path: label.into(),
        detail,
    };
    let shape = v
        .get("shape")
        .and_then(Value::as_array)
        .ok_or_else(|| err("missing list field shape".into()))?
        .iter()
        .map(|d| {
            d.as_u64()
                .map(|d| d as usize)
                .ok_or_else(|| err(format!("shape entry {d} is not a size")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let inputs = lists(
        v.get("inputs")
            .ok_or_else(|| err("missing field inputs".into()))?,
        "inputs",
    )
    .map_err(err)?;
    if inputs.is_empty() {
        return Err(err("inputs is empty".into()));
    }
    let labels = match v.get("labels") {
        None | Some(Value::Null) => None,
        Some(l) => Some(
            l.as_array()
                .ok_or_else(|| err("labels is not a list".into()))?
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    x.as_u64()
                        .map(|x| x as usize)
                        .ok_or_else(|| err(format!("labels[{i}] = {x} is not a class index")))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    if labels.as_ref().is_some_and(|l| l.len() != inputs.len()) {
        return Err(err(format!(
            "{} labels for {} inputs",
            labels.map_or(0, |l| l.len()),
            inputs.len()
        )));
    }
    let float_logits = match v.get("float_logits") {
        None | Some(Value::Null) => None,
        Some(l) => Some(lists(l, "float_logits").map_err(err)?),
    };
    Ok(TestSet {
        shape,
        inputs,
        labels,
        float_logits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(lists: Vec<Vec<f32>>) -> InputFile {
        InputFile {
            input_data: lists,
            output_data: None,
        }
    }

    #[test]
    fn calibration_in_either_form() {
        let p = Path::new("cal.json");
        // EZKL's form: one list, samples concatenated.
        let s = split_samples(&file(vec![vec![1.0, 2.0, 3.0, 4.0]]), &[2], p).unwrap();
        assert_eq!(s, vec![vec![vec![1.0, 2.0]], vec![vec![3.0, 4.0]]]);
        // One list per sample.
        let s = split_samples(&file(vec![vec![1.0, 2.0], vec![3.0, 4.0]]), &[2], p).unwrap();
        assert_eq!(s, vec![vec![vec![1.0, 2.0]], vec![vec![3.0, 4.0]]]);
        // A sample of the wrong size is named.
        let e = split_samples(&file(vec![vec![1.0, 2.0], vec![3.0]]), &[2], p).unwrap_err();
        assert!(e.to_string().contains("input_data[1] has 1 values"), "{e}");
        // A length that is no multiple of the input size.
        let e = split_samples(&file(vec![vec![1.0, 2.0, 3.0]]), &[2], p).unwrap_err();
        assert!(e.to_string().contains("not a multiple"), "{e}");
    }
}
