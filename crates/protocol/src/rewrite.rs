//! Rewrites that make a quantized model cheaper to prove without changing a single output bit.
//!
//! The quantizer may apply a ReLU or a max pooling to wide accumulators (bounds of 2^25 and more)
//! and requantize afterwards. Non-linear steps are proven by lookups, whose cost grows with the
//! width of the values, so the rewrite moves the requantization first:
//!
//! `requant(reshape(maxpool(relu(x)))) = reshape(maxpool(requant'(x)))`, with `requant'` the same
//! requantization with its lower clamp raised to 0.
//!
//! This holds exactly on integers because the requantization is monotone (`m > 0`, floor and clamp
//! are monotone), so it commutes with max, and maps 0 to 0 (`floor(2^(s-1) / 2^s) = 0`), so a ReLU
//! before it is a lower clamp at 0 after it. Reshape is a relabelling. The rewritten model is what
//! the keys hold and what the reference evaluator runs, so the proof's witness is still exactly the
//! evaluator's trace.

use zkinfer_ir::{ModelBuilder, Op, QModel, Requant};

use crate::ProtocolError;

/// A node that can move below a requantization: a ReLU (`Clamp(0, hi)` with `hi` at least the
/// input's bound), a max pooling, or a reshape.
fn movable(model: &QModel, id: usize) -> bool {
    let node = &model.nodes[id];
    match node.op {
        Op::Clamp { min: 0, max } => node
            .inputs
            .first()
            .is_some_and(|&x| max >= model.nodes[x].bound),
        Op::MaxPool2d { .. } | Op::Reshape => true,
        _ => false,
    }
}

/// Returns the model with every movable chain below a requantization moved above it (see the
/// module docs). Models without such chains come back unchanged.
pub fn prepare_for_proving(model: &QModel) -> Result<QModel, ProtocolError> {
    let n = model.nodes.len();
    let mut consumers = vec![0usize; n];
    for node in &model.nodes {
        for &i in &node.inputs {
            consumers[i] += 1;
        }
    }
    // chain_of[requant] = the movable nodes below it, from the base upwards.
    let mut chain_of: Vec<Option<Vec<usize>>> = vec![None; n];
    let mut deferred = vec![false; n];
    for (id, node) in model.nodes.iter().enumerate() {
        if !matches!(node.op, Op::Requant(_)) || node.inputs.len() != 1 {
            continue;
        }
        let mut chain = vec![];
        let mut cur = node.inputs[0];
        while movable(model, cur) && consumers[cur] == 1 && !model.outputs.contains(&cur) {
            chain.push(cur);
            cur = model.nodes[cur].inputs[0];
        }
        let worth = chain
            .iter()
            .any(|&c| !matches!(model.nodes[c].op, Op::Reshape));
        if worth {
            chain.reverse();
            for &c in &chain {
                deferred[c] = true;
            }
            chain_of[id] = Some(chain);
        }
    }
    if chain_of.iter().all(Option::is_none) {
        return Ok(model.clone());
    }

    let mut b = ModelBuilder::new(&model.name, model.config.clone());
    let mut map = vec![usize::MAX; n];
    for (id, node) in model.nodes.iter().enumerate() {
        if deferred[id] {
            continue;
        }
        let remap = |ids: &[usize], map: &[usize]| ids.iter().map(|&i| map[i]).collect::<Vec<_>>();
        let new_id = match (&node.op, &chain_of[id]) {
            (Op::Input { .. }, _) => {
                b.input(&node.name, node.shape.clone(), node.scale, node.bound)?
            }
            (Op::Requant(r), Some(chain)) => {
                let base = model.nodes[chain[0]].inputs[0];
                let relu = chain
                    .iter()
                    .any(|&c| matches!(model.nodes[c].op, Op::Clamp { .. }));
                let r2 = Requant {
                    min: if relu { r.min.max(0) } else { r.min },
                    ..r.clone()
                };
                let shape = model.nodes[base].shape.clone();
                let mut cur = b.push(
                    &node.name,
                    Op::Requant(r2),
                    vec![map[base]],
                    shape,
                    node.scale,
                )?;
                for &c in chain {
                    let cn = &model.nodes[c];
                    if matches!(cn.op, Op::Clamp { .. }) {
                        continue;
                    }
                    cur = b.push(
                        &cn.name,
                        cn.op.clone(),
                        vec![cur],
                        cn.shape.clone(),
                        node.scale,
                    )?;
                }
                cur
            }
            _ => b.push(
                &node.name,
                node.op.clone(),
                remap(&node.inputs, &map),
                node.shape.clone(),
                node.scale,
            )?,
        };
        map[id] = new_id;
    }
    let outputs = model.outputs.iter().map(|&o| map[o]).collect();
    Ok(b.finish(outputs))
}
