//! A static pass over the nodes in topological order that knows, where it can, each value's rank and
//! dimensions, and small integer and float constants (shapes, axes, pads, divisors). With it every
//! operator's axes, permutations, window geometry and output size are checked before tract runs the
//! inference rules that would panic on them or fold a constant of billions of elements.
//!
//! A rank or dimension the pass cannot know (an operator it does not model, a symbolic batch) is
//! left unknown and the checks that need it are skipped: the pass refuses only what it is sure of.

use std::collections::HashMap;

use tract_onnx::pb::tensor_shape_proto::dimension::Value as Dim;
use tract_onnx::pb::type_proto::Value as TypeValue;
use tract_onnx::pb::{AttributeProto, GraphProto, NodeProto};

use super::graph::node_label;
use super::tensor::{small_floats, small_ints};
use super::{CAP, attrs};

/// A value's shape: its rank is known, each dimension may not be.
pub(crate) type Dims = Vec<Option<usize>>;

/// What the pass knows about the values computed so far.
#[derive(Default)]
pub(crate) struct Env<'a> {
    pub shapes: HashMap<&'a str, Dims>,
    pub ints: HashMap<&'a str, Vec<i64>>,
    pub floats: HashMap<&'a str, Vec<f64>>,
    /// Opset of the default domain.
    pub opset: i64,
}

/// One node being checked, with what is known of its inputs.
pub(crate) struct At<'a, 'e> {
    pub node: &'a NodeProto,
    pub env: &'e Env<'a>,
}

impl<'a> At<'a, '_> {
    /// `"node 'n' (Op): detail"`.
    pub fn err(&self, detail: impl std::fmt::Display) -> String {
        format!("{}: {detail}", node_label(self.node))
    }
    fn input(&self, i: usize) -> Option<&'a str> {
        self.node
            .input
            .get(i)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    /// Dims of input `i`, if known.
    pub fn dims(&self, i: usize) -> Option<&Dims> {
        self.input(i).and_then(|n| self.env.shapes.get(n))
    }
    /// Rank of input `i`, if known.
    pub fn rank(&self, i: usize) -> Option<usize> {
        self.dims(i).map(Vec::len)
    }
    /// Values of input `i` when it is a small integer constant.
    pub fn ints(&self, i: usize) -> Option<&Vec<i64>> {
        self.input(i).and_then(|n| self.env.ints.get(n))
    }
    /// Values of input `i` when it is a float constant.
    pub fn floats(&self, i: usize) -> Option<&Vec<f64>> {
        self.input(i).and_then(|n| self.env.floats.get(n))
    }
    /// Name of input `i`.
    pub fn name(&self, i: usize) -> &str {
        self.input(i).unwrap_or("")
    }
    fn attr(&self, name: &str) -> Option<&'a AttributeProto> {
        self.node.attribute.iter().find(|a| a.name == name)
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        self.attr(name).map(|a| a.i)
    }
    pub fn int_list(&self, name: &str) -> Option<&'a [i64]> {
        self.attr(name).map(|a| a.ints.as_slice())
    }
    pub fn string(&self, name: &str) -> Option<String> {
        self.attr(name)
            .map(|a| String::from_utf8_lossy(&a.s).into_owned())
    }
    /// An attribute before `since`, an input from `since` on (axes, pads, ...).
    pub fn ints_attr_or_input(&self, name: &str, ix: usize, since: i64) -> Option<Vec<i64>> {
        if self.env.opset < since {
            self.int_list(name).map(<[i64]>::to_vec)
        } else {
            self.ints(ix).cloned()
        }
    }
    /// `axis` normalised against `rank`, or an error naming it.
    pub fn axis(&self, what: &str, axis: i64, rank: usize) -> Result<usize, String> {
        let r = rank as i64;
        if axis < -r || axis >= r {
            return Err(self.err(format!(
                "{what} {axis} is out of range for a rank-{rank} input (-{rank} to {})",
                r - 1
            )));
        }
        Ok(if axis < 0 { axis + r } else { axis } as usize)
    }
}

