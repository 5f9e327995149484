//! Output shapes of every op, and the index helpers the evaluator shares.

use crate::model::Op;

/// Largest tensor the IR accepts (elements); guards every allocation made from a declared shape.
pub const MAX_ELEMENTS: usize = 1 << 27;

/// Number of elements of `shape`, or `None` above [`MAX_ELEMENTS`]. The product of the non-zero
/// dims is capped too, so that no stride of an empty shape (`[0, 2^40, 2^40]`) overflows.
pub fn checked_len(shape: &[usize]) -> Option<usize> {
    shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= MAX_ELEMENTS)?;
    Some(shape.iter().product())
}

/// Row-major strides.
pub fn strides(shape: &[usize]) -> Vec<usize> {
    let mut s = vec![1; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1];
    }
    s
}

/// numpy broadcast of two shapes.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| {
        if i + s.len() >= rank {
            s[i + s.len() - rank]
        } else {
            1
        }
    };
    (0..rank)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// Output size of a windowed op along one axis.
fn window_out(
    len: usize,
    k: usize,
    stride: usize,
    dil: usize,
    before: usize,
    after: usize,
) -> Option<usize> {
    let span = dil.checked_mul(k.checked_sub(1)?)?.checked_add(1)?;
    // Pads come from a key a stranger may have written: `usize::MAX` must not overflow.
    let padded = len.checked_add(before)?.checked_add(after)?;
    if stride == 0 || padded < span {
        return None;
    }
    Some((padded - span) / stride + 1)
}

fn pool_shape(
    x: &[usize],
    channels: usize,
    k: [usize; 2],
    st: [usize; 2],
    dil: [usize; 2],
    p: [usize; 4],
) -> Result<Vec<usize>, String> {
    if x.len() != 4 {
        return Err(format!("expected an NCHW input, got {x:?}"));
    }
    let h = window_out(x[2], k[0], st[0], dil[0], p[0], p[2])
        .ok_or("window larger than padded height")?;
    let w = window_out(x[3], k[1], st[1], dil[1], p[1], p[3])
        .ok_or("window larger than padded width")?;
    Ok(vec![x[0], channels, h, w])
}

fn reduced(x: &[usize], axes: &[usize]) -> Result<Vec<usize>, String> {
    // A repeated axis would be summed once but counted twice by the bound.
    if axes.iter().enumerate().any(|(i, a)| axes[..i].contains(a)) {
        return Err(format!("axes {axes:?} repeat an axis"));
    }
    let mut out = x.to_vec();
    for &a in axes {
        *out.get_mut(a)
            .ok_or(format!("axis {a} out of range for {x:?}"))? = 1;
    }
    Ok(out)
}

