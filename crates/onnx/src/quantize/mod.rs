//! Quantization of tract's typed graph into the integer IR, one tract node at a time.
//!
//! Every float tensor of the graph becomes a [`Val`]: an IR node (its integers, scale and static bound)
//! plus the calibrated float range of the tensor. Accumulators stay wide until a consumer needs a narrow
//! activation; then [`Ctx::narrow`] inserts a requantization to at most `act_bits` bits, or fewer when
//! the consumer's accumulator would otherwise reach the field limit.

mod act;
mod binary;
mod layout;
mod linear;
mod reduce;
mod unary;

use std::sync::Arc;

use tract_onnx::prelude::*;
use zkinfer_ir::{ModelBuilder, QModel, QuantConfig};

use crate::error::OnnxError;
use crate::float::Ranges;

/// A float tensor of the source graph, represented in the IR.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Val {
    /// IR node holding the integers.
    pub id: usize,
    /// Calibrated max |value| of the float tensor (0 when unknown).
    pub range: f64,
}

/// What a tract outlet turned into: an IR tensor, or a constant still in float form (weights are
/// quantized by the consumer that knows their role).
#[derive(Clone, Debug)]
pub(crate) enum Slot {
    Act(Val),
    Konst(Arc<Tensor>),
}

/// Quantization state shared by the op handlers.
pub(crate) struct Ctx<'a> {
    pub b: ModelBuilder,
    pub cfg: &'a QuantConfig,
}

/// The tract node being translated.
pub(crate) struct Src<'a> {
    pub name: &'a str,
    pub op: &'a str,
    pub node: &'a TypedNode,
    pub out_shape: Vec<usize>,
    pub out_range: f64,
}

impl Src<'_> {
    pub fn bad(&self, detail: impl Into<String>) -> OnnxError {
        OnnxError::bad(self.name, self.op, detail)
    }
    pub fn step(&self, suffix: &str) -> String {
        format!("{}/{suffix}", self.name)
    }
}

/// A node the quantizer cannot translate, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    pub node: String,
    pub op: String,
    pub reason: String,
}

/// Quantizes the typed graph with calibrated `ranges` (from [`crate::FloatRunner::calibrate`]).
pub fn quantize(
    model: &TypedModel,
    ranges: &Ranges,
    cfg: &QuantConfig,
    name: &str,
) -> Result<QModel, OnnxError> {
    quantize_impl(model, ranges, cfg, name, None)
}

/// Every node the quantizer refuses (unsupported operator or parameters), not just the first: a
/// refused node is replaced by zeros and translation goes on. Ranges are not needed.
pub fn unsupported_nodes(model: &TypedModel) -> Vec<Issue> {
    let mut issues = vec![];
    let cfg = QuantConfig::default();
    if let Err(e) = quantize_impl(model, &Ranges::new(), &cfg, "check", Some(&mut issues)) {
        issues.push(Issue {
            node: "graph".into(),
            op: String::new(),
            reason: e.to_string(),
        });
    }
    issues
}

