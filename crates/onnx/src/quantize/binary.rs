//! Element-wise binary ops: Add, Sub, Mul, Div, Max, Min, Pow.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::binary::TypedBinOp;
use zkinfer_ir::{BOUND_LIMIT, Op, TableFn};

use super::act::{konst_at, konst_f64, quantize_weights};
use super::unary::table;
use super::{Ctx, Slot, Src, Val};
use crate::error::OnnxError;

/// Dispatches on the binary mini-op's name.
pub(crate) fn bin(
    ctx: &mut Ctx,
    src: &Src,
    b: &TypedBinOp,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    let name = b.0.name().to_string();
    let v = match (name.as_str(), &ins[0], &ins[1]) {
        ("Add", Slot::Act(a), Slot::Act(c)) => add(ctx, src, *a, *c, 1)?,
        ("Sub", Slot::Act(a), Slot::Act(c)) => add(ctx, src, *a, *c, -1)?,
        ("Add", Slot::Act(a), Slot::Konst(k)) | ("Add", Slot::Konst(k), Slot::Act(a)) => {
            add_konst(ctx, src, *a, k, [1, 1])?
        }
        ("Sub", Slot::Act(a), Slot::Konst(k)) => add_konst(ctx, src, *a, k, [1, -1])?,
        ("Sub", Slot::Konst(k), Slot::Act(a)) => add_konst(ctx, src, *a, k, [-1, 1])?,
        ("Mul", Slot::Act(a), Slot::Act(c)) => mul(ctx, src, *a, *c)?,
        ("Mul", Slot::Act(a), Slot::Konst(k)) | ("Mul", Slot::Konst(k), Slot::Act(a)) => {
            let vals = konst_f64(src, k)?;
            mul_konst(ctx, src, *a, k, vals)?
        }
        ("Div", Slot::Act(a), Slot::Konst(k)) => {
            let vals = konst_f64(src, k)?;
            if vals.contains(&0.0) {
                return Err(src.bad("division by a constant zero"));
            }
            mul_konst(ctx, src, *a, k, vals.iter().map(|v| 1.0 / v).collect())?
        }
        ("Div", Slot::Act(a), Slot::Act(d)) => {
            let r = table(ctx, src, *d, TableFn::Recip, |x| 1.0 / x, true)?;
            mul(ctx, src, *a, r)?
        }
        ("Max" | "Min", Slot::Act(a), Slot::Konst(k))
        | ("Max" | "Min", Slot::Konst(k), Slot::Act(a)) => clamp(ctx, src, *a, k, name == "Max")?,
        ("Pow", Slot::Act(a), Slot::Konst(k)) => pow(ctx, src, *a, k)?,
        _ => {
            let op = format!("{name} of {} and {}", kind(&ins[0]), kind(&ins[1]));
            return Err(OnnxError::Unsupported {
                node: src.name.into(),
                op,
            });
        }
    };
    Ok(Slot::Act(v))
}

fn kind(s: &Slot) -> &'static str {
    match s {
        Slot::Act(_) => "a tensor",
        Slot::Konst(_) => "a constant",
    }
}

/// `a + sign * c` for two tensors: both are expressed at a common finer scale `max(sa, sb) / 2^p` by
/// integer coefficients, with `p` as large as the field allows (at most 20).
fn add(ctx: &mut Ctx, src: &Src, a: Val, c: Val, sign: i64) -> Result<Val, OnnxError> {
    let (a, c) = (ctx.act(src, a)?, ctx.act(src, c)?);
    let ((sa, ba), (sc, bc)) = (ctx.sb(a), ctx.sb(c));
    let smax = sa.max(sc);
    let coeffs = (0..=20)
        .rev()
        .map(|p| {
            let unit = smax / 2f64.powi(p);
            ((sa / unit).round() as i64, (sc / unit).round() as i64, unit)
        })
        .find(|&(ca, cc, _)| {
            ca >= 1
                && cc >= 1
                && (ca as i128 * ba as i128 + cc as i128 * bc as i128) < (BOUND_LIMIT / 4) as i128
        })
        .ok_or_else(|| src.bad("operands too wide to add in the field"))?;
    let (ca, cc, unit) = coeffs;
    let shape = src.out_shape.clone();
    let id = ctx.b.push(
        &src.step("add"),
        Op::Add {
            coeffs: [ca, sign * cc],
        },
        vec![a.id, c.id],
        shape,
        unit,
    )?;
    Ok(Val {
        id,
        range: src.out_range,
    })
}

