//! The reference evaluator: integer-only, deterministic, defines the semantics of every op. Its trace
//! (every node's tensor, in node order) is the prover's witness.

mod index;
mod linear;
mod pool;
#[cfg(test)]
mod tests;

use crate::error::IrError;
use crate::model::{Node, Op, QModel};
use crate::requant::div_round_half_up;

/// Every node's tensor, `values[i]` for node `i`, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub values: Vec<Vec<i64>>,
}

impl Trace {
    /// The tensors of the model's outputs, in output order.
    pub fn outputs<'a>(&'a self, model: &QModel) -> Vec<&'a [i64]> {
        model
            .outputs
            .iter()
            .map(|&o| self.values[o].as_slice())
            .collect()
    }
}

/// Runs `model` on already-quantized `inputs` (one flat row-major tensor per model input). The model is
/// validated first (shapes, parameters, bounds), every input is checked against its shape and bound, and
/// every computed value against its node's static bound, so a tampered model or a quantizer bug is an
/// error rather than a silent wraparound.
pub fn evaluate(model: &QModel, inputs: &[Vec<i64>]) -> Result<Trace, IrError> {
    model.validate()?;
    if inputs.len() != model.inputs.len() {
        let detail = format!(
            "model takes {} inputs, got {}",
            model.inputs.len(),
            inputs.len()
        );
        return Err(IrError::Input {
            index: inputs.len(),
            detail,
        });
    }
    let mut values: Vec<Vec<i64>> = Vec::with_capacity(model.nodes.len());
    for (id, node) in model.nodes.iter().enumerate() {
        let out = match &node.op {
            Op::Input { index } => check_input(model, *index, &inputs[*index])?,
            op => eval_op(op, node, &values, model)?,
        };
        if let Some(&v) = out.iter().find(|v| v.abs() > node.bound) {
            return Err(IrError::BoundViolated {
                node: id,
                layer: node.name.clone(),
                value: v,
                bound: node.bound,
            });
        }
        values.push(out);
    }
    Ok(Trace { values })
}

fn check_input(model: &QModel, index: usize, x: &[i64]) -> Result<Vec<i64>, IrError> {
    let id = model.inputs[index];
    let expected = model.len_of(id);
    if x.len() != expected {
        let detail = format!(
            "expected {expected} values (shape {:?}), got {}",
            model.nodes[id].shape,
            x.len()
        );
        return Err(IrError::Input { index, detail });
    }
    Ok(x.to_vec())
}

fn dims4(s: &[usize]) -> [usize; 4] {
    [s[0], s[1], s[2], s[3]]
}

fn eval_op(op: &Op, node: &Node, values: &[Vec<i64>], model: &QModel) -> Result<Vec<i64>, IrError> {
    let arg = |i: usize| values[node.inputs[i]].as_slice();
    let shp = |i: usize| model.nodes[node.inputs[i]].shape.as_slice();
    let out_shape = node.shape.as_slice();
    Ok(match op {
        Op::Input { .. } => unreachable!("handled by evaluate"),
        Op::Const { values } => values.clone(),
        Op::Dense {
            weight,
            in_features,
            out_features,
        } => linear::dense(arg(0), weight, *in_features, *out_features),
        Op::Conv2d {
            weight,
            weight_shape,
            bias,
            strides,
            dilations,
            pads,
            group,
        } => {
            let geom = linear::ConvGeom {
                in_shape: dims4(shp(0)),
                out_shape: dims4(out_shape),
                kernel: *weight_shape,
                strides: *strides,
                dilations: *dilations,
                pads: *pads,
                group: *group,
            };
            linear::conv2d(arg(0), weight, bias, &geom)
        }
        Op::MatMul => {
            let (a, b) = (shp(0), shp(1));
            linear::matmul(arg(0), arg(1), [a[0], a[1], a[2], b[2]])
        }
        Op::Add { coeffs: [ca, cb] } => {
            index::binary(arg(0), shp(0), arg(1), shp(1), out_shape, |a, b| {
                ca * a + cb * b
            })
        }
        Op::Mul => index::binary(arg(0), shp(0), arg(1), shp(1), out_shape, |a, b| a * b),
        Op::DivRound { shift } => {
            let mut bad = None;
            let out = index::binary(arg(0), shp(0), arg(1), shp(1), out_shape, |a, b| {
                if b <= 0 || a < 0 || a > b {
                    bad = Some((a, b));
                    return 0;
                }
                div_round_half_up(a << shift, b)
            });
            if let Some((a, b)) = bad {
                let detail = format!("DivRound needs 0 <= a <= b, b > 0; got a={a}, b={b}");
                return Err(IrError::Param {
                    node: node.inputs[0],
                    layer: node.name.clone(),
                    detail,
                });
            }
            out
        }
        Op::Requant(r) => arg(0).iter().map(|&x| r.apply(x)).collect(),
        Op::Clamp { min, max } => arg(0).iter().map(|&x| x.clamp(*min, *max)).collect(),
        Op::Lookup(t) => {
            let hi = t.in_min + t.values.len() as i64 - 1;
            arg(0)
                .iter()
                .map(|&x| t.values[(x.clamp(t.in_min, hi) - t.in_min) as usize])
                .collect()
        }
        Op::MaxPool2d {
            kernel,
            strides,
            dilations,
            pads,
        } => {
            let g = pool_geom(shp(0), out_shape, *kernel, *strides, *dilations, *pads);
            pool::max_pool(arg(0), &g)
        }
        Op::SumPool2d {
            kernel,
            strides,
            pads,
        } => {
            let g = pool_geom(shp(0), out_shape, *kernel, *strides, [1, 1], *pads);
            pool::sum_pool(arg(0), &g)
        }
        Op::ReduceSum { axes } => index::reduce(arg(0), shp(0), axes, out_shape, |a, b| a + b),
        Op::ReduceMax { axes } => index::reduce(arg(0), shp(0), axes, out_shape, i64::max),
        Op::Reshape => arg(0).to_vec(),
        Op::Transpose { perm } => index::transpose(arg(0), shp(0), perm),
        Op::Concat { axis } => {
            let parts: Vec<(&[i64], &[usize])> =
                (0..node.inputs.len()).map(|i| (arg(i), shp(i))).collect();
            index::concat(&parts, *axis)
        }
        Op::Slice {
            axis, start, step, ..
        } => index::slice(arg(0), shp(0), *axis, *start, *step, out_shape),
        Op::Pad { pads, value } => index::pad(arg(0), shp(0), pads, *value, out_shape),
    })
}

fn pool_geom(
    inp: &[usize],
    out: &[usize],
    kernel: [usize; 2],
    strides: [usize; 2],
    dilations: [usize; 2],
    pads: [usize; 4],
) -> pool::PoolGeom {
    pool::PoolGeom {
        in_shape: dims4(inp),
        out_shape: dims4(out),
        kernel,
        strides,
        dilations,
        pads,
    }
}
