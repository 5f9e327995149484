//! Windowed max and sum over NCHW tensors.

/// Window geometry of a pooling op.
pub struct PoolGeom {
    pub in_shape: [usize; 4],
    pub out_shape: [usize; 4],
    pub kernel: [usize; 2],
    pub strides: [usize; 2],
    pub dilations: [usize; 2],
    pub pads: [usize; 4],
}

/// Applies `f` over the in-bounds cells of each window; `empty` for a window with none.
fn pool(x: &[i64], g: &PoolGeom, empty: i64, f: impl Fn(Option<i64>, i64) -> i64) -> Vec<i64> {
    let [n, c, h, w] = g.in_shape;
    let [_, _, oh, ow] = g.out_shape;
    let mut out = Vec::with_capacity(n * c * oh * ow);
    for plane in 0..n * c {
        let xp = &x[plane * h * w..(plane + 1) * h * w];
        for y in 0..oh {
            for xo in 0..ow {
                let mut acc: Option<i64> = None;
                for ky in 0..g.kernel[0] {
                    let iy = (y * g.strides[0] + ky * g.dilations[0]) as isize - g.pads[0] as isize;
                    if iy < 0 || iy >= h as isize {
                        continue;
                    }
                    for kx in 0..g.kernel[1] {
                        let ix =
                            (xo * g.strides[1] + kx * g.dilations[1]) as isize - g.pads[1] as isize;
                        if ix < 0 || ix >= w as isize {
                            continue;
                        }
                        acc = Some(f(acc, xp[iy as usize * w + ix as usize]));
                    }
                }
                out.push(acc.unwrap_or(empty));
            }
        }
    }
    out
}

/// Max over each window, padded cells skipped (a window entirely in padding gives 0).
pub fn max_pool(x: &[i64], g: &PoolGeom) -> Vec<i64> {
    pool(x, g, 0, |acc, v| acc.map_or(v, |a| a.max(v)))
}

/// Sum over each window, padded cells are 0.
pub fn sum_pool(x: &[i64], g: &PoolGeom) -> Vec<i64> {
    pool(x, g, 0, |acc, v| acc.unwrap_or(0) + v)
}
