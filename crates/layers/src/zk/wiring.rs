//! Zero-knowledge wiring: symbolic claims about `out = sum_i A_i in_i` (fixed sparse maps `A_i`)
//! reduced to one symbolic claim about each `in_i`, by one masked sumcheck.
//!
//! With the claims combined into weights `E` over the output and a symbolic value `v + H`
//! ([`combine_sym_claims`]), `sum_i sum_j M_i(j) in_i(j) = v + H` with `M_i = A_i^T E`
//! ([`SparseMap::pull_back`]). The sumcheck runs over `n = max_i in_vars(i)` variables on
//! `sum_i M_i' in_i'`, each table zero-extended in its most significant variables
//! (`in_i'~(s) = eq(s_high, 0) in_i~(s_low)`), with the public value `v` and the hidden constant
//! `K = -H`. The `M_i'` are public factors (the verifier evaluates them in `O(nnz(A_i))`); inputs
//! `0..k-1` are masked factors with caller-given randomizers; the last input is deferred, its
//! claim solved symbolically from the final check (module docs of [`super`]).
//!
//! Transcript schedule: [`combine_sym_claims`], then the masked sumcheck (`G`, `rho`, rounds, the
//! masked inputs' final values).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::zk::form::{Form, Symbolic, randomizer_form};
use zkinfer_sumcheck::zk::masked::{
    Factor, FactorKind, MaskedFactor, MaskedInstance, MaskedSubclaim, MaskedSumcheckProof, Table,
};
use zkinfer_transcript::FiatShamir;

use super::{
    SymClaim, ZkIds, ZkSecrets, ZkShape, combine_sym_claims, hidden_constant, prover_subclaim,
    solve_deferred, split_extended,
};
use crate::{LayerError, SparseMap};

const LAYER: &str = "zk wiring";

/// A zero-knowledge wiring proof: the masked sumcheck (its final values are the masked inputs'
/// blinded evaluations, inputs `0..k-1` in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkWiringProof {
    /// The masked sumcheck of `sum_i M_i' in_i'`.
    pub sumcheck: MaskedSumcheckProof<EF>,
}

/// The masked sumcheck's instance (factor `2i` is `M_i'`, `2i + 1` is `in_i'`) and `n`.
fn instance(maps: &[&SparseMap]) -> Result<(MaskedInstance<EF>, usize), LayerError> {
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
    let terms = (0..k).map(|i| (EF::ONE, vec![2 * i, 2 * i + 1])).collect();
    let kinds = (0..k)
        .flat_map(|i| {
            let input = if i + 1 < k {
                FactorKind::Masked
            } else {
                FactorKind::Public
            };
            [FactorKind::Public, input]
        })
        .collect();
    Ok((MaskedInstance::new(n, terms, kinds), n))
}

/// The hidden vectors the layer needs: the mask `(n, degree)` and `n` randomizer coefficients for
/// each input but the last.
pub fn shape(maps: &[&SparseMap]) -> Result<ZkShape, LayerError> {
    let (instance, n) = instance(maps)?;
    Ok(ZkShape {
        num_vars: n,
        degree: instance.degree(),
        randomizers: vec![n; maps.len().saturating_sub(1)],
    })
}

fn check_ids(maps: &[&SparseMap], ids: &ZkIds) -> Result<(), LayerError> {
    let expected = maps.len().saturating_sub(1);
    if ids.randomizers.len() != expected {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "{} randomizer ids for {expected} masked inputs",
                ids.randomizers.len()
            ),
        });
    }
    Ok(())
}

/// Proves symbolic `claims` about `out = sum_i maps[i] inputs[i]`. `inputs[i]` is the padded table
/// of input `i` (length `2^maps[i].in_vars()`); `secrets` matches [`shape`] and is committed under
/// `ids`, as is every vector `hidden` returns (the claims' hidden parts are evaluated with it).
/// Returns the proof and one symbolic claim per input, equal to what [`verify`] returns.
pub fn prove<'a>(
    maps: &[&SparseMap],
    inputs: &[&[F]],
    claims: &[SymClaim],
    ids: &ZkIds,
    secrets: ZkSecrets,
    hidden: &dyn Fn(usize) -> Option<&'a [F]>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkWiringProof, Vec<SymClaim>), LayerError> {
    let (instance, n) = instance(maps)?;
    check_ids(maps, ids)?;
    if inputs.len() != maps.len() {
        return Err(LayerError::PartCount {
            layer: LAYER,
            expected: maps.len(),
            got: inputs.len(),
        });
    }
    for (i, (map, input)) in maps.iter().zip(inputs).enumerate() {
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
    }
    let mask_shape = (secrets.mask.num_vars(), secrets.mask.degree());
    if mask_shape != (n, instance.degree())
        || secrets.randomizers.len() != ids.randomizers.len()
        || secrets.randomizers.iter().any(|c| c.len() != n)
    {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "secrets do not match the shape: mask {mask_shape:?}, expected ({n}, {}); {} \
                 randomizers, each of {n} coefficients",
                instance.degree(),
                ids.randomizers.len()
            ),
        });
    }

    let out_vars = maps.first().map_or(0, |m| m.out_vars());
    let (weights, combined) = combine_sym_claims(LAYER, claims, out_vars, transcript)?;
    let k_hidden = hidden_constant(LAYER, &combined.hidden, hidden)?;
    let mut randomizers = secrets.randomizers.into_iter();
    let mut factors = Vec::with_capacity(2 * maps.len());
    for (map, input) in maps.iter().zip(inputs) {
        let mut m = map.pull_back(&weights);
        m.resize(1 << n, EF::ZERO);
        let mut table = input.to_vec();
        table.resize(1 << n, F::ZERO);
        factors.push(Factor::Public(Table::Ext(m)));
        factors.push(match randomizers.next() {
            Some(coeffs) => Factor::Masked(MaskedFactor {
                table: Table::Base(table),
                offset: EF::ZERO,
                coeffs,
            }),
            None => Factor::Hidden(Table::Base(table)),
        });
    }
    let out =
        zkinfer_sumcheck::zk::masked::prove(&instance, factors, k_hidden, secrets.mask, transcript);
    let sub = prover_subclaim(&out.proof, out.point, out.deferred.rho, combined.public);
    let claims = input_claims(
        maps,
        &weights,
        &combined.hidden,
        ids,
        &sub,
        instance.degree(),
    )?;
    Ok((
        ZkWiringProof {
            sumcheck: out.proof,
        },
        claims,
    ))
}

