//! Per-operator checks of axes, shapes and sizes, and the output shape each operator gives (for
//! the operators the pass models; others give an unknown shape). Layout operators are in
//! [`super::layout`], windows in [`super::window`], constants in [`super::consts`].

use super::consts::{constant_shape, range, shape_values};
use super::layout::{concat, pad, reshape, slice, squeeze, tile, transpose, unsqueeze};
use super::shape::{At, Dims, broadcast, show};
use super::{CAP, window};

/// Operators whose output has their first input's shape.
#[rustfmt::skip]
const SAME_SHAPE: &[&str] = &[
    "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Abs", "Neg", "Erf", "Reciprocal", "Floor",
    "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh",
    "Acosh", "Atanh", "LeakyRelu", "Elu", "Selu", "Celu", "Softplus", "Softsign", "HardSigmoid",
    "HardSwish", "Gelu", "Mish", "ThresholdedRelu", "Identity", "Dropout", "Cast", "CastLike",
    "Clip", "Not", "IsNaN", "IsInf", "BatchNormalization", "InstanceNormalization",
    "LpNormalization", "MeanVarianceNormalization", "LRN", "Shrink", "PRelu",
];

/// Elementwise operators with numpy broadcasting of all their inputs.
#[rustfmt::skip]
const BROADCAST: &[&str] = &[
    "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod", "Equal", "Less",
    "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Where", "BitShift",
];

/// Reductions over `axes` (an attribute, or an input from opset 13 or 18).
#[rustfmt::skip]
const REDUCE: &[&str] = &[
    "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
    "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
];

/// Checks the node and returns its first output's shape, if the pass knows it.
pub(super) fn infer(at: &At) -> Result<Option<Dims>, String> {
    let op = at.node.op_type.as_str();
    let x = at.dims(0).cloned();
    let r = at.rank(0);
    if op == "Div" {
        check_divisor(at)?;
    }
    if SAME_SHAPE.contains(&op) {
        return Ok(x);
    }
    if BROADCAST.contains(&op) {
        let ins: Vec<Option<&Dims>> = (0..at.node.input.len()).map(|i| at.dims(i)).collect();
        return broadcast(at, &ins);
    }
    if REDUCE.contains(&op) {
        return reduce(at);
    }
    Ok(match op {
        "Softmax" | "LogSoftmax" | "Hardmax" => {
            let default = if at.env.opset >= 13 { -1 } else { 1 };
            if let Some(r) = r {
                at.axis("axis", at.int("axis").unwrap_or(default), r)?;
            }
            x
        }
        "LayerNormalization" => {
            if let Some(r) = r {
                at.axis("axis", at.int("axis").unwrap_or(-1), r)?;
            }
            x
        }
        "ArgMax" | "ArgMin" => {
            let Some(x) = x else { return Ok(None) };
            let a = at.axis("axis", at.int("axis").unwrap_or(0), x.len())?;
            keep_or_drop(&x, &[a], at.int("keepdims").unwrap_or(1) != 0)
        }
        "Transpose" => transpose(at, x)?,
        "Flatten" => {
            let Some(x) = x else { return Ok(None) };
            let a = at.int("axis").unwrap_or(1);
            let rk = x.len() as i64;
            if a < -rk || a > rk {
                return Err(at.err(format!(
                    "axis {a} is out of range for a rank-{rk} input (-{rk} to {rk})"
                )));
            }
            let a = if a < 0 { a + rk } else { a } as usize;
            let prod = |d: &[Option<usize>]| {
                d.iter()
                    .try_fold(1usize, |p, v| v.and_then(|v| p.checked_mul(v)))
            };
            Some(vec![prod(&x[..a]), prod(&x[a..])])
        }
        "Concat" => concat(at)?,
        "Split" | "Gather" | "GatherElements" | "CumSum" => {
            let Some(x) = x else { return Ok(None) };
            let a = match op {
                "CumSum" => at.ints(1).and_then(|v| v.first().copied()).unwrap_or(0),
                _ => at.int("axis").unwrap_or(0),
            };
            let a = at.axis("axis", a, x.len())?;
            match (op, at.dims(1)) {
                ("Gather", Some(idx)) => Some([&x[..a], &idx[..], &x[a + 1..]].concat()),
                ("GatherElements", Some(idx)) => Some(idx.clone()),
                ("CumSum", _) => Some(x),
                _ => None,
            }
        }
        "Squeeze" => squeeze(at, x)?,
        "Unsqueeze" => unsqueeze(at, x)?,
        "Slice" => slice(at, x)?,
        "Reshape" => reshape(at, x)?,
        "MatMul" => matmul(at)?,
        "Gemm" => gemm(at)?,
        "Conv" | "ConvInteger" | "MaxPool" | "AveragePool" | "LpPool" => window::check(at)?,
        "ConvTranspose" => {
            window::check(at)?;
            None
        }
        "GlobalAveragePool" | "GlobalMaxPool" | "GlobalLpPool" => match x {
            Some(x) if x.len() >= 3 => Some([&x[..2], &vec![Some(1); x.len() - 2][..]].concat()),
            Some(x) => return Err(at.err(format!("input of rank {} (at least 3)", x.len()))),
            None => None,
        },
        "Pad" => pad(at, x)?,
        "Shape" => r.map(|r| vec![Some(r)]),
        "Constant" => constant_shape(at),
        "ConstantOfShape" => shape_values(at, 0, "shape")?,
        "Expand" => match shape_values(at, 1, "shape")? {
            Some(s) => broadcast(at, &[x.as_ref(), Some(&s)])?,
            None => None,
        },
        "Tile" => tile(at, x)?,
        "Range" => range(at)?,
        "OneHot" => {
            if let Some(&d) = at.ints(1).and_then(|v| v.first())
                && (d < 1 || d as u128 > CAP)
            {
                return Err(at.err(format!("depth {d} is out of range (1 to {CAP} elements)")));
            }
            None
        }
        _ => None,
    })
}

