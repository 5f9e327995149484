//! The prover of [`super`]. It follows [`super::verify()`] message for message.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_poseidon2::{Round, RoundKind, WIDTH};
use zkinfer_sumcheck::zk::masked::{self, Factor, MaskedFactor, Table};
use zkinfer_transcript::FiatShamir;

use super::{
    LAYER, ZkHashClaims, ZkHashProof, check_ids, instance, lane_weights, num_vars, reduce,
    split_point,
};
use crate::LayerError;
use crate::claim::observe_claims;
use crate::zk::{SymClaim, ZkIds, ZkSecrets, hidden_constant, prover_subclaim};

/// Proves that `states[i + 1]` is round `i` applied to `states[i]` for every round, for `2^perm_vars`
/// permutations (module docs), reducing the symbolic claim `top` on `states[rounds.len()]` to a
/// claim on `states[0]`. `ids` and `secrets` match [`super::shape`] (indexed by round) and are
/// committed, as is every vector `hidden` returns (those `top`'s hidden part names). Returns the
/// proof and the claims [`super::verify()`] returns.
///
/// The prover trusts its trace: a wrong state gives a proof that fails to verify, or false claims.
#[allow(clippy::too_many_arguments)]
pub fn prove<'a>(
    rounds: &[Round],
    perm_vars: usize,
    states: &[Vec<F>],
    top: &SymClaim,
    ids: &[ZkIds],
    mut secrets: Vec<ZkSecrets>,
    hidden: &dyn Fn(usize) -> Option<&'a [F]>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkHashProof, ZkHashClaims), LayerError> {
    check_ids(rounds, ids)?;
    check_inputs(rounds, perm_vars, states, &secrets)?;
    let n = num_vars(perm_vars);
    let mut claim = top.clone();
    let mut k = hidden_constant(LAYER, &top.value.hidden, hidden)?;
    let mut proofs = Vec::with_capacity(rounds.len());
    let mut masks = Vec::with_capacity(rounds.len());
    for (i, round) in rounds.iter().enumerate().rev() {
        let (state, round_ids, secret) = match (states.get(i), ids.get(i), secrets.pop()) {
            (Some(s), Some(d), Some(c)) => (s, d, c),
            _ => return Err(count_error("secrets", secrets.len(), rounds.len())),
        };
        let coeffs = secret
            .randomizers
            .into_iter()
            .next()
            .ok_or_else(|| count_error("randomizers", 0, 1))?;
        observe_claims(LAYER, std::slice::from_ref(&claim), n, transcript)?;
        let instance = instance(round.kind, n);
        let factors = factors(round, &claim.point, state, coeffs.clone())?;
        let out = masked::prove(&instance, factors, k, secret.mask, transcript);
        let sub = prover_subclaim(&out.proof, out.point, out.deferred.rho, claim.value.public);
        let (mask, next) = reduce(round, &claim, round_ids, &instance, &sub)?;
        // The next claim's hidden part is -<phi(s), c_i>, so its hidden constant is <phi(s), c_i>.
        k = sub
            .point
            .iter()
            .zip(&coeffs)
            .map(|(&s, &c)| s * (EF::ONE - s) * c)
            .sum();
        proofs.push(out.proof);
        masks.push(mask);
        claim = next;
    }
    proofs.reverse();
    masks.reverse();
    Ok((
        ZkHashProof { rounds: proofs },
        ZkHashClaims {
            masks,
            input: claim,
        },
    ))
}

fn count_error(what: &str, got: usize, expected: usize) -> LayerError {
    LayerError::Parameter {
        layer: LAYER,
        detail: format!("{got} {what}, expected {expected}"),
    }
}

/// Checks the trace's shape (one table of `2^n` entries per state) and the secrets against
/// [`super::shape`].
fn check_inputs(
    rounds: &[Round],
    perm_vars: usize,
    states: &[Vec<F>],
    secrets: &[ZkSecrets],
) -> Result<(), LayerError> {
    let n = num_vars(perm_vars);
    let len = 1usize
        .checked_shl(n as u32)
        .filter(|_| n < usize::BITS as usize)
        .ok_or_else(|| count_error("permutation variables", perm_vars, 0))?;
    if states.len() != rounds.len() + 1 {
        return Err(count_error("states", states.len(), rounds.len() + 1));
    }
    if let Some((i, s)) = states.iter().enumerate().find(|(_, s)| s.len() != len) {
        return Err(count_error(&format!("entries in state {i}"), s.len(), len));
    }
    if secrets.len() != rounds.len() {
        return Err(count_error("secrets", secrets.len(), rounds.len()));
    }
    for (i, (round, s)) in rounds.iter().zip(secrets).enumerate() {
        let degree = instance(round.kind, n).degree();
        let mask = (s.mask.num_vars(), s.mask.degree());
        if mask != (n, degree)
            || s.randomizers.len() != 1
            || s.randomizers.iter().any(|c| c.len() != n)
        {
            return Err(LayerError::Parameter {
                layer: LAYER,
                detail: format!(
                    "round {i}: secrets do not match the shape: mask {mask:?}, expected ({n}, \
                     {degree}); one randomizer of {n} coefficients"
                ),
            });
        }
    }
    Ok(())
}

/// The round's factors in instance order: the public weight tables for the claim point `r`, then
/// `U = x + C` (or `x`) masked by `coeffs`.
fn factors(
    round: &Round,
    r: &[EF],
    state: &[F],
    coeffs: Vec<EF>,
) -> Result<Vec<Factor<F, EF>>, LayerError> {
    let (r_c, r_l) = split_point(r)?;
    let eq_c = eq_table(r_c);
    let w = lane_weights(round, r_l);
    // eq(r_c, c) w(l) [keep(l)] for every (c, l); the dropped lanes cost no product.
    let weights = |keep: fn(usize) -> bool| -> Vec<EF> {
        let mut out = Vec::with_capacity(eq_c.len() * WIDTH);
        for &e in &eq_c {
            let lanes = w.iter().enumerate();
            out.extend(lanes.map(|(l, &x)| if keep(l) { e * x } else { EF::ZERO }));
        }
        out
    };
    let u = match round.kind {
        RoundKind::Linear => state.to_vec(),
        RoundKind::Full | RoundKind::Partial => state
            .chunks_exact(WIDTH)
            .flat_map(|x| x.iter().zip(&round.constants).map(|(&x, &c)| x + c))
            .collect(),
    };
    let u = Factor::Masked(MaskedFactor {
        table: Table::Base(u),
        offset: EF::ZERO,
        coeffs,
    });
    Ok(match round.kind {
        RoundKind::Linear | RoundKind::Full => {
            vec![Factor::Public(Table::Ext(weights(|_| true))), u]
        }
        RoundKind::Partial => vec![
            Factor::Public(Table::Ext(weights(|l| l != 0))),
            Factor::Public(Table::Ext(weights(|l| l == 0))),
            u,
        ],
    })
}
