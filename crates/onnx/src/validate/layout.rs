//! Layout operators: permutations, concatenation, squeezing, slicing, reshaping, padding, tiling.

use super::CAP;
use super::attrs::{axes_in, keep_or_drop};
use super::shape::{At, Dims, known_len, show};

/// Transpose: `perm` a permutation of the input's axes (absent: reversed).
pub(super) fn transpose(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let Some(perm) = at.int_list("perm") else {
        return Ok(x.map(|x| x.into_iter().rev().collect()));
    };
    let n = perm.len();
    let mut seen = vec![false; n];
    for &p in perm {
        if p < 0 || p as usize >= n || std::mem::replace(&mut seen[p as usize], true) {
            return Err(at.err(format!("perm {perm:?} is not a permutation of 0..{n}")));
        }
    }
    let Some(x) = x else { return Ok(None) };
    if x.len() != n {
        return Err(at.err(format!(
            "perm {perm:?} has {n} entries for a rank-{} input",
            x.len()
        )));
    }
    Ok(Some(perm.iter().map(|&p| x[p as usize]).collect()))
}

/// Concat: `axis` in range, inputs of one rank; sizes add up along the axis.
pub(super) fn concat(at: &At) -> Result<Option<Dims>, String> {
    let Some(axis) = at.int("axis") else {
        return Err(at.err("no axis attribute"));
    };
    let known: Vec<&Dims> = (0..at.node.input.len())
        .filter_map(|i| at.dims(i))
        .collect();
    let Some(first) = known.first() else {
        return Ok(None);
    };
    let a = at.axis("axis", axis, first.len())?;
    if let Some(other) = known.iter().find(|d| d.len() != first.len()) {
        return Err(at.err(format!(
            "inputs of ranks {} and {}",
            first.len(),
            other.len()
        )));
    }
    if known.len() < at.node.input.len() {
        return Ok(None);
    }
    let mut out = (*first).clone();
    out[a] = known
        .iter()
        .try_fold(0usize, |s, d| d[a].and_then(|v| s.checked_add(v)));
    Ok(Some(out))
}

/// Squeeze: each axis in range and of size 1.
pub(super) fn squeeze(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let axes = at.ints_attr_or_input("axes", 1, 13);
    let Some(x) = x else { return Ok(None) };
    let Some(axes) = axes else {
        return Ok(if x.iter().all(Option::is_some) {
            Some(x.into_iter().filter(|&d| d != Some(1)).collect())
        } else {
            None
        });
    };
    let axes = axes_in(at, &axes, x.len())?;
    if let Some(&a) = axes.iter().find(|&&a| x[a].is_some_and(|d| d != 1)) {
        return Err(at.err(format!(
            "axis {a} of {} has size {}, not 1",
            show(&x),
            x[a].unwrap_or(0)
        )));
    }
    Ok(keep_or_drop(&x, &axes, false))
}

/// Unsqueeze: distinct axes in range of the output rank.
pub(super) fn unsqueeze(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let Some(axes) = at.ints_attr_or_input("axes", 1, 13) else {
        return Ok(None);
    };
    let Some(x) = x else { return Ok(None) };
    let rank = x.len() + axes.len();
    let axes = axes_in(at, &axes, rank)?;
    let mut src = x.into_iter();
    Ok(Some(
        (0..rank)
            .map(|i| {
                if axes.contains(&i) {
                    Some(1)
                } else {
                    src.next().flatten()
                }
            })
            .collect(),
    ))
}

/// Slice: axes in range, non-zero steps; ONNX's clamping gives the output size.
pub(super) fn slice(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let Some(x) = x else { return Ok(None) };
    let (starts, ends, axes, steps) = if at.env.opset < 10 {
        let l = |n| at.int_list(n).map(<[i64]>::to_vec);
        (l("starts"), l("ends"), l("axes"), None)
    } else {
        let c = |i| at.ints(i).cloned();
        (c(1), c(2), c(3), c(4))
    };
    let axes_given = at.env.opset < 10 || at.node.input.get(3).is_some_and(|s| !s.is_empty());
    if axes_given && axes.is_none() {
        return Ok(None);
    }
    let (Some(starts), Some(ends)) = (starts, ends) else {
        return Ok(None);
    };
    let axes = axes.unwrap_or_else(|| (0..starts.len() as i64).collect());
    let axes = axes_in(at, &axes, x.len())?;
    let steps = steps.unwrap_or_else(|| vec![1; axes.len()]);
    if starts.len() != axes.len() || ends.len() != axes.len() || steps.len() != axes.len() {
        return Err(at.err("starts, ends, axes and steps differ in length"));
    }
    let mut out = x.clone();
    for (k, &a) in axes.iter().enumerate() {
        let step = steps[k];
        if step == 0 {
            return Err(at.err(format!("slice step 0 on axis {a}")));
        }
        let Some(d) = x[a] else {
            out[a] = None;
            continue;
        };
        let d = d as i64;
        let norm = |v: i64, lo: i64, hi: i64| (if v < 0 { v + d } else { v }).clamp(lo, hi);
        out[a] = Some(if step > 0 {
            let (s, e) = (norm(starts[k], 0, d), norm(ends[k], 0, d));
            ((e - s).max(0) as u64).div_ceil(step as u64) as usize
        } else {
            let (s, e) = (norm(starts[k], -1, d - 1), norm(ends[k], -1, d - 1));
            ((s - e).max(0) as u64).div_ceil(step.unsigned_abs()) as usize
        });
    }
    Ok(Some(out))
}

