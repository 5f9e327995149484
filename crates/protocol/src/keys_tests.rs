//! Tests of setup's two modes: what each verifier key holds, and that a key serves one mode only.

use zkinfer_pcs::Commitment;

use super::*;
use crate::test_support::{Rng, input_len, mlp};
use crate::{check_provable, prove, prove_zk, verify, verify_zk};

/// Whether `haystack` contains any 12-byte window of `needle` (a key could hold the commitment's
/// root in another encoding than `Commitment::to_bytes`; its bytes would still show up in runs).
fn contains_part_of(haystack: &[u8], needle: &[u8]) -> bool {
    needle
        .windows(12)
        .any(|w| haystack.windows(w.len()).any(|h| h == w))
}

fn plain_commitment(pk: &ProverKey) -> Commitment {
    let plan = Plan::compile(&pk.model).unwrap();
    commit_weights(&pk.model, &plan).unwrap().0
}

/// Issue item 6: a zero-knowledge verifier key holds no value deterministic in the weights. Its
/// bytes do not contain the plain weight commitment `C_W`, and two setups of the same weights
/// give keys that differ exactly in the salted digest.
#[test]
fn a_zero_knowledge_verifier_key_holds_no_weight_commitment() {
    let model = mlp(5);
    let (pk, vk) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    assert_eq!(
        (pk.mode(), vk.mode()),
        (ProofMode::ZeroKnowledge, ProofMode::ZeroKnowledge)
    );
    let c_w = plain_commitment(&pk).to_bytes();
    let bytes = vk.to_bytes();
    assert!(
        !contains_part_of(&bytes, &c_w),
        "the zk verifier key holds C_W"
    );
    assert!(vk.weight_commitment().is_err());

    let (_, vk2) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    assert_ne!(vk.to_bytes(), vk2.to_bytes(), "setup is not randomized");
    assert_ne!(vk.weight_digest().unwrap(), vk2.weight_digest().unwrap());
    let mut same_salt = vk2.clone();
    same_salt.binding = vk.binding.clone();
    assert_eq!(
        same_salt.to_bytes(),
        bytes,
        "the keys differ beyond the digest"
    );

    // A plain key holds C_W (and no digest): the search above can find it.
    let (ppk, pvk) = setup(model, ProofMode::Plain).unwrap();
    assert_eq!(
        (ppk.mode(), pvk.mode()),
        (ProofMode::Plain, ProofMode::Plain)
    );
    assert!(contains_part_of(&pvk.to_bytes(), &c_w));
    assert!(pvk.weight_digest().is_err());
}

/// A key serves the mode it was set up for: each prover and verifier refuses the other mode's key
/// by name, and both kinds of key survive their file encoding.
#[test]
fn keys_refuse_the_other_mode() {
    let model = mlp(6);
    let input = Rng(7).vec(input_len(&model), 127);
    let (zpk, zvk) = setup(model.clone(), ProofMode::ZeroKnowledge).unwrap();
    let (ppk, pvk) = setup(model, ProofMode::Plain).unwrap();
    for (pk, vk) in [(&zpk, &zvk), (&ppk, &pvk)] {
        assert_eq!(&ProverKey::from_bytes(&pk.to_bytes()).unwrap(), pk);
        assert_eq!(&VerifierKey::from_bytes(&vk.to_bytes()).unwrap(), vk);
    }
    let wrong = |e: ProtocolError, key, wanted| {
        assert!(
            matches!(e, ProtocolError::WrongMode { key: k, wanted: w } if k == key && w == wanted),
            "{e}"
        );
        assert!(e.to_string().contains("--no-zk"), "{e}");
    };
    use ProofMode::{Plain, ZeroKnowledge as Zk};
    wrong(prove(&zpk, &input).unwrap_err(), Zk, Plain);
    wrong(prove_zk(&ppk, &input).unwrap_err(), Plain, Zk);
    let (out, plain_proof) = prove(&ppk, &input).unwrap();
    let (zout, zk_proof) = prove_zk(&zpk, &input).unwrap();
    verify(&pvk, &input, &out, &plain_proof).unwrap();
    verify_zk(&zvk, &input, &zout, &zk_proof).unwrap();
    wrong(
        verify(&zvk, &input, &out, &plain_proof).unwrap_err(),
        Zk,
        Plain,
    );
    wrong(
        verify_zk(&pvk, &input, &zout, &zk_proof).unwrap_err(),
        Plain,
        Zk,
    );
}

