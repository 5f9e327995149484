//! Zero-knowledge matrix multiplication: a symbolic claim about `prod = w x + bias` at
//! `(r_o, r_p)` reduced, by one masked sumcheck over `k` (Thaler's matmul sumcheck, see
//! [`crate::matmul`]), to claims about `w` at `(r_o, r_k)`, `bias` at `r_o` and a symbolic claim
//! about `x` at `(r_k, r_p)`.
//!
//! The weights and bias are settled by the plain weight commitment for now: the prover sends
//! `bias(r_o)` as the plain layer does, and `w(r_o, .)` is a masked factor whose randomizer may be
//! absent (zero coefficients: its final value is `w~(r_o, r_k)` in the clear, today's weight claim)
//! or given (for a future hidden-weights mode: the claim is then symbolic). `x(., r_p)` is the
//! deferred factor: `x~(r_k, r_p) = (e - rho * g(r_k) - K / 2^k) / w^(r_k)` (module docs of
//! [`super`]), never revealed.
//!
//! Transcript schedule: the claim's public part ([`super::LABEL_CLAIM_VALUES`]), the bias
//! evaluation ([`crate::matmul::LABEL_BIAS`]) if there is a bias, then the masked sumcheck (`G`,
//! `rho`, rounds, the final value `w^(r_k)`).

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
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::zk::form::{Form, Symbolic, randomizer_form};
use zkinfer_sumcheck::zk::masked::{
    Factor, FactorKind, MaskedFactor, MaskedInstance, MaskedSubclaim, MaskedSumcheckProof, Table,
};
use zkinfer_transcript::FiatShamir;

use super::{
    SymClaim, ZkIds, ZkSecrets, ZkShape, hidden_constant, observe_claims, prover_subclaim,
    solve_deferred,
};
use crate::matmul::{LABEL_BIAS, MatMulShape};
use crate::{Claim, LayerError, mle_eval};

const LAYER: &str = "zk matmul";

/// A zero-knowledge matmul proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkMatMulProof {
    /// `bias(r_o)`, when the layer has a bias.
    pub bias_eval: Option<EF>,
    /// The masked sumcheck over `k`; its one final value is `w^(r_k)`.
    pub sumcheck: MaskedSumcheckProof<EF>,
}

/// What a zero-knowledge matmul proof leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkMatMulClaims {
    /// About `w`, at `(r_o, r_k)`: public part the revealed `w^(r_k)`, hidden part minus the
    /// randomizer's form (empty without a randomizer, then [`SymClaim::public_claim`] is the
    /// plain weight claim).
    pub weight: SymClaim,
    /// About `x`, at `(r_k, r_p)`: symbolic (deferred factor).
    pub input: SymClaim,
    /// About `bias`, at `r_o`.
    pub bias: Option<Claim>,
}

fn instance(shape: MatMulShape) -> MaskedInstance<EF> {
    MaskedInstance::new(
        shape.k_vars,
        vec![(EF::ONE, vec![0, 1])],
        vec![FactorKind::Masked, FactorKind::Public],
    )
}

/// The hidden vectors the layer needs: the mask `(k_vars, degree)` and, if the weights are
/// masked, `k_vars` randomizer coefficients for `w`.
pub fn shape(shape: MatMulShape, masked_weight: bool) -> ZkShape {
    let instance = instance(shape);
    ZkShape {
        num_vars: shape.k_vars,
        degree: instance.degree(),
        randomizers: if masked_weight {
            vec![shape.k_vars]
        } else {
            vec![]
        },
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

fn check_ids(ids: &ZkIds) -> Result<(), LayerError> {
    if ids.randomizers.len() > 1 {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "{} randomizer ids, expected at most one (the weights')",
                ids.randomizers.len()
            ),
        });
    }
    Ok(())
}

fn length_error(what: &str, got: usize, expected: usize) -> LayerError {
    LayerError::Parameter {
        layer: LAYER,
        detail: format!("{what} has {got} entries, expected {expected}"),
    }
}