/// Reshape: at most one -1, no entry below it, and as many elements as the input.
pub(super) fn reshape(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let Some(s) = at.ints(1) else {
        return Ok(at
            .dims(1)
            .and_then(|d| d.first().copied().flatten())
            .map(|k| vec![None; k]));
    };
    let bad = |why: String| Err(at.err(format!("reshape to {s:?}: {why}")));
    if s.iter().filter(|&&v| v == -1).count() > 1 {
        return bad("more than one -1".into());
    }
    if let Some(v) = s.iter().find(|&&v| v < -1 || (v > 0 && v as u128 > CAP)) {
        return bad(format!("dimension {v} is out of range"));
    }
    let allow_zero = at.int("allowzero").unwrap_or(0) != 0;
    let mut out: Dims = Vec::with_capacity(s.len());
    for (i, &v) in s.iter().enumerate() {
        out.push(match v {
            0 if !allow_zero => match &x {
                Some(x) if i < x.len() => x[i],
                Some(x) => return bad(format!("0 copies axis {i} of a rank-{} input", x.len())),
                None => None,
            },
            -1 => None,
            v => Some(v as usize),
        });
    }
    let total = x.as_ref().and_then(known_len);
    let rest: Option<u128> = out
        .iter()
        .enumerate()
        .filter(|(i, _)| s[*i] != -1)
        .try_fold(1u128, |p, (_, d)| d.map(|d| p.saturating_mul(d as u128)));
    match (total, rest, s.contains(&-1)) {
        (Some(t), Some(r), false) if t != r => bad(format!("{r} elements from an input of {t}")),
        (Some(t), Some(r), true) if r == 0 || t % r != 0 => {
            bad(format!("no -1 makes {r} times it equal {t} elements"))
        }
        (Some(t), Some(r), true) => {
            let i = s.iter().position(|&v| v == -1).unwrap_or(0);
            out[i] = Some((t / r) as usize);
            Ok(Some(out))
        }
        (None, Some(r), _) if r > CAP => bad(format!("{r} elements, over the cap")),
        _ => Ok(Some(out)),
    }
}

/// Pad: pads under the cap that leave every axis non-empty.
pub(super) fn pad(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let Some(pads) = at.ints_attr_or_input("pads", 1, 11) else {
        return Ok(None);
    };
    if let Some(p) = pads.iter().find(|p| p.unsigned_abs() as u128 > CAP) {
        return Err(at.err(format!("pad {p} is beyond the {CAP}-element cap")));
    }
    let Some(x) = x else { return Ok(None) };
    let r = x.len();
    if pads.len() != 2 * r || at.node.input.get(3).is_some_and(|s| !s.is_empty()) {
        // With an `axes` input (opset 18) the pads cover only those axes: not modelled.
        return Ok(None);
    }
    let mut out = x.clone();
    for i in 0..r {
        if let Some(d) = x[i] {
            let v = d as i64 + pads[i] + pads[i + r];
            if v < 1 {
                return Err(at.err(format!(
                    "pads {pads:?} leave axis {i} of {} empty",
                    show(&x)
                )));
            }
            out[i] = Some(v as usize);
        }
    }
    Ok(Some(out))
}

/// Tile: one non-negative repeat per axis.
pub(super) fn tile(at: &At, x: Option<Dims>) -> Result<Option<Dims>, String> {
    let (Some(x), Some(reps)) = (x, at.ints(1)) else {
        return Ok(None);
    };
    if reps.len() != x.len() || reps.iter().any(|&r| r < 0) {
        return Err(at.err(format!("repeats {reps:?} for a rank-{} input", x.len())));
    }
    Ok(Some(
        x.iter()
            .zip(reps)
            .map(|(d, &r)| d.and_then(|d| d.checked_mul(r as usize)))
            .collect(),
    ))
}
