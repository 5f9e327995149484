//! The scaling series: two families of synthetic quantized models (MLPs and CNNs) from about 10^3 to
//! 10^8 multiply-accumulates, with deterministic normal weights quantized to 12 bits and activations of
//! at most 16 bits (narrowed where a wide layer needs it, as the ONNX quantizer does).

use anyhow::{Result, bail};
use zkinfer_ir::{Op, QModel, QuantConfig};

use crate::synth::{Gen, Rng, input_limit, rms, row_max};

/// Classes of the output layer.
const CLASSES: usize = 10;

/// Input channels of the CNNs (an RGB image).
const CNN_IN_CHANNELS: usize = 3;

/// One model of the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// Input `[1, w]` -> Dense w->w + bias -> ReLU/requant -> Dense w->w + bias -> ReLU/requant ->
    /// Dense w->10 + bias.
    Mlp { width: usize },
    /// Input `[1, 3, s, s]` -> Conv 3x3 (c channels, pad 1) -> ReLU/requant -> MaxPool 2x2 ->
    /// Conv 3x3 (2c channels, pad 1) -> ReLU/requant -> MaxPool 2x2 -> Flatten -> Dense -> 10 + bias.
    Cnn { side: usize, channels: usize },
}

/// The MLP family, smallest first (MACs ~ 2 w^2: 672 to 1.3e8).
pub fn mlps() -> Vec<Arch> {
    [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]
        .map(|width| Arch::Mlp { width })
        .to_vec()
}

/// The CNN family, smallest first (MACs ~ 27 c s^2 + 4.5 c^2 s^2: 2.1e3 to 5.3e9).
pub fn cnns() -> Vec<Arch> {
    [
        (8, 1),
        (8, 4),
        (16, 4),
        (16, 8),
        (32, 8),
        (32, 16),
        (64, 16),
        (64, 32),
        (128, 32),
        (128, 64),
        (256, 64),
        (256, 128),
    ]
    .map(|(side, channels)| Arch::Cnn { side, channels })
    .to_vec()
}

impl Arch {
    /// `mlp` or `cnn`.
    pub fn family(&self) -> &'static str {
        match self {
            Arch::Mlp { .. } => "mlp",
            Arch::Cnn { .. } => "cnn",
        }
    }

    /// A short unique name, parsed back by [`Arch::parse`].
    pub fn name(&self) -> String {
        match *self {
            Arch::Mlp { width } => format!("mlp-w{width}"),
            Arch::Cnn { side, channels } => format!("cnn-s{side}-c{channels}"),
        }
    }

    /// The architecture named `name` by [`Arch::name`].
    pub fn parse(name: &str) -> Result<Self> {
        let num = |s: &str| s.parse::<usize>().ok().filter(|&v| v > 0);
        if let Some(w) = name.strip_prefix("mlp-w").and_then(num) {
            return Ok(Arch::Mlp { width: w });
        }
        if let Some((s, c)) = name.strip_prefix("cnn-s").and_then(|r| r.split_once("-c"))
            && let (Some(side), Some(channels)) = (num(s), num(c))
            && side.is_multiple_of(4)
        {
            return Ok(Arch::Cnn { side, channels });
        }
        bail!(
            "unknown scaling model {name:?} (expected mlp-w<W> or cnn-s<S>-c<C>, S a multiple of 4)"
        )
    }

    /// One line describing the layers.
    pub fn describe(&self) -> String {
        match *self {
            Arch::Mlp { width: w } => format!("Dense {w}-{w}-{w}-{CLASSES}"),
            Arch::Cnn {
                side: s,
                channels: c,
            } => format!(
                "{CNN_IN_CHANNELS}x{s}x{s}: Conv3x3x{c}-Pool-Conv3x3x{}-Pool-Dense{CLASSES}",
                2 * c
            ),
        }
    }

    /// Multiply-accumulates of one inference, from the architecture alone.
    pub fn macs(&self) -> u64 {
        let m = match *self {
            Arch::Mlp { width: w } => 2 * w * w + w * CLASSES,
            Arch::Cnn {
                side: s,
                channels: c,
            } => {
                let conv1 = c * s * s * CNN_IN_CHANNELS * 9;
                let conv2 = 2 * c * (s / 2) * (s / 2) * c * 9;
                let dense = 2 * c * (s / 4) * (s / 4) * CLASSES;
                conv1 + conv2 + dense
            }
        };
        m as u64
    }

    /// The quantized model and an input to prove it on (another draw than the calibration input).
    pub fn build(&self) -> Result<(QModel, Vec<i64>)> {
        let seed = self.name().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        });
        let mut rng = Rng::new(seed);
        match *self {
            Arch::Mlp { width } => mlp(&self.name(), width, &mut rng),
            Arch::Cnn { side, channels } => cnn(&self.name(), side, channels, &mut rng),
        }
    }
}

