//! A small ONNX (protobuf) writer with the knobs hostile models need: node attributes (ints, int
//! lists, floats, tensors), node domains, opset imports (none, several, conflicting), `ir_version`,
//! graph inputs, outputs and value infos with any dims (negative ones too), and initializers with raw
//! or typed data whose length need not match their dims.
//!
//! Field numbers are those of `onnx.proto` (ModelProto, GraphProto, NodeProto, AttributeProto,
//! TensorProto, ValueInfoProto). Signed integers are written as two's-complement varints, as protobuf
//! does for `int64`.

use super::{f_bytes, f_int};

/// ONNX `TensorProto.DataType` codes used here.
pub const FLOAT: i64 = 1;
pub const INT64: i64 = 7;

fn f_i64(field: u32, v: i64) -> Vec<u8> {
    f_int(field, v as u64)
}

fn f_f32(field: u32, v: f32) -> Vec<u8> {
    // Wire type 5 (fixed 32 bits).
    let mut o = vec![];
    let key = (field << 3) | 5;
    let mut k = key as u64;
    while k >= 0x80 {
        o.push((k as u8) | 0x80);
        k >>= 7;
    }
    o.push(k as u8);
    o.extend_from_slice(&v.to_le_bytes());
    o
}

/// A node attribute (`AttributeProto`).
#[derive(Clone, Debug)]
pub enum Attr {
    Int(i64),
    Ints(Vec<i64>),
    Float(f32),
    Floats(Vec<f32>),
    Str(String),
    /// An encoded `TensorProto` (see [`tensor`]).
    Tensor(Vec<u8>),
}

fn attribute(name: &str, a: &Attr) -> Vec<u8> {
    let mut o = f_bytes(1, name.as_bytes());
    // AttributeProto.type (field 20): FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7.
    match a {
        Attr::Float(v) => {
            o.extend(f_f32(2, *v));
            o.extend(f_i64(20, 1));
        }
        Attr::Int(v) => {
            o.extend(f_i64(3, *v));
            o.extend(f_i64(20, 2));
        }
        Attr::Str(s) => {
            o.extend(f_bytes(4, s.as_bytes()));
            o.extend(f_i64(20, 3));
        }
        Attr::Tensor(t) => {
            o.extend(f_bytes(5, t));
            o.extend(f_i64(20, 4));
        }
        Attr::Floats(vs) => {
            for v in vs {
                o.extend(f_f32(7, *v));
            }
            o.extend(f_i64(20, 6));
        }
        Attr::Ints(vs) => {
            for v in vs {
                o.extend(f_i64(8, *v));
            }
            o.extend(f_i64(20, 7));
        }
    }
    o
}

/// A graph node (`NodeProto`).
#[derive(Clone, Debug, Default)]
pub struct Node {
    pub op: String,
    pub name: String,
    pub domain: String,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub attrs: Vec<(String, Attr)>,
}

/// `op(inputs) -> output`, named `name`, in the default domain.
pub fn op(op: &str, name: &str, inputs: &[&str], output: &str) -> Node {
    Node {
        op: op.into(),
        name: name.into(),
        inputs: inputs.iter().map(|s| s.to_string()).collect(),
        outputs: vec![output.into()],
        ..Node::default()
    }
}

impl Node {
    /// Adds an attribute.
    pub fn attr(mut self, name: &str, a: Attr) -> Self {
        self.attrs.push((name.into(), a));
        self
    }
    /// Sets the operator's domain.
    pub fn domain(mut self, d: &str) -> Self {
        self.domain = d.into();
        self
    }
    fn encode(&self) -> Vec<u8> {
        let mut o = vec![];
        for i in &self.inputs {
            o.extend(f_bytes(1, i.as_bytes()));
        }
        for out in &self.outputs {
            o.extend(f_bytes(2, out.as_bytes()));
        }
        o.extend(f_bytes(3, self.name.as_bytes()));
        o.extend(f_bytes(4, self.op.as_bytes()));
        for (n, a) in &self.attrs {
            o.extend(f_bytes(5, &attribute(n, a)));
        }
        if !self.domain.is_empty() {
            o.extend(f_bytes(7, self.domain.as_bytes()));
        }
        o
    }
}

/// Tensor payload of [`tensor`].
#[derive(Clone, Debug)]
pub enum Data {
    /// `raw_data`: little-endian bytes, any length.
    Raw(Vec<u8>),
    /// `float_data` (packed).
    Floats(Vec<f32>),
    /// `int64_data` (packed).
    Ints(Vec<i64>),
}

/// An encoded `TensorProto` named `name` of element type `dtype` with `dims` (which need not match
/// the data).
pub fn tensor(name: &str, dtype: i64, dims: &[i64], data: &Data) -> Vec<u8> {
    let mut o: Vec<u8> = dims.iter().flat_map(|&d| f_i64(1, d)).collect();
    o.extend(f_i64(2, dtype));
    match data {
        Data::Floats(v) => {
            let b: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
            o.extend(f_bytes(4, &b));
        }
        Data::Ints(v) => {
            let mut b = vec![];
            for &x in v {
                let mut u = x as u64;
                while u >= 0x80 {
                    b.push((u as u8) | 0x80);
                    u >>= 7;
                }
                b.push(u as u8);
            }
            o.extend(f_bytes(7, &b));
        }
        Data::Raw(_) => {}
    }
    o.extend(f_bytes(8, name.as_bytes()));
    if let Data::Raw(r) = data {
        o.extend(f_bytes(9, r));
    }
    o
}

