//! Synthetic quantized models that `zkinfer estimate --calibrate` times: MLPs and CNNs (with max and
//! sum pooling) of several sizes, so that every feature of the cost model varies on its own. Weights
//! are deterministic pseudo-random integers; requantizations are chosen from the static bounds the way
//! the quantizer chooses them from calibration data (a calibrated range well inside the bound).

use anyhow::{Context, Result};
use zkinfer_field::SplitMix64;
use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant, choose_requant};

/// Largest accumulator the weights are scaled for (keeps requantizations well inside the field).
const ACC_LIMIT: i64 = 1 << 26;
/// How far inside its static bound an accumulator's calibrated range is assumed to lie.
const RANGE_FRACTION: f64 = 1.0 / 8.0;

/// One synthetic model: an architecture and its activation width (which sets the width of every
/// requantization's and max pooling's limbs, so lookups vary apart from the layer sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synth {
    /// The layers.
    pub arch: Arch,
    /// Bits of the activations (input and requantized tensors).
    pub act_bits: u32,
}

/// A synthetic architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// Input `[1, input]` -> (Dense + bias -> ReLU/requant) per hidden width -> Dense -> 10 + bias.
    Mlp {
        /// Input features.
        input: usize,
        /// Hidden widths (at most 3 used).
        hidden: [usize; 3],
    },
    /// Input `[1, 1, side, side]` -> Conv 3x3 (c, pad 1) -> ReLU/requant -> MaxPool 2x2 ->
    /// Conv 3x3 (2c, pad 1) -> ReLU/requant -> SumPool 2x2 -> requant -> Flatten -> Dense -> 10.
    Cnn {
        /// Image side (a multiple of 4).
        side: usize,
        /// Channels of the first convolution.
        channels: usize,
    },
}

/// The calibration series, smallest first: MACs from about 10^3 to 5 x 10^6, commitments from 2^9
/// to 2^22 elements.
pub fn series() -> Vec<Synth> {
    let mlp = |input, hidden| Arch::Mlp { input, hidden };
    let cnn = |side, channels| Arch::Cnn { side, channels };
    [
        (mlp(64, [16, 0, 0]), 8),
        (cnn(8, 2), 12),
        (mlp(256, [128, 64, 0]), 14),
        (cnn(16, 4), 8),
        (mlp(784, [256, 128, 64]), 12),
        (cnn(28, 8), 14),
        (mlp(1024, [1024, 512, 0]), 8),
        (cnn(32, 16), 12),
        (cnn(64, 8), 8),
        (mlp(2048, [1024, 0, 0]), 14),
        (cnn(64, 16), 14),
    ]
    .map(|(arch, act_bits)| Synth { arch, act_bits })
    .to_vec()
}

impl Synth {
    /// A short name for progress and reports.
    pub fn name(&self) -> String {
        let arch = match self.arch {
            Arch::Mlp { input, hidden } => {
                let h: Vec<String> = hidden
                    .iter()
                    .filter(|&&w| w > 0)
                    .map(|w| w.to_string())
                    .collect();
                format!("mlp-{input}-{}", h.join("-"))
            }
            Arch::Cnn { side, channels } => format!("cnn-{side}x{side}-c{channels}"),
        };
        format!("{arch}-a{}", self.act_bits)
    }

    /// Values the input takes.
    pub fn input_len(&self) -> usize {
        match self.arch {
            Arch::Mlp { input, .. } => input,
            Arch::Cnn { side, .. } => side * side,
        }
    }

    /// The longest contraction (fan-in of a Dense row or a Conv output).
    fn max_fan_in(&self) -> usize {
        match self.arch {
            Arch::Mlp { input, hidden } => hidden.iter().copied().chain([input]).max().unwrap_or(1),
            Arch::Cnn { side, channels: c } => (9 * 2 * c).max(2 * c * (side / 4) * (side / 4)),
        }
    }

    /// The quantization settings: the widest weights (at most the default 12 bits) whose public
    /// accumulator bound, fan-in x weight maximum x activation maximum, stays within `ACC_LIMIT`,
    /// as the quantizer narrows a layer's input to its fan-in and width.
    fn config(&self, act: i64) -> QuantConfig {
        let k = self.max_fan_in() as i64;
        let weight_bits = (2..=QuantConfig::default().weight_bits)
            .rev()
            .find(|&b| k * ((1i64 << (b - 1)) - 1) * act <= ACC_LIMIT)
            .unwrap_or(2);
        QuantConfig {
            weight_bits,
            ..QuantConfig::default()
        }
    }