/// Normal biases of standard deviation a quarter of the accumulator's expected spread
/// (`rms(row of w) * sqrt(k) * rms(x)`), in accumulator units.
fn biases(rng: &mut Rng, w: &[i64], k: usize, x: &[i64], n: usize) -> Vec<i64> {
    let spread = rms(w) * (k as f64).sqrt() * rms(x);
    let lim = (spread * 4.0) as i64;
    rng.normals(n, spread / 4.0, -lim, lim)
}

/// `Dense(x) + bias`: returns the sum's node.
fn dense(g: &mut Gen, rng: &mut Rng, tag: &str, x: usize, w: Vec<i64>, n: usize) -> Result<usize> {
    let shape = g.node(x).shape.clone();
    let k = *shape.last().unwrap_or(&1);
    let b = biases(rng, &w, k, g.vals(x), n);
    let scale = g.node(x).scale / g.cfg().weight_max() as f64;
    let op = Op::Dense {
        weight: w,
        in_features: k,
        out_features: n,
    };
    let mut out_shape = shape;
    if let Some(last) = out_shape.last_mut() {
        *last = n;
    }
    let d = g.push(
        &format!("{tag}/dense"),
        op,
        vec![x],
        out_shape.clone(),
        scale,
    )?;
    let c = g.push(
        &format!("{tag}/bias"),
        Op::Const { values: b },
        vec![],
        vec![n],
        scale,
    )?;
    let add = Op::Add { coeffs: [1, 1] };
    g.push(&format!("{tag}/add"), add, vec![d, c], out_shape, scale)
}

fn mlp(name: &str, w: usize, rng: &mut Rng) -> Result<(QModel, Vec<i64>)> {
    let cfg = QuantConfig::default();
    let dims = [w, w, w, CLASSES];
    let ws: Vec<Vec<i64>> = (0..3)
        .map(|l| rng.weights(dims[l] * dims[l + 1], cfg.weight_max()))
        .collect();
    let limits: Vec<i64> = (0..3)
        .map(|l| input_limit(&cfg, row_max(&cfg, dims[l]), 2))
        .collect();
    // Normalised features: normal, the calibrated range (~4 sd) times the headroom at the limit.
    let sd = limits[0] as f64 / 8.0;
    let calib = rng.normals(w, sd, -limits[0], limits[0]);
    let x_prove = rng.normals(w, sd, -limits[0], limits[0]);
    let mut g = Gen::new(name, cfg);
    let mut x = g.input(vec![1, w], 1.0 / limits[0] as f64, limits[0], calib)?;
    for (l, wl) in ws.into_iter().enumerate() {
        let acc = dense(&mut g, rng, &format!("fc{l}"), x, wl, dims[l + 1])?;
        x = match limits.get(l + 1) {
            Some(&lim) => g.requant_relu(&format!("fc{l}/requant"), acc, lim)?,
            None => acc,
        };
    }
    Ok((g.finish(x), x_prove))
}

/// `Conv3x3(x)` with `o` output channels, padding 1, bias inside.
fn conv(g: &mut Gen, rng: &mut Rng, tag: &str, x: usize, w: Vec<i64>, o: usize) -> Result<usize> {
    let &[n, c, h, wd] = g.node(x).shape.as_slice() else {
        bail!("{tag}: input is not NCHW");
    };
    let bias = biases(rng, &w, c * 9, g.vals(x), o);
    let scale = g.node(x).scale / g.cfg().weight_max() as f64;
    let op = Op::Conv2d {
        weight: w,
        weight_shape: [o, c, 3, 3],
        bias,
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1, 1, 1, 1],
        group: 1,
    };
    g.push(
        &format!("{tag}/conv"),
        op,
        vec![x],
        vec![n, o, h, wd],
        scale,
    )
}

fn pool(g: &mut Gen, tag: &str, x: usize) -> Result<usize> {
    let node = g.node(x);
    let (scale, &[n, c, h, w]) = (node.scale, node.shape.as_slice()) else {
        bail!("{tag}: input is not NCHW");
    };
    let op = Op::MaxPool2d {
        kernel: [2, 2],
        strides: [2, 2],
        dilations: [1, 1],
        pads: [0; 4],
    };
    g.push(
        &format!("{tag}/pool"),
        op,
        vec![x],
        vec![n, c, h / 2, w / 2],
        scale,
    )
}

