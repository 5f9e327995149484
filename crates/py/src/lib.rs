//! `zkinfer._native`: the Python package's native module, a thin binding of `zkinfer-api`.
//!
//! Each call takes paths, bytes or lists of floats (the package's Python layer, `python/zkinfer`,
//! turns NumPy arrays into lists and these dicts into typed result objects), releases the GIL for
//! the work (`Python::detach`), and reports progress to an optional Python callable, called with
//! the GIL held again. An [`ApiError`] becomes a `ZkinferError` carrying the library's message and
//! its kind (`error.kind`, the names of the CLI's `--json` errors).

mod results;

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use zkinfer_api::{ApiError, Input, Model, Names, Opening, Progress, Samples, TestData, Widths};

create_exception!(
    _native,
    ZkinferError,
    PyException,
    "An error from zkinfer: `str(e)` is its message (naming the file, node or value at fault), \
     `e.kind` its kind (`bad_input`, `unsupported`, `malformed_file`, `corrupt_key`, \
     `wrong_mode`, `keys_exist`, `usage`)."
);

/// The error as a `ZkinferError` with its message and kind.
fn to_py(py: Python<'_>, e: ApiError) -> PyErr {
    let err = ZkinferError::new_err(e.message());
    if let Err(set) = err.value(py).setattr("kind", e.kind().name()) {
        return set;
    }
    err
}

/// A Python callable as a progress callback. An exception it raises is reported as unraisable
/// (printed), and the work goes on.
fn progress(callback: Option<Py<PyAny>>) -> Option<Progress> {
    let callback = Arc::new(callback?);
    Some(Arc::new(move |step: &str| {
        Python::attach(|py| {
            if let Err(e) = callback.call1(py, (step,)) {
                e.write_unraisable(py, Some(callback.bind(py)));
            }
        })
    }))
}

/// A model: a path, or an ONNX model's bytes.
enum ModelArg {
    Path(PathBuf),
    Bytes(Vec<u8>, String),
}

impl ModelArg {
    fn new(path: Option<PathBuf>, bytes: Option<&Bound<'_, PyBytes>>, name: String) -> Self {
        match (path, bytes) {
            (_, Some(b)) => ModelArg::Bytes(b.as_bytes().to_vec(), name),
            (Some(p), None) => ModelArg::Path(p),
            (None, None) => ModelArg::Bytes(vec![], name),
        }
    }

    fn get(&self) -> Model<'_> {
        match self {
            ModelArg::Path(p) => Model::File(p),
            ModelArg::Bytes(bytes, name) => Model::Bytes { bytes, name },
        }
    }
}

/// Samples: a JSON file, or one list of values per sample.
enum SamplesArg {
    Path(PathBuf),
    Values(Vec<Vec<f32>>),
}

impl SamplesArg {
    fn new(path: Option<PathBuf>, values: Option<Vec<Vec<f32>>>) -> Self {
        match (path, values) {
            (_, Some(v)) => SamplesArg::Values(v),
            (Some(p), None) => SamplesArg::Path(p),
            (None, None) => SamplesArg::Values(vec![]),
        }
    }

    fn get(&self) -> Samples<'_> {
        match self {
            SamplesArg::Path(p) => Samples::File(p),
            SamplesArg::Values(v) => Samples::Values(v),
        }
    }
}

/// One input: a JSON file, or its values.
fn input<'a>(path: &'a Option<PathBuf>, values: &'a Option<Vec<f32>>) -> Option<Input<'a>> {
    match (path, values) {
        (_, Some(v)) => Some(Input::Values(v)),
        (Some(p), None) => Some(Input::File(p)),
        (None, None) => None,
    }
}

#[pyfunction]
#[pyo3(signature = (model_path, model_bytes, model_name, calibration_path, calibration, out_dir, zero_knowledge, force, weight_bits, act_bits, progress_callback))]
#[allow(clippy::too_many_arguments)]
fn setup<'py>(
    py: Python<'py>,
    model_path: Option<PathBuf>,
    model_bytes: Option<&Bound<'py, PyBytes>>,
    model_name: String,
    calibration_path: Option<PathBuf>,
    calibration: Option<Vec<Vec<f32>>>,
    out_dir: PathBuf,
    zero_knowledge: Option<bool>,
    force: bool,
    weight_bits: Option<u32>,
    act_bits: Option<u32>,
    progress_callback: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let model = ModelArg::new(model_path, model_bytes, model_name);
    let cal = SamplesArg::new(calibration_path, calibration);
    let widths = Widths {
        weight_bits,
        act_bits,
    };
    let mode = zkinfer_api::mode(zero_knowledge);
    let progress = progress(progress_callback);
    let r = py
        .detach(|| {
            zkinfer_api::setup(
                model.get(),
                cal.get(),
                widths,
                mode,
                &out_dir,
                force,
                progress.as_ref(),
            )
        })
        .map_err(|e| to_py(py, e))?;
    results::setup(py, &r)
}

#[pyfunction]
#[pyo3(signature = (keys_dir, input_path, input, private_input, progress_callback))]
fn prove<'py>(
    py: Python<'py>,
    keys_dir: PathBuf,
    input_path: Option<PathBuf>,
    input: Option<Vec<f32>>,
    private_input: bool,
    progress_callback: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let progress = progress(progress_callback);
    let x = self::input(&input_path, &input);
    let proved = py
        .detach(|| {
            let x = x.ok_or_else(|| ApiError::Invalid("prove: no input given".into()))?;
            zkinfer_api::prove_dir(&keys_dir, x, private_input, progress.as_ref())
        })
        .map_err(|e| to_py(py, e))?;
    results::proved(py, &proved)
}