    /// The quantized model.
    pub fn build(&self) -> Result<QModel> {
        let act = (1i64 << (self.act_bits - 1)) - 1;
        let config = self.config(act);
        let mut g = Gen {
            weight_max: config.weight_max(),
            b: ModelBuilder::new(&self.name(), config),
            rng: SplitMix64(0x5eed_0000 + self.input_len() as u64),
            act,
        };
        let out = match self.arch {
            Arch::Mlp { input, hidden } => {
                let mut x = g.b.input("x", vec![1, input], 1.0, act)?;
                let mut k = input;
                for (i, &n) in hidden.iter().filter(|&&w| w > 0).enumerate() {
                    let d = g.dense(&format!("fc{i}"), x, k, n)?;
                    x = g.requant(&format!("fc{i}/rq"), d, 0)?;
                    k = n;
                }
                g.dense("out", x, k, 10)?
            }
            Arch::Cnn { side, channels: c } => {
                let x = g.b.input("x", vec![1, 1, side, side], 1.0, act)?;
                let c1 = g.conv("conv1", x, 1, c, side)?;
                let r1 = g.requant("conv1/rq", c1, 0)?;
                let half = side / 2;
                let p1 = g.pool("pool1", r1, c, half, true)?;
                let c2 = g.conv("conv2", p1, c, 2 * c, half)?;
                let r2 = g.requant("conv2/rq", c2, 0)?;
                let p2 = g.pool("pool2", r2, 2 * c, half / 2, false)?;
                let r3 = g.requant("pool2/rq", p2, -act)?;
                let k = 2 * c * (half / 2) * (half / 2);
                let f = g.b.push("flat", Op::Reshape, vec![r3], vec![1, k], 1.0)?;
                g.dense("out", f, k, 10)?
            }
        };
        Ok(g.b.finish(vec![out]))
    }

    /// A deterministic input within the activation range.
    pub fn input(&self) -> Vec<i64> {
        let act = (1i64 << (self.act_bits - 1)) - 1;
        let mut g = Gen {
            weight_max: 1,
            b: ModelBuilder::new("input", QuantConfig::default()),
            rng: SplitMix64(0x1_0000 + self.input_len() as u64),
            act,
        };
        (0..self.input_len()).map(|_| g.int(act)).collect()
    }
}

struct Gen {
    b: ModelBuilder,
    rng: SplitMix64,
    /// Largest activation.
    act: i64,
    /// Largest weight of the model's width.
    weight_max: i64,
}

impl Gen {
    /// Uniform in `[-b, b]` (up to a negligible modulo bias), reproducible.
    fn int(&mut self, b: i64) -> i64 {
        (self.rng.next_u64() % (2 * b as u64 + 1)) as i64 - b
    }

    fn ints(&mut self, n: usize, b: i64) -> Vec<i64> {
        (0..n).map(|_| self.int(b)).collect()
    }

    fn dense(&mut self, name: &str, x: usize, k: usize, n: usize) -> Result<usize> {
        let wm = self.weight_max;
        let op = Op::Dense {
            weight: self.ints(k * n, wm),
            in_features: k,
            out_features: n,
        };
        let d = self.b.push(name, op, vec![x], vec![1, n], 1.0)?;
        let bias = Op::Const {
            values: self.ints(n, wm * self.act),
        };
        let b = self
            .b
            .push(&format!("{name}/b"), bias, vec![], vec![n], 1.0)?;
        let add = Op::Add { coeffs: [1, 1] };
        Ok(self
            .b
            .push(&format!("{name}/add"), add, vec![d, b], vec![1, n], 1.0)?)
    }

    fn conv(&mut self, name: &str, x: usize, c: usize, o: usize, side: usize) -> Result<usize> {
        let wm = self.weight_max;
        let op = Op::Conv2d {
            weight: self.ints(9 * c * o, wm),
            weight_shape: [o, c, 3, 3],
            bias: self.ints(o, wm * self.act),
            strides: [1, 1],
            dilations: [1, 1],
            pads: [1, 1, 1, 1],
            group: 1,
        };
        Ok(self
            .b
            .push(name, op, vec![x], vec![1, o, side, side], 1.0)?)
    }

    fn pool(&mut self, name: &str, x: usize, c: usize, out: usize, max: bool) -> Result<usize> {
        let (kernel, strides, pads) = ([2, 2], [2, 2], [0; 4]);
        let op = if max {
            Op::MaxPool2d {
                kernel,
                strides,
                dilations: [1, 1],
                pads,
            }
        } else {
            Op::SumPool2d {
                kernel,
                strides,
                pads,
            }
        };
        Ok(self.b.push(name, op, vec![x], vec![1, c, out, out], 1.0)?)
    }

    /// Requantizes `acc` to `[min, act]` as if calibration had seen a fraction of its bound.
    fn requant(&mut self, name: &str, acc: usize, min: i64) -> Result<usize> {
        let node = self.b.node(acc);
        let (bound, shape) = (node.bound, node.shape.clone());
        let real = self.act as f64 / (bound as f64 * RANGE_FRACTION);
        let (multiplier, shift) = choose_requant(bound, real, 16)
            .with_context(|| format!("{name}: no requantization for bound {bound}"))?;
        let r = Requant {
            multiplier,
            shift,
            min,
            max: self.act,
        };
        Ok(self.b.push(name, Op::Requant(r), vec![acc], shape, 1.0)?)
    }
}
