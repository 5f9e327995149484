//! Static bounds (an upper bound on |value| of every tensor) and the checked model builder.
//!
//! The bounds are published in the verifier key (its architecture), and the verifier relies on them:
//! an accumulator's bound below the field limit is what rules out wrap-around mod p. So every bound
//! is computed from public quantities only, and the verifier recomputes them from the key
//! ([`QModel::validate_architecture`]) instead of trusting the recorded ones: a `Dense` or `Conv2d`
//! accumulator is bounded by fan-in x the weight bit width's maximum x the input bound (plus the
//! bias width's maximum), a constant by its recorded width. Every proof range-checks the weights and
//! the stored values to those widths, so the bounds hold for the committed values, whoever made the
//! key; and they reveal nothing about the weights beyond the widths (docs/pitfalls.md, 13).

use crate::config::QuantConfig;
use crate::error::IrError;
use crate::model::{Node, Op, QModel};
use crate::shape::{checked_len, infer_shape};

use crate::limits::BOUND_LIMIT;

/// The largest magnitude a signed width of `bits` holds: `2^(bits-1) - 1` (0 for widths 0 and 1,
/// the width of all-zero values).
pub fn width_max(bits: u32) -> i128 {
    if bits <= 1 {
        0
    } else {
        (1i128 << (bits.min(64) - 1)) - 1
    }
}

/// Static bound of `op`'s output given its inputs' bounds and shapes, from public quantities only:
/// `weight_max` is the largest weight magnitude of the model's bit width
/// ([`QuantConfig::weight_max`]) and `value_bits` the node's recorded width of its stored constants
/// or biases ([`Node::value_bits`]); the stored values themselves are never read, so the bound is the
/// same for a key without weights. Intermediate products inside the op (a requantization's
/// `x * m + offset`) are returned as the bound when they are larger, so one comparison with
/// [`BOUND_LIMIT`] covers them.
pub fn infer_bound(
    op: &Op,
    value_bits: u32,
    in_bounds: &[i64],
    in_shapes: &[&[usize]],
    weight_max: i64,
) -> i128 {
    let b = |i: usize| in_bounds[i] as i128;
    let wmax = weight_max as i128;
    match op {
        Op::Input { .. } => 0, // set by the caller: the input's clamp range
        Op::Const { .. } => width_max(value_bits),
        Op::Dense { in_features, .. } => *in_features as i128 * wmax * b(0),
        Op::Conv2d { weight_shape, .. } => {
            let per_out = checked_len(&weight_shape[1..]).unwrap_or(1).max(1);
            per_out as i128 * wmax * b(0) + width_max(value_bits)
        }
        Op::MatMul => in_shapes[0].get(2).copied().unwrap_or(0) as i128 * b(0) * b(1),
        Op::Add { coeffs } => (coeffs[0] as i128).abs() * b(0) + (coeffs[1] as i128).abs() * b(1),
        Op::Mul => b(0) * b(1),
        Op::DivRound { shift } => {
            // The intermediate 2a*2^shift + b must fit too.
            (b(0) << (shift + 1)) + b(1)
        }
        Op::Requant(r) => {
            let clamp = (r.min as i128).abs().max((r.max as i128).abs());
            r.product_bound(in_bounds[0]).max(clamp)
        }
        Op::Clamp { min, max } => b(0).min((*min as i128).abs().max((*max as i128).abs())),
        Op::Lookup(t) => t
            .values
            .iter()
            .map(|&v| (v as i128).abs())
            .max()
            .unwrap_or(0),
        // Saturating: a product beyond i128 is beyond the field limit, which the caller refuses.
        Op::SumPool2d { kernel, .. } => (kernel[0] as i128)
            .saturating_mul(kernel[1] as i128)
            .saturating_mul(b(0)),
        Op::ReduceSum { axes } => axes
            .iter()
            .map(|&a| in_shapes[0].get(a).copied().unwrap_or(1) as i128)
            .fold(b(0), i128::saturating_mul),
        Op::MaxPool2d { .. }
        | Op::ReduceMax { .. }
        | Op::Reshape
        | Op::Transpose { .. }
        | Op::Slice { .. } => b(0),
        Op::Concat { .. } => in_bounds.iter().copied().max().unwrap_or(0) as i128,
        Op::Pad { value, .. } => b(0).max((*value as i128).abs()),
    }
}

