//! Small quantized models and a proving helper, shared by the unit tests and the integration tests
//! (tests/tamper.rs). Not part of the protocol: test fixtures only, so they panic on bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant};

use crate::{ModelProof, ProverKey, VerifierKey, prove, setup};

/// A seeded generator for weights and inputs ([`zkinfer_field::SplitMix64`]; tests must be
/// reproducible).
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// A value in `[-b, b]`.
    pub fn small(&mut self, b: i64) -> i64 {
        let mut s = zkinfer_field::SplitMix64(self.0);
        let v = s.next_u64();
        self.0 = s.0;
        (v % (2 * b as u64 + 1)) as i64 - b
    }

    /// `n` values in `[-b, b]`.
    pub fn vec(&mut self, n: usize, b: i64) -> Vec<i64> {
        (0..n).map(|_| self.small(b)).collect()
    }
}

fn rq(multiplier: i64, shift: u32, min: i64) -> Op {
    Op::Requant(Requant {
        multiplier,
        shift,
        min,
        max: 127,
    })
}

fn dense(r: &mut Rng, in_features: usize, out_features: usize) -> Op {
    Op::Dense {
        weight: r.vec(in_features * out_features, 127),
        in_features,
        out_features,
    }
}

fn conv3x3(r: &mut Rng, channels: usize) -> Op {
    Op::Conv2d {
        weight: r.vec(9 * channels, 127),
        weight_shape: [channels, 1, 3, 3],
        bias: r.vec(channels, 300),
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1, 1, 1, 1],
        group: 1,
    }
}

/// Input [1, 12] -> Dense 12->6 -> +bias -> Requant+ReLU -> Dense 6->3 -> +bias.
pub fn mlp(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("mlp", QuantConfig::default());
    let x = b.input("x", vec![1, 12], 1.0, 127).unwrap();
    let d1 = b
        .push("d1", dense(&mut r, 12, 6), vec![x], vec![1, 6], 1.0)
        .unwrap();
    let bias1 = Op::Const {
        values: r.vec(6, 500),
    };
    let b1 = b.push("b1", bias1, vec![], vec![6], 1.0).unwrap();
    let add = Op::Add { coeffs: [1, 1] };
    let a1 = b
        .push("a1", add.clone(), vec![d1, b1], vec![1, 6], 1.0)
        .unwrap();
    let q1 = b
        .push("q1", rq(5, 10, 0), vec![a1], vec![1, 6], 1.0)
        .unwrap();
    let d2 = b
        .push("d2", dense(&mut r, 6, 3), vec![q1], vec![1, 3], 1.0)
        .unwrap();
    let bias2 = Op::Const {
        values: r.vec(3, 500),
    };
    let b2 = b.push("b2", bias2, vec![], vec![3], 1.0).unwrap();
    let out = b.push("a2", add, vec![d2, b2], vec![1, 3], 1.0).unwrap();
    b.finish(vec![out])
}

/// Input [1,1,6,6] -> Conv 3x3 (2 channels, pad 1) -> Requant+ReLU -> SumPool 2x2 -> Requant ->
/// Reshape [1, 18] -> Dense 18->4.
pub fn cnn(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("cnn", QuantConfig::default());
    let x = b.input("x", vec![1, 1, 6, 6], 1.0, 127).unwrap();
    let c = b
        .push("conv", conv3x3(&mut r, 2), vec![x], vec![1, 2, 6, 6], 1.0)
        .unwrap();
    let q = b
        .push("q", rq(3, 9, 0), vec![c], vec![1, 2, 6, 6], 1.0)
        .unwrap();
    let pool = Op::SumPool2d {
        kernel: [2, 2],
        strides: [2, 2],
        pads: [0; 4],
    };
    let p = b
        .push("pool", pool, vec![q], vec![1, 2, 3, 3], 1.0)
        .unwrap();
    let q2 = b
        .push("q2", rq(1, 2, -127), vec![p], vec![1, 2, 3, 3], 1.0)
        .unwrap();
    let f = b
        .push("flat", Op::Reshape, vec![q2], vec![1, 18], 1.0)
        .unwrap();
    let out = b
        .push("fc", dense(&mut r, 18, 4), vec![f], vec![1, 4], 1.0)
        .unwrap();
    b.finish(vec![out])
}

/// Input [1,1,8,8] -> Conv 3x3 (2 channels, pad 1) -> Requant (min 0) -> MaxPool 2x2 stride 2 ->
/// Reshape [1, 32] -> Dense 32->4.
pub fn maxpool(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("maxpool", QuantConfig::default());
    let x = b.input("x", vec![1, 1, 8, 8], 1.0, 127).unwrap();
    let c = b
        .push("conv", conv3x3(&mut r, 2), vec![x], vec![1, 2, 8, 8], 1.0)
        .unwrap();
    let q = b
        .push("q", rq(3, 9, 0), vec![c], vec![1, 2, 8, 8], 1.0)
        .unwrap();
    let pool = Op::MaxPool2d {
        kernel: [2, 2],
        strides: [2, 2],
        dilations: [1, 1],
        pads: [0; 4],
    };
    let p = b
        .push("pool", pool, vec![q], vec![1, 2, 4, 4], 1.0)
        .unwrap();
    let f = b
        .push("flat", Op::Reshape, vec![p], vec![1, 32], 1.0)
        .unwrap();
    let out = b
        .push("fc", dense(&mut r, 32, 4), vec![f], vec![1, 4], 1.0)
        .unwrap();
    b.finish(vec![out])
}

/// Input [1, 4] -> Dense 4->2: a purely linear model, with no witness commitment.
pub fn linear(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("linear", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let out = b
        .push("d", dense(&mut r, 4, 2), vec![x], vec![1, 2], 1.0)
        .unwrap();
    b.finish(vec![out])
}

/// Input [1, 4] -> Dense 4->1: a linear regression with a single output.
pub fn regression(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("regression", QuantConfig::default());
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let out = b
        .push("d", dense(&mut r, 4, 1), vec![x], vec![1, 1], 1.0)
        .unwrap();
    b.finish(vec![out])
}

/// Number of input values `model` takes.
pub fn input_len(model: &QModel) -> usize {
    let id = model.inputs[0];
    model.nodes[id].shape.iter().product()
}

/// Sets up `model` and proves it on `input`: the keys, the output and the proof.
pub fn proven(model: QModel, input: &[i64]) -> (ProverKey, VerifierKey, Vec<i64>, ModelProof) {
    let (pk, vk) = setup(model, crate::ProofMode::Plain).unwrap();
    let (out, proof) = prove(&pk, input).unwrap();
    (pk, vk, out, proof)
}

/// Input [1, 8] -> Dense 8->4 ("d") -> ReLU ("relu", the model output) -> Requant ("q", read by
/// nothing): the ReLU is read only by a requantization, so it would be fused, and its output
/// claim dropped, were it not an output (soundness issue, item 2).
pub fn relu_output(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("relu_output", QuantConfig::default());
    let x = b.input("x", vec![1, 8], 1.0, 127).unwrap();
    let d = b
        .push("d", dense(&mut r, 8, 4), vec![x], vec![1, 4], 1.0)
        .unwrap();
    let relu = Op::Clamp {
        min: 0,
        max: b.node(d).bound,
    };
    let out = b.push("relu", relu, vec![d], vec![1, 4], 1.0).unwrap();
    b.push("q", rq(5, 10, 0), vec![out], vec![1, 4], 1.0)
        .unwrap();
    b.finish(vec![out])
}
