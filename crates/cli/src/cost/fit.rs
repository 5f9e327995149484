//! Non-negative least squares on relative errors: the coefficients of the cost model.
//!
//! A cost is a sum of non-negative per-unit costs, so the coefficients are constrained to be
//! `>= 0` (an unconstrained fit happily trades a negative cost per lookup against a large one per
//! sumcheck element, and then extrapolates badly). The objective is the squared *relative* error
//! `sum_i ((x_i . c - y_i) / y_i)^2`, so a 10 ms model counts as much as a 10 s one. With the handful
//! of features each phase has (at most 8), the exact optimum is found by solving the unconstrained
//! problem on every subset of features and keeping the best solution that is non-negative (the
//! optimum of a non-negative least-squares problem is the unconstrained optimum on its support).

/// Largest number of features (2^8 subsets).
pub const MAX_FEATURES: usize = 8;

/// Fits `c >= 0` minimising the relative squared error of `rows[i] . c` against `ys[i] > 0`.
/// Returns `None` without usable rows or with too many features.
pub fn fit(rows: &[Vec<f64>], ys: &[f64]) -> Option<Vec<f64>> {
    let m = rows.first()?.len();
    if m == 0 || m > MAX_FEATURES || rows.len() != ys.len() {
        return None;
    }
    // Weighted rows (divided by y), columns scaled to a unit maximum for conditioning.
    let usable: Vec<Vec<f64>> = rows
        .iter()
        .zip(ys)
        .filter(|(r, y)| **y > 0.0 && y.is_finite() && r.len() == m)
        .map(|(r, y)| r.iter().map(|v| v / y).collect())
        .collect();
    if usable.is_empty() {
        return None;
    }
    let scale: Vec<f64> = (0..m)
        .map(|j| {
            let s = usable.iter().fold(0f64, |a, r| a.max(r[j].abs()));
            if s > 0.0 { s } else { 1.0 }
        })
        .collect();
    let a: Vec<Vec<f64>> = usable
        .iter()
        .map(|r| r.iter().zip(&scale).map(|(v, s)| v / s).collect())
        .collect();
    let mut best: Option<(f64, Vec<f64>)> = None;
    for mask in 1u32..(1 << m) {
        let cols: Vec<usize> = (0..m).filter(|j| mask & (1 << j) != 0).collect();
        let Some(c) = solve_subset(&a, &cols) else {
            continue;
        };
        if c.iter().any(|&v| v < 0.0) {
            continue;
        }
        let mut full = vec![0.0; m];
        for (&j, &v) in cols.iter().zip(&c) {
            full[j] = v;
        }
        let err: f64 = a.iter().map(|r| (dot(r, &full) - 1.0).powi(2)).sum::<f64>();
        if best.as_ref().is_none_or(|(e, _)| err < *e - 1e-12) {
            best = Some((err, full));
        }
    }
    let (_, c) = best?;
    Some(c.iter().zip(&scale).map(|(v, s)| v / s).collect())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Least squares of `a[:, cols] c = 1` through the normal equations; `None` when singular.
fn solve_subset(a: &[Vec<f64>], cols: &[usize]) -> Option<Vec<f64>> {
    let k = cols.len();
    let mut m = vec![vec![0.0; k + 1]; k];
    for r in a {
        for (i, &ci) in cols.iter().enumerate() {
            for (j, &cj) in cols.iter().enumerate() {
                m[i][j] += r[ci] * r[cj];
            }
            m[i][k] += r[ci];
        }
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..k {
        let pivot = (col..k).max_by(|&x, &y| m[x][col].abs().total_cmp(&m[y][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let p = m[col].clone();
        for (row, r) in m.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / p[col];
                for (x, y) in r.iter_mut().zip(&p).skip(col) {
                    *x -= f * y;
                }
            }
        }
    }
    Some((0..k).map(|i| m[i][k] / m[i][i]).collect())
}

#[cfg(test)]
mod tests {
    use super::fit;

    fn data(coeffs: &[f64], n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let x = (i + 1) as f64;
                vec![1.0, x * x * 1e3, (x * 7.0 % 5.0 + 1.0) * 1e6]
            })
            .collect();
        let ys = rows
            .iter()
            .map(|r| r.iter().zip(coeffs).map(|(a, b)| a * b).sum())
            .collect();
        (rows, ys)
    }

    #[test]
    fn recovers_exact_coefficients() {
        let want = [2.5e5, 3.0, 0.25];
        let (rows, ys) = data(&want, 12);
        let got = fit(&rows, &ys).unwrap();
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= 1e-6 * w, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn coefficients_stay_non_negative() {
        // A negative true coefficient: the constrained fit sets it to zero and refits the rest.
        let (rows, ys) = data(&[1e6, -1.0, 0.5], 12);
        let got = fit(&rows, &ys).unwrap();
        assert!(got.iter().all(|&c| c >= 0.0), "{got:?}");
        assert_eq!(got[1], 0.0);
    }

    #[test]
    fn refuses_unusable_input() {
        assert_eq!(fit(&[], &[]), None);
        assert_eq!(fit(&[vec![1.0]], &[0.0]), None);
        assert_eq!(fit(&[vec![1.0; 9]], &[1.0]), None);
    }
}