/// The bound actually recorded on the node: for ops whose inferred bound includes an internal product
/// (Requant, DivRound) the tensor itself is smaller.
fn tensor_bound(op: &Op, inferred: i128, in_bounds: &[i64]) -> i128 {
    match op {
        Op::Requant(r) => {
            let hi = r.apply(in_bounds[0]).max(r.apply(-in_bounds[0]));
            let lo = r.apply(-in_bounds[0]).min(r.apply(in_bounds[0]));
            (hi as i128).abs().max((lo as i128).abs())
        }
        Op::DivRound { shift } => 1i128 << shift,
        _ => inferred,
    }
}

/// Checks one node against its inputs: arity, shape, bound below the field limit. Returns its bound.
fn check_node(
    nodes: &[Node],
    id: usize,
    node: &Node,
    input_bound: Option<i64>,
    config: &QuantConfig,
    stripped: bool,
) -> Result<i64, IrError> {
    let err_shape = |detail: String| IrError::Shape {
        node: id,
        layer: node.name.clone(),
        detail,
    };
    if let Some(n) = node.op.arity() {
        if node.inputs.len() != n {
            return Err(err_shape(format!(
                "{} takes {n} inputs, got {}",
                node.op.name(),
                node.inputs.len()
            )));
        }
    } else if node.inputs.is_empty() {
        return Err(err_shape("no inputs".into()));
    }
    if node.inputs.iter().any(|&i| i >= id) {
        return Err(err_shape(format!(
            "inputs {:?} not all before the node",
            node.inputs
        )));
    }
    checked_len(&node.shape)
        .ok_or_else(|| err_shape(format!("shape {:?} too large", node.shape)))?;
    let shapes: Vec<&[usize]> = node
        .inputs
        .iter()
        .map(|&i| nodes[i].shape.as_slice())
        .collect();
    let bounds: Vec<i64> = node.inputs.iter().map(|&i| nodes[i].bound).collect();
    let shape = infer_shape(&node.op, &shapes, &node.shape, stripped).map_err(err_shape)?;
    if shape != node.shape {
        return Err(err_shape(format!(
            "computes {shape:?}, declared {:?}",
            node.shape
        )));
    }
    let wmax = config.weight_max();
    let too_wide = |w: &[i64]| {
        w.iter()
            .find(|v| v.unsigned_abs() > wmax.unsigned_abs())
            .copied()
    };
    let bad_param = match &node.op {
        Op::Dense { weight, .. } | Op::Conv2d { weight, .. } if too_wide(weight).is_some() => {
            Some(format!(
                "weight {} exceeds the {}-bit weight width",
                too_wide(weight).unwrap_or(0),
                config.weight_bits
            ))
        }
        Op::Requant(r) if r.multiplier < 1 || r.shift > 40 || r.min > r.max => Some(format!(
            "requant m={} s={} range [{}, {}]",
            r.multiplier, r.shift, r.min, r.max
        )),
        Op::Lookup(t)
            if t.values.is_empty() || t.values.len() > 1 << 16 || t.in_min.abs() > BOUND_LIMIT =>
        {
            Some(format!(
                "table of {} entries from {}",
                t.values.len(),
                t.in_min
            ))
        }
        Op::DivRound { shift } if *shift > 28 => Some(format!("shift {shift}")),
        Op::Clamp { min, max } if min > max => Some(format!("clamp range [{min}, {max}]")),
        _ => None,
    };
    if let Some(detail) = bad_param {
        return Err(IrError::Param {
            node: id,
            layer: node.name.clone(),
            detail,
        });
    }
    let inferred = match (&node.op, input_bound) {
        (Op::Input { .. }, Some(b)) => b as i128,
        _ => infer_bound(&node.op, node.value_bits, &bounds, &shapes, wmax),
    };
    if inferred >= BOUND_LIMIT as i128 || inferred < 0 {
        return Err(IrError::BoundExceeded {
            node: id,
            layer: node.name.clone(),
            bound: inferred,
            limit: BOUND_LIMIT,
        });
    }
    Ok(tensor_bound(&node.op, inferred, &bounds) as i64)
}

/// Builds a [`QModel`] node by node, computing each node's bound and refusing any that reaches the
/// field limit (the error names the layer and the bound).
#[derive(Debug)]
pub struct ModelBuilder {
    model: QModel,
}

impl ModelBuilder {
    /// An empty model.
    pub fn new(name: &str, config: QuantConfig) -> Self {
        Self {
            model: QModel {
                name: name.into(),
                config,
                nodes: vec![],
                inputs: vec![],
                outputs: vec![],
            },
        }
    }

