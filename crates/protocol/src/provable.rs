//! Whether a quantized model proves, in each mode, and why not: the checks `setup` and the provers
//! make from the architecture before anything is committed. `zkinfer inspect` and the conformance
//! report read them, so that no listing calls a model supported that `setup` refuses.

use zkinfer_ir::QModel;

use crate::zk::schedule;
use crate::zk::weights::WeightTree;
use crate::{Plan, ProofMode, ProtocolError};

/// The IR operators ([`zkinfer_ir::Op::name`]) the planner has a proof step for (`Plan::compile`).
/// Each may still be refused for its parameters: a grouped convolution, padding with a value other
/// than 0, values too wide for a lookup.
pub const PROVEN_OPS: &[&str] = &[
    "Input",
    "Const",
    "Dense",
    "Conv2d",
    "Add",
    "Reshape",
    "Transpose",
    "ReduceSum",
    "Pad",
    "Slice",
    "Concat",
    "SumPool2d",
    "Requant",
    "MaxPool2d",
];

/// How the prover handles one IR operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpProof {
    /// A proof step of its own.
    Proven,
    /// `Clamp`: only a ReLU (`Clamp(0, hi)`, `hi` at least the input's bound) read by one
    /// requantization, proven by that requantization's lower clamp.
    FusedReluOnly,
    /// No proof (the planner refuses the model).
    Refused,
}

/// What the prover does with IR operator `name`, in either mode (the zero-knowledge prover runs
/// the same plan; it refuses more only for sizes, e.g. a masked single-element tensor).
pub fn op_proof(name: &str) -> OpProof {
    if PROVEN_OPS.contains(&name) {
        OpProof::Proven
    } else if name == "Clamp" {
        OpProof::FusedReluOnly
    } else {
        OpProof::Refused
    }
}

/// Validates `model`, rewrites it for proving and compiles its plan, checking the weights' widths
/// and that there are weights to bind: everything `setup` refuses before it commits.
pub(crate) fn compile_for_proving(model: &QModel) -> Result<(QModel, Plan), ProtocolError> {
    model.validate()?;
    let model = crate::prepare_for_proving(model)?;
    model.validate()?;
    let plan = Plan::compile(&model)?;
    crate::weight_range::check_widths(&plan, &crate::keys::weight_tables(&model, &plan)?)?;
    if plan.weight_cols.is_empty() {
        return Err(ProtocolError::Unsupported(
            "models without any weights".into(),
        ));
    }
    Ok((model, plan))
}

/// Whether `model` (with its weights) can be set up and proven in `mode`, from its architecture
/// and weights alone: `setup`'s checks, the provers' claim routing and, in zero knowledge, the
/// masking schedule of a public-input proof. `Ok` is what `setup` and `prove` accept, short of
/// resource limits; an error names the node at fault.
pub fn check_provable(model: &QModel, mode: ProofMode) -> Result<(), ProtocolError> {
    let (model, plan) = compile_for_proving(model)?;
    crate::route::refuse_fused_claims(&plan, &model)?;
    if mode == ProofMode::ZeroKnowledge {
        let node_inputs: Vec<Vec<usize>> = model.nodes.iter().map(|n| n.inputs.clone()).collect();
        let output_len = model
            .nodes
            .get(plan.output)
            .map_or(0, |n| n.shape.iter().product());
        let weight_vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
        let tree = WeightTree::new(&weight_vars)?;
        schedule::groups(&plan, &node_inputs, output_len, None, &tree)
            .map_err(|e| name_node(e, &model))?;
    }
    Ok(())
}

/// The zero-knowledge schedule names a node by its id alone (`node 3: ...`, from the plan, which
/// has no names); the name is added for people reading the refusal.
fn name_node(e: ProtocolError, model: &QModel) -> ProtocolError {
    let ProtocolError::Unsupported(msg) = &e else {
        return e;
    };
    let named = msg
        .strip_prefix("node ")
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(id, rest)| Some((model.nodes.get(id.parse::<usize>().ok()?)?, id, rest)));
    match named {
        Some((node, id, rest)) => {
            ProtocolError::Unsupported(format!("node {id} ({}):{rest}", node.name))
        }
        None => e,
    }
}

/// One node the planner refuses: its IR name (the ONNX node's name, or that name with a `/part`
/// suffix) and why; `node` is `None` for a refusal of the whole model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The IR node's name.
    pub node: Option<String>,
    /// The planner's message.
    pub reason: String,
}

/// Every node of `model` (after the rewrite for proving) the planner refuses, in either mode. Empty
/// when the plan compiles; [`check_provable`] then tells whether the model as a whole proves.
pub fn node_refusals(model: &QModel) -> Vec<Refusal> {
    let rewritten = match model
        .validate()
        .map_err(ProtocolError::from)
        .and_then(|()| {
            let m = crate::prepare_for_proving(model)?;
            m.validate()?;
            Ok(m)
        }) {
        Ok(m) => m,
        Err(e) => {
            return vec![Refusal {
                node: None,
                reason: e.to_string(),
            }];
        }
    };
    Plan::refusals(&rewritten)
        .into_iter()
        .map(|(id, e)| Refusal {
            node: id
                .and_then(|i| rewritten.nodes.get(i))
                .map(|n| n.name.clone()),
            reason: e.to_string(),
        })
        .collect()
}

#[cfg(test)]
#[path = "provable_tests.rs"]
mod tests;
