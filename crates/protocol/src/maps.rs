//! The sparse maps that express the IR's data-movement and pooling ops, and the index maps of the
//! matrix products (flat output <- `O x P` product, `K x P` patch matrix <- input).

use zkinfer_ir::broadcast_shape;
use zkinfer_layers::{SparseMap, padded_len};

use crate::ProtocolError;

/// Row-major strides of a shape.
fn strides(shape: &[usize]) -> Vec<usize> {
    let mut s = vec![1; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1];
    }
    s
}

fn idx(v: usize) -> Result<u32, ProtocolError> {
    u32::try_from(v).map_err(|_| ProtocolError::Unsupported(format!("index {v} exceeds 2^32")))
}

/// `out = coeff * broadcast(in)` from shape `inp` to shape `out` (numpy rules).
pub fn broadcast(out: &[usize], inp: &[usize], coeff: i64) -> Result<SparseMap, ProtocolError> {
    let c = i32::try_from(coeff)
        .map_err(|_| ProtocolError::Unsupported(format!("coefficient {coeff} exceeds i32")))?;
    if broadcast_shape(out, inp).as_deref() != Some(out) {
        return Err(ProtocolError::Unsupported(format!(
            "cannot broadcast {inp:?} to {out:?}"
        )));
    }
    let rank = out.len();
    let padded: Vec<usize> = std::iter::repeat_n(1, rank - inp.len())
        .chain(inp.iter().copied())
        .collect();
    let in_strides = strides(&padded);
    let out_len: usize = out.iter().product();
    let in_len: usize = inp.iter().product();
    let mut entries = Vec::with_capacity(out_len);
    let mut coord = vec![0usize; rank];
    for q in 0..out_len {
        let j: usize = (0..rank)
            .map(|a| {
                if padded[a] == 1 {
                    0
                } else {
                    coord[a] * in_strides[a]
                }
            })
            .sum();
        entries.push((idx(q)?, idx(j)?, c));
        for a in (0..rank).rev() {
            coord[a] += 1;
            if coord[a] < out[a] {
                break;
            }
            coord[a] = 0;
        }
    }
    Ok(SparseMap::new(out_len, in_len, entries)?)
}

/// Window geometry for pooling and convolution over NCHW.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Input `[N, C, H, W]`.
    pub in_shape: [usize; 4],
    /// Output spatial size `[OH, OW]`.
    pub out_hw: [usize; 2],
    /// Kernel `[KH, KW]`.
    pub kernel: [usize; 2],
    /// Strides.
    pub strides: [usize; 2],
    /// Dilations.
    pub dilations: [usize; 2],
    /// `[top, left, bottom, right]`.
    pub pads: [usize; 4],
}

impl Window {
    /// The input offset of tap `(ky, kx)` of output `(oy, ox)` in plane `plane`, or `None` in padding.
    pub fn tap(&self, plane: usize, oy: usize, ox: usize, ky: usize, kx: usize) -> Option<usize> {
        let [_, _, h, w] = self.in_shape;
        let iy = (oy * self.strides[0] + ky * self.dilations[0]).checked_sub(self.pads[0])?;
        let ix = (ox * self.strides[1] + kx * self.dilations[1]).checked_sub(self.pads[1])?;
        (iy < h && ix < w).then_some((plane * h + iy) * w + ix)
    }
}

/// Sum pooling: `out[n, c, oy, ox] = sum of in-bounds taps`.
pub fn sum_pool(win: &Window) -> Result<SparseMap, ProtocolError> {
    let [n, c, h, w] = win.in_shape;
    let [oh, ow] = win.out_hw;
    let mut entries = vec![];
    for plane in 0..n * c {
        for oy in 0..oh {
            for ox in 0..ow {
                let q = (plane * oh + oy) * ow + ox;
                for ky in 0..win.kernel[0] {
                    for kx in 0..win.kernel[1] {
                        if let Some(j) = win.tap(plane, oy, ox, ky, kx) {
                            entries.push((idx(q)?, idx(j)?, 1));
                        }
                    }
                }
            }
        }
    }
    Ok(SparseMap::new(n * c * oh * ow, n * c * h * w, entries)?)
}