fn quantize_impl(
    model: &TypedModel,
    ranges: &Ranges,
    cfg: &QuantConfig,
    name: &str,
    mut issues: Option<&mut Vec<Issue>>,
) -> Result<QModel, OnnxError> {
    cfg.check()
        .map_err(|d| OnnxError::bad("config", "QuantConfig", d))?;
    let mut ctx = Ctx {
        b: ModelBuilder::new(name, cfg.clone()),
        cfg,
    };
    let mut slots: std::collections::HashMap<OutletId, Slot> = Default::default();
    let order = model
        .eval_order()
        .map_err(|e| OnnxError::bad("graph", "order", e.to_string()))?;
    let inputs = model
        .input_outlets()
        .map_err(|e| OnnxError::bad("graph", "inputs", e.to_string()))?
        .to_vec();
    for id in order {
        let node = model.node(id);
        let outlet = OutletId::new(id, 0);
        let fact = &node.outputs[0].fact;
        if node.outputs.len() != 1 {
            return Err(OnnxError::Unsupported {
                node: node.name.clone(),
                op: format!("{} with several outputs", node.op.name()),
            });
        }
        if let Some(k) = &fact.konst {
            slots.insert(outlet, Slot::Konst(k.clone()));
            continue;
        }
        let op_name = node.op.name().to_string();
        let src = Src {
            name: &node.name,
            op: &op_name,
            node,
            out_shape: fact
                .shape
                .as_concrete()
                .map(|s| s.to_vec())
                .unwrap_or_default(),
            out_range: ranges.get(&outlet).copied().unwrap_or(0.0),
        };
        if fact.datum_type != f32::datum_type() {
            let op = format!("{op_name} producing {:?}", fact.datum_type);
            let err = OnnxError::Unsupported {
                node: node.name.clone(),
                op,
            };
            let Some(list) = issues.as_deref_mut() else {
                return Err(err);
            };
            list.push(Issue {
                node: node.name.clone(),
                op: op_name.clone(),
                reason: err.to_string(),
            });
            // Stand in with a zero constant so the rest of the graph can still be checked.
            let zero = Tensor::zero_dt(fact.datum_type, &src.out_shape)
                .map_err(|e| src.bad(e.to_string()))?;
            slots.insert(outlet, Slot::Konst(Arc::new(zero)));
            continue;
        }
        let ins: Vec<Slot> = node
            .inputs
            .iter()
            .map(|o| {
                slots
                    .get(o)
                    .cloned()
                    .ok_or_else(|| src.bad(format!("input {o:?} was not translated")))
            })
            .collect::<Result<_, _>>()?;
        let res = if let Some(ix) = inputs.iter().position(|o| o.node == id) {
            act::input(&mut ctx, &src, ix)
        } else {
            translate(&mut ctx, &src, &ins)
        };
        let slot = match (res, issues.as_deref_mut()) {
            (Ok(s), _) => s,
            (Err(e), Some(list)) => {
                list.push(Issue {
                    node: node.name.clone(),
                    op: op_name.clone(),
                    reason: e.to_string(),
                });
                let zeros = zkinfer_ir::Op::Const {
                    values: vec![0; src.out_shape.iter().product()],
                };
                let id = ctx.b.push(
                    &src.step("placeholder"),
                    zeros,
                    vec![],
                    src.out_shape.clone(),
                    1.0,
                )?;
                Slot::Act(Val { id, range: 0.0 })
            }
            (Err(e), None) => return Err(e),
        };
        slots.insert(outlet, slot);
    }
    let mut outputs = vec![];
    for o in model
        .output_outlets()
        .map_err(|e| OnnxError::bad("graph", "outputs", e.to_string()))?
    {
        match slots.get(o) {
            Some(Slot::Act(v)) => outputs.push(v.id),
            _ => {
                return Err(OnnxError::bad(
                    &model.node(o.node).name,
                    "output",
                    "constant model output",
                ));
            }
        }
    }
    Ok(ctx.b.finish(outputs))
}

/// Dispatches one tract node to its handler.
fn translate(ctx: &mut Ctx, src: &Src, ins: &[Slot]) -> Result<Slot, OnnxError> {
    use tract_onnx::tract_core::ops;
    if let Some(e) = src.node.op_as::<ops::einsum::EinSum>() {
        return linear::einsum(ctx, src, e, ins);
    }
    if let Some(c) = src.node.op_as::<ops::cnn::Conv>() {
        return linear::conv(ctx, src, c, ins);
    }
    if let Some(b) = src.node.op_as::<ops::binary::TypedBinOp>() {
        return binary::bin(ctx, src, b, ins);
    }
    if let Some(e) = src.node.op_as::<ops::element_wise::ElementWiseOp>() {
        return unary::element_wise(ctx, src, e, ins);
    }
    if let Some(p) = src.node.op_as::<ops::cnn::MaxPool>() {
        return reduce::max_pool(ctx, src, p, ins);
    }
    if let Some(p) = src.node.op_as::<ops::cnn::SumPool>() {
        return reduce::sum_pool(ctx, src, p, ins);
    }
    if let Some(r) = src.node.op_as::<ops::nn::Reduce>() {
        return reduce::reduce(ctx, src, r, ins);
    }
    if let Some(s) = src.node.op_as::<ops::nn::Softmax>() {
        return reduce::softmax(ctx, src, s, ins);
    }
    layout::layout(ctx, src, ins)
}
