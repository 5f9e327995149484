//! The wiring layer: claims about `out = sum_i A_i in_i`, for fixed sparse maps `A_i`, reduced to
//! one claim about each `in_i`, by one sumcheck, in either proof mode ([`Mode`]).
//!
//! With the claims combined into weights `E` over the output and a value `v`
//! ([`crate::claim::combine`]), `sum_i sum_j M_i(j) in_i(j) = v` with `M_i = A_i^T E`
//! ([`SparseMap::pull_back`]). The sumcheck runs over `n = max_i in_vars(i)` variables on
//! `sum_i M_i' in_i'`, each table zero-extended in its most significant variables
//! (`in_i'~(s) = eq(s_high, 0) in_i~(s_low)`). The `M_i'` are public factors: the verifier
//! evaluates them itself in `O(nnz(A_i))`, never taking them from the prover. Inputs `0..k-1` are
//! sent factors (in the clear in plain proofs, masked in zero-knowledge ones) but one, the deferred
//! input ([`crate::mode`]: revealed and checked in plain proofs, solved from the final check in
//! zero-knowledge ones). The deferred input is the last one whose map is not zero: a zero map's
//! pulled-back table vanishes, and nothing could be solved from it.
//!
//! Padding of `in_i` is never read: `A_i` only refers to real entries, which is what makes
//! power-of-two padding harmless (docs/pitfalls.md, 6).
//!
//! Transcript schedule: the claims' (public) values and the combination weights
//! ([`crate::claim::combine`]), then the sumcheck (zero knowledge: `G`, `rho`; the rounds; the sent
//! inputs' final values).

mod prove;
mod verify;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::zk::masked::{FactorKind, MaskedInstance, MaskedSubclaim};

pub use prove::{Proven, prove};
pub use verify::verify;

use crate::mode::{Mode, Zk};
use crate::zk::{ZkShape, split_extended};
use crate::{Claim, ClaimValue, LayerError, SparseMap};

const LAYER: &str = "wiring";

/// A wiring proof: one sumcheck of `sum_i M_i' in_i'` (its final values are the sent inputs',
/// inputs `0..k-1` in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct WiringProof<M: Mode> {
    /// The sumcheck.
    pub sumcheck: M::Sumcheck,
}

/// The deferred input: the last whose map is not zero (else the last).
fn deferred_input(maps: &[&SparseMap]) -> usize {
    maps.iter()
        .rposition(|m| !m.is_zero())
        .unwrap_or(maps.len().saturating_sub(1))
}

/// The sumcheck's instance (factor `2i` is `M_i'`, `2i + 1` is `in_i'`) and `n`.
fn instance<M: Mode>(maps: &[&SparseMap]) -> Result<(MaskedInstance<EF>, usize), LayerError> {
    let first = maps.first().ok_or(LayerError::PartCount {
        layer: LAYER,
        expected: 1,
        got: 0,
    })?;
    let out_vars = first.out_vars();
    if let Some(m) = maps.iter().find(|m| m.out_vars() != out_vars) {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "maps disagree on the output: {} and {} variables",
                out_vars,
                m.out_vars()
            ),
        });
    }
    let n = maps.iter().map(|m| m.in_vars()).max().unwrap_or(0);
    let k = maps.len();
    let deferred = deferred_input(maps);
    let terms = (0..k).map(|i| (EF::ONE, vec![2 * i, 2 * i + 1])).collect();
    let kinds = (0..k)
        .flat_map(|i| {
            let input = if i == deferred { M::DEFERRED } else { M::SENT };
            [FactorKind::Public, input]
        })
        .collect();
    Ok((MaskedInstance::new(n, terms, kinds), n))
}

/// The hidden vectors a zero-knowledge wiring needs: the mask `(n, degree)` and `n` randomizer
/// coefficients for each input but the deferred one.
pub fn shape(maps: &[&SparseMap]) -> Result<ZkShape, LayerError> {
    let (instance, n) = instance::<Zk>(maps)?;
    Ok(ZkShape {
        num_vars: n,
        degree: instance.degree(),
        randomizers: vec![n; maps.len().saturating_sub(1)],
    })
}