/// The output shape `op` produces from `ins`; `declared` is the node's recorded shape (used by ops
/// whose shape is a parameter: Input, Const, Reshape). With `stripped` (a verifier key's
/// architecture), stored values may be absent; when present their counts must fit.
pub fn infer_shape(
    op: &Op,
    ins: &[&[usize]],
    declared: &[usize],
    stripped: bool,
) -> Result<Vec<usize>, String> {
    let one = || ins[0];
    let fits = |have: usize, want: Option<usize>| {
        (stripped && have == 0) || want.is_some_and(|w| w == have)
    };
    match op {
        Op::Input { .. } => Ok(declared.to_vec()),
        Op::Const { values } => match checked_len(declared) {
            Some(n) if fits(values.len(), Some(n)) => Ok(declared.to_vec()),
            _ => Err(format!(
                "{} constant values for shape {declared:?}",
                values.len()
            )),
        },
        Op::Dense {
            weight,
            in_features,
            out_features,
        } => {
            let x = one();
            if x.last() != Some(in_features)
                || !fits(weight.len(), in_features.checked_mul(*out_features))
            {
                return Err(format!(
                    "dense {in_features}->{out_features} on input {x:?}"
                ));
            }
            let mut out = x.to_vec();
            *out.last_mut().expect("non-empty") = *out_features;
            Ok(out)
        }
        Op::Conv2d {
            weight,
            weight_shape: ws,
            bias,
            strides,
            dilations,
            pads,
            group,
        } => {
            let x = one();
            let wlen = checked_len(ws).ok_or("kernel too large")?;
            if *group == 0
                || x.len() != 4
                || !fits(weight.len(), Some(wlen))
                || !fits(bias.len(), Some(ws[0]))
            {
                return Err(format!("conv kernel {ws:?} group {group} on input {x:?}"));
            }
            if ws[1].checked_mul(*group) != Some(x[1]) || ws[0] % group != 0 {
                return Err(format!("conv kernel {ws:?} group {group} on input {x:?}"));
            }
            pool_shape(x, ws[0], [ws[2], ws[3]], *strides, *dilations, *pads)
        }
        Op::MatMul => match (ins[0], ins[1]) {
            ([b, m, k], [b2, k2, n]) if b == b2 && k == k2 => Ok(vec![*b, *m, *n]),
            (a, b) => Err(format!("matmul of {a:?} and {b:?}")),
        },
        Op::Add { .. } | Op::Mul | Op::DivRound { .. } => broadcast_shape(ins[0], ins[1])
            .ok_or_else(|| format!("cannot broadcast {:?} with {:?}", ins[0], ins[1])),
        Op::Requant(_) | Op::Clamp { .. } | Op::Lookup(_) => Ok(one().to_vec()),
        Op::MaxPool2d {
            kernel,
            strides,
            dilations,
            pads,
        } => pool_shape(
            one(),
            *one().get(1).unwrap_or(&0),
            *kernel,
            *strides,
            *dilations,
            *pads,
        ),
        Op::SumPool2d {
            kernel,
            strides,
            pads,
        } => pool_shape(
            one(),
            *one().get(1).unwrap_or(&0),
            *kernel,
            *strides,
            [1, 1],
            *pads,
        ),
        Op::ReduceSum { axes } | Op::ReduceMax { axes } => reduced(one(), axes),
        Op::Reshape => match (checked_len(one()), checked_len(declared)) {
            (Some(a), Some(b)) if a == b => Ok(declared.to_vec()),
            _ => Err(format!("cannot reshape {:?} to {declared:?}", one())),
        },
        Op::Transpose { perm } => {
            let x = one();
            let mut seen = vec![false; x.len()];
            if perm.len() != x.len()
                || perm
                    .iter()
                    .any(|&p| p >= x.len() || std::mem::replace(&mut seen[p], true))
            {
                return Err(format!("permutation {perm:?} of {x:?}"));
            }
            Ok(perm.iter().map(|&p| x[p]).collect())
        }
        Op::Concat { axis } => {
            let first = ins.first().ok_or("concat of nothing")?;
            let mut out = first.to_vec();
            if *axis >= out.len() {
                return Err(format!("concat axis {axis} of {first:?}"));
            }
            out[*axis] = 0;
            for s in ins {
                let same =
                    s.len() == first.len() && (0..s.len()).all(|i| i == *axis || s[i] == first[i]);
                if !same {
                    return Err(format!("concat of {first:?} and {s:?} along {axis}"));
                }
                out[*axis] += s[*axis];
            }
            Ok(out)
        }
        Op::Slice {
            axis,
            start,
            end,
            step,
        } => {
            let x = one();
            let len = *x.get(*axis).ok_or(format!("slice axis {axis} of {x:?}"))?;
            if *step == 0 || start > end || *end > len {
                return Err(format!(
                    "slice {start}..{end} step {step} of axis {axis} of {x:?}"
                ));
            }
            let mut out = x.to_vec();
            out[*axis] = (end - start).div_ceil(*step);
            Ok(out)
        }
        Op::Pad { pads, .. } => {
            let x = one();
            if pads.len() != x.len() {
                return Err(format!("{} pad pairs for {x:?}", pads.len()));
            }
            x.iter()
                .zip(pads)
                .map(|(&d, p)| {
                    d.checked_add(p[0])
                        .and_then(|v| v.checked_add(p[1]))
                        .ok_or("pad overflow".into())
                })
                .collect()
        }
    }
}

#[cfg(test)]
#[path = "shape_tests.rs"]
mod tests;
