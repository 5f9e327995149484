//! The hostile models, one constructor per case, grouped by what they break.

mod bytes;
mod graph;
mod ops;
mod values;

pub use crate::common::onnx::*;

/// One hostile model and what its refusal must say.
pub struct Case {
    /// Unique, stable name (the docs' table uses it).
    pub name: &'static str,
    /// What is wrong with the model, in words.
    pub what: &'static str,
    pub bytes: Vec<u8>,
    /// A case-insensitive substring the error message must contain: the problem, named.
    pub needle: &'static str,
    /// Elements of the model's input, for a calibration sample of the right size (so that setup
    /// would reach quantization if the import let the model through).
    pub cal_len: usize,
}

/// A case on a model with a `[1, 4]` input.
pub fn case(name: &'static str, what: &'static str, m: &Model, needle: &'static str) -> Case {
    Case {
        name,
        what,
        bytes: m.encode(),
        needle,
        cal_len: 4,
    }
}

impl Case {
    /// The same case with an input of `n` elements.
    pub fn cal(mut self, n: usize) -> Self {
        self.cal_len = n;
        self
    }
}

/// The `[4, 4]` weight `W` of [`base`].
pub fn w() -> Vec<u8> {
    let vals: Vec<f32> = (0..16).map(|i| (i % 5) as f32 * 0.1 - 0.2).collect();
    floats("W", &[4, 4], &vals)
}

/// `input @ W -> output`, named `name`.
pub fn mm(name: &str, input: &str, output: &str) -> Node {
    op("MatMul", name, &[input, "W"], output)
}

/// The well-formed model most cases break (setup accepts it): `y = x @ W`, `x, y: [1, 4]`.
pub fn base() -> Model {
    two(vec![mm("mm", "x", "y")])
}

/// `nodes` with the weight `W`, input `x` and output `y` of [`base`].
pub fn two(nodes: Vec<Node>) -> Model {
    Model::new(nodes)
        .inits(vec![w()])
        .inputs(vec![info("x", &[1, 4])])
        .outputs(vec![info("y", &[1, 4])])
}

/// Every case.
pub fn all() -> Vec<Case> {
    let mut v = bytes::cases();
    v.extend(graph::cases());
    v.extend(ops::cases());
    v.extend(values::cases());
    v
}