#[pyfunction]
#[pyo3(signature = (key_path, key_bytes, proof_path, proof_bytes, input_path, input, opening_path, opening_json))]
#[allow(clippy::too_many_arguments)]
fn verify<'py>(
    py: Python<'py>,
    key_path: Option<PathBuf>,
    key_bytes: Option<&Bound<'py, PyBytes>>,
    proof_path: Option<PathBuf>,
    proof_bytes: Option<&Bound<'py, PyBytes>>,
    input_path: Option<PathBuf>,
    input: Option<Vec<f32>>,
    opening_path: Option<PathBuf>,
    opening_json: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    use zkinfer_protocol::{FileKind, ProofFile, VerifierKey};
    let key_bytes = key_bytes.map(|b| b.as_bytes().to_vec());
    let proof_bytes = proof_bytes.map(|b| b.as_bytes().to_vec());
    let label = |p: &Option<PathBuf>, what: &str| {
        p.as_ref()
            .map_or(what.to_string(), |p| p.display().to_string())
    };
    let (key, proof) = (
        label(&key_path, "verifier key"),
        label(&proof_path, "proof"),
    );
    let x = self::input(&input_path, &input);
    let checked = py.detach(|| {
        let vk = match (&key_bytes, &key_path) {
            (Some(b), _) => {
                zkinfer_api::decode(b, &key, FileKind::VerifierKey, VerifierKey::from_bytes)?
            }
            (None, Some(p)) => zkinfer_api::read_verifier_key(p)?,
            (None, None) => return Err(ApiError::Invalid("verify: no verifier key given".into())),
        };
        let pf = match (&proof_bytes, &proof_path) {
            (Some(b), _) => zkinfer_api::decode(b, &proof, FileKind::Proof, ProofFile::from_bytes)?,
            (None, Some(p)) => zkinfer_api::read_proof(p)?,
            (None, None) => return Err(ApiError::Invalid("verify: no proof given".into())),
        };
        let parsed = match &opening_json {
            Some(text) => Some(serde_json::from_str(text).map_err(|e| {
                ApiError::Invalid(format!("input_opening: not an input opening: {e}"))
            })?),
            None => None,
        };
        let opening = match (&parsed, &opening_path) {
            (Some(o), _) => Some(Opening::Value(o)),
            (None, Some(p)) => Some(Opening::File(p)),
            (None, None) => None,
        };
        let names = Names {
            key: &key,
            proof: &proof,
            input_arg: "input=",
            opening_arg: "input_opening=",
        };
        zkinfer_api::verify(&vk, &pf, x, opening, &names)
    });
    let v = checked.map_err(|e| to_py(py, e))?;
    results::verification(py, &v)
}

#[pyfunction]
#[pyo3(signature = (model_path, model_bytes, model_name, calibration_path, calibration, input_path, input, weight_bits, act_bits))]
#[allow(clippy::too_many_arguments)]
fn run<'py>(
    py: Python<'py>,
    model_path: Option<PathBuf>,
    model_bytes: Option<&Bound<'py, PyBytes>>,
    model_name: String,
    calibration_path: Option<PathBuf>,
    calibration: Option<Vec<Vec<f32>>>,
    input_path: Option<PathBuf>,
    input: Option<Vec<f32>>,
    weight_bits: Option<u32>,
    act_bits: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let model = ModelArg::new(model_path, model_bytes, model_name);
    let cal = SamplesArg::new(calibration_path, calibration);
    let x = SamplesArg::new(input_path, input.map(|v| vec![v]));
    let widths = Widths {
        weight_bits,
        act_bits,
    };
    let r = py
        .detach(|| zkinfer_api::run(model.get(), cal.get(), x.get(), widths))
        .map_err(|e| to_py(py, e))?;
    results::run(py, &r)
}

#[pyfunction]
#[pyo3(signature = (model_path, model_bytes, model_name, calibration_path, calibration, test_path, inputs, labels, weight_bits, act_bits))]
#[allow(clippy::too_many_arguments)]
fn accuracy<'py>(
    py: Python<'py>,
    model_path: Option<PathBuf>,
    model_bytes: Option<&Bound<'py, PyBytes>>,
    model_name: String,
    calibration_path: Option<PathBuf>,
    calibration: Option<Vec<Vec<f32>>>,
    test_path: Option<PathBuf>,
    inputs: Option<Vec<Vec<f32>>>,
    labels: Option<Vec<usize>>,
    weight_bits: Option<u32>,
    act_bits: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let model = ModelArg::new(model_path, model_bytes, model_name);
    let cal = SamplesArg::new(calibration_path, calibration);
    let widths = Widths {
        weight_bits,
        act_bits,
    };
    let r = py
        .detach(|| {
            let test = match (&inputs, &test_path) {
                (Some(inputs), _) => TestData::Values {
                    inputs,
                    labels: labels.as_deref(),
                },
                (None, Some(p)) => TestData::File(p),
                (None, None) => return Err(ApiError::Invalid("accuracy: no test set".into())),
            };
            zkinfer_api::accuracy(model.get(), cal.get(), test, widths)
        })
        .map_err(|e| to_py(py, e))?;
    results::accuracy(py, &r)
}

/// The module: the five calls and the error type.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ZkinferError", m.py().get_type::<ZkinferError>())?;
    m.add_function(wrap_pyfunction!(setup, m)?)?;
    m.add_function(wrap_pyfunction!(prove, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(accuracy, m)?)?;
    Ok(())
}