/// Proves the symbolic `claim` about `prod = w x + bias` at `(r_o, r_p)`. `secrets` matches
/// [`shape`] (with a weight randomizer iff `ids.randomizers` has one id) and is committed under
/// `ids`, as is every vector `hidden` returns. Returns the proof and the claims [`verify`] returns.
#[allow(clippy::too_many_arguments)]
pub fn prove<'a>(
    shape: MatMulShape,
    w: &[F],
    x: &[F],
    bias: Option<&[F]>,
    claim: &SymClaim,
    ids: &ZkIds,
    secrets: ZkSecrets,
    hidden: &dyn Fn(usize) -> Option<&'a [F]>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkMatMulProof, ZkMatMulClaims), LayerError> {
    check_ids(ids)?;
    let (o, k, p) = (shape.o_vars, shape.k_vars, shape.p_vars);
    if w.len() != 1 << (o + k) {
        return Err(length_error("w", w.len(), 1 << (o + k)));
    }
    if x.len() != 1 << (k + p) {
        return Err(length_error("x", x.len(), 1 << (k + p)));
    }
    match bias {
        Some(b) if shape.has_bias && b.len() != 1 << o => {
            return Err(length_error("bias", b.len(), 1 << o));
        }
        Some(_) if !shape.has_bias => return Err(length_error("bias", 1 << o, 0)),
        None if shape.has_bias => return Err(length_error("bias", 0, 1 << o)),
        _ => {}
    }
    let instance = instance(shape);
    let mask_shape = (secrets.mask.num_vars(), secrets.mask.degree());
    if mask_shape != (k, instance.degree())
        || secrets.randomizers.len() != ids.randomizers.len()
        || secrets.randomizers.iter().any(|c| c.len() != k)
    {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "secrets do not match the shape: mask {mask_shape:?}, expected ({k}, {}); {} \
                 randomizers of {k} coefficients",
                instance.degree(),
                ids.randomizers.len()
            ),
        });
    }

    observe_claims(LAYER, std::slice::from_ref(claim), o + p, transcript)?;
    let (r_o, r_p) = split_point(shape, &claim.point)?;
    let k_hidden = hidden_constant(LAYER, &claim.value.hidden, hidden)?;
    let (k_len, p_len) = (1usize << k, 1usize << p);
    let eq_o = eq_table(r_o);
    let eq_p = eq_table(r_p);
    // w(r_o, k) and x(k, r_p) for every k.
    let mut w_r = vec![EF::ZERO; k_len];
    for (row, &e) in w.chunks(k_len).zip(&eq_o) {
        for (acc, &v) in w_r.iter_mut().zip(row) {
            *acc += e * v;
        }
    }
    let x_r: Vec<EF> = x
        .chunks(p_len)
        .map(|row| row.iter().zip(&eq_p).map(|(&v, &e)| e * v).sum())
        .collect();

    let bias_eval = bias.map(|b| mle_eval(b, r_o));
    if let Some(b) = bias_eval {
        transcript.observe(LABEL_BIAS, &[b]);
    }
    let claimed = claim.value.public - bias_eval.unwrap_or(EF::ZERO);
    let coeffs = secrets
        .randomizers
        .into_iter()
        .next()
        .unwrap_or_else(|| vec![EF::ZERO; k]);
    let factors = vec![
        Factor::Masked(MaskedFactor {
            table: Table::Ext(w_r),
            offset: EF::ZERO,
            coeffs,
        }),
        // The input's partial evaluation: hidden, unmasked (carried symbolically).
        Factor::Hidden(Table::Ext(x_r)),
    ];
    let out =
        zkinfer_sumcheck::zk::masked::prove(&instance, factors, k_hidden, secrets.mask, transcript);
    let sub = prover_subclaim(&out.proof, out.point, out.deferred.rho, claimed);
    let claims = claims(shape, claim, bias_eval, ids, &sub, instance.degree())?;
    Ok((
        ZkMatMulProof {
            bias_eval,
            sumcheck: out.proof,
        },
        claims,
    ))
}

/// Verifies `proof` for the symbolic `claim` about `prod = w x + bias`, with the hidden vectors
/// committed under `ids`; returns the claims about `w`, `x` and the bias, which the caller must
/// settle.
pub fn verify(
    shape: MatMulShape,
    claim: &SymClaim,
    ids: &ZkIds,
    proof: &ZkMatMulProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<ZkMatMulClaims, LayerError> {
    check_ids(ids)?;
    observe_claims(
        LAYER,
        std::slice::from_ref(claim),
        shape.o_vars + shape.p_vars,
        transcript,
    )?;
    let bias_eval = match (shape.has_bias, proof.bias_eval) {
        (true, Some(b)) => {
            transcript.observe(LABEL_BIAS, &[b]);
            Some(b)
        }
        (false, None) => None,
        (expected, _) => {
            return Err(LayerError::PartCount {
                layer: LAYER,
                expected: usize::from(expected),
                got: usize::from(!expected),
            });
        }
    };
    let instance = instance(shape);
    let claimed = claim.value.public - bias_eval.unwrap_or(EF::ZERO);
    let sub = zkinfer_sumcheck::zk::masked::verify(&instance, claimed, &proof.sumcheck, transcript)
        .map_err(|source| LayerError::Sumcheck {
            layer: LAYER,
            source,
        })?;
    claims(shape, claim, bias_eval, ids, &sub, instance.degree())
}

/// The claims from the subclaim: `w~(r_o, r_k) = w^(r_k) - <(r_k (1 - r_k)), c_w>` and the final
/// check `w^(r_k) x~(r_k, r_p) + K / 2^k + rho * g(r_k) = e` solved for `x~(r_k, r_p)`.
fn claims(
    shape: MatMulShape,
    claim: &SymClaim,
    bias_eval: Option<EF>,
    ids: &ZkIds,
    sub: &MaskedSubclaim<EF>,
    degree: usize,
) -> Result<ZkMatMulClaims, LayerError> {
    let (r_o, r_p) = split_point(shape, &claim.point)?;
    let r_k = &sub.point;
    let revealed = *sub.final_values.first().ok_or(LayerError::EvalCount {
        layer: LAYER,
        expected: 1,
        got: 0,
    })?;
    let weight_hidden = ids.randomizers.first().map_or_else(Form::zero, |&id| {
        randomizer_form::<F, EF>(id, r_k).scaled(-EF::ONE)
    });
    // A zero w^(r_k) (all-zero unmasked weights, or probability 1/|EF| for masked ones) leaves x
    // unconstrained: solve_deferred refuses it.
    let input = solve_deferred(
        LAYER,
        sub,
        degree,
        EF::ZERO,
        revealed,
        ids.mask,
        &claim.value.hidden,
    )?;
    Ok(ZkMatMulClaims {
        weight: SymClaim {
            point: [r_o, r_k].concat(),
            value: Symbolic {
                public: revealed,
                hidden: weight_hidden,
            },
        },
        input: SymClaim {
            point: [r_k, r_p].concat(),
            value: input,
        },
        bias: bias_eval.map(|value| Claim {
            point: r_o.to_vec(),
            value,
        }),
    })
}
