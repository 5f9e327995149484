//! The proving pass of `zkinfer conformance`: each model that evaluates is checked as `setup`
//! checks it, then set up, proven and verified in each mode, and its proven output compared with
//! the reference evaluator's.

use serde::Serialize;
use zkinfer_ir::{QModel, evaluate};
use zkinfer_onnx::{ConformanceCase, ConformanceRow};
use zkinfer_protocol::{ProofMode, check_provable};

/// One model's outcome: evaluation, and proving in each mode.
#[derive(Clone, Debug, Serialize)]
pub struct ProvingRow {
    /// Import, quantization and evaluation (the onnx crate's row).
    #[serde(flatten)]
    pub eval: ConformanceRow,
    /// `setup --no-zk`, `prove` and `verify` succeed and the output is the reference's.
    pub proves_plain: bool,
    /// The same with zero-knowledge keys and a public input.
    pub proves_zk: bool,
    /// Why it does not prove plain (`None` when it does, or does not evaluate).
    pub plain_reason: Option<String>,
    /// Why it does not prove in zero knowledge.
    pub zk_reason: Option<String>,
    /// The quantized model's IR operators, in first-use order.
    pub ir_ops: Vec<String>,
}

impl ProvingRow {
    /// The first reason the model falls short: evaluation, plain proving, then zero knowledge.
    pub fn reason(&self) -> Option<String> {
        if let Some(r) = &self.eval.reason {
            return Some(r.clone());
        }
        match (&self.plain_reason, &self.zk_reason) {
            (Some(p), Some(z)) if p == z => Some(p.clone()),
            (Some(p), Some(z)) => Some(format!("plain: {p}; zk: {z}")),
            (Some(p), None) => Some(format!("plain: {p}")),
            (None, Some(z)) => Some(format!("zk: {z}")),
            (None, None) => None,
        }
    }
}

/// Proves every case that evaluates, in both modes.
pub fn prove_cases(cases: Vec<ConformanceCase>) -> Vec<ProvingRow> {
    cases.into_iter().map(prove_case).collect()
}

fn prove_case(case: ConformanceCase) -> ProvingRow {
    let Some((model, input)) = case.quantized else {
        return ProvingRow {
            eval: case.row,
            proves_plain: false,
            proves_zk: false,
            plain_reason: None,
            zk_reason: None,
            ir_ops: vec![],
        };
    };
    let mut ir_ops: Vec<String> = vec![];
    for n in &model.nodes {
        if !ir_ops.iter().any(|o| o == n.op.name()) {
            ir_ops.push(n.op.name().into());
        }
    }
    let plain = proves(&model, &input, ProofMode::Plain);
    let zk = proves(&model, &input, ProofMode::ZeroKnowledge);
    ProvingRow {
        eval: case.row,
        proves_plain: plain.is_ok(),
        proves_zk: zk.is_ok(),
        plain_reason: plain.err(),
        zk_reason: zk.err(),
        ir_ops,
    }
}

/// Whether `model` proves `input` in `mode`: `setup`'s checks, then setup, prove and verify, the
/// proven output equal to the reference evaluator's on the original model and a wrong output
/// rejected. The error is the first step that fails, named.
fn proves(model: &QModel, input: &[Vec<i64>], mode: ProofMode) -> Result<(), String> {
    check_provable(model, mode).map_err(|e| e.to_string())?;
    let [x] = input else {
        return Err(format!("{} inputs (one is proven)", input.len()));
    };
    let reference = evaluate(model, input).map_err(|e| format!("evaluation: {e}"))?;
    let expected = model
        .outputs
        .first()
        .and_then(|&o| reference.values.get(o))
        .ok_or("no output")?;
    let (pk, vk) =
        zkinfer_protocol::setup(model.clone(), mode).map_err(|e| format!("setup: {e}"))?;
    let (output, accepted, wrong_accepted) = match mode {
        ProofMode::Plain => {
            let (out, proof) =
                zkinfer_protocol::prove(&pk, x).map_err(|e| format!("prove: {e}"))?;
            let wrong = off_by_one(&out);
            let ok = zkinfer_protocol::verify(&vk, x, &out, &proof);
            let bad = zkinfer_protocol::verify(&vk, x, &wrong, &proof).is_ok();
            (out, ok.map(|_| ()), bad)
        }
        ProofMode::ZeroKnowledge => {
            let z = zkinfer_protocol::prove_zk_with(&pk, x, false)
                .map_err(|e| format!("prove: {e}"))?;
            let wrong = off_by_one(&z.output);
            let ok = zkinfer_protocol::verify_zk(&vk, x, &z.output, &z.proof);
            let bad = zkinfer_protocol::verify_zk(&vk, x, &wrong, &z.proof).is_ok();
            (z.output, ok.map(|_| ()), bad)
        }
    };
    accepted.map_err(|e| format!("verify rejected a valid proof: {e}"))?;
    if &output != expected {
        return Err("the proven output differs from the reference evaluator's".into());
    }
    if wrong_accepted {
        return Err("verify accepted a wrong output".into());
    }
    Ok(())
}

/// `out` with its first value changed: a claimed output the verifier must reject.
fn off_by_one(out: &[i64]) -> Vec<i64> {
    let mut wrong = out.to_vec();
    if let Some(v) = wrong.first_mut() {
        *v += 1;
    }
    wrong
}
