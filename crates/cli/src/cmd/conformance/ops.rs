//! The operator table of docs/ops.md: per ONNX operator, the IR operators the quantizer lowers it
//! to, and from those whether it proves ([`zkinfer_protocol::op_proof`]).

use std::fmt::Write;

use serde::Serialize;
use zkinfer_protocol::{OpProof, op_proof};

#[path = "lowerings.rs"]
mod lowerings;
use lowerings::OPS;

/// One ONNX operator (or one case of it, when its cases lower differently).
pub(super) struct Lowering {
    pub onnx: &'static str,
    /// Whether the quantizer translates it (and the reference evaluator runs it).
    pub evaluates: bool,
    /// A model of the EZKL corpus or of `shared/models` that uses it, or "-".
    pub model: &'static str,
    /// The IR operators it becomes (`zkinfer_ir::Op::name`). A name followed by a qualifier
    /// (`"Clamp (to [0, 1])"`) is a case of that operator the prover refuses: a clamp that is not
    /// a ReLU.
    pub ir: &'static [&'static str],
    /// How, in words.
    pub how: &'static str,
}

/// One row of the table.
#[derive(Clone, Debug, Serialize)]
pub struct OpRow {
    pub onnx: &'static str,
    pub evaluates: bool,
    pub proves_plain: String,
    pub proves_zk: String,
    pub model: &'static str,
    pub ir_ops: &'static [&'static str],
    pub lowering: &'static str,
}

/// Whether an operator lowering to `ir` proves: only if every IR operator has a proof. The two
/// modes run the same plan, so they agree per operator (a model may still be refused in zero
/// knowledge for a size, e.g. a single-element tensor: docs/conformance.md).
fn proves(l: &Lowering) -> String {
    if !l.evaluates {
        return "no".into();
    }
    let refused: Vec<&str> =
        l.ir.iter()
            .filter(|o| o.contains(' ') || op_proof(o) == OpProof::Refused)
            .map(|o| ir_name(o))
            .collect();
    if !refused.is_empty() {
        format!("no (no proof of {})", refused.join(", "))
    } else if l.ir.iter().any(|o| op_proof(o) == OpProof::FusedReluOnly) {
        "only as a ReLU fused into a requantization".into()
    } else {
        "yes".into()
    }
}

/// The IR operator an entry of [`Lowering::ir`] names.
pub fn ir_name(entry: &str) -> &str {
    entry.split(' ').next().unwrap_or(entry)
}

/// Every row, in the table's order.
pub fn ops_table() -> Vec<OpRow> {
    OPS.iter()
        .map(|l| OpRow {
            onnx: l.onnx,
            evaluates: l.evaluates,
            proves_plain: proves(l),
            proves_zk: proves(l),
            model: l.model,
            ir_ops: l.ir,
            lowering: l.how,
        })
        .collect()
}

/// The Markdown table.
pub fn markdown(rows: &[OpRow]) -> String {
    let mut s = String::from(
        "| ONNX operator | evaluates | proves plain | proves zk | exercised by | IR lowering |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in rows {
        let model = if r.model == "-" {
            "-".to_string()
        } else {
            format!("`{}`", r.model)
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {model} | {} |",
            r.onnx,
            if r.evaluates { "yes" } else { "no" },
            r.proves_plain,
            r.proves_zk,
            r.lowering
        );
    }
    s
}
