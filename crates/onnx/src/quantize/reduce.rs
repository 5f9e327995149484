//! Pooling, reductions and softmax.

use tract_onnx::tract_core::ops::cnn::{MaxPool, PoolSpec, SumPool};
use tract_onnx::tract_core::ops::nn::{DataFormat, Reduce, Reducer, Softmax, SoftmaxKind};
use zkinfer_ir::{BOUND_LIMIT, Op, Table, TableFn};

use super::act::act_of;
use super::{Ctx, Slot, Src, Val};
use crate::error::OnnxError;

struct Window {
    kernel: [usize; 2],
    strides: [usize; 2],
    dilations: [usize; 2],
    pads: [usize; 4],
}

fn window(src: &Src, ps: &PoolSpec, in_shape: &[usize]) -> Result<Window, OnnxError> {
    if ps.data_format != DataFormat::NCHW || in_shape.len() != 4 || ps.kernel_shape.len() != 2 {
        return Err(src.bad(format!(
            "pooling on {in_shape:?} {:?} (only 2-D NCHW)",
            ps.data_format
        )));
    }
    let p = ps.computed_padding(&in_shape[2..]);
    let (s, d) = (ps.strides(), ps.dilations());
    Ok(Window {
        kernel: [ps.kernel_shape[0], ps.kernel_shape[1]],
        strides: [s[0], s[1]],
        dilations: [d[0], d[1]],
        pads: [
            p[0].pad_before,
            p[1].pad_before,
            p[0].pad_after,
            p[1].pad_after,
        ],
    })
}

/// MaxPool: comparisons only, on the tensor as it is (no requantization needed).
pub(crate) fn max_pool(
    ctx: &mut Ctx,
    src: &Src,
    p: &MaxPool,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    if p.with_index_outputs.is_some() {
        return Err(src.bad("MaxPool with index outputs"));
    }
    let x = act_of(src, &ins[0])?;
    let w = window(src, &p.pool_spec, &ctx.shape(x))?;
    let op = Op::MaxPool2d {
        kernel: w.kernel,
        strides: w.strides,
        dilations: w.dilations,
        pads: w.pads,
    };
    let scale = ctx.sb(x).0;
    let id = ctx.b.push(
        &src.step("maxpool"),
        op,
        vec![x.id],
        src.out_shape.clone(),
        scale,
    )?;
    Ok(Slot::Act(Val {
        id,
        range: src.out_range,
    }))
}

/// AveragePool: a window sum, with `1/k` folded into the scale (padding must count, or be absent).
pub(crate) fn sum_pool(
    ctx: &mut Ctx,
    src: &Src,
    p: &SumPool,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    let x = act_of(src, &ins[0])?;
    let x = ctx.act(src, x)?;
    let w = window(src, &p.pool_spec, &ctx.shape(x))?;
    if w.dilations != [1, 1] {
        return Err(src.bad("dilated average pooling"));
    }
    if p.normalize && !p.count_include_pad && w.pads.iter().any(|&v| v > 0) {
        return Err(src.bad(
            "average pooling that excludes padding from the count (divisor varies by position)",
        ));
    }
    let k = (w.kernel[0] * w.kernel[1]) as f64;
    let scale = ctx.sb(x).0 / if p.normalize { k } else { 1.0 };
    let op = Op::SumPool2d {
        kernel: w.kernel,
        strides: w.strides,
        pads: w.pads,
    };
    let id = ctx.b.push(
        &src.step("sumpool"),
        op,
        vec![x.id],
        src.out_shape.clone(),
        scale,
    )?;
    Ok(Slot::Act(Val {
        id,
        range: src.out_range,
    }))
}

