//! A static description of the typed graph: operators, shapes, parameters, multiply-accumulates.

use serde::Serialize;
use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::cnn::Conv;
use tract_onnx::tract_core::ops::einsum::EinSum;

/// One live node of the typed graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeInfo {
    pub name: String,
    pub op: String,
    /// Output shape.
    pub shape: Vec<usize>,
    /// Constant elements this node reads (weights, biases).
    pub params: usize,
    /// Multiply-accumulates (matrix products and convolutions).
    pub macs: usize,
}

/// Describes every live computing node (constants are counted as parameters of their consumers).
pub fn describe(model: &TypedModel) -> Vec<NodeInfo> {
    let order = model.eval_order().unwrap_or_default();
    let mut out = vec![];
    for id in order {
        let node = model.node(id);
        let fact = &node.outputs[0].fact;
        if fact.konst.is_some() {
            continue;
        }
        let shape = fact
            .shape
            .as_concrete()
            .map(|s| s.to_vec())
            .unwrap_or_default();
        let in_facts: Vec<Option<&TypedFact>> = node
            .inputs
            .iter()
            .map(|o| model.outlet_fact(*o).ok())
            .collect();
        // Weights of products count whole; elsewhere scalars (the 0 of a ReLU, a 1/sqrt(d) factor)
        // are not parameters.
        let weighted = node.op_is::<EinSum>() || node.op_is::<Conv>();
        let params = in_facts
            .iter()
            .flatten()
            .filter(|f| f.konst.is_some())
            .map(|f| {
                f.shape
                    .as_concrete()
                    .map(|s| s.iter().product::<usize>())
                    .unwrap_or(0)
            })
            .filter(|&n| weighted || n > 1)
            .sum();
        let out_len: usize = shape.iter().product();
        let macs = if let Some(e) = node.op_as::<EinSum>() {
            // Output elements times the contracted length.
            let expr = e.axes.to_string();
            let (ins, outl) = expr.split_once("->").unwrap_or(("", ""));
            let first: Vec<char> = ins.split(',').next().unwrap_or("").chars().collect();
            let a_shape = in_facts
                .first()
                .and_then(|f| f.and_then(|f| f.shape.as_concrete().map(|s| s.to_vec())))
                .unwrap_or_default();
            let k: usize = first
                .iter()
                .enumerate()
                .filter(|(_, c)| !outl.contains(**c))
                .map(|(i, _)| a_shape.get(i).copied().unwrap_or(1))
                .product();
            out_len * k
        } else if let Some(c) = node.op_as::<Conv>() {
            let ks = in_facts
                .get(1)
                .and_then(|f| f.and_then(|f| f.shape.as_concrete().map(|s| s.to_vec())))
                .unwrap_or_default();
            let _ = c;
            out_len * ks.iter().skip(1).product::<usize>()
        } else {
            0
        };
        out.push(NodeInfo {
            name: node.name.clone(),
            op: node.op.name().to_string(),
            shape,
            params,
            macs,
        });
    }
    out
}
