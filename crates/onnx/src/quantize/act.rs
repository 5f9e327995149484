//! Inputs, constants and the narrowing requantization.

use tract_onnx::prelude::*;
use zkinfer_ir::{BOUND_LIMIT, Op, Requant, choose_requant};

use super::{Ctx, Slot, Src, Val};
use crate::error::OnnxError;

/// Headroom over the calibrated range when choosing a requantization target: values up to twice what
/// calibration saw still fit without clipping.
pub(crate) const HEADROOM: f64 = 2.0;

/// A model input: scale from the calibrated range, values clamped to `act_bits`.
pub(crate) fn input(ctx: &mut Ctx, src: &Src, _ix: usize) -> Result<Slot, OnnxError> {
    let amax = ctx.cfg.act_max();
    let scale = scale_for(src.out_range, amax);
    let id = ctx.b.input(src.name, src.out_shape.clone(), scale, amax)?;
    Ok(Slot::Act(Val {
        id,
        range: src.out_range,
    }))
}

/// The scale mapping `range * HEADROOM` to `max_int`.
pub(crate) fn scale_for(range: f64, max_int: i64) -> f64 {
    let r = if range.is_finite() && range > 0.0 {
        range * HEADROOM
    } else {
        1.0
    };
    r / max_int as f64
}

/// Float values of a constant, refusing NaN and infinities (named by node).
pub(crate) fn konst_f64(src: &Src, t: &Tensor) -> Result<Vec<f64>, OnnxError> {
    let t = t
        .cast_to::<f32>()
        .map_err(|e| src.bad(format!("constant not numeric: {e}")))?;
    let view = t
        .to_plain_array_view::<f32>()
        .map_err(|e| src.bad(e.to_string()))?;
    let vals: Vec<f64> = view.iter().map(|&x| x as f64).collect();
    if let Some(i) = vals.iter().position(|x| !x.is_finite()) {
        return Err(src.bad(format!(
            "constant element {i} is {} (NaN/Inf weights are refused)",
            vals[i]
        )));
    }
    Ok(vals)
}

/// Symmetric per-tensor quantization of weights to `bits`: returns integers and their scale.
pub(crate) fn quantize_weights(vals: &[f64], max_int: i64) -> (Vec<i64>, f64) {
    let m = vals.iter().fold(0f64, |a, x| a.max(x.abs()));
    let scale = if m > 0.0 { m / max_int as f64 } else { 1.0 };
    (
        vals.iter()
            .map(|&x| zkinfer_ir::quantize_value(x, scale, max_int))
            .collect(),
        scale,
    )
}

/// A constant as an IR `Const` node at a given scale (for additions to a tensor of that scale).
pub(crate) fn konst_at(
    ctx: &mut Ctx,
    src: &Src,
    t: &Tensor,
    scale: f64,
    tag: &str,
) -> Result<Val, OnnxError> {
    let vals = konst_f64(src, t)?;
    let limit = BOUND_LIMIT as f64;
    let q: Vec<i64> = vals
        .iter()
        .map(|&x| {
            let q = (x / scale + 0.5).floor();
            if q.abs() >= limit {
                Err(src.bad(format!(
                    "constant {x} at scale {scale:e} exceeds the field bound"
                )))
            } else {
                Ok(q as i64)
            }
        })
        .collect::<Result<_, _>>()?;
    let range = vals.iter().fold(0f64, |a, x| a.max(x.abs()));
    let id = ctx.b.push(
        &src.step(tag),
        Op::Const { values: q },
        vec![],
        t.shape().to_vec(),
        scale,
    )?;
    Ok(Val { id, range })
}

impl Ctx<'_> {
    /// `v` as an activation of at most `act_bits` bits.
    pub fn act(&mut self, src: &Src, v: Val) -> Result<Val, OnnxError> {
        let amax = self.cfg.act_max();
        self.narrow(src, v, amax)
    }

    /// `v` with `|q| <= max_int`: unchanged if its bound already fits, else requantized so that
    /// `range * HEADROOM` maps near `max_int` (never above it).
    pub fn narrow(&mut self, src: &Src, v: Val, max_int: i64) -> Result<Val, OnnxError> {
        let node = self.b.node(v.id);
        if node.bound <= max_int {
            return Ok(v);
        }
        let max_int = max_int.max(1);
        let (acc_scale, acc_bound, shape) = (node.scale, node.bound, node.shape.clone());
        let target =
            scale_for(v.range, max_int).max(acc_scale * acc_bound as f64 / (BOUND_LIMIT as f64));
        let real = (acc_scale / target).min(2f64.powi(self.cfg.max_multiplier_bits as i32));
        let (m, s) = choose_requant(acc_bound, real, self.cfg.max_multiplier_bits).ok_or_else(|| {
            src.bad(format!("no requantization of bound {acc_bound} to {max_int} fits the field (multiplier {real:e})"))
        })?;
        let r = Requant {
            multiplier: m,
            shift: s,
            min: -max_int,
            max: max_int,
        };
        let scale = acc_scale * 2f64.powi(s as i32) / m as f64;
        let id = self.b.push(
            &src.step("requant"),
            Op::Requant(r),
            vec![v.id],
            shape,
            scale,
        )?;
        Ok(Val { id, range: v.range })
    }

    /// Narrows two operands of a product so that `factor * |a| * |b|` stays below half the field
    /// limit (room for the requantization that follows).
    pub fn fit_product(
        &mut self,
        src: &Src,
        a: Val,
        b: Val,
        factor: i64,
    ) -> Result<(Val, Val), OnnxError> {
        let (a, b) = (self.act(src, a)?, self.act(src, b)?);
        let budget = (BOUND_LIMIT - (BOUND_LIMIT >> 3)) / factor.max(1);
        let (ba, bb) = (
            self.b.node(a.id).bound.max(1),
            self.b.node(b.id).bound.max(1),
        );
        if ba.saturating_mul(bb) <= budget {
            return Ok((a, b));
        }
        let even = (budget as f64).sqrt().floor() as i64;
        let (ta, tb) = if ba <= even {
            (ba, budget / ba)
        } else if bb <= even {
            (budget / bb, bb)
        } else {
            (even, even)
        };
        if ta < 1 || tb < 1 {
            return Err(src.bad(format!(
                "a product over {factor} terms cannot fit the field"
            )));
        }
        Ok((self.narrow(src, a, ta)?, self.narrow(src, b, tb)?))
    }

    /// Pushes a node that keeps `v`'s integers but carries a new scale (a constant factor folded into
    /// the scale).
    pub fn rescaled(
        &mut self,
        src: &Src,
        v: Val,
        scale: f64,
        range: f64,
    ) -> Result<Val, OnnxError> {
        let shape = self.b.node(v.id).shape.clone();
        let id = self
            .b
            .push(&src.step("scale"), Op::Reshape, vec![v.id], shape, scale)?;
        Ok(Val { id, range })
    }

    /// Scale and bound of a value.
    pub fn sb(&self, v: Val) -> (f64, i64) {
        let n = self.b.node(v.id);
        (n.scale, n.bound)
    }

    /// Shape of a value.
    pub fn shape(&self, v: Val) -> Vec<usize> {
        self.b.node(v.id).shape.clone()
    }
}

/// The activation behind a slot, or an error for a constant where a tensor was expected.
pub(crate) fn act_of(src: &Src, s: &Slot) -> Result<Val, OnnxError> {
    match s {
        Slot::Act(v) => Ok(*v),
        Slot::Konst(_) => Err(src.bad("constant operand where a computed tensor was expected")),
    }
}
