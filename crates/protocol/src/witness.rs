//! The prover's witness: every node's padded table and every committed column.

use zkinfer_field::{F, encode_signed};
use zkinfer_ir::{QModel, Trace};
use zkinfer_layers::SparseMap;
use zkinfer_layers::maxpool::{MaxPoolWitness, witness as maxpool_witness};
use zkinfer_layers::requant::{RequantWitness, witness as requant_witness};
use zkinfer_layers::signed::SignedWitness;

use crate::ProtocolError;
use crate::plan::{Plan, Step};

/// The padded tables the prover works with.
pub(crate) struct Witness {
    /// Each node's tensor, padded to `2^node_vars` (zeros, except committed nodes, whose padding
    /// follows their relation applied to the padded input).
    pub tables: Vec<Vec<F>>,
    /// The requantization columns of each requant node.
    pub requants: Vec<Option<RequantWitness>>,
    /// The max-pooling columns of each max-pool node.
    pub maxpools: Vec<Option<MaxPoolWitness>>,
    /// Every committed column, in plan order.
    pub columns: Vec<Vec<F>>,
}

fn encode(values: &[i64], len: usize, what: &str) -> Result<Vec<F>, ProtocolError> {
    let mut out = Vec::with_capacity(len);
    for &v in values {
        out.push(encode_signed(v).map_err(|e| ProtocolError::Malformed(format!("{what}: {e}")))?);
    }
    out.resize(len, F::default());
    Ok(out)
}

/// Builds the witness from the reference evaluator's trace and the weight range checks' columns
/// (`crate::weight_range::witnesses`, which depend on the weights only).
pub(crate) fn build(
    model: &QModel,
    plan: &Plan,
    trace: &Trace,
    weight_ranges: &[SignedWitness],
) -> Result<Witness, ProtocolError> {
    let n = model.nodes.len();
    let mut ints: Vec<Vec<i64>> = Vec::with_capacity(n);
    let mut tables = Vec::with_capacity(n);
    let mut requants = Vec::with_capacity(n);
    let mut maxpools = Vec::with_capacity(n);
    let mut columns: Vec<Vec<F>> = vec![vec![]; plan.witness_cols.len()];
    for (id, step) in plan.steps.iter().enumerate() {
        let len = plan.padded(id);
        let mut padded = trace.values[id].clone();
        padded.resize(len, 0);
        match step {
            Step::Requant {
                spec,
                first_col,
                input,
            } => {
                let x = &ints[*input];
                let w = requant_witness(spec, x).map_err(|source| ProtocolError::Layer {
                    node: id,
                    name: model.nodes[id].name.clone(),
                    source,
                })?;
                // The relation on real entries is the reference evaluator's, bit for bit.
                if w.out_int[..trace.values[id].len()] != trace.values[id][..] {
                    return Err(ProtocolError::Malformed(format!(
                        "node {id}: requantization witness differs from the reference evaluator"
                    )));
                }
                for (i, (_, col)) in w.columns().into_iter().enumerate() {
                    columns[first_col + i] = col.to_vec();
                }
                tables.push(w.out.clone());
                padded = w.out_int.clone();
                requants.push(Some(w));
                maxpools.push(None);
            }
            Step::MaxPool {
                spec,
                first_col,
                taps,
            } => {
                let x = &ints[model.nodes[id].inputs[0]];
                let tap_values: Vec<Vec<i64>> = taps.iter().map(|m| apply_int(m, x, len)).collect();
                let w = maxpool_witness(spec, &padded, &tap_values).map_err(|source| {
                    ProtocolError::Layer {
                        node: id,
                        name: model.nodes[id].name.clone(),
                        source,
                    }
                })?;
                for (i, col) in w.columns.iter().enumerate() {
                    columns[first_col + i] = col.clone();
                }
                tables.push(encode(&padded, len, &model.nodes[id].name)?);
                requants.push(None);
                maxpools.push(Some(w));
            }
            _ => {
                tables.push(encode(&padded, len, &model.nodes[id].name)?);
                requants.push(None);
                maxpools.push(None);
            }
        }
        ints.push(padded);
    }
    if weight_ranges.len() != plan.weight_checks.len() {
        return Err(ProtocolError::Malformed(
            "one weight range witness per weight column".into(),
        ));
    }
    for (check, w) in plan.weight_checks.iter().zip(weight_ranges) {
        for (i, col) in w.columns().into_iter().enumerate() {
            columns[check.first_col + i] = col.to_vec();
        }
    }
    Ok(Witness {
        tables,
        requants,
        maxpools,
        columns,
    })
}

/// `map` applied to an integer table, padded to `len`.
fn apply_int(map: &SparseMap, input: &[i64], len: usize) -> Vec<i64> {
    let mut out = vec![0i64; len];
    for &(q, j, c) in &map.entries {
        if let (Some(o), Some(&x)) = (out.get_mut(q as usize), input.get(j as usize)) {
            *o += c as i64 * x;
        }
    }
    out
}