fn cnn(name: &str, s: usize, c: usize, rng: &mut Rng) -> Result<(QModel, Vec<i64>)> {
    let cfg = QuantConfig::default();
    let cin = CNN_IN_CHANNELS;
    let flat = 2 * c * (s / 4) * (s / 4);
    let k1 = rng.weights(c * cin * 9, cfg.weight_max());
    let k2 = rng.weights(2 * c * c * 9, cfg.weight_max());
    let fc = rng.weights(CLASSES * flat, cfg.weight_max());
    let lim1 = input_limit(&cfg, row_max(&cfg, cin * 9), 4);
    let lim2 = input_limit(&cfg, row_max(&cfg, c * 9), 4);
    let lim3 = input_limit(&cfg, row_max(&cfg, flat), 2);
    // Pixels: uniform in [0, lim1 / HEADROOM].
    let pixels = |rng: &mut Rng| -> Vec<i64> {
        (0..cin * s * s)
            .map(|_| (rng.uniform() * lim1 as f64 / 2.0) as i64)
            .collect()
    };
    let (calib, x_prove) = (pixels(rng), pixels(rng));
    let mut g = Gen::new(name, cfg);
    let x = g.input(vec![1, cin, s, s], 1.0 / lim1 as f64, lim1, calib)?;
    let a1 = conv(&mut g, rng, "conv1", x, k1, c)?;
    let r1 = g.requant_relu("conv1/requant", a1, lim2)?;
    let p1 = pool(&mut g, "conv1", r1)?;
    let a2 = conv(&mut g, rng, "conv2", p1, k2, 2 * c)?;
    let r2 = g.requant_relu("conv2/requant", a2, lim3)?;
    let p2 = pool(&mut g, "conv2", r2)?;
    let sc = g.node(p2).scale;
    let f = g.push("flatten", Op::Reshape, vec![p2], vec![1, flat], sc)?;
    let out = dense(&mut g, rng, "fc", f, fc, CLASSES)?;
    Ok((g.finish(out), x_prove))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::macs;
    use zkinfer_ir::Op;

    fn small() -> Vec<Arch> {
        let mut v = mlps()[..3].to_vec();
        v.extend_from_slice(&cnns()[..3]);
        v
    }

    #[test]
    fn names_round_trip() {
        for a in mlps().into_iter().chain(cnns()) {
            assert_eq!(Arch::parse(&a.name()).unwrap(), a);
        }
        assert!(Arch::parse("cnn-s10-c2").is_err());
        assert!(Arch::parse("mlp-w0").is_err());
    }

    #[test]
    fn series_spans_1e3_to_1e8_macs() {
        for fam in [mlps(), cnns()] {
            assert!(fam.windows(2).all(|p| p[0].macs() < p[1].macs()));
            assert!(fam[0].macs() < 3_000 && fam[fam.len() - 1].macs() > 100_000_000);
        }
    }

    #[test]
    fn built_models_have_the_architectures_macs() {
        for a in small() {
            let (m, _) = a.build().unwrap();
            assert_eq!(macs(&m), a.macs(), "{}", a.name());
        }
    }

    /// Activations use their range without saturating: each hidden requantization's output on the
    /// proving input reaches at least 1/16 of its clamp and saturates on few elements.
    #[test]
    fn requantization_keeps_activations_in_range() {
        for a in small() {
            let (m, x) = a.build().unwrap();
            let trace = zkinfer_ir::evaluate(&m, &[x]).unwrap();
            let mut seen = 0;
            for (id, node) in m.nodes.iter().enumerate() {
                let Op::Requant(r) = &node.op else { continue };
                seen += 1;
                let v = &trace.values[id];
                let top = v.iter().copied().max().unwrap();
                let sat = v.iter().filter(|&&q| q == r.max).count();
                assert!(
                    top >= r.max / 16,
                    "{}: {} uses {top} of {}",
                    a.name(),
                    node.name,
                    r.max
                );
                assert!(
                    sat * 20 <= v.len(),
                    "{}: {} saturates {sat}/{}",
                    a.name(),
                    node.name,
                    v.len()
                );
            }
            assert_eq!(seen, 2, "{}", a.name());
        }
    }

    #[test]
    fn smallest_models_prove_and_verify() {
        for a in [mlps()[0], cnns()[0]] {
            let (m, x) = a.build().unwrap();
            let (pk, vk) = zkinfer_protocol::setup(m, zkinfer_protocol::ProofMode::Plain).unwrap();
            let (out, proof) = zkinfer_protocol::prove(&pk, &x).unwrap();
            zkinfer_protocol::verify(&vk, &x, &out, &proof).unwrap();
        }
    }
}
