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
use zkinfer_ir::{Op, QModel};
use zkinfer_layers::matmul::MatMulShape;
use zkinfer_layers::maxpool::{MaxPoolColumn, MaxPoolSpec};
use zkinfer_layers::requant::{RequantColumn, RequantSpec};
use zkinfer_layers::{SparseMap, log2_ceil, padded_len};

use crate::ProtocolError;
use crate::maps::{self, Window};

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

    fn step_for(&mut self, model: &QModel, id: usize) -> Result<Step, ProtocolError> {
        let node = &model.nodes[id];
        let shape_of = |i: usize| model.nodes[node.inputs[i]].shape.clone();
        let len = |s: &[usize]| s.iter().product::<usize>();
        Ok(match &node.op {
            Op::Input { .. } => Step::Input,
            Op::Const { .. } => {
                let col = self.weight(
                    format!("{}/const", node.name),
                    self.node_vars[id],
                    WeightSource::Const(id),
                );
                Step::Weight(col)
            }
            Op::Dense {
                in_features,
                out_features,
                ..
            } => {
                let (k, n) = (*in_features, *out_features);
                let x_len = len(&shape_of(0));
                if k == 0 || x_len % k != 0 {
                    return Err(unsupported(
                        id,
                        &node.name,
                        "dense input length is not a multiple of K",
                    ));
                }
                let rows = x_len / k;
                let shape = MatMulShape {
                    o_vars: log2_ceil(n),
                    k_vars: log2_ceil(k),
                    p_vars: log2_ceil(rows),
                    has_bias: false,
                };
                let weight_col = self.weight(
                    format!("{}/weight", node.name),
                    shape.o_vars + shape.k_vars,
                    WeightSource::DenseWeight(id),
                );
                Step::MatMul(Box::new(MatMulStep {
                    to_prod: maps::dense_output(n, rows)?,
                    shape,
                    weight_col,
                    bias_col: None,
                    patches: maps::dense_input(k, rows)?,
                }))
            }
            Op::Conv2d {
                weight_shape,
                strides,
                dilations,
                pads,
                group,
                ..
            } => {
                if *group != 1 {
                    return Err(unsupported(
                        id,
                        &node.name,
                        format!("convolution with group {group}"),
                    ));
                }
                let ins = shape_of(0);
                let (&[n, c, h, w], &[_, o, oh, ow]) = (ins.as_slice(), node.shape.as_slice())
                else {
                    return Err(unsupported(
                        id,
                        &node.name,
                        "convolution on a tensor that is not NCHW",
                    ));
                };
                let [wo, wc, kh, kw] = *weight_shape;
                if wo != o || wc != c {
                    return Err(ProtocolError::Malformed(format!(
                        "node {id}: kernel shape mismatch"
                    )));
                }
                let win = Window {
                    in_shape: [n, c, h, w],
                    out_hw: [oh, ow],
                    kernel: [kh, kw],
                    strides: *strides,
                    dilations: *dilations,
                    pads: *pads,
                };
                let shape = MatMulShape {
                    o_vars: log2_ceil(o),
                    k_vars: log2_ceil(c * kh * kw),
                    p_vars: log2_ceil(n * oh * ow),
                    has_bias: true,
                };
                let weight_col = self.weight(
                    format!("{}/weight", node.name),
                    shape.o_vars + shape.k_vars,
                    WeightSource::ConvWeight(id),
                );
                let bias_col = self.weight(
                    format!("{}/bias", node.name),
                    shape.o_vars,
                    WeightSource::ConvBias(id),
                );
                Step::MatMul(Box::new(MatMulStep {
                    to_prod: maps::conv_output(n, o, oh * ow)?,
                    shape,
                    weight_col,
                    bias_col: Some(bias_col),
                    patches: maps::im2col(&win)?,
                }))
            }
            Op::Add { coeffs } => Step::Linear(vec![
                maps::broadcast(&node.shape, &shape_of(0), coeffs[0])?,
                maps::broadcast(&node.shape, &shape_of(1), coeffs[1])?,
            ]),
            Op::Reshape => Step::Linear(vec![SparseMap::identity(len(&node.shape))]),
            Op::Transpose { perm } => Step::Linear(vec![maps::transpose(&shape_of(0), perm)?]),
            Op::ReduceSum { axes } => {
                Step::Linear(vec![maps::reduce_sum(&shape_of(0), axes, &node.shape)?])
            }
            Op::Pad { pads, value: 0 } => {
                Step::Linear(vec![maps::pad(&shape_of(0), pads, &node.shape)?])
            }
            Op::Slice {
                axis, start, step, ..
            } => Step::Linear(vec![maps::slice(
                &shape_of(0),
                *axis,
                *start,
                *step,
                &node.shape,
            )?]),
            Op::Concat { axis } => {
                let parts: Vec<Vec<usize>> = (0..node.inputs.len()).map(shape_of).collect();
                Step::Linear(maps::concat(&parts, *axis, &node.shape)?)
            }
            Op::SumPool2d {
                kernel,
                strides,
                pads,
            } => {
                let win = pool_window(
                    id,
                    &node.name,
                    &shape_of(0),
                    &node.shape,
                    *kernel,
                    *strides,
                    [1, 1],
                    *pads,
                )?;
                Step::Linear(vec![maps::sum_pool(&win)?])
            }
            Op::Requant(r) => {
                // A fused ReLU: requantize its input with the lower clamp raised to 0.
                let (x, min) = match self.steps.get(node.inputs[0]) {
                    Some(Step::Fused) => (model.nodes[node.inputs[0]].inputs[0], r.min.max(0)),
                    _ => (node.inputs[0], r.min),
                };
                let xb = model.nodes[x].bound as i128;
                let off = if r.shift == 0 {
                    0
                } else {
                    1i128 << (r.shift - 1)
                };
                let q = |v: i128| ((v * r.multiplier as i128 + off) >> r.shift) as i64;
                let spec = RequantSpec {
                    num_vars: self.node_vars[x],
                    multiplier: r.multiplier,
                    shift: r.shift,
                    min,
                    max: r.max,
                    q_min: q(-xb),
                    q_max: q(xb),
                };
                if self.node_vars[x] != self.node_vars[id] {
                    return Err(ProtocolError::Malformed(format!(
                        "node {id}: requant changes the length"
                    )));
                }
                let first_col = self.witness_cols.len();
                let vars = self.node_vars[id];
                let mut push = |part: String, num_vars: usize| {
                    self.witness_cols.push(Column {
                        name: format!("{}/{part}", node.name),
                        num_vars,
                    })
                };
                let layout = spec
                    .layout()
                    .map_err(|e| unsupported(id, &node.name, format!("requantization: {e}")))?;
                for (c, num_vars) in layout.columns(vars) {
                    push(format!("{c:?}").to_lowercase(), num_vars);
                }
                self.node_col[id] = Some(first_col + layout.column_index(RequantColumn::Out));
                Step::Requant {
                    spec,
                    first_col,
                    input: x,
                }
            }
            Op::MaxPool2d {
                kernel,
                strides,
                dilations,
                pads,
            } => {
                let x = node.inputs[0];
                let win = pool_window(
                    id,
                    &node.name,
                    &shape_of(0),
                    &node.shape,
                    *kernel,
                    *strides,
                    *dilations,
                    *pads,
                )?;
                let taps = maps::pool_taps(&win)?;
                let spec =
                    MaxPoolSpec::for_bound(self.node_vars[id], taps.len(), model.nodes[x].bound);
                if spec.limbs * spec.limb_bits > 24 {
                    return Err(unsupported(
                        id,
                        &node.name,
                        "max pooling over values wider than 23 bits",
                    ));
                }
                let first_col = self.witness_cols.len();
                for i in 0..MaxPoolColumn::count(&spec) {
                    let (part, vars) = if i < 1 + spec.taps + spec.taps * spec.limbs {
                        (format!("col{i}"), self.node_vars[id])
                    } else {
                        (format!("col{i}-multiplicities"), spec.limb_bits)
                    };
                    self.witness_cols.push(Column {
                        name: format!("{}/{part}", node.name),
                        num_vars: vars,
                    });
                }
                self.node_col[id] = Some(first_col);
                Step::MaxPool {
                    spec,
                    first_col,
                    taps,
                }
            }
            other => {
                return Err(unsupported(
                    id,
                    &node.name,
                    format!("operator {} has no proof yet", other.name()),
                ));
            }
        })
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

/// Whether a node is a ReLU, and if so whether it fuses into the requantization that reads it.
enum ReluFusion {
    /// Not `Clamp(0, hi)`: compiled on its own.
    Other,
    /// Fused: it never receives a claim.
    Fused,
    /// A ReLU that cannot be fused (why, for the error): there is no standalone ReLU proof.
    Refused(String),
}

/// `Clamp(x, 0, hi)` read only by one requantization with `hi >= bound(x)` is a ReLU that commutes
/// into the requantization: `requant(relu(x)) = requant'(x)` with the lower clamp raised to 0, because
/// the rescale is monotone and maps 0 to 0 (`floor(2^(s-1) / 2^s) = 0`).
///
/// A fused ReLU has no proof of its own: the requantization reads past it to `x`, so a claim on the
/// ReLU's tensor would be settled by nothing (DESIGN.md, bug 10). Hence a model output is never fused
/// (the output claim lands on it), nor a ReLU with any reader other than that requantization (each
/// reader leaves claims on it); `consumers[id]` counts every input slot that reads `id`, so a
/// requantization reading it twice, or two readers, both count as more than one.
fn relu_fusion(model: &QModel, id: usize, consumers: &[usize]) -> ReluFusion {
    let node = &model.nodes[id];
    let Op::Clamp { min: 0, max } = node.op else {
        return ReluFusion::Other;
    };
    let Some(x) = node.inputs.first().and_then(|&x| model.nodes.get(x)) else {
        return ReluFusion::Other;
    };
    let readers = consumers.get(id).copied().unwrap_or(0);
    let consumer = model
        .nodes
        .iter()
        .skip(id + 1)
        .find(|n| n.inputs.contains(&id));
    let why = if max < x.bound {
        format!("clamps at {max}, below its input's bound {}", x.bound)
    } else if model.outputs.contains(&id) {
        "is a model output (its values would go unchecked)".into()
    } else if readers != 1 {
        format!("is read {readers} times")
    } else {
        match consumer {
            Some(c) if matches!(c.op, Op::Requant(_)) && c.inputs.len() == 1 => {
                return ReluFusion::Fused;
            }
            Some(c) => format!("is read by '{}' ({})", c.name, c.op.name()),
            None => "is read by no node".into(),
        }
    };
    ReluFusion::Refused(why)
}

/// The window geometry of a pooling node over NCHW input `ins` and output `out`.
#[allow(clippy::too_many_arguments)]
fn pool_window(
    id: usize,
    name: &str,
    ins: &[usize],
    out: &[usize],
    kernel: [usize; 2],
    strides: [usize; 2],
    dilations: [usize; 2],
    pads: [usize; 4],
) -> Result<Window, ProtocolError> {
    let (&[n, c, h, w], &[_, _, oh, ow]) = (ins, out) else {
        return Err(unsupported(
            id,
            name,
            "pooling on a tensor that is not NCHW",
        ));
    };
    Ok(Window {
        in_shape: [n, c, h, w],
        out_hw: [oh, ow],
        kernel,
        strides,
        dilations,
        pads,
    })
}
