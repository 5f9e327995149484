//! Pure index maps (reshape, transpose, slice, concat, pad, broadcast) and pass-through ops.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops;
use tract_onnx::tract_core::ops::array::{Pad, PadMode, Slice, TypedConcat};
use tract_onnx::tract_core::ops::change_axes::AxisOp;
use zkinfer_ir::{Op, Requant, choose_requant};

use super::act::{act_of, konst_at, konst_f64};
use super::{Ctx, Slot, Src, Val};
use crate::error::OnnxError;

/// Transposes unless `perm` is the identity.
pub(crate) fn permute(ctx: &mut Ctx, src: &Src, v: Val, perm: &[usize]) -> Result<Val, OnnxError> {
    if perm.iter().enumerate().all(|(i, &p)| i == p) {
        return Ok(v);
    }
    let (scale, _) = ctx.sb(v);
    let s = ctx.shape(v);
    let mut seen = vec![false; s.len()];
    if perm.len() != s.len()
        || perm
            .iter()
            .any(|&p| p >= s.len() || std::mem::replace(&mut seen[p], true))
    {
        return Err(src.bad(format!(
            "perm {perm:?} is not a permutation of the {} axes",
            s.len()
        )));
    }
    let shape: Vec<usize> = perm.iter().map(|&p| s[p]).collect();
    let id = ctx.b.push(
        &src.step("transpose"),
        Op::Transpose {
            perm: perm.to_vec(),
        },
        vec![v.id],
        shape,
        scale,
    )?;
    Ok(Val { id, range: v.range })
}

/// Reshapes unless the shape is already `shape`.
pub(crate) fn reshape(
    ctx: &mut Ctx,
    src: &Src,
    v: Val,
    shape: Vec<usize>,
) -> Result<Val, OnnxError> {
    if ctx.shape(v) == shape {
        return Ok(v);
    }
    let (scale, _) = ctx.sb(v);
    let id = ctx
        .b
        .push(&src.step("reshape"), Op::Reshape, vec![v.id], shape, scale)?;
    Ok(Val { id, range: v.range })
}

fn unsupported(src: &Src) -> OnnxError {
    let detail = format!("{:?}", src.node.op);
    let short: String = detail.chars().take(80).collect();
    OnnxError::Unsupported {
        node: src.name.to_string(),
        op: format!("{} ({short})", src.op),
    }
}

/// Layout ops and pass-throughs; anything else is unsupported.
pub(crate) fn layout(ctx: &mut Ctx, src: &Src, ins: &[Slot]) -> Result<Slot, OnnxError> {
    let out = src.out_shape.clone();
    if let Some(a) = src.node.op_as::<AxisOp>() {
        let x = act_of(src, &ins[0])?;
        let v = match a {
            &AxisOp::Move(from, to) => {
                let rank = ctx.shape(x).len();
                if from >= rank || to >= rank {
                    return Err(src.bad(format!("axis move {from} -> {to} on a rank-{rank} input")));
                }
                let mut perm: Vec<usize> = (0..rank).collect();
                let ax = perm.remove(from);
                perm.insert(to, ax);
                permute(ctx, src, x, &perm)?
            }
            _ => reshape(ctx, src, x, out)?,
        };
        return Ok(Slot::Act(v));
    }
    if src.node.op_is::<ops::identity::Identity>() {
        return Ok(ins[0].clone());
    }
    if let Some(c) = src.node.op_as::<ops::cast::Cast>() {
        if c.to == f32::datum_type() {
            return Ok(ins[0].clone());
        }
        return Err(unsupported(src));
    }
    if let Some(s) = src.node.op_as::<Slice>() {
        let x = act_of(src, &ins[0])?;
        let (start, end) = (s.start.to_i64(), s.end.to_i64());
        let (Ok(start), Ok(end)) = (start, end) else {
            return Err(src.bad("symbolic slice bounds"));
        };
        let (start, end) = (start.max(0) as usize, end.max(0) as usize);
        let scale = ctx.sb(x).0;
        let op = Op::Slice {
            axis: s.axis,
            start,
            end,
            step: 1,
        };
        let id = ctx.b.push(&src.step("slice"), op, vec![x.id], out, scale)?;
        return Ok(Slot::Act(Val {
            id,
            range: src.out_range,
        }));
    }
    if let Some(ss) = src.node.op_as::<ops::array::StridedSlice>() {
        return strided_slice(ctx, src, ss, ins);
    }
    if let Some(p) = src.node.op_as::<Pad>() {
        let x = act_of(src, &ins[0])?;
        let PadMode::Constant(c) = &p.mode else {
            return Err(src.bad(format!("pad mode {:?} (only constant)", p.mode)));
        };
        let scale = ctx.sb(x).0;
        let cv = konst_f64(src, c.as_ref())?.first().copied().unwrap_or(0.0);
        let value = (cv / scale + 0.5).floor() as i64;
        let pads = p.pads.iter().map(|&(a, b)| [a, b]).collect();
        let id = ctx.b.push(
            &src.step("pad"),
            Op::Pad { pads, value },
            vec![x.id],
            out,
            scale,
        )?;
        return Ok(Slot::Act(Val {
            id,
            range: src.out_range,
        }));
    }
    if let Some(c) = src.node.op_as::<TypedConcat>() {
        return concat(ctx, src, c.axis, ins);
    }
    if src.node.op_is::<ops::array::MultiBroadcastTo>() {
        let x = act_of(src, &ins[0])?;
        let (scale, _) = ctx.sb(x);
        let zeros = Op::Const {
            values: vec![0; out.iter().product()],
        };
        let z = ctx
            .b
            .push(&src.step("zeros"), zeros, vec![], out.clone(), scale)?;
        let id = ctx.b.push(
            &src.step("broadcast"),
            Op::Add { coeffs: [1, 1] },
            vec![x.id, z],
            out,
            scale,
        )?;
        return Ok(Slot::Act(Val {
            id,
            range: src.out_range,
        }));
    }
    Err(unsupported(src))
}

