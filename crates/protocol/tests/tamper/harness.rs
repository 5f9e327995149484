//! Fixtures, the mutant tally, and the statement-level mutants of the tamper battery.

use std::panic::{AssertUnwindSafe, catch_unwind};

use zkinfer_field::F;
use zkinfer_ir::{Op, QModel};
use zkinfer_pcs::PcsParams;
use zkinfer_protocol::test_support::{Rng, cnn, input_len, maxpool, mlp, proven};
use zkinfer_protocol::{ModelProof, StepProof, VerifierKey, verify};
use zkinfer_transcript::Statement;

/// A proven statement, plus a second proof of the same model on another input and the verifier key
/// of the same architecture with other weights.
pub struct Fixture {
    pub name: &'static str,
    pub vk: VerifierKey,
    pub input: Vec<i64>,
    pub output: Vec<i64>,
    pub proof: ModelProof,
    pub other_input: Vec<i64>,
    pub other_output: Vec<i64>,
    pub other_proof: ModelProof,
    pub other_weights_vk: VerifierKey,
}

pub fn fixture(name: &'static str, build: fn(u64) -> QModel) -> Fixture {
    let model = build(7);
    let n = input_len(&model);
    let input = Rng(8).vec(n, 127);
    let other_input = Rng(10).vec(n, 127);
    let (pk, vk, output, proof) = proven(model, &input);
    let (other_output, other_proof) = zkinfer_protocol::prove(&pk, &other_input).unwrap();
    let (_, other_weights_vk, ..) = proven(build(9), &input);
    assert_ne!(
        vk.weight_commitment().unwrap(),
        other_weights_vk.weight_commitment().unwrap()
    );
    verify(&vk, &input, &output, &proof).expect("the honest proof verifies");
    verify(&vk, &other_input, &other_output, &other_proof).expect("the other proof verifies");
    Fixture {
        name,
        vk,
        input,
        output,
        proof,
        other_input,
        other_output,
        other_proof,
        other_weights_vk,
    }
}

pub fn fixtures() -> Vec<Fixture> {
    vec![
        fixture("mlp", mlp),
        fixture("cnn", cnn),
        fixture("maxpool", maxpool),
    ]
}

/// Counts mutants and remembers every one that was not rejected with an error.
#[derive(Default)]
pub struct Tally {
    pub verified: usize,
    pub refused_by_decoder: usize,
    pub accepted: Vec<String>,
    pub panicked: Vec<String>,
}

impl Tally {
    /// Verifies one mutant; it must return an error.
    pub fn check(
        &mut self,
        label: impl FnOnce() -> String,
        vk: &VerifierKey,
        input: &[i64],
        output: &[i64],
        proof: &ModelProof,
    ) {
        self.verified += 1;
        match catch_unwind(AssertUnwindSafe(|| verify(vk, input, output, proof))) {
            Ok(Err(_)) => {}
            Ok(Ok(v)) => self.accepted.push(format!(
                "{} (soundness {:.1} bits)",
                label(),
                v.soundness_bits
            )),
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                self.panicked.push(format!("{}: panic {msg}", label()));
            }
        }
    }

    pub fn total(&self) -> usize {
        self.verified + self.refused_by_decoder
    }

    /// Fails with every accepted or panicking mutant, and unless at least `min` were tried.
    pub fn assert_all_rejected(&self, what: &str, min: usize) {
        eprintln!(
            "{what}: {} mutants ({} verified, {} refused by the decoder), {} accepted, {} panicked",
            self.total(),
            self.verified,
            self.refused_by_decoder,
            self.accepted.len(),
            self.panicked.len()
        );
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

pub fn json_numbers(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Number(_) => 1,
        serde_json::Value::Array(a) => a.iter().map(json_numbers).sum(),
        serde_json::Value::Object(o) => o.values().map(json_numbers).sum(),
        _ => 0,
    }
}

