//! End-to-end tests of the model proof on small models built here.

use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant};

use crate::{ModelProof, ProverKey, VerifierKey, prove, setup, verify};

struct Rng(u64);
impl Rng {
    fn small(&mut self, b: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % (2 * b as u64 + 1)) as i64 - b
    }
    fn vec(&mut self, n: usize, b: i64) -> Vec<i64> {
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

/// Input [1, 12] -> Dense 12->6 -> +bias -> Requant+ReLU -> Dense 6->3 -> +bias.
pub(crate) fn mlp(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("mlp", QuantConfig::default());
    let x = b.input("x", vec![1, 12], 1.0, 127).unwrap();
    let d1 = b
        .push(
            "d1",
            Op::Dense {
                weight: r.vec(72, 127),
                in_features: 12,
                out_features: 6,
            },
            vec![x],
            vec![1, 6],
            1.0,
        )
        .unwrap();
    let b1 = b
        .push(
            "b1",
            Op::Const {
                values: r.vec(6, 500),
            },
            vec![],
            vec![6],
            1.0,
        )
        .unwrap();
    let a1 = b
        .push(
            "a1",
            Op::Add { coeffs: [1, 1] },
            vec![d1, b1],
            vec![1, 6],
            1.0,
        )
        .unwrap();
    let q1 = b
        .push("q1", rq(5, 10, 0), vec![a1], vec![1, 6], 1.0)
        .unwrap();
    let d2 = b
        .push(
            "d2",
            Op::Dense {
                weight: r.vec(18, 127),
                in_features: 6,
                out_features: 3,
            },
            vec![q1],
            vec![1, 3],
            1.0,
        )
        .unwrap();
    let b2 = b
        .push(
            "b2",
            Op::Const {
                values: r.vec(3, 500),
            },
            vec![],
            vec![3],
            1.0,
        )
        .unwrap();
    let out = b
        .push(
            "a2",
            Op::Add { coeffs: [1, 1] },
            vec![d2, b2],
            vec![1, 3],
            1.0,
        )
        .unwrap();
    b.finish(vec![out])
}

/// Input [1,1,6,6] -> Conv 3x3 (2 channels, pad 1) -> Requant+ReLU -> SumPool 2x2 -> Requant ->
/// Reshape [1, 18] -> Dense 18->4.
pub(crate) fn cnn(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("cnn", QuantConfig::default());
    let x = b.input("x", vec![1, 1, 6, 6], 1.0, 127).unwrap();
    let conv = Op::Conv2d {
        weight: r.vec(18, 127),
        weight_shape: [2, 1, 3, 3],
        bias: r.vec(2, 300),
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1, 1, 1, 1],
        group: 1,
    };
    let c = b
        .push("conv", conv, vec![x], vec![1, 2, 6, 6], 1.0)
        .unwrap();
    let q = b
        .push("q", rq(3, 9, 0), vec![c], vec![1, 2, 6, 6], 1.0)
        .unwrap();
    let p = b
        .push(
            "pool",
            Op::SumPool2d {
                kernel: [2, 2],
                strides: [2, 2],
                pads: [0; 4],
            },
            vec![q],
            vec![1, 2, 3, 3],
            1.0,
        )
        .unwrap();
    let q2 = b
        .push("q2", rq(1, 2, -127), vec![p], vec![1, 2, 3, 3], 1.0)
        .unwrap();
    let f = b
        .push("flat", Op::Reshape, vec![q2], vec![1, 18], 1.0)
        .unwrap();
    let out = b
        .push(
            "fc",
            Op::Dense {
                weight: r.vec(72, 127),
                in_features: 18,
                out_features: 4,
            },
            vec![f],
            vec![1, 4],
            1.0,
        )
        .unwrap();
    b.finish(vec![out])
}

pub(crate) fn proven(
    model: QModel,
    input: &[i64],
) -> (ProverKey, VerifierKey, Vec<i64>, ModelProof) {
    let (pk, vk) = setup(model).unwrap();
    let (out, proof) = prove(&pk, input).unwrap();
    (pk, vk, out, proof)
}

#[test]
fn mlp_proves_and_verifies_with_the_reference_output() {
    let model = mlp(1);
    let input = Rng(2).vec(12, 127);
    let expected = zkinfer_ir::evaluate(&model, &[input.clone()]).unwrap();
    let (_, vk, out, proof) = proven(model.clone(), &input);
    assert_eq!(out, expected.values[*model.outputs.first().unwrap()]);
    let v = verify(&vk, &input, &out, &proof).unwrap();
    assert!(v.soundness_bits >= 100.0, "{}", v.soundness_bits);
}

#[test]
fn cnn_proves_and_verifies() {
    let model = cnn(3);
    let input = Rng(4).vec(36, 127);
    let (_, vk, out, proof) = proven(model, &input);
    verify(&vk, &input, &out, &proof).unwrap();
}

#[test]
fn wrong_output_or_input_is_rejected() {
    let model = mlp(5);
    let input = Rng(6).vec(12, 127);
    let (_, vk, out, proof) = proven(model, &input);
    for i in 0..out.len() {
        let mut bad = out.clone();
        bad[i] += 1;
        assert!(verify(&vk, &input, &bad, &proof).is_err(), "output {i}");
    }
    for i in 0..input.len() {
        let mut bad = input.clone();
        bad[i] = if bad[i] == 0 { 1 } else { 0 };
        assert!(verify(&vk, &bad, &out, &proof).is_err(), "input {i}");
    }
}

#[test]
fn other_weights_or_model_are_rejected() {
    let input = Rng(8).vec(12, 127);
    let (_, vk, out, proof) = proven(mlp(7), &input);
    // Same architecture, other weights: a different commitment.
    let (_, vk_other, ..) = proven(mlp(9), &input);
    assert_ne!(vk.weight_commitment, vk_other.weight_commitment);
    assert!(verify(&vk_other, &input, &out, &proof).is_err());
    let mut vk_swapped = vk.clone();
    vk_swapped.weight_commitment = vk_other.weight_commitment.clone();
    assert!(verify(&vk_swapped, &input, &out, &proof).is_err());
    // A changed architecture: the model hash no longer matches, then a recomputed hash changes
    // the statement.
    let mut vk_arch = vk.clone();
    if let Op::Requant(r) = &mut vk_arch.architecture.nodes[4].op {
        r.shift += 1;
    }
    assert!(verify(&vk_arch, &input, &out, &proof).is_err());
    vk_arch.model_hash = crate::model_hash(&vk_arch.architecture);
    assert!(verify(&vk_arch, &input, &out, &proof).is_err());
}
