//! Constants: sizes read from constant inputs (ConstantOfShape, Expand, Range), Constant nodes,
//! and the small integer values the pass follows through shape arithmetic.

use super::CAP;
use super::shape::{At, Dims};
use super::tensor::{small_floats, small_ints};

/// Small constant values of a node's output: integers, floats.
pub(super) type Consts = (Option<Vec<i64>>, Option<Vec<f64>>);

/// A constant shape input (ConstantOfShape, Expand): non-negative entries.
pub(super) fn shape_values(at: &At, i: usize, what: &str) -> Result<Option<Dims>, String> {
    let Some(s) = at.ints(i) else { return Ok(None) };
    if let Some(v) = s.iter().find(|&&v| v < 0) {
        return Err(at.err(format!("{what} {s:?} has a negative entry {v}")));
    }
    Ok(Some(s.iter().map(|&v| usize::try_from(v).ok()).collect()))
}

pub(super) fn range(at: &At) -> Result<Option<Dims>, String> {
    let get = |i| -> Option<f64> {
        at.ints(i)
            .and_then(|v| v.first().map(|&x| x as f64))
            .or_else(|| at.floats(i).and_then(|v| v.first().copied()))
    };
    let (Some(start), Some(limit), Some(delta)) = (get(0), get(1), get(2)) else {
        return Ok(None);
    };
    if delta == 0.0 || !delta.is_finite() {
        return Err(at.err(format!("delta {delta}")));
    }
    let n = ((limit - start) / delta).ceil().max(0.0);
    if !n.is_finite() || n > CAP as f64 {
        return Err(at.err(format!(
            "Range({start}, {limit}, {delta}) would have {n} elements, over the {CAP}-element cap"
        )));
    }
    Ok(Some(vec![Some(n as usize)]))
}

pub(super) fn constant_shape(at: &At) -> Option<Dims> {
    let a = at.node.attribute.first()?;
    match a.name.as_str() {
        "value" => {
            a.t.as_ref()
                .map(|t| t.dims.iter().map(|&d| usize::try_from(d).ok()).collect())
        }
        "value_float" | "value_int" => Some(vec![]),
        "value_floats" => Some(vec![Some(a.floats.len())]),
        "value_ints" => Some(vec![Some(a.ints.len())]),
        _ => None,
    }
}

/// Small constants a node makes: a Constant's value, a Shape of known dims.
pub(super) fn constant_values(at: &At) -> Option<Consts> {
    match at.node.op_type.as_str() {
        "Constant" => {
            let a = at.node.attribute.first()?;
            Some(match a.name.as_str() {
                "value" => {
                    let t = a.t.as_ref()?;
                    (small_ints(t), small_floats(t))
                }
                "value_int" => (Some(vec![a.i]), None),
                "value_ints" => (Some(a.ints.clone()), None),
                "value_float" => (None, Some(vec![a.f as f64])),
                "value_floats" => (None, Some(a.floats.iter().map(|&f| f as f64).collect())),
                _ => return None,
            })
        }
        "Shape" if at.node.attribute.is_empty() => {
            let d = at.dims(0)?;
            let v: Option<Vec<i64>> = d.iter().map(|x| x.map(|x| x as i64)).collect();
            Some((Some(v?), None))
        }
        // Shape arithmetic as exporters write it (Shape -> Gather -> Unsqueeze -> Concat ->
        // Reshape or Expand): integer values that pass through unchanged or are gathered.
        "Identity" | "Squeeze" | "Unsqueeze" => Some((at.ints(0).cloned(), at.floats(0).cloned())),
        "Cast" if matches!(at.int("to"), Some(6 | 7)) => Some((at.ints(0).cloned(), None)),
        "Concat" if (0..at.node.input.len()).all(|i| at.rank(i).is_some_and(|r| r <= 1)) => {
            let parts: Option<Vec<&Vec<i64>>> =
                (0..at.node.input.len()).map(|i| at.ints(i)).collect();
            Some((Some(parts?.into_iter().flatten().copied().collect()), None))
        }
        "Gather" if at.int("axis").unwrap_or(0) == 0 && at.rank(0) == Some(1) => {
            let (data, idx) = (at.ints(0)?, at.ints(1)?);
            let n = data.len() as i64;
            let v: Option<Vec<i64>> = idx
                .iter()
                .map(|&i| {
                    let i = if i < 0 { i + n } else { i };
                    (0..n).contains(&i).then(|| data[i as usize])
                })
                .collect();
            Some((Some(v?), None))
        }
        _ => None,
    }
}