/// Concatenation: every part is brought to the coarsest part's scale (requantized by `m / 2^s`, whose
/// relative error is below 2^-16), constants are quantized at that scale.
fn concat(ctx: &mut Ctx, src: &Src, axis: usize, ins: &[Slot]) -> Result<Slot, OnnxError> {
    let mut acts = vec![];
    for s in ins {
        if let Slot::Act(v) = s {
            acts.push(ctx.act(src, *v)?);
        }
    }
    let target = acts.iter().map(|v| ctx.sb(*v).0).fold(0f64, f64::max);
    if target == 0.0 {
        return Err(src.bad("concat of constants only"));
    }
    let amax = ctx.cfg.act_max();
    let mut parts = vec![];
    let mut acts = acts.into_iter();
    for (i, s) in ins.iter().enumerate() {
        let v = match s {
            Slot::Konst(k) => konst_at(ctx, src, k, target, &format!("part{i}"))?,
            Slot::Act(_) => {
                let v = acts.next().expect("one act per Act slot");
                let (scale, bound) = ctx.sb(v);
                if scale == target {
                    v
                } else {
                    let (m, sh) = choose_requant(bound, scale / target, 16)
                        .ok_or_else(|| src.bad("concat rescale"))?;
                    let r = Requant {
                        multiplier: m,
                        shift: sh,
                        min: -amax,
                        max: amax,
                    };
                    let shape = ctx.shape(v);
                    let id = ctx.b.push(
                        &src.step("align"),
                        Op::Requant(r),
                        vec![v.id],
                        shape,
                        target,
                    )?;
                    Val { id, range: v.range }
                }
            }
        };
        parts.push(v.id);
    }
    let id = ctx.b.push(
        &src.step("concat"),
        Op::Concat { axis },
        parts,
        src.out_shape.clone(),
        target,
    )?;
    Ok(Slot::Act(Val {
        id,
        range: src.out_range,
    }))
}

fn konst_ints(src: &Src, s: Option<&Slot>) -> Result<Option<Vec<i64>>, OnnxError> {
    match s {
        None => Ok(None),
        Some(Slot::Konst(t)) => {
            let t = t.cast_to::<i64>().map_err(|e| src.bad(e.to_string()))?;
            let v = t
                .to_plain_array_view::<i64>()
                .map_err(|e| src.bad(e.to_string()))?;
            Ok(Some(v.iter().copied().collect()))
        }
        Some(Slot::Act(_)) => Err(src.bad("slice bounds must be constants")),
    }
}

/// ONNX Slice (tract's StridedSlice with constant starts/ends/axes/steps, positive steps): one IR
/// Slice per axis, with ONNX's negative-index and clamping rules.
fn strided_slice(
    ctx: &mut Ctx,
    src: &Src,
    ss: &ops::array::StridedSlice,
    ins: &[Slot],
) -> Result<Slot, OnnxError> {
    if ss.begin_mask != 0 || ss.end_mask != 0 || ss.shrink_axis_mask != 0 {
        return Err(src.bad("masked strided slice"));
    }
    let mut x = act_of(src, &ins[0])?;
    let begins = konst_ints(src, ins.get(1))?.unwrap_or_default();
    let ends = konst_ints(src, ins.get(2))?.unwrap_or_default();
    let axes = konst_ints(src, ss.optional_axes_input.and_then(|i| ins.get(i)))?;
    let steps = konst_ints(src, ss.optional_steps_input.and_then(|i| ins.get(i)))?;
    let rank = ctx.shape(x).len() as i64;
    for (i, (&b, &e)) in begins.iter().zip(&ends).enumerate() {
        let axis = axes
            .as_ref()
            .and_then(|a| a.get(i).copied())
            .unwrap_or(i as i64);
        let axis = if axis < 0 { axis + rank } else { axis };
        let step = steps.as_ref().and_then(|s| s.get(i).copied()).unwrap_or(1);
        if axis < 0 || axis >= rank || step <= 0 {
            return Err(src.bad(format!(
                "slice axis {axis} step {step} (positive steps only)"
            )));
        }
        let mut shape = ctx.shape(x);
        let dim = shape[axis as usize] as i64;
        let norm = |v: i64| (if v < 0 { v + dim } else { v }).clamp(0, dim) as usize;
        let (start, end) = (norm(b), norm(e).max(norm(b)));
        let step = step as usize;
        if (start, end, step) == (0, dim as usize, 1) {
            continue;
        }
        shape[axis as usize] = (end - start).div_ceil(step);
        let scale = ctx.sb(x).0;
        let op = Op::Slice {
            axis: axis as usize,
            start,
            end,
            step,
        };
        let id = ctx
            .b
            .push(&src.step("slice"), op, vec![x.id], shape, scale)?;
        x = Val {
            id,
            range: src.out_range,
        };
    }
    if ctx.shape(x) != src.out_shape {
        return Err(src.bad(format!(
            "slice gives {:?}, tract expects {:?}",
            ctx.shape(x),
            src.out_shape
        )));
    }
    Ok(Slot::Act(x))
}
