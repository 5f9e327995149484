//! The IR types: a model is a topologically ordered list of nodes, each producing one integer tensor.

use serde::{Deserialize, Serialize};

use crate::config::QuantConfig;
use crate::requant::Requant;

/// A quantized model: nodes in topological order (every input id is smaller than the node's own id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QModel {
    /// Name of the source model (file stem).
    pub name: String,
    /// The settings the model was quantized with.
    pub config: QuantConfig,
    /// All nodes; node `i`'s tensor is `trace.values[i]`.
    pub nodes: Vec<Node>,
    /// Node ids of the model inputs, in the order the caller supplies them.
    pub inputs: Vec<usize>,
    /// Node ids of the model outputs.
    pub outputs: Vec<usize>,
}

/// One operator application and the tensor it produces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The ONNX/tract node this came from, with a suffix saying which step of it this is.
    pub name: String,
    /// What the node computes.
    pub op: Op,
    /// Ids of the nodes whose tensors this node reads, in the op's argument order.
    pub inputs: Vec<usize>,
    /// Row-major shape of the output tensor (NCHW for images).
    pub shape: Vec<usize>,
    /// Real value represented by integer `q` is `q * scale` (symmetric, zero point 0).
    pub scale: f64,
    /// Static bound: every element `q` satisfies `|q| <= bound`, for every admissible input.
    pub bound: i64,
    /// Declared signed width `k` of the values the node stores besides a kernel (a `Const`'s values,
    /// a `Conv2d`'s bias; 0 for other nodes): each has `|v| <= 2^(k-1) - 1`. Set from the values
    /// when the node is built, kept when the weights are stripped (it reveals that bit length and
    /// nothing else), and proven by every proof (crate `widths`).
    pub value_bits: u32,
}

/// The integer operators. "Broadcast" means numpy's multidirectional rule (shapes right-aligned, each
/// dimension equal or 1). All arithmetic is exact on `i64`; static bounds keep it below (p-1)/2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// Model input number `index`, supplied already quantized, `|q| <= bound`.
    Input { index: usize },
    /// A constant tensor of the node's shape.
    Const { values: Vec<i64> },
    /// `y[.., n] = sum_k x[.., k] * weight[n * in_features + k]`: weight is `[out_features, in_features]`
    /// row-major and contracts the last axis of the input. No bias (a following `Add` adds it).
    Dense {
        weight: Vec<i64>,
        in_features: usize,
        out_features: usize,
    },
    /// 2-D convolution, NCHW input, weight `[O, C/group, KH, KW]`, `bias[o]` added to every output of
    /// channel `o`, zero padding `pads = [top, left, bottom, right]`.
    Conv2d {
        weight: Vec<i64>,
        weight_shape: [usize; 4],
        bias: Vec<i64>,
        strides: [usize; 2],
        dilations: [usize; 2],
        pads: [usize; 4],
        group: usize,
    },
    /// Batched product of two tensors: `a[B, M, K] x b[B, K, N] -> [B, M, N]`.
    MatMul,
    /// `coeffs[0] * a + coeffs[1] * b`, broadcast.
    Add { coeffs: [i64; 2] },
    /// `a * b`, broadcast.
    Mul,
    /// `floor((a * 2^(shift+1) + b) / (2 b))`, i.e. `a * 2^shift / b` rounded half up, broadcast;
    /// requires `0 <= a <= b` and `b > 0` (softmax normalisation), so the output is in `[0, 2^shift]`.
    DivRound { shift: u32 },
    /// Fixed-point rescale and clamp (see [`Requant`]).
    Requant(Requant),
    /// `min(max(x, min), max)`: ReLU, Clip.
    Clamp { min: i64, max: i64 },
    /// `values[clamp(x, in_min, in_min + len - 1) - in_min]`: every non-linear function.
    Lookup(Table),
    /// Max over each window of an NCHW tensor; padded cells are skipped (never selected).
    MaxPool2d {
        kernel: [usize; 2],
        strides: [usize; 2],
        dilations: [usize; 2],
        pads: [usize; 4],
    },
    /// Sum over each window of an NCHW tensor, padded cells count as 0 (average = sum, scale / k).
    SumPool2d {
        kernel: [usize; 2],
        strides: [usize; 2],
        pads: [usize; 4],
    },
    /// Sum over `axes`; those axes stay in the shape with size 1.
    ReduceSum { axes: Vec<usize> },
    /// Max over `axes`; those axes stay in the shape with size 1.
    ReduceMax { axes: Vec<usize> },
    /// Same elements, same row-major order, the node's shape.
    Reshape,
    /// `out` axis `i` is input axis `perm[i]`.
    Transpose { perm: Vec<usize> },
    /// Concatenation along `axis`; all inputs share the node's scale.
    Concat { axis: usize },
    /// Elements `start, start+step, .. < end` along `axis`.
    Slice {
        axis: usize,
        start: usize,
        end: usize,
        step: usize,
    },
    /// Constant padding: `pads[axis] = [before, after]`, filled with `value`.
    Pad { pads: Vec<[usize; 2]>, value: i64 },
}

