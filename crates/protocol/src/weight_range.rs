//! The weights' declared widths, proven in every proof (docs/pitfalls.md, 11).
//!
//! The static bounds a verifier reads in the architecture, and with them the no-wrap arguments of
//! requantization and max pooling, assume that every weight lies within a declared signed width:
//! `config.weight_bits` for kernels (dense and convolution weights), and the node's own
//! `value_bits` for constants and convolution biases (`zkinfer_ir::Node::value_bits`). Both are in
//! the architecture, so the verifier knows them without the weights. Every proof shows each weight
//! column, padding included, lies within its width, by one signed range check per column
//! (`zkinfer_layers::signed`): the check's committed columns (limbs, multiplicities) go into the
//! proof's witness commitment after the layers' columns, its claims on the weight column are
//! settled with the layers' weight claims (the opening of `C_W` in a plain proof; linear claims on
//! the weights' copy in `Q` in a zero-knowledge one, see `zk::weight_range`).
//!
//! Transcript schedule: after every node's step and before the openings (plain) or the weight hash
//! (zero knowledge), one check per weight column in column order.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{EF, F, decode_signed};
use zkinfer_ir::QModel;
use zkinfer_layers::signed::{
    self, MAX_SIGNED_BITS, SignedClaims, SignedProof, SignedSpec, SignedWitness,
};
use zkinfer_transcript::FiatShamir;

use crate::ProtocolError;
use crate::plan::{Column, Plan, WeightSource};
use crate::route::Claims;

/// The check of one weight column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightCheck {
    /// The weight column.
    pub col: usize,
    /// Its size and declared width.
    pub spec: SignedSpec,
    /// Its first witness column (limbs, then multiplicities: `SignedLayout::columns`).
    pub first_col: usize,
}

/// The node a weight column comes from.
pub(crate) fn source_node(src: WeightSource) -> usize {
    match src {
        WeightSource::Const(id)
        | WeightSource::DenseWeight(id)
        | WeightSource::ConvWeight(id)
        | WeightSource::ConvBias(id) => id,
    }
}

/// The declared width of a weight column: the kernel width of the model, or the node's own.
fn declared_bits(model: &QModel, src: WeightSource) -> Result<u32, ProtocolError> {
    let node = model
        .nodes
        .get(source_node(src))
        .ok_or_else(|| ProtocolError::Malformed("weight column of no node".into()))?;
    Ok(match src {
        WeightSource::DenseWeight(_) | WeightSource::ConvWeight(_) => model.config.weight_bits,
        WeightSource::Const(_) | WeightSource::ConvBias(_) => node.value_bits,
    })
}

/// One check per weight column, its committed columns appended to the plan's witness columns.
/// Reads the architecture only (widths and shapes).
pub(crate) fn compile(model: &QModel, plan: &mut Plan) -> Result<(), ProtocolError> {
    let sources: Vec<(usize, WeightSource)> = plan
        .weight_cols
        .iter()
        .map(|c| c.num_vars)
        .zip(plan.weight_sources.iter().copied())
        .collect();
    for (col, (num_vars, src)) in sources.into_iter().enumerate() {
        let name = plan
            .weight_cols
            .get(col)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let bits = declared_bits(model, src)?;
        let spec = SignedSpec { num_vars, bits };
        let layout = spec.layout().map_err(|e| {
            ProtocolError::Unsupported(format!(
                "weight column {name}: declared width of {bits} bits (at most {MAX_SIGNED_BITS} \
                 can be proven): {e}"
            ))
        })?;
        let first_col = plan.witness_cols.len();
        for (i, vars) in layout.columns(&spec).into_iter().enumerate() {
            plan.witness_cols.push(Column {
                name: format!("{name}/range{i}"),
                num_vars: vars,
            });
        }
        plan.weight_checks.push(WeightCheck {
            col,
            spec,
            first_col,
        });
    }
    Ok(())
}