/// The inputs' claims from the subclaim, the same code on both sides: for a sent input
/// `in_i~(s_low) = T_i(s) / eq(s_high, 0)` (its value as [`Mode::sent_value`] reads it); for the
/// deferred input the final check `sum_i M_i'(s) T_i(s) = e` ([`Mode::solve_deferred`]).
fn input_claims<M: Mode>(
    maps: &[&SparseMap],
    weights: &[EF],
    combined: &M::Value,
    ids: &M::Ids,
    sub: &MaskedSubclaim<EF>,
    degree: usize,
) -> Result<Vec<Claim<M::Value>>, LayerError> {
    let deferred = deferred_input(maps);
    let s = &sub.point;
    let vanishing = || LayerError::Parameter {
        layer: LAYER,
        detail: "eq(s_high, 0) vanishes at the sumcheck point".into(),
    };
    let mut known = EF::ZERO;
    let mut out = Vec::with_capacity(maps.len());
    // The sent values, in factor order: the deferred input's among them in plain proofs only.
    let mut sent_values = sub.final_values.iter();
    let mut randomizer = 0;
    for (i, map) in maps.iter().enumerate() {
        let (z, s_low) = split_extended(LAYER, s, map.in_vars())?;
        if i == deferred {
            if M::DEFERRED.is_sent() {
                sent_values.next();
            }
            out.push(Claim {
                point: s_low.to_vec(),
                value: M::Value::known(EF::ZERO),
            });
            continue;
        }
        let sent = *sent_values.next().ok_or(LayerError::EvalCount {
            layer: LAYER,
            expected: maps.len(),
            got: sub.final_values.len(),
        })?;
        // The verifier's own evaluation of the pulled-back table: never taken from the prover.
        known += z * map.bilinear(weights, &eq_table(s_low)) * sent;
        let inv = z.try_inverse().ok_or_else(vanishing)?;
        let id = M::randomizer_id(ids, randomizer);
        randomizer += 1;
        out.push(Claim {
            point: s_low.to_vec(),
            value: M::sent_value(sent, id, s).scaled(inv),
        });
    }
    if sent_values.next().is_some() {
        return Err(LayerError::EvalCount {
            layer: LAYER,
            expected: maps.len(),
            got: sub.final_values.len(),
        });
    }
    let map = maps.get(deferred).ok_or(LayerError::PartCount {
        layer: LAYER,
        expected: 1,
        got: 0,
    })?;
    let (z, s_low) = split_extended(LAYER, s, map.in_vars())?;
    // The final check is linear in in'(s) with coefficient M'(s) = z * M(s_low); the claim is on
    // in(s_low) = in'(s) / z.
    let coeff = z * map.bilinear(weights, &eq_table(s_low));
    let position = if M::DEFERRED.is_sent() {
        deferred
    } else {
        usize::MAX
    };
    let extended = M::solve_deferred(LAYER, sub, degree, known, coeff, position, ids, combined)?;
    let inv = z.try_inverse().ok_or_else(vanishing)?;
    if let Some(claim) = out.get_mut(deferred) {
        claim.value = extended.scaled(inv);
    }
    Ok(out)
}

/// The input tables zero-extended to `2^n` entries, checking their lengths.
fn extended_inputs(
    maps: &[&SparseMap],
    inputs: &[&[F]],
    n: usize,
) -> Result<Vec<Vec<F>>, LayerError> {
    if inputs.len() != maps.len() {
        return Err(LayerError::PartCount {
            layer: LAYER,
            expected: maps.len(),
            got: inputs.len(),
        });
    }
    maps.iter()
        .zip(inputs)
        .enumerate()
        .map(|(i, (map, input))| {
            if input.len() != 1 << map.in_vars() {
                return Err(LayerError::Parameter {
                    layer: LAYER,
                    detail: format!(
                        "input {i} has {} entries, expected {}",
                        input.len(),
                        1usize << map.in_vars()
                    ),
                });
            }
            let mut table = input.to_vec();
            table.resize(1 << n, F::ZERO);
            Ok(table)
        })
        .collect()
}