/// `coeffs[0] * a + coeffs[1] * k` with the constant quantized at `a`'s scale (exact bias addition for
/// accumulators).
fn add_konst(
    ctx: &mut Ctx,
    src: &Src,
    a: Val,
    k: &Tensor,
    coeffs: [i64; 2],
) -> Result<Val, OnnxError> {
    let (sa, _) = ctx.sb(a);
    let kv = konst_at(ctx, src, k, sa, "const")?;
    let id = ctx.b.push(
        &src.step("add"),
        Op::Add { coeffs },
        vec![a.id, kv.id],
        src.out_shape.clone(),
        sa,
    )?;
    Ok(Val {
        id,
        range: src.out_range,
    })
}

fn mul(ctx: &mut Ctx, src: &Src, a: Val, c: Val) -> Result<Val, OnnxError> {
    let (a, c) = ctx.fit_product(src, a, c, 1)?;
    let scale = ctx.sb(a).0 * ctx.sb(c).0;
    let id = ctx.b.push(
        &src.step("mul"),
        Op::Mul,
        vec![a.id, c.id],
        src.out_shape.clone(),
        scale,
    )?;
    Ok(Val {
        id,
        range: src.out_range,
    })
}

/// Multiplication by constants `vals` (shape of `k`): a positive scalar folds into the scale; anything
/// else is a weight tensor of `weight_bits`.
fn mul_konst(
    ctx: &mut Ctx,
    src: &Src,
    a: Val,
    k: &Tensor,
    vals: Vec<f64>,
) -> Result<Val, OnnxError> {
    let (sa, _) = ctx.sb(a);
    let first = vals.first().copied().unwrap_or(0.0);
    if first > 0.0 && vals.iter().all(|&v| v == first) && ctx.shape(a) == src.out_shape {
        return ctx.rescaled(src, a, sa * first, src.out_range);
    }
    let (q, sk) = quantize_weights(&vals, ctx.cfg.weight_max());
    let kmax = q.iter().map(|v| v.abs()).max().unwrap_or(0).max(1);
    let a = ctx.act(src, a)?;
    let a = ctx.narrow(src, a, (BOUND_LIMIT / 2) / kmax)?;
    let kid = ctx.b.push(
        &src.step("const"),
        Op::Const { values: q },
        vec![],
        k.shape().to_vec(),
        sk,
    )?;
    let scale = ctx.sb(a).0 * sk;
    let id = ctx.b.push(
        &src.step("mul"),
        Op::Mul,
        vec![a.id, kid],
        src.out_shape.clone(),
        scale,
    )?;
    Ok(Val {
        id,
        range: src.out_range,
    })
}

/// `max(a, c)` / `min(a, c)` with a scalar constant: a comparison (ReLU, Clip).
fn clamp(ctx: &mut Ctx, src: &Src, a: Val, k: &Tensor, is_max: bool) -> Result<Val, OnnxError> {
    let vals = konst_f64(src, k)?;
    let c = vals[0];
    if vals.iter().any(|&v| v != c) || ctx.shape(a) != src.out_shape {
        return Err(OnnxError::Unsupported {
            node: src.name.into(),
            op: "Max/Min with a non-scalar constant".into(),
        });
    }
    let (sa, ba) = ctx.sb(a);
    let cq = ((c / sa + 0.5).floor()).clamp(-(ba as f64), ba as f64) as i64;
    let (min, max) = if is_max { (cq, ba) } else { (-ba, cq) };
    let id = ctx.b.push(
        &src.step("clamp"),
        Op::Clamp { min, max },
        vec![a.id],
        src.out_shape.clone(),
        sa,
    )?;
    Ok(Val {
        id,
        range: src.out_range,
    })
}

/// `a ^ p` for a scalar constant: squares exactly, other exponents by table.
fn pow(ctx: &mut Ctx, src: &Src, a: Val, k: &Tensor) -> Result<Val, OnnxError> {
    let vals = konst_f64(src, k)?;
    let p = vals[0];
    if vals.iter().any(|&v| v != p) {
        return Err(OnnxError::Unsupported {
            node: src.name.into(),
            op: "Pow with a tensor exponent".into(),
        });
    }
    if p == 1.0 {
        return Ok(a);
    }
    if p == 2.0 {
        return mul(ctx, src, a, a);
    }
    table(ctx, src, a, TableFn::Pow { p }, move |x| x.powf(p), false)
}
