//! Lowering one node of the model to its plan step: which sub-protocol proves it, its witness and
//! weight columns, and its maps; and whether a ReLU fuses into the requantization that reads it.

use crate::ProtocolError;
use crate::maps::{self, Window};
use zkinfer_ir::{Op, QModel};
use zkinfer_layers::matmul::MatMulShape;
use zkinfer_layers::maxpool::{MaxPoolColumn, MaxPoolSpec};
use zkinfer_layers::requant::{RequantColumn, RequantSpec};
use zkinfer_layers::{SparseMap, log2_ceil};

use super::{Column, MatMulStep, Plan, Step, WeightSource, unsupported};

impl Plan {
    pub(super) fn step_for(&mut self, model: &QModel, id: usize) -> Result<Step, ProtocolError> {
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
}

/// Whether a node is a ReLU, and if so whether it fuses into the requantization that reads it.
pub(super) enum ReluFusion {
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
/// ReLU's tensor would be settled by nothing (docs/pitfalls.md, 10). Hence a model output is never fused
/// (the output claim lands on it), nor a ReLU with any reader other than that requantization (each
/// reader leaves claims on it); `consumers[id]` counts every input slot that reads `id`, so a
/// requantization reading it twice, or two readers, both count as more than one.
pub(super) fn relu_fusion(model: &QModel, id: usize, consumers: &[usize]) -> ReluFusion {
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