impl Op {
    /// Short operator name for listings.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Input { .. } => "Input",
            Op::Const { .. } => "Const",
            Op::Dense { .. } => "Dense",
            Op::Conv2d { .. } => "Conv2d",
            Op::MatMul => "MatMul",
            Op::Add { .. } => "Add",
            Op::Mul => "Mul",
            Op::DivRound { .. } => "DivRound",
            Op::Requant(_) => "Requant",
            Op::Clamp { .. } => "Clamp",
            Op::Lookup(_) => "Lookup",
            Op::MaxPool2d { .. } => "MaxPool2d",
            Op::SumPool2d { .. } => "SumPool2d",
            Op::ReduceSum { .. } => "ReduceSum",
            Op::ReduceMax { .. } => "ReduceMax",
            Op::Reshape => "Reshape",
            Op::Transpose { .. } => "Transpose",
            Op::Concat { .. } => "Concat",
            Op::Slice { .. } => "Slice",
            Op::Pad { .. } => "Pad",
        }
    }

    /// Number of inputs the op takes (`None`: any number >= 1, Concat).
    pub fn arity(&self) -> Option<usize> {
        match self {
            Op::Input { .. } | Op::Const { .. } => Some(0),
            Op::MatMul | Op::Add { .. } | Op::Mul | Op::DivRound { .. } => Some(2),
            Op::Concat { .. } => None,
            _ => Some(1),
        }
    }
}

/// A lookup table over a contiguous integer input range. `values` is authoritative (a prover rebuilds
/// the table from it); `func` and the scales record how it was generated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The real function tabulated.
    pub func: TableFn,
    /// Scale of the input integers.
    pub in_scale: f64,
    /// Scale of the output integers.
    pub out_scale: f64,
    /// Smallest tabulated input; inputs outside the range are clamped into it first.
    pub in_min: i64,
    /// `values[i] = round_half_up(f((in_min + i) * in_scale) / out_scale)` clamped to the output range.
    pub values: Vec<i64>,
}

/// Real functions that appear as tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TableFn {
    Sigmoid,
    Tanh,
    Erf,
    /// x * Phi(x) (exact, erf form).
    Gelu,
    Exp,
    /// 1 / sqrt(x + eps).
    Rsqrt {
        eps: f64,
    },
    Sqrt,
    Recip,
    LeakyRelu {
        alpha: f64,
    },
    Elu {
        alpha: f64,
    },
    Softplus,
    Log,
    /// x^p.
    Pow {
        p: f64,
    },
    Abs,
    Neg,
    /// Rounding functions and others named by tract (their float definition is in `docs/ops.md`).
    Other(String),
}

impl QModel {
    /// Number of elements of node `id`'s tensor.
    pub fn len_of(&self, id: usize) -> usize {
        self.nodes[id].shape.iter().product()
    }
}
