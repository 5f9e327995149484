//! Fixtures of the zero-knowledge tamper battery, and its tally of mutants and rejection reasons.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig, Requant};
use zkinfer_protocol::test_support::{Rng, cnn, input_len, linear, maxpool, mlp};
use zkinfer_protocol::{
    ProtocolError, VerifierKey, ZkModelProof, ZkStepProof, prove_zk, setup, verify_zk,
    verify_zk_with,
};

/// A zero-knowledge proof of one statement, with the proofs and keys the swaps draw from.
pub struct ZkFixture {
    pub name: &'static str,
    pub vk: VerifierKey,
    pub input: Vec<i64>,
    pub output: Vec<i64>,
    pub proof: ZkModelProof,
    /// A second proof of the same statement (fresh prover randomness).
    pub again: ZkModelProof,
    pub other_input: Vec<i64>,
    pub other_output: Vec<i64>,
    /// The proof of the same model on `other_input`.
    pub other_proof: ZkModelProof,
    /// The key of the same architecture with other weights, its output on `input` and its proof.
    pub other_weights_vk: VerifierKey,
    pub other_weights_output: Vec<i64>,
    pub other_weights_proof: ZkModelProof,
}

fn fixture(name: &'static str, build: fn(u64) -> QModel) -> ZkFixture {
    let model = build(7);
    let n = input_len(&model);
    let input = Rng(8).vec(n, 127);
    let other_input = Rng(10).vec(n, 127);
    let (pk, vk) = setup(model, zkinfer_protocol::ProofMode::ZeroKnowledge).unwrap();
    let (output, proof) = prove_zk(&pk, &input).unwrap();
    let (output_again, again) = prove_zk(&pk, &input).unwrap();
    assert_eq!(output, output_again);
    let (other_output, other_proof) = prove_zk(&pk, &other_input).unwrap();
    let (pk9, other_weights_vk) =
        setup(build(9), zkinfer_protocol::ProofMode::ZeroKnowledge).unwrap();
    let (other_weights_output, other_weights_proof) = prove_zk(&pk9, &input).unwrap();
    assert_ne!(
        vk.weight_digest().unwrap(),
        other_weights_vk.weight_digest().unwrap()
    );
    for (vk, x, y, p) in [
        (&vk, &input, &output, &proof),
        (&vk, &input, &output, &again),
        (&vk, &other_input, &other_output, &other_proof),
        (
            &other_weights_vk,
            &input,
            &other_weights_output,
            &other_weights_proof,
        ),
    ] {
        verify_zk(vk, x, y, p).expect("an honest zero-knowledge proof verifies");
    }
    ZkFixture {
        name,
        vk,
        input,
        output,
        proof,
        again,
        other_input,
        other_output,
        other_proof,
        other_weights_vk,
        other_weights_output,
        other_weights_proof,
    }
}

/// Input [1, 4] -> Dense 4->4 -> Requant+ReLU -> Dense 4->4: two weight tensors of one size, which
/// sit side by side in the weight tree (a claim on one must not pass for the other).
pub fn twin(seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("twin", QuantConfig::default());
    let dense = |r: &mut Rng| Op::Dense {
        weight: r.vec(16, 127),
        in_features: 4,
        out_features: 4,
    };
    let x = b.input("x", vec![1, 4], 1.0, 127).unwrap();
    let d1 = b
        .push("d1", dense(&mut r), vec![x], vec![1, 4], 1.0)
        .unwrap();
    let requant = Op::Requant(Requant {
        multiplier: 5,
        shift: 10,
        min: 0,
        max: 127,
    });
    let q = b.push("q", requant, vec![d1], vec![1, 4], 1.0).unwrap();
    let d2 = b
        .push("d2", dense(&mut r), vec![q], vec![1, 4], 1.0)
        .unwrap();
    b.finish(vec![d2])
}

/// The four small models of `test_support` and [`twin`], proven once per test binary (tests
/// share them).
pub fn fixtures() -> &'static [ZkFixture] {
    static ALL: OnceLock<Vec<ZkFixture>> = OnceLock::new();
    ALL.get_or_init(|| {
        let all = vec![
            fixture("mlp", mlp),
            fixture("cnn", cnn),
            fixture("maxpool", maxpool),
            fixture("linear", linear),
            fixture("twin", twin),
        ];
        all
    })
}

pub fn by_name(name: &str) -> &'static ZkFixture {
    fixtures().iter().find(|f| f.name == name).unwrap()
}

pub fn kind(s: &ZkStepProof) -> &'static str {
    match s {
        ZkStepProof::Linear(_) => "Linear",
        ZkStepProof::MatMul { .. } => "MatMul",
        ZkStepProof::Requant { .. } => "Requant",
        ZkStepProof::MaxPool { .. } => "MaxPool",
    }
}

