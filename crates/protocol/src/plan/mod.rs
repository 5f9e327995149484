//! Compiling a quantized model into the sequence of layer sub-protocols both parties run.
//!
//! Every node's tensor is a flat, row-major table padded with zeros to a power of two. A node is
//! - **public** (the model input: the verifier evaluates its extension itself),
//! - **weight** (a `Const`: a column of the weight commitment made at setup),
//! - **virtual** (a linear function of other nodes, never committed: claims on it are reduced to
//!   claims on its inputs by a wiring or matmul sumcheck), or
//! - **committed** (the output of a non-linear step: a column of the per-proof witness commitment,
//!   with its defining relation proven by lookups).
//!
//! The plan depends only on the architecture (no weight values), so prover and verifier compile
//! the same plan from the prover key and the verifier key.

use serde::{Deserialize, Serialize};
use zkinfer_ir::QModel;
use zkinfer_layers::matmul::MatMulShape;
use zkinfer_layers::maxpool::MaxPoolSpec;
use zkinfer_layers::requant::RequantSpec;
use zkinfer_layers::{SparseMap, log2_ceil, padded_len};

use crate::ProtocolError;

/// A committed column: its name (for error messages) and number of variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// `node-name/part`.
    pub name: String,
    /// log2 of its padded length.
    pub num_vars: usize,
}

/// Where a weight column's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightSource {
    /// A `Const` node, flat.
    Const(usize),
    /// A dense layer's matrix, laid out `N_pad x K_pad`.
    DenseWeight(usize),
    /// A convolution kernel, laid out `O_pad x K_pad`.
    ConvWeight(usize),
    /// A convolution bias, `O_pad`.
    ConvBias(usize),
}

/// A dense or convolution layer: `flat out <- prod (O x P) = w (O x K) * patches (K x P) + bias`.
#[derive(Debug, Clone)]
pub struct MatMulStep {
    /// Flat output from the product.
    pub to_prod: SparseMap,
    /// Shape of the product.
    pub shape: MatMulShape,
    /// Weight column of `w`.
    pub weight_col: usize,
    /// Weight column of the bias.
    pub bias_col: Option<usize>,
    /// Patch matrix from the input node.
    pub patches: SparseMap,
}

/// What both parties do for one node.
#[derive(Debug, Clone)]
pub enum Step {
    /// The public model input.
    Input,
    /// A weight tensor (column index in the weight commitment).
    Weight(usize),
    /// A ReLU fused into the requantization that consumes it (it never receives claims).
    Fused,
    /// `out = sum_i maps[i] * in_i` over the node's inputs.
    Linear(Vec<SparseMap>),
    /// Dense or convolution.
    MatMul(Box<MatMulStep>),
    /// Requantization; its columns start at `first_col` in the witness commitment.
    Requant {
        /// Public parameters.
        spec: RequantSpec,
        /// First witness column (order of `RequantWitness::columns`).
        first_col: usize,
        /// The node requantized (the node's input, or a fused ReLU's input).
        input: usize,
    },
    /// Max pooling; its columns start at `first_col`.
    MaxPool {
        /// Public parameters.
        spec: MaxPoolSpec,
        /// First witness column (order of `MaxPoolColumn::index`).
        first_col: usize,
        /// The window cells, one map per tap.
        taps: Vec<SparseMap>,
    },
}

/// The compiled model.
#[derive(Debug, Clone)]
pub struct Plan {
    /// One step per node.
    pub steps: Vec<Step>,
    /// Variables of each node's padded tensor.
    pub node_vars: Vec<usize>,
    /// The witness column holding each committed node's tensor.
    pub node_col: Vec<Option<usize>>,
    /// Witness columns, in commitment order.
    pub witness_cols: Vec<Column>,
    /// Weight columns, in commitment order.
    pub weight_cols: Vec<Column>,
    /// Where each weight column comes from.
    pub weight_sources: Vec<WeightSource>,
    /// The input node.
    pub input: usize,
    /// The output node.
    pub output: usize,
    /// The weights' width checks, one per weight column (`crate::weight_range`); their committed
    /// columns are the last witness columns.
    pub weight_checks: Vec<crate::weight_range::WeightCheck>,
}

