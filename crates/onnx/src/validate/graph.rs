//! The graph's structure: size and name limits, outputs and inputs, one producer per value, no
//! dangling reference, no cycle, default-domain operators only, declared types and dimensions.

use std::collections::{HashMap, HashSet};

use tract_onnx::pb::attribute_proto::AttributeType;
use tract_onnx::pb::tensor_shape_proto::dimension::Value as Dim;
use tract_onnx::pb::type_proto::Value as TypeValue;
use tract_onnx::pb::{GraphProto, NodeProto, ValueInfoProto};

use super::{CAP, MAX_NAME_BYTES, MAX_NODES, is_default_domain, q};

/// How a message names a node: its name, or its first output when unnamed.
pub(crate) fn node_label(n: &NodeProto) -> String {
    let name = if !n.name.is_empty() {
        &n.name
    } else {
        n.output.first().map(String::as_str).unwrap_or("")
    };
    format!("node {} ({})", q(name), q_op(&n.op_type))
}

fn q_op(op: &str) -> String {
    if op.len() <= 64 {
        op.to_string()
    } else {
        q(op)
    }
}

fn check_len(what: &str, s: &str) -> Result<(), String> {
    if s.len() > MAX_NAME_BYTES {
        return Err(format!(
            "{what} name {} is longer than {MAX_NAME_BYTES} bytes",
            q(s)
        ));
    }
    Ok(())
}

/// Checks the structure; returns the nodes in a topological order.
pub(super) fn check(g: &GraphProto) -> Result<Vec<usize>, String> {
    if g.node.len() > MAX_NODES {
        return Err(format!(
            "the graph has {} nodes, over the {MAX_NODES}-node limit",
            g.node.len()
        ));
    }
    if g.output.is_empty() {
        return Err("the graph has no outputs".into());
    }
    if !g.sparse_initializer.is_empty() {
        return Err("sparse initializers are not supported".into());
    }
    for n in &g.node {
        check_node_strings(n)?;
    }
    for v in g.input.iter().chain(&g.output).chain(&g.value_info) {
        check_len("value", &v.name)?;
    }
    for t in &g.initializer {
        check_len("initializer", &t.name)?;
    }
    let producers = check_names(g)?;
    check_references(g, &producers)?;
    let order = check_acyclic(g, &producers)?;
    for v in &g.input {
        check_value_info("graph input", v, true, false)?;
    }
    for v in &g.output {
        check_value_info("graph output", v, false, false)?;
    }
    for v in &g.value_info {
        // An intermediate value may be empty (an unused `roi` of Resize), never negative.
        check_value_info("value info", v, false, true)?;
    }
    Ok(order)
}

/// Lengths of every string a node carries, its domain and its attributes' kinds.
fn check_node_strings(n: &NodeProto) -> Result<(), String> {
    check_len("operator type", &n.op_type)?;
    check_len("node", &n.name)?;
    check_len("domain", &n.domain)?;
    for s in n.input.iter().chain(&n.output) {
        check_len("value", s)?;
    }
    if !is_default_domain(&n.domain) {
        return Err(format!(
            "{}: operator of domain {} (only the default ONNX domain is supported)",
            node_label(n),
            q(&n.domain)
        ));
    }
    if n.output.iter().all(|o| o.is_empty()) {
        return Err(format!("{} has no outputs", node_label(n)));
    }
    for a in &n.attribute {
        check_len("attribute", &a.name)?;
        let ty = a.r#type;
        if ty == AttributeType::Graph as i32
            || ty == AttributeType::Graphs as i32
            || a.g.is_some()
            || !a.graphs.is_empty()
        {
            return Err(format!(
                "{}: subgraph attribute {} (control flow is not supported)",
                node_label(n),
                q(&a.name)
            ));
        }
    }
    Ok(())
}

/// Where a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Producer {
    Input,
    Initializer,
    Node(usize),
}

/// Unique node names, inputs, initializers and outputs; one producer per value. Returns the producers.
fn check_names(g: &GraphProto) -> Result<HashMap<&str, Producer>, String> {
    let mut names = HashSet::new();
    for n in g.node.iter().filter(|n| !n.name.is_empty()) {
        if !names.insert(n.name.as_str()) {
            return Err(format!("duplicate node name {}", q(&n.name)));
        }
    }
    let mut producers: HashMap<&str, Producer> = HashMap::new();
    let mut seen = HashSet::new();
    for t in &g.initializer {
        if !seen.insert(t.name.as_str()) {
            return Err(format!("duplicate initializer {}", q(&t.name)));
        }
        producers.insert(&t.name, Producer::Initializer);
    }
    let mut seen = HashSet::new();
    for v in &g.input {
        if !seen.insert(v.name.as_str()) {
            return Err(format!("duplicate graph input {}", q(&v.name)));
        }
        // An input that is also an initializer is a default value (IR < 4): the initializer wins.
        producers.entry(&v.name).or_insert(Producer::Input);
    }
    for (i, n) in g.node.iter().enumerate() {
        for o in n.output.iter().filter(|o| !o.is_empty()) {
            if let Some(p) = producers.insert(o, Producer::Node(i)) {
                let first = match p {
                    Producer::Input => "a graph input".to_string(),
                    Producer::Initializer => "an initializer".to_string(),
                    Producer::Node(j) => node_label(&g.node[j]),
                };
                return Err(format!(
                    "value {} is produced twice: by {first} and by {}",
                    q(o),
                    node_label(n)
                ));
            }
        }
    }
    let mut seen = HashSet::new();
    for v in &g.output {
        if !seen.insert(v.name.as_str()) {
            return Err(format!("duplicate graph output {}", q(&v.name)));
        }
    }
    if !producers.values().any(|p| *p == Producer::Input) {
        return Err("the graph has no inputs (every value is a constant)".into());
    }
    Ok(producers)
}

