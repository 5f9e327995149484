//! EinSum (Gemm, MatMul) and Conv.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::cnn::{Conv, KernelFormat};
use tract_onnx::tract_core::ops::einsum::EinSum;
use tract_onnx::tract_core::ops::nn::DataFormat;
use zkinfer_ir::{BOUND_LIMIT, Op};

use super::act::{konst_f64, quantize_weights};
use super::layout::{permute, reshape};
use super::{Ctx, Slot, Src, Val};
use crate::error::OnnxError;

/// Parses tract's `"amk,kn->amn"` notation into per-input label lists and the output labels.
fn parse_axes(s: &str) -> Option<(Vec<Vec<char>>, Vec<char>)> {
    let (ins, out) = s.split_once("->")?;
    Some((
        ins.split(',').map(|x| x.chars().collect()).collect(),
        out.chars().collect(),
    ))
}

fn perm_to(from: &[char], to: &[char]) -> Option<Vec<usize>> {
    to.iter()
        .map(|c| from.iter().position(|x| x == c))
        .collect()
}

/// The largest row L1 norm any weights of the bit width could have: fan-in x the width's maximum.
/// The input is narrowed to fit the field by this number, which is what the verifier derives from
/// the key's widths (`zkinfer_ir::bounds`): the actual weights never decide a published bound.
fn row_norm_cap(k: usize, weight_max: i64) -> i64 {
    (k as i64).saturating_mul(weight_max).max(1)
}

/// Matrix products: a tensor times a constant matrix becomes `Dense`; two tensors become `MatMul`.
pub(crate) fn einsum(
    ctx: &mut Ctx,
    src: &Src,
    e: &EinSum,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    let expr = e.axes.to_string();
    let (labels, out) = parse_axes(&expr).ok_or_else(|| src.bad(format!("einsum {expr}")))?;
    if labels.len() != 2 || ins.len() != 2 {
        return Err(src.bad(format!(
            "einsum {expr}: only two-operand products are supported"
        )));
    }
    match (&ins[0], &ins[1]) {
        (Slot::Act(x), Slot::Konst(w)) => dense(ctx, src, *x, &labels[0], w, &labels[1], &out),
        (Slot::Konst(w), Slot::Act(x)) => dense(ctx, src, *x, &labels[1], w, &labels[0], &out),
        (Slot::Act(a), Slot::Act(b)) => matmul(ctx, src, (*a, &labels[0]), (*b, &labels[1]), &out),
        _ => Err(src.bad("einsum of two constants")),
    }
}

fn dense(
    ctx: &mut Ctx,
    src: &Src,
    x: Val,
    lx: &[char],
    w: &Tensor,
    lw: &[char],
    out: &[char],
) -> Result<Slot, OnnxError> {
    let fail = || src.bad(format!("einsum {lx:?},{lw:?}->{out:?}: unsupported layout"));
    let k = *lw
        .iter()
        .find(|c| lx.contains(c) && !out.contains(c))
        .ok_or_else(fail)?;
    let n = *lw.iter().find(|&&c| c != k).ok_or_else(fail)?;
    if lw.len() != 2 || lx.contains(&n) || lx.iter().filter(|&&c| c == k).count() != 1 {
        return Err(fail());
    }
    // Weight as [N, K] row-major.
    let wv = konst_f64(src, w)?;
    let (ws0, ws1) = (w.shape()[0], w.shape()[1]);
    let (nn, kk) = if lw[0] == n { (ws0, ws1) } else { (ws1, ws0) };
    let w_nk: Vec<f64> = if lw[0] == n {
        wv
    } else {
        (0..nn * kk).map(|i| wv[(i % kk) * nn + i / kk]).collect()
    };
    let (wq, wscale) = quantize_weights(&w_nk, ctx.cfg.weight_max());
    let row_max = row_norm_cap(kk, ctx.cfg.weight_max());
    // Move the contracted axis last.
    let mut rest: Vec<char> = lx.iter().copied().filter(|&c| c != k).collect();
    let mut order = rest.clone();
    order.push(k);
    let x = ctx.act(src, x)?;
    let x = ctx.narrow(src, x, (BOUND_LIMIT / 2) / row_max)?;
    let x = permute(ctx, src, x, &perm_to(lx, &order).ok_or_else(fail)?)?;
    let mut shape = ctx.shape(x);
    *shape.last_mut().ok_or_else(fail)? = nn;
    let xs = ctx.sb(x).0;
    let op = Op::Dense {
        weight: wq,
        in_features: kk,
        out_features: nn,
    };
    let id = ctx
        .b
        .push(&src.step("dense"), op, vec![x.id], shape, xs * wscale)?;
    rest.push(n);
    let v = permute(
        ctx,
        src,
        Val {
            id,
            range: src.out_range,
        },
        &perm_to(&rest, out).ok_or_else(fail)?,
    )?;
    Ok(Slot::Act(v))
}