    /// Appends a model input with values in `[-bound, bound]`.
    pub fn input(
        &mut self,
        name: &str,
        shape: Vec<usize>,
        scale: f64,
        bound: i64,
    ) -> Result<usize, IrError> {
        let index = self.model.inputs.len();
        let id = self.push_inner(name, Op::Input { index }, vec![], shape, scale, Some(bound))?;
        self.model.inputs.push(id);
        Ok(id)
    }

    /// Appends a node; its bound is computed here.
    pub fn push(
        &mut self,
        name: &str,
        op: Op,
        inputs: Vec<usize>,
        shape: Vec<usize>,
        scale: f64,
    ) -> Result<usize, IrError> {
        self.push_inner(name, op, inputs, shape, scale, None)
    }

    fn push_inner(
        &mut self,
        name: &str,
        op: Op,
        inputs: Vec<usize>,
        shape: Vec<usize>,
        scale: f64,
        input_bound: Option<i64>,
    ) -> Result<usize, IrError> {
        let id = self.model.nodes.len();
        let value_bits = crate::widths::declared_bits(&op);
        let mut node = Node {
            name: name.into(),
            op,
            inputs,
            shape,
            scale,
            bound: 0,
            value_bits,
        };
        node.bound = check_node(
            &self.model.nodes,
            id,
            &node,
            input_bound,
            &self.model.config,
            false,
        )?;
        self.model.nodes.push(node);
        Ok(id)
    }

    /// The nodes so far.
    pub fn node(&self, id: usize) -> &Node {
        &self.model.nodes[id]
    }

    /// Number of nodes so far.
    pub fn len(&self) -> usize {
        self.model.nodes.len()
    }

    /// True before the first node.
    pub fn is_empty(&self) -> bool {
        self.model.nodes.is_empty()
    }

    /// Finishes the model with the given output nodes.
    pub fn finish(mut self, outputs: Vec<usize>) -> QModel {
        self.model.outputs = outputs;
        self.model
    }
}

impl QModel {
    /// Re-checks a model from an untrusted source (a deserialized prover key): topological order,
    /// shapes, parameters, weights within their width, every recorded bound equal to the recomputed
    /// one and below the field limit, every recorded value width equal to the values'.
    pub fn validate(&self) -> Result<(), IrError> {
        self.check_nodes(false)?;
        crate::widths::check(self)
    }

    /// [`QModel::validate`] for a verifier key's architecture, whose weights, biases and constants
    /// are stripped: everything but the stored values is checked, and every recorded bound must be
    /// the one the public widths give. The verifier relies on these bounds (no value wraps mod p),
    /// so it recomputes them here rather than trusting whoever made the key.
    pub fn validate_architecture(&self) -> Result<(), IrError> {
        self.check_nodes(true)
    }

    fn check_nodes(&self, stripped: bool) -> Result<(), IrError> {
        self.config.check().map_err(|detail| IrError::Param {
            node: 0,
            layer: "config".into(),
            detail,
        })?;
        // Every listed input is an input node, at its own index (a computed node listed as the
        // input would make the public input unused).
        for (index, &id) in self.inputs.iter().enumerate() {
            if !matches!(self.nodes.get(id), Some(Node { op: Op::Input { index: i }, .. }) if *i == index)
            {
                return Err(IrError::Param {
                    node: id,
                    layer: "inputs".into(),
                    detail: format!("model input {index} lists node {id}, which is not that input"),
                });
            }
        }
        for (id, node) in self.nodes.iter().enumerate() {
            let input_bound = match node.op {
                Op::Input { index } => {
                    if self.inputs.get(index) != Some(&id) {
                        let detail = format!("input index {index} not listed as model input");
                        return Err(IrError::Param {
                            node: id,
                            layer: node.name.clone(),
                            detail,
                        });
                    }
                    Some(node.bound)
                }
                _ => None,
            };
            let bound = check_node(&self.nodes, id, node, input_bound, &self.config, stripped)?;
            if bound != node.bound {
                let detail = format!("recorded bound {} but the widths give {bound}", node.bound);
                return Err(IrError::Param {
                    node: id,
                    layer: node.name.clone(),
                    detail,
                });
            }
        }
        let n = self.nodes.len();
        if self.outputs.is_empty() || self.outputs.iter().any(|&o| o >= n) {
            return Err(IrError::Param {
                node: n,
                layer: "outputs".into(),
                detail: format!("{:?}", self.outputs),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "bounds_tests.rs"]
mod tests;