/// `n` positions spread over `len` bytes, both ends included.
pub fn spread(len: usize, n: usize) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).map(|k| k * (len - 1) / (n - 1).max(1)).collect();
    p.dedup();
    p
}

/// Architecture changes (each one node parameter), with the model hash left stale or recomputed.
pub fn architecture_mutants(arch: &QModel) -> Vec<(String, QModel)> {
    let mut out = vec![];
    let mut push = |what: String, f: &dyn Fn(&mut QModel) -> bool| {
        let mut a = arch.clone();
        if f(&mut a) {
            out.push((what, a));
        }
    };
    for (id, node) in arch.nodes.iter().enumerate() {
        push(format!("node {id} renamed"), &|a| {
            a.nodes[id].name.push('x');
            true
        });
        match &node.op {
            Op::Requant(_) => {
                type Edit = fn(&mut zkinfer_ir::Requant) -> bool;
                let edits: [(&str, Edit); 7] = [
                    ("multiplier + 1", |r| {
                        r.multiplier += 1;
                        true
                    }),
                    ("multiplier - 1", |r| {
                        r.multiplier -= 1;
                        r.multiplier > 0
                    }),
                    ("shift + 1", |r| {
                        r.shift += 1;
                        true
                    }),
                    ("shift - 1", |r| {
                        r.shift.checked_sub(1).map(|s| r.shift = s).is_some()
                    }),
                    ("min - 1", |r| {
                        r.min -= 1;
                        true
                    }),
                    ("min + 1", |r| {
                        r.min += 1;
                        true
                    }),
                    ("max - 1", |r| {
                        r.max -= 1;
                        true
                    }),
                ];
                for (what, edit) in edits {
                    push(
                        format!("node {id} requant {what}"),
                        &|a| match &mut a.nodes[id].op {
                            Op::Requant(r) => edit(r),
                            _ => false,
                        },
                    );
                }
            }
            Op::Add { .. } => {
                for k in 0..2 {
                    push(
                        format!("node {id} add coeff {k} + 1"),
                        &|a| match &mut a.nodes[id].op {
                            Op::Add { coeffs } => {
                                coeffs[k] += 1;
                                true
                            }
                            _ => false,
                        },
                    );
                }
            }
            Op::Input { .. } => push(format!("node {id} input bound + 1"), &|a| {
                a.nodes[id].bound += 1;
                true
            }),
            _ => {}
        }
    }
    out
}

pub fn kind(s: &StepProof) -> &'static str {
    match s {
        StepProof::Linear(_) => "Linear",
        StepProof::MatMul { .. } => "MatMul",
        StepProof::Requant(_) => "Requant",
        StepProof::MaxPool { .. } => "MaxPool",
    }
}

/// The statement `zkinfer_protocol::statement` builds, rebuilt here from given parameters.
pub fn statement_with(p: &PcsParams, fx: &Fixture) -> Statement {
    let enc = |v: &[i64]| -> Vec<F> {
        v.iter()
            .map(|&x| zkinfer_field::encode_signed(x).unwrap())
            .collect()
    };
    Statement::new("zkinfer/model-proof", zkinfer_protocol::PROTOCOL_VERSION)
        .parameter("pcs.security_level", p.security_level as u64)
        .and_then(|s| s.parameter("pcs.pow_bits", p.pow_bits as u64))
        .and_then(|s| s.parameter("pcs.folding_factor", p.folding_factor as u64))
        .and_then(|s| s.parameter("pcs.log_inv_rate", p.starting_log_inv_rate as u64))
        .and_then(|s| s.field_bytes("pcs.params", format!("{p:?}").as_bytes()))
        .and_then(|s| s.field_bytes("model_hash", &fx.vk.model_hash))
        .and_then(|s| {
            s.field_bytes(
                "weight_commitment",
                &fx.vk.weight_commitment().unwrap().to_bytes(),
            )
        })
        .and_then(|s| s.field_elems("input", &enc(&fx.input)))
        .and_then(|s| s.field_elems("output", &enc(&fx.output)))
        .unwrap()
}
