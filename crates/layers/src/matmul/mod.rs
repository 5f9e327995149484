//! The matrix-multiplication layer (Thaler, "Time-optimal interactive proofs for circuit
//! evaluation", 2013, §5; "Proofs, Arguments, and Zero-Knowledge", §4.4):
//! `prod[o, p] = sum_k w[o, k] x[k, p] + bias[o]`, on padded domains `O x P` and `K x P`, in either
//! proof mode ([`Mode`]).
//!
//! A claim `prod(r_o, r_p) = v` becomes `v - bias(r_o) = sum_k w(r_o, k) x(k, r_p)`, one sumcheck
//! over `k`. `w(r_o, .)` is a sent factor (its value `w(r_o, r_k)` in the clear in plain proofs,
//! masked in zero-knowledge ones); `x(., r_p)` is deferred: `x(r_k, r_p) = e / w(r_k)` is solved
//! from the final check (with the mask's and the hidden constant's shares in zero knowledge), never
//! sent. The tables use the MSB-first layout: `w` at index `o * K + k`, `x` at `k * P + p`, `prod`
//! at `o * P + p`.
//!
//! Padding: the `K` padding of `x` must be zero, so callers feed `x` through a wiring (which reads
//! only real entries); then the padded columns of `w` never matter. The padded rows of `prod` are
//! whatever `w`'s padded rows give, and no consumer reads them.
//!
//! Transcript schedule: the claim's (public) value ([`crate::LABEL_CLAIM_VALUES`]), the bias
//! evaluation ([`LABEL_BIAS`]) if there is a bias, then the sumcheck (zero knowledge: `G`, `rho`;
//! the rounds; the final value of `w`).

mod prove;
mod verify;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::masked::{MaskedInstance, MaskedSubclaim};

pub use prove::prove;
pub use verify::verify;

use crate::mode::{Mode, Zk};
use crate::zk::ZkShape;
use crate::{Claim, LayerError};

const LAYER: &str = "matmul";

/// Transcript label of the bias evaluation.
pub const LABEL_BIAS: &str = "matmul.bias_eval";

/// The shape of a matrix product, in variables (log2 of the padded sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatMulShape {
    /// Output rows (`O`).
    pub o_vars: usize,
    /// Contraction length (`K`).
    pub k_vars: usize,
    /// Output columns (`P`).
    pub p_vars: usize,
    /// Whether a bias is added to each row.
    pub has_bias: bool,
}

/// A matmul proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct MatMulProof<M: Mode> {
    /// `bias(r_o)`, when the layer has a bias.
    pub bias_eval: Option<EF>,
    /// The sumcheck over `k`; its one final value is `w`'s.
    pub sumcheck: M::Sumcheck,
}

/// What a matmul proof leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatMulClaims<V = EF> {
    /// About `w`, at `(r_o, r_k)`.
    pub weight: Claim<V>,
    /// About `x`, at `(r_k, r_p)` (solved: the deferred factor).
    pub input: Claim<V>,
    /// About `bias`, at `r_o`, in the clear.
    pub bias: Option<Claim>,
}

fn instance<M: Mode>(shape: MatMulShape) -> MaskedInstance<EF> {
    MaskedInstance::new(
        shape.k_vars,
        vec![(EF::ONE, vec![0, 1])],
        vec![M::SENT, M::DEFERRED],
    )
}

/// The hidden vectors a zero-knowledge matmul needs: the mask `(k_vars, degree)` and `k_vars`
/// randomizer coefficients for `w(r_o, .)`.
pub fn shape(shape: MatMulShape) -> ZkShape {
    ZkShape {
        num_vars: shape.k_vars,
        degree: instance::<Zk>(shape).degree(),
        randomizers: vec![shape.k_vars],
    }
}

/// Splits a point on the `O x P` domain into `(r_o, r_p)`.
fn split_point(shape: MatMulShape, point: &[EF]) -> Result<(&[EF], &[EF]), LayerError> {
    let expected = shape.o_vars + shape.p_vars;
    if point.len() != expected {
        return Err(LayerError::PointLength {
            layer: LAYER,
            expected,
            got: point.len(),
        });
    }
    Ok(point.split_at(shape.o_vars))
}

/// The claims from the subclaim, the same code on both sides: `w(r_o, r_k)` from its sent value
/// ([`Mode::sent_value`]) and the final check `w(r_k) x(r_k, r_p) = e` solved for `x(r_k, r_p)`.
fn claims<M: Mode>(
    shape: MatMulShape,
    claim: &Claim<M::Value>,
    bias_eval: Option<EF>,
    ids: &M::Ids,
    sub: &MaskedSubclaim<EF>,
) -> Result<MatMulClaims<M::Value>, LayerError> {
    let (r_o, r_p) = split_point(shape, &claim.point)?;
    let r_k = &sub.point;
    let sent = *sub.final_values.first().ok_or(LayerError::EvalCount {
        layer: LAYER,
        expected: 1,
        got: 0,
    })?;
    // The weight's value is sent first, so the input's (plain proofs) is second. A zero w(r_k)
    // (probability 1/|EF| for masked weights) would leave a solved x unconstrained:
    // solve_deferred refuses it.
    let degree = instance::<M>(shape).degree();
    let input = M::solve_deferred(LAYER, sub, degree, EF::ZERO, sent, 1, ids, &claim.value)?;
    Ok(MatMulClaims {
        weight: Claim {
            point: [r_o, r_k].concat(),
            value: M::sent_value(sent, M::randomizer_id(ids, 0), r_k),
        },
        input: Claim {
            point: [r_k, r_p].concat(),
            value: input,
        },
        bias: bias_eval.map(|value| Claim {
            point: r_o.to_vec(),
            value,
        }),
    })
}

/// Refuses tables whose lengths do not match the shape.
fn check_tables(
    shape: MatMulShape,
    w: &[F],
    x: &[F],
    bias: Option<&[F]>,
) -> Result<(), LayerError> {
    let (o, k, p) = (shape.o_vars, shape.k_vars, shape.p_vars);
    let bias_len = |present: bool| if present { 1usize << o } else { 0 };
    let lens = [
        ("w", w.len(), 1usize << (o + k)),
        ("x", x.len(), 1 << (k + p)),
        ("bias", bias.map_or(0, <[F]>::len), bias_len(shape.has_bias)),
    ];
    match lens.iter().find(|(_, got, expected)| got != expected) {
        Some(&(what, got, expected)) => Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!("{what} has {got} entries, expected {expected}"),
        }),
        None if bias.is_some() != shape.has_bias => Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!("a bias given for has_bias = {}", shape.has_bias),
        }),
        None => Ok(()),
    }
}