/// The tap `(ky, kx)` of every pooling window as its own map (for max pooling): `out_k[q] = in[tap]`.
pub fn pool_taps(win: &Window) -> Result<Vec<SparseMap>, ProtocolError> {
    let [n, c, h, w] = win.in_shape;
    let [oh, ow] = win.out_hw;
    let mut maps = vec![];
    for ky in 0..win.kernel[0] {
        for kx in 0..win.kernel[1] {
            let mut entries = vec![];
            for plane in 0..n * c {
                for oy in 0..oh {
                    for ox in 0..ow {
                        let q = (plane * oh + oy) * ow + ox;
                        match win.tap(plane, oy, ox, ky, kx) {
                            Some(j) => entries.push((idx(q)?, idx(j)?, 1)),
                            None => {
                                return Err(ProtocolError::Unsupported(
                                    "max pooling with padded windows".into(),
                                ));
                            }
                        }
                    }
                }
            }
            maps.push(SparseMap::new(n * c * oh * ow, n * c * h * w, entries)?);
        }
    }
    Ok(maps)
}

/// The patch matrix of a convolution (group 1): `X[k, p] = in[n, c, tap]` with
/// `k = (c * KH + ky) * KW + kx` and `p = (n * OH + oy) * OW + ox`, laid out `K_pad x P_pad`.
pub fn im2col(win: &Window) -> Result<SparseMap, ProtocolError> {
    let [n, c, h, w] = win.in_shape;
    let [oh, ow] = win.out_hw;
    let [kh, kw] = win.kernel;
    let (k_len, p_len) = (c * kh * kw, n * oh * ow);
    let p_pad = padded_len(p_len);
    let mut entries = vec![];
    for b in 0..n {
        for ch in 0..c {
            let plane = b * c + ch;
            for ky in 0..kh {
                for kx in 0..kw {
                    let k = (ch * kh + ky) * kw + kx;
                    for oy in 0..oh {
                        for ox in 0..ow {
                            let p = (b * oh + oy) * ow + ox;
                            if let Some(j) = win.tap(plane, oy, ox, ky, kx) {
                                entries.push((idx(k * p_pad + p)?, idx(j)?, 1));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(SparseMap::new(
        padded_len(k_len) * p_pad,
        n * c * h * w,
        entries,
    )?)
}

/// Conv output `[N, O, OH, OW]` (flat) from the product `O_pad x P_pad`.
pub fn conv_output(n: usize, o: usize, ohw: usize) -> Result<SparseMap, ProtocolError> {
    let p_pad = padded_len(n * ohw);
    let mut entries = Vec::with_capacity(n * o * ohw);
    for b in 0..n {
        for oc in 0..o {
            for s in 0..ohw {
                let q = (b * o + oc) * ohw + s;
                entries.push((idx(q)?, idx(oc * p_pad + b * ohw + s)?, 1));
            }
        }
    }
    Ok(SparseMap::new(n * o * ohw, padded_len(o) * p_pad, entries)?)
}

/// Dense: the patch matrix `X[k, b] = x[b * K + k]` (`K_pad x B_pad`).
pub fn dense_input(k: usize, rows: usize) -> Result<SparseMap, ProtocolError> {
    let b_pad = padded_len(rows);
    let mut entries = Vec::with_capacity(k * rows);
    for kk in 0..k {
        for b in 0..rows {
            entries.push((idx(kk * b_pad + b)?, idx(b * k + kk)?, 1));
        }
    }
    Ok(SparseMap::new(padded_len(k) * b_pad, k * rows, entries)?)
}

/// Dense: the output `y[b * N + n]` from the product `N_pad x B_pad`.
pub fn dense_output(n: usize, rows: usize) -> Result<SparseMap, ProtocolError> {
    let b_pad = padded_len(rows);
    let mut entries = Vec::with_capacity(n * rows);
    for b in 0..rows {
        for nn in 0..n {
            entries.push((idx(b * n + nn)?, idx(nn * b_pad + b)?, 1));
        }
    }
    Ok(SparseMap::new(n * rows, padded_len(n) * b_pad, entries)?)
}

/// Transpose: output axis `i` is input axis `perm[i]`.
pub fn transpose(in_shape: &[usize], perm: &[usize]) -> Result<SparseMap, ProtocolError> {
    let out_shape: Vec<usize> = perm.iter().map(|&p| in_shape[p]).collect();
    let in_strides = strides(in_shape);
    let len: usize = in_shape.iter().product();
    let mut entries = Vec::with_capacity(len);
    let mut coord = vec![0usize; out_shape.len()];
    for q in 0..len {
        let j: usize = perm
            .iter()
            .zip(&coord)
            .map(|(&p, &c)| c * in_strides[p])
            .sum();
        entries.push((idx(q)?, idx(j)?, 1));
        for a in (0..coord.len()).rev() {
            coord[a] += 1;
            if coord[a] < out_shape[a] {
                break;
            }
            coord[a] = 0;
        }
    }
    Ok(SparseMap::new(len, len, entries)?)
}

/// For every element of `shape` in row-major order, the offset `sum_i coord_i * strides[i]`.
fn offsets(shape: &[usize], strides: &[usize]) -> Vec<usize> {
    let len: usize = shape.iter().product();
    let mut out = Vec::with_capacity(len);
    let mut coord = vec![0usize; shape.len()];
    for _ in 0..len {
        out.push(coord.iter().zip(strides).map(|(c, s)| c * s).sum());
        for a in (0..coord.len()).rev() {
            coord[a] += 1;
            if coord[a] < shape[a] {
                break;
            }
            coord[a] = 0;
        }
    }
    out
}

/// The map with coefficient 1 on each `(out index, in index)` pair, between the two shapes.
fn unit_map(
    out_shape: &[usize],
    in_shape: &[usize],
    pairs: impl Iterator<Item = (usize, usize)>,
) -> Result<SparseMap, ProtocolError> {
    Ok(SparseMap::new(
        out_shape.iter().product(),
        in_shape.iter().product(),
        unit_entries(pairs)?,
    )?)
}

/// Entries with coefficient 1 from `(out index, in index)` pairs.
fn unit_entries(
    pairs: impl Iterator<Item = (usize, usize)>,
) -> Result<Vec<(u32, u32, i32)>, ProtocolError> {
    pairs.map(|(q, j)| Ok((idx(q)?, idx(j)?, 1))).collect()
}

/// `out = sum of in over axes` (the axes stay with size 1).
pub fn reduce_sum(
    in_shape: &[usize],
    axes: &[usize],
    out_shape: &[usize],
) -> Result<SparseMap, ProtocolError> {
    let ost = strides(out_shape);
    let eff: Vec<usize> = (0..in_shape.len())
        .map(|i| if axes.contains(&i) { 0 } else { ost[i] })
        .collect();
    unit_map(
        out_shape,
        in_shape,
        offsets(in_shape, &eff)
            .into_iter()
            .enumerate()
            .map(|(j, q)| (q, j)),
    )
}

/// Zero padding: `pads[axis] = [before, after]`.
pub fn pad(
    in_shape: &[usize],
    pads: &[[usize; 2]],
    out_shape: &[usize],
) -> Result<SparseMap, ProtocolError> {
    let ost = strides(out_shape);
    let base: usize = pads.iter().zip(&ost).map(|(p, s)| p[0] * s).sum();
    unit_map(
        out_shape,
        in_shape,
        offsets(in_shape, &ost)
            .into_iter()
            .enumerate()
            .map(|(j, o)| (base + o, j)),
    )
}

/// Elements `start, start + step, ...` along `axis`.
pub fn slice(
    in_shape: &[usize],
    axis: usize,
    start: usize,
    step: usize,
    out_shape: &[usize],
) -> Result<SparseMap, ProtocolError> {
    let st = strides(in_shape);
    let mut eff = st.clone();
    eff[axis] = st[axis] * step;
    let base = start * st[axis];
    unit_map(
        out_shape,
        in_shape,
        offsets(out_shape, &eff)
            .into_iter()
            .enumerate()
            .map(|(q, o)| (q, base + o)),
    )
}

/// Concatenation along `axis`: one map per part.
pub fn concat(
    parts: &[Vec<usize>],
    axis: usize,
    out_shape: &[usize],
) -> Result<Vec<SparseMap>, ProtocolError> {
    let outer: usize = out_shape[..axis].iter().product();
    let out_chunk: usize = out_shape[axis..].iter().product();
    let mut offset = 0;
    let mut maps = vec![];
    for shape in parts {
        let chunk: usize = shape[axis..].iter().product();
        let mut entries = Vec::with_capacity(outer * chunk);
        for o in 0..outer {
            for i in 0..chunk {
                entries.push((idx(o * out_chunk + offset + i)?, idx(o * chunk + i)?, 1));
            }
        }
        offset += chunk;
        maps.push(SparseMap::new(
            out_shape.iter().product(),
            shape.iter().product(),
            entries,
        )?);
    }
    Ok(maps)
}

#[cfg(test)]
#[path = "maps_tests.rs"]
mod tests;
