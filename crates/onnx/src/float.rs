//! The float reference: tract runs the typed model, returning every intermediate tensor (for calibration)
//! or just the outputs.

use std::collections::HashMap;

use tract_onnx::prelude::*;

use crate::error::OnnxError;
use crate::load::guard;

/// Calibrated max |value| of every float tensor of the typed graph, by outlet.
pub type Ranges = HashMap<OutletId, f64>;

/// A runnable float model that exposes every node's output.
pub struct FloatRunner {
    plan: Arc<TypedSimplePlan>,
    outlets: Vec<OutletId>,
    output_pos: Vec<usize>,
    /// Shapes of the model inputs.
    pub input_shapes: Vec<Vec<usize>>,
    /// Element types of the model inputs (file values are cast to them).
    input_types: Vec<DatumType>,
}

impl FloatRunner {
    /// Builds the runner from the typed graph.
    pub fn new(model: &TypedModel) -> Result<Self, OnnxError> {
        let ferr = |e: String| OnnxError::Float(e);
        let input_shapes = guard(|| {
            model
                .input_outlets()?
                .iter()
                .map(|o| {
                    Ok(model
                        .outlet_fact(*o)?
                        .shape
                        .as_concrete()
                        .unwrap_or(&[])
                        .to_vec())
                })
                .collect::<TractResult<Vec<_>>>()
        })
        .map_err(ferr)?;
        let mut all = model.clone();
        let real_outputs = model
            .output_outlets()
            .map_err(|e| ferr(e.to_string()))?
            .to_vec();
        let order = model.eval_order().map_err(|e| ferr(e.to_string()))?;
        let mut outlets: Vec<OutletId> = vec![];
        for id in order {
            for slot in 0..model.node(id).outputs.len() {
                outlets.push(OutletId::new(id, slot));
            }
        }
        let output_pos = real_outputs
            .iter()
            .map(|o| {
                outlets
                    .iter()
                    .position(|x| x == o)
                    .ok_or_else(|| ferr(format!("output {o:?} not live")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        all.outputs = outlets.clone();
        let plan = guard(|| all.into_runnable()).map_err(ferr)?;
        let input_types = guard(|| {
            let ins = model.input_outlets()?;
            ins.iter()
                .map(|o| Ok(model.outlet_fact(*o)?.datum_type))
                .collect::<TractResult<Vec<_>>>()
        })
        .map_err(ferr)?;
        Ok(Self {
            plan,
            outlets,
            output_pos,
            input_shapes,
            input_types,
        })
    }

    fn run_raw(&self, inputs: &[Vec<f32>]) -> Result<TVec<TValue>, OnnxError> {
        if inputs.len() != self.input_shapes.len() {
            return Err(OnnxError::Float(format!(
                "model takes {} inputs, got {}",
                self.input_shapes.len(),
                inputs.len()
            )));
        }
        let tensors = inputs
            .iter()
            .zip(&self.input_shapes)
            .enumerate()
            .map(|(i, (x, s))| {
                Tensor::from_shape(s, x)
                    .and_then(|t| t.cast_to_dt(self.input_types[i]).map(|c| c.into_owned()))
                    .map(|t| t.into_tvalue())
                    .map_err(|e| OnnxError::Float(format!("input {i}: expected shape {s:?}: {e}")))
            })
            .collect::<Result<TVec<_>, _>>()?;
        guard(|| self.plan.run(tensors)).map_err(OnnxError::Float)
    }

    /// Number of elements of each model input.
    pub fn input_lens(&self) -> Vec<usize> {
        self.input_shapes
            .iter()
            .map(|s| s.iter().product())
            .collect()
    }

    /// The float outputs.
    pub fn run(&self, inputs: &[Vec<f32>]) -> Result<Vec<Vec<f32>>, OnnxError> {
        let all = self.run_raw(inputs)?;
        self.output_pos.iter().map(|&p| to_f32(&all[p])).collect()
    }

    /// Max |value| of every float tensor over the given samples.
    pub fn calibrate(&self, samples: &[Vec<Vec<f32>>]) -> Result<Ranges, OnnxError> {
        let mut ranges = Ranges::new();
        for sample in samples {
            let all = self.run_raw(sample)?;
            for (o, v) in self.outlets.iter().zip(all.iter()) {
                if v.datum_type() != f32::datum_type() {
                    continue;
                }
                let m = to_f32(v)?
                    .iter()
                    .fold(0f64, |m, x| m.max((*x as f64).abs()));
                let e = ranges.entry(*o).or_insert(0.0);
                *e = e.max(m);
            }
        }
        Ok(ranges)
    }
}

fn to_f32(v: &TValue) -> Result<Vec<f32>, OnnxError> {
    let t = v
        .cast_to::<f32>()
        .map_err(|e| OnnxError::Float(e.to_string()))?;
    let view = t
        .to_plain_array_view::<f32>()
        .map_err(|e| OnnxError::Float(e.to_string()))?;
    Ok(view.iter().copied().collect())
}