fn matmul(
    ctx: &mut Ctx,
    src: &Src,
    a: (Val, &[char]),
    b: (Val, &[char]),
    out: &[char],
) -> Result<Slot, OnnxError> {
    let ((va, la), (vb, lb)) = (a, b);
    let fail = |d: &str| src.bad(format!("einsum {la:?},{lb:?}->{out:?}: {d}"));
    let ks: Vec<char> = la
        .iter()
        .copied()
        .filter(|c| lb.contains(c) && !out.contains(c))
        .collect();
    let batch: Vec<char> = la
        .iter()
        .copied()
        .filter(|c| lb.contains(c) && out.contains(c))
        .collect();
    let ms: Vec<char> = la.iter().copied().filter(|c| !lb.contains(c)).collect();
    let ns: Vec<char> = lb.iter().copied().filter(|c| !la.contains(c)).collect();
    if ks.len() != 1 || ms.iter().chain(&ns).any(|c| !out.contains(c)) {
        return Err(fail(
            "needs exactly one contracted axis and no summed free axis",
        ));
    }
    let (sa, sb) = (ctx.shape(va), ctx.shape(vb));
    let dim = |s: &[usize], l: &[char], c: char| {
        l.iter().position(|&x| x == c).map(|i| s[i]).unwrap_or(1)
    };
    if batch.iter().any(|&c| dim(&sa, la, c) != dim(&sb, lb, c)) {
        return Err(fail("broadcast batch axes"));
    }
    let kdim = dim(&sa, la, ks[0]);
    let bsz: usize = batch.iter().map(|&c| dim(&sa, la, c)).product();
    let msz: usize = ms.iter().map(|&c| dim(&sa, la, c)).product();
    let nsz: usize = ns.iter().map(|&c| dim(&sb, lb, c)).product();
    let (va, vb) = ctx.fit_product(src, va, vb, kdim as i64)?;
    let a_order: Vec<char> = batch.iter().chain(&ms).chain(&ks).copied().collect();
    let b_order: Vec<char> = batch.iter().chain(&ks).chain(&ns).copied().collect();
    let va = permute(
        ctx,
        src,
        va,
        &perm_to(la, &a_order).ok_or_else(|| fail("axes"))?,
    )?;
    let vb = permute(
        ctx,
        src,
        vb,
        &perm_to(lb, &b_order).ok_or_else(|| fail("axes"))?,
    )?;
    let va = reshape(ctx, src, va, vec![bsz, msz, kdim])?;
    let vb = reshape(ctx, src, vb, vec![bsz, kdim, nsz])?;
    let scale = ctx.sb(va).0 * ctx.sb(vb).0;
    let id = ctx.b.push(
        &src.step("matmul"),
        Op::MatMul,
        vec![va.id, vb.id],
        vec![bsz, msz, nsz],
        scale,
    )?;
    let got: Vec<char> = batch.iter().chain(&ms).chain(&ns).copied().collect();
    let got_shape: Vec<usize> = got
        .iter()
        .map(|&c| {
            if la.contains(&c) {
                dim(&sa, la, c)
            } else {
                dim(&sb, lb, c)
            }
        })
        .collect();
    let v = reshape(
        ctx,
        src,
        Val {
            id,
            range: src.out_range,
        },
        got_shape,
    )?;
    let v = permute(
        ctx,
        src,
        v,
        &perm_to(&got, out).ok_or_else(|| fail("axes"))?,
    )?;
    Ok(Slot::Act(v))
}

