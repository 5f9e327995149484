//! Float <-> integer conversion at the model's edges (outside the integer semantics).

/// Quantizes a real value at `scale`: `floor(x / scale + 1/2)` clamped to `[-max_abs, max_abs]`.
/// Non-finite values are the caller's responsibility (the loaders reject them).
pub fn quantize_value(x: f64, scale: f64, max_abs: i64) -> i64 {
    let q = (x / scale + 0.5).floor();
    q.clamp(-max_abs as f64, max_abs as f64) as i64
}

/// Real values of a tensor at `scale`.
pub fn dequantize(values: &[i64], scale: f64) -> Vec<f64> {
    values.iter().map(|&q| q as f64 * scale).collect()
}
