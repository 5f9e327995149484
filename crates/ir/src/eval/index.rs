//! Pure index maps: broadcasting, transpose, slice, concat, pad, reductions over axes.

use crate::shape::strides;

/// For every element of `out` (row-major), the offset of the element of a tensor of shape `inp` that
/// numpy broadcasting reads.
pub fn broadcast_offsets(out: &[usize], inp: &[usize]) -> Vec<usize> {
    let rank = out.len();
    let in_strides = strides(inp);
    // Stride 0 along broadcast (size-1 or missing) axes.
    let eff: Vec<usize> = (0..rank)
        .map(|i| {
            let j = (i + inp.len()).checked_sub(rank);
            match j {
                Some(j) if inp[j] != 1 => in_strides[j],
                _ => 0,
            }
        })
        .collect();
    gather_offsets(out, &eff)
}

/// Offsets `sum_i idx_i * eff[i]` for every multi-index of `shape`, row-major.
pub fn gather_offsets(shape: &[usize], eff: &[usize]) -> Vec<usize> {
    let n: usize = shape.iter().product();
    let mut offs = Vec::with_capacity(n);
    let mut idx = vec![0usize; shape.len()];
    let mut off = 0usize;
    for _ in 0..n {
        offs.push(off);
        for ax in (0..shape.len()).rev() {
            idx[ax] += 1;
            off += eff[ax];
            if idx[ax] < shape[ax] {
                break;
            }
            off -= eff[ax] * shape[ax];
            idx[ax] = 0;
        }
    }
    offs
}

/// Element-wise `f(a, b)` with broadcasting to `out`.
pub fn binary(
    a: &[i64],
    sa: &[usize],
    b: &[i64],
    sb: &[usize],
    out: &[usize],
    mut f: impl FnMut(i64, i64) -> i64,
) -> Vec<i64> {
    let oa = broadcast_offsets(out, sa);
    let ob = broadcast_offsets(out, sb);
    oa.iter().zip(&ob).map(|(&i, &j)| f(a[i], b[j])).collect()
}

/// Transpose: output axis `i` is input axis `perm[i]`.
pub fn transpose(x: &[i64], shape: &[usize], perm: &[usize]) -> Vec<i64> {
    let st = strides(shape);
    let out_shape: Vec<usize> = perm.iter().map(|&p| shape[p]).collect();
    let eff: Vec<usize> = perm.iter().map(|&p| st[p]).collect();
    gather_offsets(&out_shape, &eff)
        .into_iter()
        .map(|o| x[o])
        .collect()
}

/// Elements `start, start+step, ..` below `end` along `axis`.
pub fn slice(
    x: &[i64],
    shape: &[usize],
    axis: usize,
    start: usize,
    step: usize,
    out_shape: &[usize],
) -> Vec<i64> {
    let st = strides(shape);
    let mut eff = st.clone();
    eff[axis] = st[axis] * step;
    let base = start * st[axis];
    gather_offsets(out_shape, &eff)
        .into_iter()
        .map(|o| x[base + o])
        .collect()
}

/// Concatenation along `axis`: blocks of `outer` rows, each the inputs' `axis x inner` chunks in turn.
pub fn concat(parts: &[(&[i64], &[usize])], axis: usize) -> Vec<i64> {
    let outer: usize = parts[0].1[..axis].iter().product();
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    for o in 0..outer {
        for (data, shape) in parts {
            let chunk: usize = shape[axis..].iter().product();
            out.extend_from_slice(&data[o * chunk..(o + 1) * chunk]);
        }
    }
    out
}

/// Constant padding.
pub fn pad(
    x: &[i64],
    shape: &[usize],
    pads: &[[usize; 2]],
    value: i64,
    out_shape: &[usize],
) -> Vec<i64> {
    let mut out = vec![value; out_shape.iter().product()];
    let ost = strides(out_shape);
    let base: usize = pads.iter().zip(&ost).map(|(p, s)| p[0] * s).sum();
    for (o, &v) in gather_offsets(shape, &ost).iter().zip(x) {
        out[base + o] = v;
    }
    out
}

/// Reduces `axes` (kept with size 1) with `f`, starting each output from its first element.
pub fn reduce(
    x: &[i64],
    shape: &[usize],
    axes: &[usize],
    out_shape: &[usize],
    f: impl Fn(i64, i64) -> i64,
) -> Vec<i64> {
    let ost = strides(out_shape);
    // Input element -> output offset: stride 0 on reduced axes.
    let eff: Vec<usize> = (0..shape.len())
        .map(|i| if axes.contains(&i) { 0 } else { ost[i] })
        .collect();
    let mut out: Vec<Option<i64>> = vec![None; out_shape.iter().product()];
    for (o, &v) in gather_offsets(shape, &eff).iter().zip(x) {
        out[*o] = Some(match out[*o] {
            Some(acc) => f(acc, v),
            None => v,
        });
    }
    out.into_iter().map(|v| v.unwrap_or(0)).collect()
}