fn unsupported(id: usize, name: &str, what: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::Unsupported(format!("node {id} ({name}): {what}"))
}

impl Plan {
    /// Compiles `model` (weights may be stripped: only shapes are read).
    pub fn compile(model: &QModel) -> Result<Self, ProtocolError> {
        Self::compile_nodes(model, None)
    }

    /// Every node the planner refuses, with the reason, not only the first one `compile` stops at
    /// (`zkinfer inspect` marks each). Errors that concern the whole model (several inputs, a node
    /// reading a later node) come with node `None`. Empty when [`Plan::compile`] succeeds.
    pub fn refusals(model: &QModel) -> Vec<(Option<usize>, ProtocolError)> {
        let mut refused = vec![];
        match Self::compile_nodes(model, Some(&mut refused)) {
            Ok(_) => refused,
            Err(e) if refused.is_empty() => vec![(None, e)],
            Err(_) => refused,
        }
    }

    /// [`Plan::compile`]; with `refused`, a node without a proof is recorded there and stood in
    /// for by an empty step so the nodes after it are still checked.
    fn compile_nodes(
        model: &QModel,
        mut refused: Option<&mut Vec<(Option<usize>, ProtocolError)>>,
    ) -> Result<Self, ProtocolError> {
        let (&[input], &[output]) = (model.inputs.as_slice(), model.outputs.as_slice()) else {
            return Err(ProtocolError::Unsupported(
                "models with several inputs or outputs".into(),
            ));
        };
        let mut plan = Plan {
            steps: vec![],
            node_vars: vec![],
            node_col: vec![],
            witness_cols: vec![],
            weight_cols: vec![],
            weight_sources: vec![],
            input,
            output,
            weight_checks: vec![],
        };
        let mut consumers = vec![0usize; model.nodes.len()];
        for node in &model.nodes {
            for &i in &node.inputs {
                if let Some(c) = consumers.get_mut(i) {
                    *c += 1;
                }
            }
        }
        for (id, node) in model.nodes.iter().enumerate() {
            if node.inputs.iter().any(|&i| i >= id) {
                return Err(ProtocolError::Malformed(format!(
                    "node {id} reads a later node"
                )));
            }
            let len: usize = node
                .shape
                .iter()
                .try_fold(1usize, |a, &d| a.checked_mul(d))
                .ok_or_else(|| {
                    ProtocolError::Malformed(format!("node {id}: shape {:?} overflows", node.shape))
                })?;
            plan.node_vars.push(log2_ceil(len));
            plan.node_col.push(None);
            let step = match relu_fusion(model, id, &consumers) {
                ReluFusion::Fused => Ok(Step::Fused),
                ReluFusion::Other => plan.step_for(model, id),
                ReluFusion::Refused(why) => Err(unsupported(
                    id,
                    &model.nodes[id].name,
                    format!(
                        "a ReLU is proven only fused into the one requantization that reads \
                         it, and this one {why}"
                    ),
                )),
            };
            let step = match (step, refused.as_deref_mut()) {
                (Ok(step), _) => step,
                (Err(e), Some(list)) => {
                    list.push((Some(id), e));
                    Step::Linear(vec![])
                }
                (Err(e), None) => return Err(e),
            };
            plan.steps.push(step);
        }
        if refused.is_some_and(|list| !list.is_empty()) {
            // The stand-in steps make no plan; the caller reads the list.
            return Err(ProtocolError::Unsupported("nodes without a proof".into()));
        }
        if input >= plan.steps.len() || output >= plan.steps.len() {
            return Err(ProtocolError::Malformed(
                "input or output id out of range".into(),
            ));
        }
        crate::weight_range::compile(model, &mut plan)?;
        Ok(plan)
    }

    fn weight(&mut self, name: String, num_vars: usize, source: WeightSource) -> usize {
        self.weight_cols.push(Column { name, num_vars });
        self.weight_sources.push(source);
        self.weight_cols.len() - 1
    }

    /// Padded length of node `id`'s table.
    pub fn padded(&self, id: usize) -> usize {
        1 << self.node_vars[id]
    }
}

/// `padded_len` re-exported for the prover's tables.
pub fn pad_len(len: usize) -> usize {
    padded_len(len)
}

mod lower;
use lower::{ReluFusion, relu_fusion};