/// Every node input and graph output names a value something produces.
fn check_references(g: &GraphProto, producers: &HashMap<&str, Producer>) -> Result<(), String> {
    for n in &g.node {
        for i in n.input.iter().filter(|i| !i.is_empty()) {
            if !producers.contains_key(i.as_str()) {
                return Err(format!(
                    "{}: input {} is produced by no node, graph input or initializer",
                    node_label(n),
                    q(i)
                ));
            }
        }
    }
    for o in &g.output {
        if !producers.contains_key(o.name.as_str()) {
            return Err(format!(
                "graph output {} is produced by no node, graph input or initializer",
                q(&o.name)
            ));
        }
    }
    Ok(())
}

/// Kahn's algorithm: a node left unvisited lies on a cycle (or after one). Returns the order.
fn check_acyclic(
    g: &GraphProto,
    producers: &HashMap<&str, Producer>,
) -> Result<Vec<usize>, String> {
    let deps = |n: &NodeProto| -> Vec<usize> {
        n.input
            .iter()
            .filter_map(|i| match producers.get(i.as_str()) {
                Some(Producer::Node(j)) => Some(*j),
                _ => None,
            })
            .collect()
    };
    let mut pending: Vec<usize> = g.node.iter().map(|n| deps(n).len()).collect();
    let mut users: Vec<Vec<usize>> = vec![vec![]; g.node.len()];
    for (i, n) in g.node.iter().enumerate() {
        for j in deps(n) {
            users[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..g.node.len()).filter(|&i| pending[i] == 0).collect();
    let mut order = Vec::with_capacity(g.node.len());
    while let Some(i) = ready.pop() {
        order.push(i);
        for &u in &users[i] {
            pending[u] -= 1;
            if pending[u] == 0 {
                ready.push(u);
            }
        }
    }
    if order.len() < g.node.len() {
        // Walk back from a node never freed through producers also never freed: the walk must
        // come back to a node it has seen, which lies on a cycle.
        let mut done = vec![false; g.node.len()];
        for &i in &order {
            done[i] = true;
        }
        let mut seen = vec![false; g.node.len()];
        let mut cur = (0..g.node.len()).find(|&i| !done[i]).unwrap_or(0);
        while !seen[cur] {
            seen[cur] = true;
            match deps(&g.node[cur]).into_iter().find(|&j| !done[j]) {
                Some(j) => cur = j,
                None => break,
            }
        }
        return Err(format!(
            "the graph has a cycle through {}",
            node_label(&g.node[cur])
        ));
    }
    Ok(order)
}

/// A declared tensor type: known element type, dimensions positive and under the element cap.
/// Graph inputs must be typed; elsewhere a missing type is just missing information.
fn check_value_info(
    what: &str,
    v: &ValueInfoProto,
    must_type: bool,
    allow_zero: bool,
) -> Result<(), String> {
    let name = q(&v.name);
    let Some(TypeValue::TensorType(t)) = v.r#type.as_ref().and_then(|t| t.value.as_ref()) else {
        if must_type {
            return Err(format!("{what} {name} has no tensor type"));
        }
        return Ok(());
    };
    if super::tensor::elem_size(t.elem_type).is_none() {
        return Err(format!(
            "{what} {name} has an unknown or unsupported element type {}",
            t.elem_type
        ));
    }
    let Some(shape) = &t.shape else {
        return Ok(());
    };
    let mut len: u128 = 1;
    for (i, d) in shape.dim.iter().enumerate() {
        if let Some(Dim::DimValue(x)) = d.value {
            if x < 0 || (x == 0 && !allow_zero) {
                return Err(format!(
                    "{what} {name} dimension {i} is {x} (dimensions must be positive)"
                ));
            }
            len = len.saturating_mul(x as u128);
        }
    }
    if len > CAP {
        return Err(format!(
            "{what} {name} declares {len} elements, over the {CAP}-element cap"
        ));
    }
    Ok(())
}