/// Verifies `proof` for symbolic `claims` about `out = sum_i maps[i] in_i`, with the hidden
/// vectors committed under `ids`; returns one symbolic claim per input (on its own `in_vars`
/// variables), which the caller must settle: by the next layer, or on a committed input with
/// [`SymClaim::to_form_claim`].
pub fn verify(
    maps: &[&SparseMap],
    claims: &[SymClaim],
    ids: &ZkIds,
    proof: &ZkWiringProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<SymClaim>, LayerError> {
    let (instance, _) = instance(maps)?;
    check_ids(maps, ids)?;
    let out_vars = maps.first().map_or(0, |m| m.out_vars());
    let (weights, combined) = combine_sym_claims(LAYER, claims, out_vars, transcript)?;
    let sub = zkinfer_sumcheck::zk::masked::verify(
        &instance,
        combined.public,
        &proof.sumcheck,
        transcript,
    )
    .map_err(|source| LayerError::Sumcheck {
        layer: LAYER,
        source,
    })?;
    input_claims(
        maps,
        &weights,
        &combined.hidden,
        ids,
        &sub,
        instance.degree(),
    )
}

/// The inputs' symbolic claims from the subclaim: for a masked input
/// `in_i~(s_low) = (T^_i(s) - <(s_k (1 - s_k))_k, c_i>) / eq(s_high, 0)`; for the last input the
/// final check `sum_i M_i'(s) T_i(s) + K / 2^n + rho * g(s) = e` solved for `in~(s_low)`.
fn input_claims(
    maps: &[&SparseMap],
    weights: &[EF],
    claim_hidden: &Form<EF>,
    ids: &ZkIds,
    sub: &MaskedSubclaim<EF>,
    degree: usize,
) -> Result<Vec<SymClaim>, LayerError> {
    let (last, rest) = maps.split_last().ok_or(LayerError::PartCount {
        layer: LAYER,
        expected: 1,
        got: 0,
    })?;
    let s = &sub.point;
    let vanishing = || LayerError::Parameter {
        layer: LAYER,
        detail: "eq(s_high, 0) vanishes at the sumcheck point".into(),
    };
    let mut known = EF::ZERO;
    let mut out = Vec::with_capacity(maps.len());
    for (i, map) in rest.iter().enumerate() {
        let (z, s_low) = split_extended(LAYER, s, map.in_vars())?;
        let count = LayerError::EvalCount {
            layer: LAYER,
            expected: rest.len(),
            got: sub.final_values.len(),
        };
        let revealed = *sub.final_values.get(i).ok_or(count)?;
        let id = *ids.randomizers.get(i).ok_or(LayerError::PartCount {
            layer: LAYER,
            expected: rest.len(),
            got: ids.randomizers.len(),
        })?;
        // The verifier's own evaluation of the pulled-back table: never taken from the prover.
        known += z * map.bilinear(weights, &eq_table(s_low)) * revealed;
        let inv = z.try_inverse().ok_or_else(vanishing)?;
        out.push(SymClaim {
            point: s_low.to_vec(),
            value: Symbolic {
                public: revealed * inv,
                hidden: randomizer_form::<F, EF>(id, s).scaled(-inv),
            },
        });
    }
    let (z, s_low) = split_extended(LAYER, s, last.in_vars())?;
    // M'(s) * in'(s) = z^2 * M(s_low) * in(s_low).
    let coeff = z * z * last.bilinear(weights, &eq_table(s_low));
    let value = solve_deferred(LAYER, sub, degree, known, coeff, ids.mask, claim_hidden)?;
    out.push(SymClaim {
        point: s_low.to_vec(),
        value,
    });
    Ok(out)
}
