//! Dense, Conv2d and MatMul: exact integer sums of products.

/// `y[r, n] = sum_k x[r, k] * w[n, k]` over every row `r` of the flattened leading axes.
pub fn dense(x: &[i64], w: &[i64], k: usize, n: usize) -> Vec<i64> {
    let rows = x.len() / k.max(1);
    let mut out = Vec::with_capacity(rows * n);
    for r in 0..rows {
        let xr = &x[r * k..(r + 1) * k];
        for wn in w.chunks(k.max(1)).take(n) {
            out.push(xr.iter().zip(wn).map(|(a, b)| a * b).sum());
        }
    }
    out
}

/// `a[B, M, K] x b[B, K, N]`.
pub fn matmul(a: &[i64], b: &[i64], dims: [usize; 4]) -> Vec<i64> {
    let [bs, m, k, n] = dims;
    let mut out = vec![0i64; bs * m * n];
    for bi in 0..bs {
        for i in 0..m {
            for kk in 0..k {
                let av = a[(bi * m + i) * k + kk];
                let brow = &b[(bi * k + kk) * n..(bi * k + kk + 1) * n];
                let orow = &mut out[(bi * m + i) * n..(bi * m + i + 1) * n];
                for (o, &bv) in orow.iter_mut().zip(brow) {
                    *o += av * bv;
                }
            }
        }
    }
    out
}

/// Parameters of a 2-D convolution in the evaluator's terms.
pub struct ConvGeom {
    pub in_shape: [usize; 4],
    pub out_shape: [usize; 4],
    pub kernel: [usize; 4],
    pub strides: [usize; 2],
    pub dilations: [usize; 2],
    pub pads: [usize; 4],
    pub group: usize,
}

/// Direct convolution with zero padding; padded taps contribute nothing.
pub fn conv2d(x: &[i64], w: &[i64], bias: &[i64], g: &ConvGeom) -> Vec<i64> {
    let [n, c, h, wd] = g.in_shape;
    let [_, o, oh, ow] = g.out_shape;
    let [_, cg, kh, kw] = g.kernel;
    let og = o / g.group;
    let mut out = vec![0i64; n * o * oh * ow];
    for b in 0..n {
        for oc in 0..o {
            let grp = oc / og;
            for y in 0..oh {
                for xo in 0..ow {
                    let mut acc = bias[oc];
                    for ic in 0..cg {
                        let ch = grp * cg + ic;
                        for ky in 0..kh {
                            let iy = (y * g.strides[0] + ky * g.dilations[0]) as isize
                                - g.pads[0] as isize;
                            if iy < 0 || iy >= h as isize {
                                continue;
                            }
                            for kx in 0..kw {
                                let ix = (xo * g.strides[1] + kx * g.dilations[1]) as isize
                                    - g.pads[1] as isize;
                                if ix < 0 || ix >= wd as isize {
                                    continue;
                                }
                                let xv = x[((b * c + ch) * h + iy as usize) * wd + ix as usize];
                                acc += xv * w[((oc * cg + ic) * kh + ky) * kw + kx];
                            }
                        }
                    }
                    out[((b * o + oc) * oh + y) * ow + xo] = acc;
                }
            }
        }
    }
    out
}
