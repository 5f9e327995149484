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

impl crate::QModel {
    /// Quantizes float inputs (one flat row-major list per model input) at the input nodes' scales,
    /// checking count, lengths and finiteness.
    pub fn quantize_inputs(&self, inputs: &[Vec<f64>]) -> Result<Vec<Vec<i64>>, crate::IrError> {
        if inputs.len() != self.inputs.len() {
            let detail = format!(
                "model takes {} inputs, got {}",
                self.inputs.len(),
                inputs.len()
            );
            return Err(crate::IrError::Input {
                index: inputs.len(),
                detail,
            });
        }
        self.inputs
            .iter()
            .zip(inputs)
            .enumerate()
            .map(|(index, (&id, x))| {
                let node = &self.nodes[id];
                if x.len() != self.len_of(id) {
                    let detail = format!(
                        "expected {} values (shape {:?}), got {}",
                        self.len_of(id),
                        node.shape,
                        x.len()
                    );
                    return Err(crate::IrError::Input { index, detail });
                }
                if let Some(i) = x.iter().position(|v| !v.is_finite()) {
                    return Err(crate::IrError::Input {
                        index,
                        detail: format!("value {i} is not finite"),
                    });
                }
                Ok(x.iter()
                    .map(|&v| quantize_value(v, node.scale, node.bound))
                    .collect())
            })
            .collect()
    }

    /// Real values of the model outputs of a trace.
    pub fn dequantize_outputs(&self, trace: &crate::Trace) -> Vec<Vec<f64>> {
        self.outputs
            .iter()
            .map(|&o| dequantize(&trace.values[o], self.nodes[o].scale))
            .collect()
    }
}
