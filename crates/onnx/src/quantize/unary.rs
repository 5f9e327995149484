//! Element-wise functions as lookup tables over the quantized input domain.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::element_wise::ElementWiseOp;
use zkinfer_ir::{Op, Table, TableFn};

use super::act::{act_of, scale_for};
use super::{Ctx, Slot, Src, Val};
use crate::error::OnnxError;

/// Every element-wise op becomes a table; its values come from tract's own implementation of the op so
/// the integer model follows the float semantics exactly on the grid. Square is an exact product.
pub(crate) fn element_wise(
    ctx: &mut Ctx,
    src: &Src,
    e: &ElementWiseOp,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    let x = act_of(src, &ins[0])?;
    let name = e.0.name();
    if name == "Square" {
        let (a, b) = ctx.fit_product(src, x, x, 1)?;
        let scale = ctx.sb(a).0 * ctx.sb(b).0;
        let id = ctx.b.push(
            &src.step("square"),
            Op::Mul,
            vec![a.id, b.id],
            src.out_shape.clone(),
            scale,
        )?;
        return Ok(Slot::Act(Val {
            id,
            range: src.out_range,
        }));
    }
    let func = match name.as_str() {
        "Sigmoid" => TableFn::Sigmoid,
        "Tanh" => TableFn::Tanh,
        "Erf" => TableFn::Erf,
        "Exp" => TableFn::Exp,
        "Rsqrt" => TableFn::Rsqrt { eps: 0.0 },
        "Sqrt" => TableFn::Sqrt,
        "Recip" => TableFn::Recip,
        "Ln" => TableFn::Log,
        "Abs" => TableFn::Abs,
        "Neg" => TableFn::Neg,
        "GeluExact" => TableFn::Gelu,
        _ => TableFn::Other(format!("{:?}", e.0)),
    };
    let x = ctx.act(src, x)?;
    let (sx, bx) = ctx.sb(x);
    let grid: Vec<f32> = (-bx..=bx).map(|i| (i as f64 * sx) as f32).collect();
    let t = Tensor::from_shape(&[grid.len()], &grid).map_err(|e| src.bad(e.to_string()))?;
    // tract implements most mini-ops in place only; fall back to out of place.
    let mut inplace = t.clone();
    let y = match e.0.eval_in_place(&mut inplace, None) {
        Ok(()) => inplace,
        Err(_) => {
            e.0.eval_out_of_place(&t, None)
                .map_err(|err| src.bad(format!("tabulating {name}: {err}")))?
        }
    };
    let y = y.cast_to::<f32>().map_err(|err| src.bad(err.to_string()))?;
    let ys: Vec<f64> = y
        .to_plain_array_view::<f32>()
        .map_err(|e| src.bad(e.to_string()))?
        .iter()
        .map(|&v| v as f64)
        .collect();
    let v = push_table(ctx, src, x, func, ys)?;
    Ok(Slot::Act(v))
}

/// A table of `f` (applied to real inputs) over `x`'s domain; `fallback` replaces non-finite outputs.
pub(crate) fn table(
    ctx: &mut Ctx,
    src: &Src,
    x: Val,
    func: TableFn,
    f: impl Fn(f64) -> f64,
    intermediate: bool,
) -> Result<Val, OnnxError> {
    let x = ctx.act(src, x)?;
    let (sx, bx) = ctx.sb(x);
    let ys: Vec<f64> = (-bx..=bx)
        .map(|i| f(i as f64 * sx))
        .map(|y| if y.is_finite() { y } else { 0.0 })
        .collect();
    if !intermediate {
        return push_table(ctx, src, x, func, ys);
    }
    // No calibrated range for a step inside a node (the reciprocal of a divisor): take the largest
    // output over inputs between 1/16 of the divisor's calibrated range and the table's end.
    let lo = x.range / 16.0;
    let range = (-bx..=bx)
        .zip(&ys)
        .filter(|(i, _)| (*i as f64 * sx).abs() >= lo)
        .fold(0f64, |a, (_, y)| a.max(y.abs()));
    let inner = Src {
        name: src.name,
        op: src.op,
        node: src.node,
        out_shape: src.out_shape.clone(),
        out_range: range,
    };
    push_table(ctx, &inner, x, func, ys)
}

fn push_table(
    ctx: &mut Ctx,
    src: &Src,
    x: Val,
    func: TableFn,
    ys: Vec<f64>,
) -> Result<Val, OnnxError> {
    let (sx, bx) = ctx.sb(x);
    let amax = ctx.cfg.act_max();
    // Output scale from the calibrated range, but never so fine that finite table values clip
    // needlessly when calibration saw a narrower range than the table spans.
    let out_scale = scale_for(src.out_range, amax);
    let values = ys
        .iter()
        .map(|&y| {
            if y.is_nan() {
                0
            } else {
                zkinfer_ir::quantize_value(y, out_scale, amax)
            }
        })
        .collect();
    let table = Table {
        func,
        in_scale: sx,
        out_scale,
        in_min: -bx,
        values,
    };
    let id = ctx.b.push(
        &src.step("table"),
        Op::Lookup(table),
        vec![x.id],
        ctx.shape(x),
        out_scale,
    )?;
    Ok(Val {
        id,
        range: src.out_range,
    })
}