/// 2-D (or 1-D, as height 1) convolution in NCHW with an OIHW kernel.
pub(crate) fn conv(ctx: &mut Ctx, src: &Src, c: &Conv, ins: &[Slot]) -> Result<Slot, OnnxError> {
    let ps = &c.pool_spec;
    if ps.data_format != DataFormat::NCHW
        || c.kernel_fmt != KernelFormat::OIHW
        || c.q_params.is_some()
    {
        return Err(src.bad(format!(
            "layout {:?}/{:?} (only NCHW with OIHW kernels)",
            ps.data_format, c.kernel_fmt
        )));
    }
    let (x, w, bias) = match ins {
        [Slot::Act(x), Slot::Konst(w), Slot::Konst(b)] => (*x, w.clone(), b.clone()),
        _ => return Err(src.bad("kernel and bias must be constants")),
    };
    let xshape = ctx.shape(x);
    let geo = xshape
        .len()
        .checked_sub(2)
        .ok_or_else(|| src.bad("input rank"))?;
    if !(1..=2).contains(&geo) {
        return Err(src.bad(format!("{geo}-D convolution (1-D and 2-D supported)")));
    }
    let hw = &xshape[2..];
    let padding = ps.computed_padding(hw);
    let pad = |i: usize| (padding[i].pad_before, padding[i].pad_after);
    let (strides, dil) = (ps.strides(), ps.dilations());
    let wshape = w.shape().to_vec();
    // 1-D: treat as height 1.
    let (ks, pads, st, dl) = if geo == 1 {
        (
            [wshape[0], wshape[1], 1, wshape[2]],
            [0, pad(0).0, 0, pad(0).1],
            [1, strides[0]],
            [1, dil[0]],
        )
    } else {
        (
            [wshape[0], wshape[1], wshape[2], wshape[3]],
            [pad(0).0, pad(1).0, pad(0).1, pad(1).1],
            [strides[0], strides[1]],
            [dil[0], dil[1]],
        )
    };
    let wv = konst_f64(src, &w)?;
    let (wq, wscale) = quantize_weights(&wv, ctx.cfg.weight_max());
    let per_out = ks[1] * ks[2] * ks[3];
    let row_max = row_norm_cap(per_out, ctx.cfg.weight_max());
    let x = ctx.act(src, x)?;
    let x = ctx.narrow(src, x, (BOUND_LIMIT / 4) / row_max)?;
    let bv = konst_f64(src, &bias)?;
    // A bias far larger than the products would not fit at the accumulator scale: coarsen the input
    // until |bias| / (sx * sw) stays below a quarter of the field bound.
    let bmax = bv.iter().fold(0f64, |a, b| a.max(b.abs()));
    let needed_sx = bmax / (wscale * (BOUND_LIMIT / 8) as f64);
    let x = if ctx.sb(x).0 < needed_sx {
        let max_int = ((ctx.sb(x).0 * ctx.sb(x).1 as f64) / needed_sx)
            .floor()
            .max(1.0) as i64;
        ctx.narrow(src, x, max_int)?
    } else {
        x
    };
    let x = if geo == 1 {
        reshape(ctx, src, x, vec![xshape[0], xshape[1], 1, xshape[2]])?
    } else {
        x
    };
    let acc_scale = ctx.sb(x).0 * wscale;
    let bias_q: Vec<i64> = match bv.len() {
        0 => vec![0; ks[0]],
        1 => vec![(bv[0] / acc_scale + 0.5).floor() as i64; ks[0]],
        n if n == ks[0] => bv
            .iter()
            .map(|&b| (b / acc_scale + 0.5).floor() as i64)
            .collect(),
        n => return Err(src.bad(format!("{n} biases for {} output channels", ks[0]))),
    };
    if bias_q.iter().any(|b| b.abs() >= BOUND_LIMIT / 4) {
        return Err(src.bad("bias too large relative to the accumulator scale"));
    }
    let out = &src.out_shape;
    let shape4 = if geo == 1 {
        vec![out[0], out[1], 1, out[2]]
    } else {
        out.clone()
    };
    let op = Op::Conv2d {
        weight: wq,
        weight_shape: ks,
        bias: bias_q,
        strides: st,
        dilations: dl,
        pads,
        group: c.group,
    };
    let id = ctx
        .b
        .push(&src.step("conv"), op, vec![x.id], shape4, acc_scale)?;
    let v = Val {
        id,
        range: src.out_range,
    };
    let v = if geo == 1 {
        reshape(ctx, src, v, out.clone())?
    } else {
        v
    };
    Ok(Slot::Act(v))
}
