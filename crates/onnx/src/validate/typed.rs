//! Checks of the typed graph tract returns: what the file's checks could not see (shapes after
//! tract's inference, constants after folding).

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::binary::TypedBinOp;

use super::q;

/// Every shape concrete, non-empty and under the element cap, so nothing later allocates from an
/// absurd size; outputs that depend on an input; folded constants finite; no division by a
/// constant holding zero.
pub(crate) fn check_typed(model: &TypedModel) -> Result<(), String> {
    let outputs = model.output_outlets().map_err(|e| e.to_string())?;
    if outputs.is_empty() {
        return Err("the model has no outputs".into());
    }
    for node in model.nodes() {
        let name = q(&node.name);
        for (slot, out) in node.outputs.iter().enumerate() {
            let shape = out.fact.shape.as_concrete().ok_or_else(|| {
                format!(
                    "node {name} output {slot}: symbolic shape {:?}",
                    out.fact.shape
                )
            })?;
            if zkinfer_ir::checked_len(shape).is_none() {
                return Err(format!(
                    "node {name} output {slot}: shape {shape:?} exceeds {} elements",
                    zkinfer_ir::MAX_ELEMENTS
                ));
            }
            match &out.fact.konst {
                None if shape.contains(&0) => {
                    return Err(format!(
                        "node {name} output {slot}: shape {shape:?} has no elements"
                    ));
                }
                Some(k) => check_finite(&name, k)?,
                None => {}
            }
        }
        if let Some(b) = node.op_as::<TypedBinOp>()
            && b.0.name() == "Div"
            && let Some(k) = node
                .inputs
                .get(1)
                .and_then(|o| model.outlet_fact(*o).ok())
                .and_then(|f| f.konst.clone())
            && let Some(i) = first_zero(&k)
        {
            return Err(format!(
                "node {name} divides by zero: element {i} of its constant divisor is 0"
            ));
        }
    }
    for o in outputs {
        let fact = model.outlet_fact(*o).map_err(|e| e.to_string())?;
        if fact.konst.is_some() {
            let node = &model.node(o.node).name;
            let node = q(model.outlet_label(*o).unwrap_or(node));
            let shape = fact.shape.as_concrete().unwrap_or(&[]);
            let empty = if shape.contains(&0) {
                ", and empty (no elements)"
            } else {
                ""
            };
            return Err(format!(
                "graph output {node} of shape {shape:?} is a constant: it depends on no input{empty}"
            ));
        }
    }
    Ok(())
}

fn as_f64(t: &Tensor) -> Option<Vec<f64>> {
    if !t.datum_type().is_float() {
        return None;
    }
    let c = t.cast_to::<f64>().ok()?;
    let v = c.to_plain_array_view::<f64>().ok()?;
    Some(v.iter().copied().collect())
}

fn check_finite(name: &str, k: &Tensor) -> Result<(), String> {
    if let Some(v) = as_f64(k)
        && let Some(i) = v.iter().position(|x| !x.is_finite())
    {
        return Err(format!(
            "node {name} folds to a constant whose element {i} is {} (NaN and infinite values are refused)",
            v[i]
        ));
    }
    Ok(())
}

fn first_zero(k: &Tensor) -> Option<usize> {
    let c = k.cast_to::<f64>().ok()?;
    let v = c.to_plain_array_view::<f64>().ok()?;
    v.iter().position(|&x| x == 0.0)
}
