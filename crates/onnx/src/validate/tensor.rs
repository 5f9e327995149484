//! Constant tensors (initializers and tensor attributes such as a Constant's `value`): a known data
//! type, non-negative dims under the element cap, as much data as the dims declare, no external
//! file, and float values that are finite and below [`MAX_CONSTANT_ABS`].

use tract_onnx::pb::tensor_proto::DataLocation;
use tract_onnx::pb::{GraphProto, TensorProto};

use super::graph::node_label;
use super::{CAP, MAX_CONSTANT_ABS, q};

/// ONNX `TensorProto.DataType` codes read here.
pub(crate) const FLOAT: i32 = 1;
pub(crate) const INT32: i32 = 6;
pub(crate) const INT64: i32 = 7;
pub(crate) const DOUBLE: i32 = 11;

/// Bytes per element of the data types tract loads (not strings, complex or 8-bit floats).
pub(crate) fn elem_size(dt: i32) -> Option<usize> {
    match dt {
        2 | 3 | 9 => Some(1),           // UINT8, INT8, BOOL
        4 | 5 | 10 => Some(2),          // UINT16, INT16, FLOAT16
        FLOAT | INT32 | 12 => Some(4),  // FLOAT, INT32, UINT32
        INT64 | DOUBLE | 13 => Some(8), // INT64, DOUBLE, UINT64
        _ => None,
    }
}

/// Every constant tensor of the graph.
pub(super) fn check_all(g: &GraphProto) -> Result<(), String> {
    for t in &g.initializer {
        check(&format!("initializer {}", q(&t.name)), t)?;
    }
    for n in &g.node {
        for a in &n.attribute {
            let what = || format!("{} attribute {}", node_label(n), q(&a.name));
            if let Some(t) = &a.t {
                check(&what(), t)?;
            }
            for t in &a.tensors {
                check(&what(), t)?;
            }
            if a.sparse_tensor.is_some() || !a.sparse_tensors.is_empty() {
                return Err(format!("{}: sparse tensors are not supported", what()));
            }
        }
    }
    Ok(())
}

/// The number of elements `dims` declare, refusing negative dims and totals over the cap.
pub(crate) fn declared_len(what: &str, dims: &[i64]) -> Result<usize, String> {
    let mut len: u128 = 1;
    for (i, &d) in dims.iter().enumerate() {
        if d < 0 {
            return Err(format!(
                "{what} dimension {i} is {d} (dims must not be negative)"
            ));
        }
        len = len.saturating_mul(d as u128);
    }
    if len > CAP {
        return Err(format!(
            "{what} declares {dims:?} = {len} elements, over the {CAP}-element cap"
        ));
    }
    Ok(len as usize)
}

fn check(what: &str, t: &TensorProto) -> Result<(), String> {
    let size = elem_size(t.data_type).ok_or_else(|| {
        format!(
            "{what} has an unknown or unsupported data type {}",
            t.data_type
        )
    })?;
    if t.data_location == Some(DataLocation::External as i32) || !t.external_data.is_empty() {
        return Err(format!(
            "{what} is stored in an external file (external data is not supported: embed the \
             weights in the model)"
        ));
    }
    let len = declared_len(what, &t.dims)?;
    if !t.raw_data.is_empty() {
        let need = len * size;
        if t.raw_data.len() != need {
            return Err(format!(
                "{what} has {} bytes of raw data; dims {:?} of data type {} need {need}",
                t.raw_data.len(),
                t.dims,
                t.data_type
            ));
        }
    } else {
        // The typed field tract reads for this data type.
        let count = match t.data_type {
            FLOAT => t.float_data.len(),
            DOUBLE => t.double_data.len(),
            INT64 | 13 => t.int64_data.len(),
            _ => t.int32_data.len(),
        };
        if count != len {
            return Err(format!(
                "{what} has {count} values; dims {:?} need {len}",
                t.dims
            ));
        }
    }
    check_values(what, t)
}

/// Float values: finite and below the magnitude cap.
fn check_values(what: &str, t: &TensorProto) -> Result<(), String> {
    let bad = |i: usize, v: f64, shown: String| -> Result<(), String> {
        if v.is_nan() || v.is_infinite() {
            Err(format!(
                "{what} element {i} is {shown} (NaN and infinite weights are refused)"
            ))
        } else if v.abs() > MAX_CONSTANT_ABS {
            Err(format!(
                "{what} element {i} is {shown}, beyond ±{MAX_CONSTANT_ABS:e} (absurd weight)"
            ))
        } else {
            Ok(())
        }
    };
    match t.data_type {
        FLOAT => {
            let raw = t
                .raw_data
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            for (i, v) in raw.chain(t.float_data.iter().copied()).enumerate() {
                bad(i, v as f64, format!("{v:e}"))?;
            }
        }
        DOUBLE => {
            let raw = t.raw_data.chunks_exact(8).map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                f64::from_le_bytes(b)
            });
            for (i, v) in raw.chain(t.double_data.iter().copied()).enumerate() {
                bad(i, v, format!("{v:e}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The values of a small integer constant (INT64 or INT32), for shapes, axes and pads.
pub(crate) fn small_ints(t: &TensorProto) -> Option<Vec<i64>> {
    const MAX: usize = 64;
    match t.data_type {
        INT64 if !t.raw_data.is_empty() => (t.raw_data.len() <= 8 * MAX).then(|| {
            t.raw_data
                .chunks_exact(8)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    i64::from_le_bytes(b)
                })
                .collect()
        }),
        INT64 => (t.int64_data.len() <= MAX).then(|| t.int64_data.clone()),
        INT32 if !t.raw_data.is_empty() => (t.raw_data.len() <= 4 * MAX).then(|| {
            t.raw_data
                .chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as i64)
                .collect()
        }),
        INT32 => {
            (t.int32_data.len() <= MAX).then(|| t.int32_data.iter().map(|&x| x as i64).collect())
        }
        _ => None,
    }
}

/// The values of a small float constant (FLOAT or DOUBLE), for divisors and scales.
pub(crate) fn small_floats(t: &TensorProto) -> Option<Vec<f64>> {
    const MAX: usize = 1 << 16;
    match t.data_type {
        FLOAT if t.raw_data.len() <= 4 * MAX && t.float_data.len() <= MAX => Some(
            t.raw_data
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64)
                .chain(t.float_data.iter().map(|&x| x as f64))
                .collect(),
        ),
        DOUBLE if t.raw_data.len() <= 8 * MAX && t.double_data.len() <= MAX => Some(
            t.raw_data
                .chunks_exact(8)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    f64::from_le_bytes(b)
                })
                .chain(t.double_data.iter().copied())
                .collect(),
        ),
        _ => None,
    }
}