/// Input [1,1,6,6] -> Conv 3x3 (2 channels, pad 1, bias) -> Requant+ReLU -> Reshape [1, 72] ->
/// Dense 72->4 -> + bias: weights in `[-w_bound, w_bound]` from `seed`, the given biases.
fn conv_dense(w_bound: i64, seed: u64, conv_bias: [i64; 2], bias: [i64; 4]) -> QModel {
    use zkinfer_ir::{ModelBuilder, QuantConfig, Requant};
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("conv-dense", QuantConfig::default());
    let x = b.input("x", vec![1, 1, 6, 6], 1.0, 127).unwrap();
    let conv = Op::Conv2d {
        weight: r.vec(18, w_bound),
        weight_shape: [2, 1, 3, 3],
        bias: conv_bias.to_vec(),
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1, 1, 1, 1],
        group: 1,
    };
    let c = b
        .push("conv", conv, vec![x], vec![1, 2, 6, 6], 1.0)
        .unwrap();
    let rq = Op::Requant(Requant {
        multiplier: 3,
        shift: 14,
        min: 0,
        max: 127,
    });
    let q = b.push("q", rq, vec![c], vec![1, 2, 6, 6], 1.0).unwrap();
    let f = b
        .push("flat", Op::Reshape, vec![q], vec![1, 72], 1.0)
        .unwrap();
    let dense = Op::Dense {
        weight: r.vec(288, w_bound),
        in_features: 72,
        out_features: 4,
    };
    let d = b.push("fc", dense, vec![f], vec![1, 4], 1.0).unwrap();
    let k = Op::Const {
        values: bias.to_vec(),
    };
    let k = b.push("bias", k, vec![], vec![4], 1.0).unwrap();
    let add = Op::Add { coeffs: [1, 1] };
    let out = b.push("add", add, vec![d, k], vec![1, 4], 1.0).unwrap();
    b.finish(vec![out])
}

/// The largest |w| and the largest row L1 norm of each weighted node.
fn weight_stats(m: &QModel) -> Vec<(i64, i64)> {
    let stats = |w: &[i64], k: usize| {
        let max = w.iter().map(|v| v.abs()).max().unwrap_or(0);
        let norm = w.chunks(k).map(|r| r.iter().map(|v| v.abs()).sum()).max();
        (max, norm.unwrap_or(0))
    };
    m.nodes
        .iter()
        .filter_map(|n| match &n.op {
            Op::Dense {
                weight,
                in_features,
                ..
            } => Some(stats(weight, *in_features)),
            Op::Conv2d { weight, .. } => Some(stats(weight, 9)),
            Op::Const { values } => Some(stats(values, values.len())),
            _ => None,
        })
        .collect()
}

/// Issue item 9: the static bounds in a verifier key do not reveal statistics of the weights. Two
/// models of one architecture and bit widths, whose weights differ in largest |w| and in row
/// norms (and whose biases differ but have the same bit length), get identical bounds; their
/// zero-knowledge verifier keys are identical but for the salted digest. Both still prove at the
/// input's extreme values (the bounds are bounds).
#[test]
fn verifier_key_bounds_do_not_depend_on_the_weights() {
    let small = conv_dense(3, 11, [300, -280], [1000, -600, 7, 512]);
    let large = conv_dense(2000, 12, [-511, 256], [-1023, 600, 900, -700]);
    let (small_stats, large_stats) = (weight_stats(&small), weight_stats(&large));
    for (s, l) in small_stats.iter().zip(&large_stats) {
        assert_ne!(
            s, l,
            "the two models' weights should differ in max |w| and norm"
        );
    }
    let (spk, svk) = setup(small, ProofMode::ZeroKnowledge).unwrap();
    let (lpk, lvk) = setup(large, ProofMode::ZeroKnowledge).unwrap();
    let bounds =
        |vk: &VerifierKey| -> Vec<i64> { vk.architecture.nodes.iter().map(|n| n.bound).collect() };
    assert_eq!(bounds(&svk), bounds(&lvk));
    let mut relabelled = svk.clone();
    relabelled.binding = lvk.binding.clone();
    assert_eq!(relabelled.to_bytes(), lvk.to_bytes());
    for (pk, vk) in [(&spk, &svk), (&lpk, &lvk)] {
        for v in [127, -127] {
            let input = vec![v; 36];
            let (out, proof) = prove_zk(pk, &input).unwrap();
            verify_zk(vk, &input, &out, &proof).unwrap();
        }
    }
}

/// `check_provable` is what import uses to pass over an activation width: it must refuse a
/// requantization whose clamp range times `2^shift` wraps the field (the plan's layout check, which
/// the IR's bound check does not cover), and accept what setup accepts.
#[test]
fn check_provable_refuses_a_requantization_that_wraps_the_field() {
    use zkinfer_ir::{ModelBuilder, Op, QuantConfig, Requant};
    let check = |m: &zkinfer_ir::QModel| check_provable(m, ProofMode::Plain);
    check(&mlp(1)).unwrap();
    let model = |shift: u32| {
        let mut b = ModelBuilder::new("wrap", QuantConfig::default());
        let x = b.input("x", vec![1, 4], 1.0, 1000).unwrap();
        let dense = Op::Dense {
            weight: vec![1; 16],
            in_features: 4,
            out_features: 4,
        };
        let d = b.push("d", dense, vec![x], vec![1, 4], 1.0).unwrap();
        let rq = Op::Requant(Requant {
            multiplier: 1,
            shift,
            min: -127,
            max: 127,
        });
        let q = b.push("q", rq, vec![d], vec![1, 4], 1.0).unwrap();
        b.finish(vec![q])
    };
    // 255 * 2^20 is below p, 255 * 2^24 is not.
    check(&model(20)).unwrap();
    let e = check(&model(24)).unwrap_err().to_string();
    assert!(e.contains("wraps the field"), "{e}");
}