/// A float tensor `name` of `dims` holding `vals` as raw data.
pub fn floats(name: &str, dims: &[i64], vals: &[f32]) -> Vec<u8> {
    let raw = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
    tensor(name, FLOAT, dims, &Data::Raw(raw))
}

/// An int64 tensor `name` of `dims` holding `vals`.
pub fn ints(name: &str, dims: &[i64], vals: &[i64]) -> Vec<u8> {
    tensor(name, INT64, dims, &Data::Ints(vals.to_vec()))
}

/// A tensor value-info (`ValueInfoProto`) of element type `dtype` and `dims`; `None` leaves the shape out.
pub fn typed_info(name: &str, dtype: i64, dims: Option<&[i64]>) -> Vec<u8> {
    let mut tensor_type = f_i64(1, dtype);
    if let Some(dims) = dims {
        let shape: Vec<u8> = dims
            .iter()
            .flat_map(|&d| f_bytes(1, &f_i64(1, d)))
            .collect();
        tensor_type.extend(f_bytes(2, &shape));
    }
    [
        f_bytes(1, name.as_bytes()),
        f_bytes(2, &f_bytes(1, &tensor_type)),
    ]
    .concat()
}

/// A float value-info of `dims`.
pub fn info(name: &str, dims: &[i64]) -> Vec<u8> {
    typed_info(name, FLOAT, Some(dims))
}

/// A model under construction; `encode` writes it.
#[derive(Clone, Debug)]
pub struct Model {
    /// `ir_version`; `None` leaves the field out (protobuf reads it as 0).
    pub ir_version: Option<i64>,
    /// `(domain, version)` opset imports, written in order.
    pub opsets: Vec<(String, i64)>,
    /// `false` leaves the graph out.
    pub has_graph: bool,
    pub nodes: Vec<Node>,
    pub inits: Vec<Vec<u8>>,
    pub inputs: Vec<Vec<u8>>,
    pub outputs: Vec<Vec<u8>>,
    pub value_infos: Vec<Vec<u8>>,
}

impl Model {
    /// IR version 8, opset 13, the given nodes, no initializers, inputs or outputs.
    pub fn new(nodes: Vec<Node>) -> Self {
        Model {
            ir_version: Some(8),
            opsets: vec![(String::new(), 13)],
            has_graph: true,
            nodes,
            inits: vec![],
            inputs: vec![],
            outputs: vec![],
            value_infos: vec![],
        }
    }
    pub fn inits(mut self, t: Vec<Vec<u8>>) -> Self {
        self.inits = t;
        self
    }
    pub fn inputs(mut self, t: Vec<Vec<u8>>) -> Self {
        self.inputs = t;
        self
    }
    pub fn outputs(mut self, t: Vec<Vec<u8>>) -> Self {
        self.outputs = t;
        self
    }
    pub fn value_infos(mut self, t: Vec<Vec<u8>>) -> Self {
        self.value_infos = t;
        self
    }
    pub fn ir(mut self, v: Option<i64>) -> Self {
        self.ir_version = v;
        self
    }
    pub fn opsets(mut self, o: &[(&str, i64)]) -> Self {
        self.opsets = o.iter().map(|(d, v)| (d.to_string(), *v)).collect();
        self
    }
    pub fn no_graph(mut self) -> Self {
        self.has_graph = false;
        self
    }

    /// The protobuf bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut g = vec![];
        for n in &self.nodes {
            g.extend(f_bytes(1, &n.encode()));
        }
        g.extend(f_bytes(2, b"g"));
        for i in &self.inits {
            g.extend(f_bytes(5, i));
        }
        for i in &self.inputs {
            g.extend(f_bytes(11, i));
        }
        for o in &self.outputs {
            g.extend(f_bytes(12, o));
        }
        for v in &self.value_infos {
            g.extend(f_bytes(13, v));
        }
        let mut m = vec![];
        if let Some(v) = self.ir_version {
            m.extend(f_i64(1, v));
        }
        for (d, v) in &self.opsets {
            m.extend(f_bytes(
                8,
                &[f_bytes(1, d.as_bytes()), f_i64(2, *v)].concat(),
            ));
        }
        if self.has_graph {
            m.extend(f_bytes(7, &g));
        }
        m
    }
}

/// `op(x, extra...) -> y` on a float input `x` of `in_dims` with a declared output `y` of `out_dims`:
/// the shape of most single-operator cases.
pub fn unary(op_node: Node, in_dims: &[i64], out_dims: &[i64], inits: Vec<Vec<u8>>) -> Model {
    Model::new(vec![op_node])
        .inits(inits)
        .inputs(vec![info("x", in_dims)])
        .outputs(vec![info("y", out_dims)])
}
