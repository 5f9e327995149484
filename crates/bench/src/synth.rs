//! Building synthetic quantized models: a deterministic random source for realistic weights, and a
//! model builder that runs every node on a calibration input as it is added, so that each
//! requantization can be chosen from the range its accumulator actually reaches (as the ONNX
//! quantizer does from calibration data, crates/onnx/src/quantize/act.rs).

use anyhow::{Context, Result};
use zkinfer_ir::{BOUND_LIMIT, ModelBuilder, Node, Op, QModel, QuantConfig, Requant};

/// The quantizer's headroom: the calibrated range times this maps to the largest activation.
pub const HEADROOM: f64 = 2.0;

/// Deterministic pseudo-random numbers (splitmix64): the same seed gives the same model.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        let mut s = zkinfer_field::SplitMix64(self.0);
        let v = s.next_u64();
        self.0 = s.0;
        v
    }

    /// Uniform in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// `n` normal weights quantized symmetrically to `[-max_int, max_int]` with the largest one at
    /// `max_int`, as `quantize_weights` does with trained float weights.
    pub fn weights(&mut self, n: usize, max_int: i64) -> Vec<i64> {
        let g: Vec<f64> = (0..n).map(|_| self.normal()).collect();
        let m = g
            .iter()
            .fold(0f64, |a, x| a.max(x.abs()))
            .max(f64::MIN_POSITIVE);
        g.iter()
            .map(|x| (x * max_int as f64 / m).round() as i64)
            .collect()
    }

    /// `n` normal values of standard deviation `sd`, clamped to `[lo, hi]`.
    pub fn normals(&mut self, n: usize, sd: f64, lo: i64, hi: i64) -> Vec<i64> {
        (0..n)
            .map(|_| ((self.normal() * sd).round() as i64).clamp(lo, hi))
            .collect()
    }
}

/// Largest row sum of |w| any weights of the width could have, `k` x the width's maximum: what one
/// output can reach per unit of input bound, as the verifier derives it from the key (the static
/// bounds never read the weights).
pub fn row_max(cfg: &QuantConfig, k: usize) -> i64 {
    (k as i64 * cfg.weight_max()).max(1)
}

/// Largest activation a layer with row sum `row_max` may read, as the ONNX quantizer narrows it:
/// `divisor` = 2 for dense layers (room for the bias add), 4 for convolutions.
pub fn input_limit(cfg: &QuantConfig, row_max: i64, divisor: i64) -> i64 {
    cfg.act_max().min(BOUND_LIMIT / divisor / row_max).max(1)
}

/// Root mean square of the values.
pub fn rms(v: &[i64]) -> f64 {
    let s: f64 = v.iter().map(|&x| (x as f64) * (x as f64)).sum();
    (s / v.len().max(1) as f64).sqrt()
}

/// A [`ModelBuilder`] that also keeps every node's tensor on one calibration input.
pub struct Gen {
    b: ModelBuilder,
    cfg: QuantConfig,
    vals: Vec<Vec<i64>>,
}

impl Gen {
    /// An empty model.
    pub fn new(name: &str, cfg: QuantConfig) -> Self {
        Self {
            b: ModelBuilder::new(name, cfg.clone()),
            cfg,
            vals: vec![],
        }
    }

    /// The quantization settings.
    pub fn cfg(&self) -> &QuantConfig {
        &self.cfg
    }

    /// The model input, and its calibration values.
    pub fn input(
        &mut self,
        shape: Vec<usize>,
        scale: f64,
        bound: i64,
        x: Vec<i64>,
    ) -> Result<usize> {
        let id = self.b.input("x", shape, scale, bound)?;
        self.vals.push(x);
        Ok(id)
    }

    /// Appends a node and runs it on its inputs' calibration values (through the reference
    /// evaluator, on a model holding just this node).
    pub fn push(
        &mut self,
        name: &str,
        op: Op,
        inputs: Vec<usize>,
        shape: Vec<usize>,
        scale: f64,
    ) -> Result<usize> {
        let mut mb = ModelBuilder::new(name, self.cfg.clone());
        let mut ins = vec![];
        for &i in &inputs {
            let n = self.b.node(i);
            ins.push(mb.input(&n.name, n.shape.clone(), n.scale, n.bound)?);
        }
        let one = mb.push(name, op.clone(), ins, shape.clone(), scale)?;
        let args: Vec<Vec<i64>> = inputs.iter().map(|&i| self.vals[i].clone()).collect();
        let mut trace = zkinfer_ir::evaluate(&mb.finish(vec![one]), &args)
            .with_context(|| format!("calibrating {name}"))?;
        let id = self
            .b
            .push(name, op, inputs, shape, scale)
            .with_context(|| format!("adding {name}"))?;
        self.vals.push(trace.values.pop().unwrap_or_default());
        Ok(id)
    }

    /// Node `id`.
    pub fn node(&self, id: usize) -> &Node {
        self.b.node(id)
    }

    /// Node `id`'s calibration values.
    pub fn vals(&self, id: usize) -> &[i64] {
        &self.vals[id]
    }

    /// Requantizes accumulator `acc` with a fused ReLU (lower clamp 0) so that its calibrated
    /// positive range times [`HEADROOM`] maps to `max_int`, never above: the rescale is chosen as
    /// the ONNX quantizer chooses it (`choose_requant` keeps `bound * m + offset` below the field
    /// limit).
    pub fn requant_relu(&mut self, name: &str, acc: usize, max_int: i64) -> Result<usize> {
        let node = self.node(acc);
        let (bound, scale, shape) = (node.bound, node.scale, node.shape.clone());
        let range = self.vals(acc).iter().copied().max().unwrap_or(1).max(1) as f64;
        let real = max_int as f64 / (range * HEADROOM);
        let (m, s) = zkinfer_ir::choose_requant(bound, real, self.cfg.max_multiplier_bits)
            .with_context(|| format!("{name}: no requantization of bound {bound} fits"))?;
        let r = Requant {
            multiplier: m,
            shift: s,
            min: 0,
            max: max_int,
        };
        let out_scale = scale * 2f64.powi(s as i32) / m as f64;
        self.push(name, Op::Requant(r), vec![acc], shape, out_scale)
    }

    /// The finished model with output `out`.
    pub fn finish(self, out: usize) -> QModel {
        self.b.finish(vec![out])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_normal_with_the_max_at_the_limit() {
        let w = Rng::new(7).weights(20_000, 2047);
        assert_eq!(w.iter().map(|v| v.abs()).max(), Some(2047));
        // For 20k normal samples the largest is ~4 standard deviations out.
        let ratio = 2047.0 / rms(&w);
        assert!((3.3..5.0).contains(&ratio), "max/rms = {ratio}");
        let mean = w.iter().sum::<i64>() as f64 / w.len() as f64;
        assert!(mean.abs() < 0.05 * rms(&w));
    }

    #[test]
    fn same_seed_same_values() {
        assert_eq!(Rng::new(3).weights(50, 100), Rng::new(3).weights(50, 100));
        assert_ne!(Rng::new(3).weights(50, 100), Rng::new(4).weights(50, 100));
    }

    #[test]
    fn row_max_and_input_limit() {
        let cfg = QuantConfig::default();
        assert_eq!(row_max(&cfg, 3), 3 * 2047);
        assert_eq!(input_limit(&cfg, 1, 2), cfg.act_max());
        assert_eq!(input_limit(&cfg, 1 << 20, 2), BOUND_LIMIT / 2 / (1 << 20));
    }
}