/// Refuses weights outside their declared width (setup and the honest prover), naming the first.
pub(crate) fn check_widths(plan: &Plan, weights: &[Vec<F>]) -> Result<(), ProtocolError> {
    for c in &plan.weight_checks {
        let table = weights.get(c.col).map_or(&[][..], Vec::as_slice);
        let bound = c.spec.bound();
        if let Some((i, v)) = table
            .iter()
            .map(|&x| decode_signed(x))
            .enumerate()
            .find(|(_, v)| v.unsigned_abs() > bound)
        {
            let name = plan.weight_cols.get(c.col).map_or("?", |c| c.name.as_str());
            return Err(ProtocolError::Malformed(format!(
                "weight column {name}: value {v} at index {i} is outside its declared width of \
                 {} bits (|w| <= {bound})",
                c.spec.bits
            )));
        }
    }
    Ok(())
}

/// The prover's columns of every check. Out-of-range weights still give columns (a proof from
/// them is rejected); [`check_widths`] is what refuses them.
pub(crate) fn witnesses(
    plan: &Plan,
    weights: &[Vec<F>],
) -> Result<Vec<SignedWitness>, ProtocolError> {
    plan.weight_checks
        .iter()
        .map(|c| {
            let table = weights
                .get(c.col)
                .ok_or_else(|| ProtocolError::Malformed("missing weight table".into()))?;
            signed::witness(&c.spec, table).map_err(layer(plan, c))
        })
        .collect()
}

/// A check's errors, named by its weight column and node.
pub(crate) fn layer(
    plan: &Plan,
    c: &WeightCheck,
) -> impl Fn(zkinfer_layers::LayerError) -> ProtocolError + use<> {
    let node = plan
        .weight_sources
        .get(c.col)
        .map_or(0, |&s| source_node(s));
    let name = plan
        .weight_cols
        .get(c.col)
        .map_or_else(String::new, |c| c.name.clone());
    move |source| ProtocolError::Layer {
        node,
        name: name.clone(),
        source,
    }
}

/// Routes a check's claims: the claim on the weight column to the weight opening, the claims on
/// its committed columns to the witness opening.
fn route(c: &WeightCheck, sc: SignedClaims, claims: &mut Claims) {
    claims.weights.push((c.col, sc.value));
    claims
        .witness
        .extend(sc.columns.into_iter().map(|(i, cl)| (c.first_col + i, cl)));
}

/// Proves every check (plain proof).
pub(crate) fn prove(
    plan: &Plan,
    weights: &[Vec<F>],
    wits: &[SignedWitness],
    claims: &mut Claims,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<SignedProof>, ProtocolError> {
    if wits.len() != plan.weight_checks.len() {
        return Err(ProtocolError::Malformed(
            "one weight range witness per weight column".into(),
        ));
    }
    let mut proofs = Vec::with_capacity(wits.len());
    for (c, w) in plan.weight_checks.iter().zip(wits) {
        let table = weights
            .get(c.col)
            .ok_or_else(|| ProtocolError::Malformed("missing weight table".into()))?;
        let (proof, sc) = signed::prove(&c.spec, table, w, transcript).map_err(layer(plan, c))?;
        route(c, sc, claims);
        proofs.push(proof);
    }
    Ok(proofs)
}

/// Verifies every check (plain proof); its claims join the openings' lists.
pub(crate) fn verify(
    plan: &Plan,
    proofs: &[SignedProof],
    claims: &mut Claims,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(), ProtocolError> {
    if proofs.len() != plan.weight_checks.len() {
        return Err(ProtocolError::Structure(format!(
            "{} weight range proofs for {} weight columns",
            proofs.len(),
            plan.weight_checks.len()
        )));
    }
    for (c, p) in plan.weight_checks.iter().zip(proofs) {
        let sc = signed::verify(&c.spec, p, transcript).map_err(layer(plan, c))?;
        route(c, sc, claims);
    }
    Ok(())
}

#[cfg(test)]
#[path = "weight_range_tests.rs"]
mod tests;