/// Reduce Sum / Max / Min / MeanOfSquares over axes (kept with size 1).
pub(crate) fn reduce(
    ctx: &mut Ctx,
    src: &Src,
    r: &Reduce,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    let x = act_of(src, &ins[0])?;
    let axes: Vec<usize> = r.axes.to_vec();
    let shape = ctx.shape(x);
    if let Some(a) = axes.iter().find(|&&a| a >= shape.len()) {
        return Err(src.bad(format!(
            "reduction axis {a} is out of range for a rank-{} input",
            shape.len()
        )));
    }
    let n: usize = axes
        .iter()
        .map(|&a| shape.get(a).copied().unwrap_or(1))
        .product();
    let out = src.out_shape.clone();
    let v = match r.reducer {
        Reducer::Sum => {
            let x = ctx.act(src, x)?;
            let x = ctx.narrow(src, x, (BOUND_LIMIT / 4) / n.max(1) as i64)?;
            let scale = ctx.sb(x).0;
            let id = ctx.b.push(
                &src.step("sum"),
                Op::ReduceSum { axes },
                vec![x.id],
                out,
                scale,
            )?;
            Val {
                id,
                range: src.out_range,
            }
        }
        Reducer::Max => {
            let scale = ctx.sb(x).0;
            let id = ctx.b.push(
                &src.step("max"),
                Op::ReduceMax { axes },
                vec![x.id],
                out,
                scale,
            )?;
            Val {
                id,
                range: src.out_range,
            }
        }
        Reducer::Min => {
            // min(x) = -max(-x)
            let scale = ctx.sb(x).0;
            let neg = ctx.b.push(
                &src.step("neg"),
                Op::Add { coeffs: [-1, 0] },
                vec![x.id, x.id],
                shape,
                scale,
            )?;
            let m = ctx.b.push(
                &src.step("max"),
                Op::ReduceMax { axes },
                vec![neg],
                out.clone(),
                scale,
            )?;
            let id = ctx.b.push(
                &src.step("negback"),
                Op::Add { coeffs: [-1, 0] },
                vec![m, m],
                out,
                scale,
            )?;
            Val {
                id,
                range: src.out_range,
            }
        }
        Reducer::MeanOfSquares => {
            let (a, b) = ctx.fit_product(src, x, x, n as i64)?;
            let scale = ctx.sb(a).0 * ctx.sb(b).0;
            let sq = ctx
                .b
                .push(&src.step("square"), Op::Mul, vec![a.id, b.id], shape, scale)?;
            let id = ctx.b.push(
                &src.step("sum"),
                Op::ReduceSum { axes },
                vec![sq],
                out,
                scale / n as f64,
            )?;
            Val {
                id,
                range: src.out_range,
            }
        }
        ref other => {
            return Err(OnnxError::Unsupported {
                node: src.name.into(),
                op: format!("Reduce<{other:?}>"),
            });
        }
    };
    Ok(Slot::Act(v))
}

/// Softmax along one axis, in integers:
/// `d = x - max(x)`; `e = ExpTable(d)` in `[0, 2^E]`; `s = sum(e)`; `p = round_half_up(e * 2^F / s)`.
pub(crate) fn softmax(
    ctx: &mut Ctx,
    src: &Src,
    s: &Softmax,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    if s.kind != SoftmaxKind::Softmax || s.axes.len() != 1 || s.quant_output_dt.is_some() {
        return Err(src.bad(format!(
            "softmax {:?} over axes {:?} (single-axis Softmax only)",
            s.kind, s.axes
        )));
    }
    let axis = s.axes[0];
    let x = act_of(src, &ins[0])?;
    let x = ctx.act(src, x)?;
    let (sx, bx) = ctx.sb(x);
    let shape = ctx.shape(x);
    // The import refuses such a model first; this keeps the quantizer from indexing out of range
    // whatever graph it is handed.
    if axis >= shape.len() {
        return Err(src.bad(format!(
            "softmax axis {axis} is out of range for a rank-{} input",
            shape.len()
        )));
    }
    let (e_bits, f_bits) = (ctx.cfg.softmax_exp_bits, ctx.cfg.softmax_out_bits);
    let mut red = shape.clone();
    red[axis] = 1;
    let mx = ctx.b.push(
        &src.step("max"),
        Op::ReduceMax { axes: vec![axis] },
        vec![x.id],
        red.clone(),
        sx,
    )?;
    let d = ctx.b.push(
        &src.step("sub_max"),
        Op::Add { coeffs: [1, -1] },
        vec![x.id, mx],
        shape.clone(),
        sx,
    )?;
    // Below -cut the exp rounds to 0 at 2^E, so the table stops there (inputs below are clamped).
    let cut = ((e_bits as f64 + 1.0) * std::f64::consts::LN_2 / sx).ceil() as i64;
    let depth = (2 * bx).min(cut).min(65535);
    let one = (1i64 << e_bits) as f64;
    let values: Vec<i64> = (-depth..=0)
        .map(|i| ((i as f64 * sx).exp() * one + 0.5).floor() as i64)
        .collect();
    let table = Table {
        func: TableFn::Exp,
        in_scale: sx,
        out_scale: 1.0 / one,
        in_min: -depth,
        values,
    };
    let e = ctx.b.push(
        &src.step("exp"),
        Op::Lookup(table),
        vec![d],
        shape.clone(),
        1.0 / one,
    )?;
    let sum = ctx.b.push(
        &src.step("sum"),
        Op::ReduceSum { axes: vec![axis] },
        vec![e],
        red,
        1.0 / one,
    )?;
    let out_scale = 1.0 / (1i64 << f_bits) as f64;
    let id = ctx.b.push(
        &src.step("div"),
        Op::DivRound { shift: f_bits },
        vec![e, sum],
        shape,
        out_scale,
    )?;
    Ok(Slot::Act(Val {
        id,
        range: src.out_range,
    }))
}