/// A division by a constant holding a zero.
fn check_divisor(at: &At) -> Result<(), String> {
    if let Some(v) = at.floats(1)
        && let Some(i) = v.iter().position(|&x| x == 0.0)
    {
        return Err(at.err(format!(
            "divides by zero: element {i} of the constant divisor {} is 0",
            super::q(at.name(1))
        )));
    }
    if let Some(v) = at.ints(1)
        && let Some(i) = v.iter().position(|&x| x == 0)
    {
        return Err(at.err(format!(
            "divides by zero: element {i} of the constant divisor {} is 0",
            super::q(at.name(1))
        )));
    }
    Ok(())
}

pub(super) fn keep_or_drop(x: &Dims, axes: &[usize], keep: bool) -> Option<Dims> {
    Some(
        x.iter()
            .enumerate()
            .filter_map(|(i, &d)| match (axes.contains(&i), keep) {
                (true, true) => Some(Some(1)),
                (true, false) => None,
                (false, _) => Some(d),
            })
            .collect(),
    )
}

/// Distinct normalised axes, each in range.
pub(super) fn axes_in(at: &At, axes: &[i64], rank: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::with_capacity(axes.len());
    for &a in axes {
        let a = at.axis("axis", a, rank)?;
        if out.contains(&a) {
            return Err(at.err(format!("axis {a} appears twice in {axes:?}")));
        }
        out.push(a);
    }
    Ok(out)
}

fn reduce(at: &At) -> Result<Option<Dims>, String> {
    let since = if at.node.op_type == "ReduceSum" {
        13
    } else {
        18
    };
    let axes = at.ints_attr_or_input("axes", 1, since);
    let Some(x) = at.dims(0) else { return Ok(None) };
    let keep = at.int("keepdims").unwrap_or(1) != 0;
    match axes {
        Some(a) if !a.is_empty() => {
            let a = axes_in(at, &a, x.len())?;
            Ok(keep_or_drop(x, &a, keep))
        }
        _ if at.env.opset >= since && at.node.input.len() > 1 => Ok(None),
        _ if at.int("noop_with_empty_axes").unwrap_or(0) != 0 => Ok(Some(x.clone())),
        _ => Ok(keep_or_drop(x, &(0..x.len()).collect::<Vec<_>>(), keep)),
    }
}

fn matmul(at: &At) -> Result<Option<Dims>, String> {
    let (Some(a), Some(b)) = (at.dims(0), at.dims(1)) else {
        return Ok(None);
    };
    if a.is_empty() || b.is_empty() {
        return Err(at.err("a scalar operand"));
    }
    let (ka, kb) = (
        a[a.len() - 1],
        if b.len() == 1 { b[0] } else { b[b.len() - 2] },
    );
    if let (Some(p), Some(q)) = (ka, kb)
        && p != q
    {
        return Err(at.err(format!(
            "inner dimensions differ: {} times {}",
            show(a),
            show(b)
        )));
    }
    let batch_a: Dims = a[..a.len().saturating_sub(2)].to_vec();
    let batch_b: Dims = b[..b.len().saturating_sub(2)].to_vec();
    let Some(mut out) = broadcast(at, &[Some(&batch_a), Some(&batch_b)])? else {
        return Ok(None);
    };
    if a.len() >= 2 {
        out.push(a[a.len() - 2]);
    }
    if b.len() >= 2 {
        out.push(b[b.len() - 1]);
    }
    Ok(Some(out))
}

fn gemm(at: &At) -> Result<Option<Dims>, String> {
    let (Some(a), Some(b)) = (at.dims(0), at.dims(1)) else {
        return Ok(None);
    };
    if a.len() != 2 || b.len() != 2 {
        return Err(at.err(format!(
            "operands {} and {} (rank 2 only)",
            show(a),
            show(b)
        )));
    }
    let (ta, tb) = (
        at.int("transA").unwrap_or(0) != 0,
        at.int("transB").unwrap_or(0) != 0,
    );
    let (m, k1) = if ta { (a[1], a[0]) } else { (a[0], a[1]) };
    let (k2, n) = if tb { (b[1], b[0]) } else { (b[0], b[1]) };
    if let (Some(p), Some(q)) = (k1, k2)
        && p != q
    {
        return Err(at.err(format!("inner dimensions differ: {p} and {q}")));
    }
    Ok(Some(vec![m, n]))
}