/// Why a proof was rejected, coarsely: the error variant and the first words of its message
/// (node names and numbers removed), so that a tally by reason stays short.
pub fn reason(e: &ProtocolError) -> String {
    let head = |s: String| -> String {
        let s: String = s.split(": ").take(2).collect::<Vec<_>>().join(": ");
        s.chars().filter(|c| !c.is_ascii_digit()).collect()
    };
    match e {
        ProtocolError::Layer { source, .. } => format!("layer: {}", head(source.to_string())),
        ProtocolError::Zk(s) => format!("zk: {}", head(s.clone())),
        ProtocolError::Pcs { what, source } => format!("pcs {what}: {}", head(source.to_string())),
        ProtocolError::Structure(s) => format!("structure: {}", head(s.clone())),
        ProtocolError::Malformed(s) => format!("malformed: {}", head(s.clone())),
        other => head(other.to_string()),
    }
}

/// Counts mutants, remembers every one not rejected with an error, and tallies the reasons.
#[derive(Default)]
pub struct Tally {
    pub verified: usize,
    pub refused_by_decoder: usize,
    pub accepted: Vec<String>,
    pub panicked: Vec<String>,
    /// (group, reason) -> count; the group is the caller's (e.g. the field a mutant hits).
    pub reasons: BTreeMap<(String, String), usize>,
}

fn panic_message(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

impl Tally {
    /// Verifies one mutant, which must be rejected with an error.
    pub fn check(
        &mut self,
        group: &str,
        label: impl FnOnce() -> String,
        vk: &VerifierKey,
        input: &[i64],
        output: &[i64],
        proof: &ZkModelProof,
    ) {
        self.check_with(group, label, vk, Some(input), output, proof)
    }

    /// [`Self::check`] with a public (`Some`) or private (`None`) input.
    pub fn check_with(
        &mut self,
        group: &str,
        label: impl FnOnce() -> String,
        vk: &VerifierKey,
        input: Option<&[i64]>,
        output: &[i64],
        proof: &ZkModelProof,
    ) {
        self.verified += 1;
        match catch_unwind(AssertUnwindSafe(|| {
            verify_zk_with(vk, input, output, proof)
        })) {
            Ok(Err(e)) => *self.reasons.entry((group.into(), reason(&e))).or_default() += 1,
            Ok(Ok(v)) => self.accepted.push(format!(
                "{} (soundness {:.1} bits)",
                label(),
                v.soundness_bits
            )),
            Err(e) => self
                .panicked
                .push(format!("{}: panic {}", label(), panic_message(&e))),
        }
    }

    /// Decodes a tampered encoding as a verifier would (a refusal is a rejection) and verifies it.
    pub fn check_bytes(
        &mut self,
        group: &str,
        label: impl FnOnce() -> String,
        vk: &VerifierKey,
        input: &[i64],
        output: &[i64],
        bytes: &[u8],
    ) {
        self.check_bytes_with(group, label, vk, Some(input), output, bytes)
    }

    /// [`Self::check_bytes`] with a public (`Some`) or private (`None`) input.
    pub fn check_bytes_with(
        &mut self,
        group: &str,
        label: impl FnOnce() -> String,
        vk: &VerifierKey,
        input: Option<&[i64]>,
        output: &[i64],
        bytes: &[u8],
    ) {
        match catch_unwind(|| postcard::from_bytes::<ZkModelProof>(bytes)) {
            Ok(Ok(p)) => self.check_with(group, label, vk, input, output, &p),
            Ok(Err(_)) => self.refused_by_decoder += 1,
            Err(e) => {
                self.panicked
                    .push(format!("{}: decoder panic {}", label(), panic_message(&e)))
            }
        }
    }

    pub fn total(&self) -> usize {
        self.verified + self.refused_by_decoder
    }

    /// Prints the count and the reasons; fails with every accepted or panicking mutant, and
    /// unless at least `min` were tried.
    pub fn assert_all_rejected(&self, what: &str, min: usize) {
        eprintln!(
            "{what}: {} mutants ({} verified, {} refused by the decoder), {} accepted, {} panicked",
            self.total(),
            self.verified,
            self.refused_by_decoder,
            self.accepted.len(),
            self.panicked.len()
        );
        for ((group, reason), n) in &self.reasons {
            eprintln!("    {n:6}  {group} -> {reason}");
        }
        let show = |v: &[String]| v.iter().take(40).cloned().collect::<Vec<_>>().join("\n  ");
        assert!(
            self.accepted.is_empty() && self.panicked.is_empty(),
            "{what}: {} ACCEPTED:\n  {}\n{} PANICKED:\n  {}",
            self.accepted.len(),
            show(&self.accepted),
            self.panicked.len(),
            show(&self.panicked)
        );
        assert!(self.total() >= min, "{what}: only {} mutants", self.total());
    }
}