/// Runs the pass over `g` in topological order `order`.
pub(super) fn check(g: &GraphProto, opset: i64, order: &[usize]) -> Result<(), String> {
    let mut env = Env {
        opset,
        ..Env::default()
    };
    for t in &g.initializer {
        env.shapes
            .insert(&t.name, t.dims.iter().map(|&d| Some(d as usize)).collect());
        if let Some(v) = small_ints(t) {
            env.ints.insert(&t.name, v);
        }
        if let Some(v) = small_floats(t) {
            env.floats.insert(&t.name, v);
        }
    }
    for v in &g.input {
        if env.shapes.contains_key(v.name.as_str()) {
            continue;
        }
        let Some(TypeValue::TensorType(t)) = v.r#type.as_ref().and_then(|t| t.value.as_ref())
        else {
            continue;
        };
        if let Some(s) = &t.shape {
            let dims = s
                .dim
                .iter()
                .map(|d| match d.value {
                    Some(Dim::DimValue(x)) if x > 0 => Some(x as usize),
                    _ => None,
                })
                .collect();
            env.shapes.insert(&v.name, dims);
        }
    }
    for &i in order {
        let n = &g.node[i];
        let at = At { node: n, env: &env };
        let out = attrs::infer(&at)?;
        if let Some(d) = &out {
            // One dimension over the cap is refused even when another is unknown, which also keeps
            // every later size computation of the pass far from overflow.
            let (len, bound) = match known_len(d) {
                Some(len) => (len, ""),
                None => (
                    d.iter().flatten().map(|&x| x as u128).max().unwrap_or(0),
                    "at least ",
                ),
            };
            if len > CAP {
                return Err(at.err(format!(
                    "output of shape {} would have {bound}{len} elements, over the {CAP}-element cap",
                    show(d)
                )));
            }
        }
        let consts = super::consts::constant_values(&at);
        let Some(o) = n.output.first().filter(|o| !o.is_empty()) else {
            continue;
        };
        if let Some(d) = out {
            env.shapes.insert(o, d);
        }
        if let Some((ints, floats)) = consts {
            if let Some(v) = ints {
                env.ints.insert(o, v);
            }
            if let Some(v) = floats {
                env.floats.insert(o, v);
            }
        }
    }
    Ok(())
}

/// The product of fully known dims (saturating).
pub(crate) fn known_len(d: &Dims) -> Option<u128> {
    d.iter()
        .try_fold(1u128, |acc, x| x.map(|x| acc.saturating_mul(x as u128)))
}

/// `[1, 4, ?]`.
pub(crate) fn show(d: &Dims) -> String {
    let parts: Vec<String> = d
        .iter()
        .map(|x| x.map_or("?".to_string(), |x| x.to_string()))
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Numpy broadcasting of known shapes; `None` if one is unknown.
pub(crate) fn broadcast(at: &At, shapes: &[Option<&Dims>]) -> Result<Option<Dims>, String> {
    if shapes.iter().any(Option::is_none) {
        return Ok(None);
    }
    let shapes: Vec<&Dims> = shapes.iter().flatten().copied().collect();
    let rank = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out: Dims = vec![Some(1); rank];
    for s in &shapes {
        let off = rank - s.len();
        for (i, &d) in s.iter().enumerate() {
            let o = &mut out[off + i];
            *o = match (*o, d) {
                (Some(1), d) | (d, Some(1)) => d,
                (Some(a), Some(b)) if a == b => Some(a),
                (Some(_), Some(_)) => {
                    let all: Vec<String> = shapes.iter().map(|s| show(s)).collect();
                    return Err(at.err(format!("shapes {} do not broadcast", all.join(" and "))));
                }
                // An unknown dimension against a known one other than 1 must be 1 or equal to it.
                (None, Some(b)) | (Some(b), None) => Some(b),
                (None, None) => None,
            };
        }
    }
    Ok(Some(out))
}
