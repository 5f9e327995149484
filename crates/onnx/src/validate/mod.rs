//! Checks of a model file a stranger handed us, before tract sees it and after tract has typed it.
//!
//! tract trusts its input: a dangling output name panics, an out-of-range axis or permutation panics
//! or allocates gigabytes, a graph with no outputs types fine. So the decoded protobuf is checked
//! first ([`check_proto`]): header, graph structure (outputs, names, producers, cycles), declared
//! shapes and tensors, and every operator's axes, permutations and window geometry against the
//! shapes it will see ([`shape`]). Only a model that passes reaches tract, and the typed graph tract
//! returns is checked again ([`check_typed`]): concrete, non-empty shapes under the element cap,
//! outputs that depend on an input, no non-finite constant and no division by a constant zero.
//! Every message names the node, value or field at fault (docs/hostile-input.md lists the cases).

mod attrs;
mod consts;
mod graph;
mod layout;
mod shape;
mod tensor;
mod typed;
mod window;

use tract_onnx::pb::ModelProto;

pub(crate) use typed::check_typed;

/// Largest number of nodes in a graph (the largest model of the conformance corpus has 2,493).
pub const MAX_NODES: usize = 10_000;
/// Longest name (node, value, operator type, domain, attribute), in bytes.
pub const MAX_NAME_BYTES: usize = 4096;
/// IR versions read: 3 introduced opset imports; 12 is the newest known.
pub const IR_VERSIONS: std::ops::RangeInclusive<i64> = 3..=12;
/// Default-domain opsets read (tract is tested on 9 to 18; older and newer ones mostly parse).
pub const OPSETS: std::ops::RangeInclusive<i64> = 7..=23;
/// Largest |value| of a float constant. No trained weight comes near it, and a float32 product
/// with a larger one overflows to infinity once the activation passes ~3e18.
pub const MAX_CONSTANT_ABS: f64 = 1e20;

/// The graph's element cap (the IR's), as a `u128` for overflow-free products.
const CAP: u128 = zkinfer_ir::MAX_ELEMENTS as u128;

/// Checks the decoded model; the error names what is wrong.
pub(crate) fn check_proto(m: &ModelProto) -> Result<(), String> {
    let g = m.graph.as_ref().ok_or("the model has no graph")?;
    let opset = check_header(m)?;
    let order = graph::check(g)?;
    tensor::check_all(g)?;
    shape::check(g, opset, &order)
}

/// IR version and opset imports; returns the default domain's opset.
fn check_header(m: &ModelProto) -> Result<i64, String> {
    if !IR_VERSIONS.contains(&m.ir_version) {
        return Err(format!(
            "ir_version {} is not one this importer reads ({} to {}){}",
            m.ir_version,
            IR_VERSIONS.start(),
            IR_VERSIONS.end(),
            if m.ir_version == 0 {
                ": the field is missing"
            } else {
                ""
            }
        ));
    }
    let mut versions: Vec<i64> = m
        .opset_import
        .iter()
        .filter(|o| is_default_domain(&o.domain))
        .map(|o| o.version)
        .collect();
    versions.sort_unstable();
    versions.dedup();
    match versions[..] {
        [] => Err("no opset import for the default ONNX domain".into()),
        [v] if OPSETS.contains(&v) => Ok(v),
        [v] => Err(format!(
            "opset {v} of the default domain is not one this importer reads ({} to {})",
            OPSETS.start(),
            OPSETS.end()
        )),
        _ => Err(format!(
            "conflicting opset imports for the default domain: {versions:?}"
        )),
    }
}

/// `""` and `"ai.onnx"` both name the default operator set.
pub(crate) fn is_default_domain(d: &str) -> bool {
    d.is_empty() || d == "ai.onnx"
}

/// `name` quoted for a message, shortened if long (names can be megabytes).
pub(crate) fn q(name: &str) -> String {
    if name.len() <= 64 {
        format!("'{name}'")
    } else {
        let mut end = 48;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        format!("'{}…' ({} bytes)", &name[..end], name.len())
    }
}

#[cfg(test)]
mod tests;
