//! The library's results as Python dicts (the Python layer wraps them in typed objects).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use zkinfer_api::{Accuracy, Proved, RunReport, SetupReport, Verification};

pub fn setup<'py>(py: Python<'py>, r: &SetupReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("key_id", &r.key_id)?;
    d.set_item("model_hash", &r.model_hash)?;
    d.set_item("zero_knowledge", r.zero_knowledge)?;
    d.set_item("weight_commitment", &r.binding.commitment)?;
    d.set_item("weight_digest", &r.binding.digest)?;
    d.set_item("prover_key", &r.prover_key)?;
    d.set_item("prover_key_bytes", r.prover_key_bytes)?;
    d.set_item("verifier_key", &r.verifier_key)?;
    d.set_item("verifier_key_bytes", r.verifier_key_bytes)?;
    d.set_item("weight_bits", r.weight_bits)?;
    d.set_item("act_bits", r.act_bits)?;
    d.set_item("ir_nodes", r.ir_nodes)?;
    d.set_item("narrowed", r.narrowed.clone())?;
    d.set_item("setup_seconds", r.setup_seconds)?;
    Ok(d)
}

pub fn proved<'py>(py: Python<'py>, p: &Proved) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let t = &p.timing;
    let timings = PyDict::new(py);
    for (name, dur) in [
        ("witness", t.witness),
        ("commit", t.commit),
        ("layers", t.layers),
        ("sumchecks", t.sumchecks),
        ("lookups", t.lookups),
        ("openings", t.openings),
    ] {
        timings.set_item(name, dur.as_secs_f64())?;
    }
    timings.set_item("total", p.prove_seconds)?;
    let opening = match &p.opening {
        Some(o) => Some(serde_json::to_string_pretty(o).map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!("encoding the opening: {e}"))
        })?),
        None => None,
    };
    d.set_item("key_id", p.key_id.to_string())?;
    d.set_item("output", p.output_real.clone())?;
    d.set_item("output_quantized", p.output.clone())?;
    d.set_item("proof", PyBytes::new(py, &p.proof))?;
    d.set_item("opening", opening)?;
    d.set_item("timings", timings)?;
    d.set_item("zero_knowledge", p.zero_knowledge)?;
    d.set_item("private_input", p.private_input)?;
    Ok(d)
}

pub fn verification<'py>(py: Python<'py>, v: &Verification) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("valid", v.valid())?;
    d.set_item("soundness_bits", v.soundness_bits())?;
    let (kind, message) = match &v.result {
        Ok(_) => (None, None),
        Err((k, m)) => (Some(k.name()), Some(m.clone())),
    };
    d.set_item("error_kind", kind)?;
    d.set_item("error", message)?;
    d.set_item("key_id", &v.key_id)?;
    d.set_item("model_hash", &v.model_hash)?;
    d.set_item("weight_commitment", &v.binding.commitment)?;
    d.set_item("weight_digest", &v.binding.digest)?;
    d.set_item("output", v.output_real.clone())?;
    d.set_item("output_quantized", v.output.clone())?;
    d.set_item("zero_knowledge", v.zero_knowledge)?;
    d.set_item("private_input", v.private_input)?;
    d.set_item("input_opening_matches", v.input_opening_matches)?;
    d.set_item("verify_seconds", v.verify_seconds)?;
    Ok(d)
}

pub fn run<'py>(py: Python<'py>, r: &RunReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("quantized", r.quantized.clone())?;
    d.set_item("float", r.float.clone())?;
    d.set_item("max_abs_error", r.max_abs_error)?;
    d.set_item("weight_bits", r.weight_bits)?;
    d.set_item("act_bits", r.act_bits)?;
    Ok(d)
}

pub fn accuracy<'py>(py: Python<'py>, a: &Accuracy) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let r = &a.report;
    d.set_item("samples", r.samples)?;
    d.set_item("float_accuracy", r.float_accuracy)?;
    d.set_item("quantized_accuracy", r.quantized_accuracy)?;
    d.set_item("agreement", r.agreement)?;
    d.set_item("max_abs_error", r.max_abs_error)?;
    d.set_item("weight_bits", a.weight_bits)?;
    d.set_item("act_bits", a.act_bits)?;
    Ok(d)
}
