//! The verifier of [`super`]: the reference [`super::prove()`] follows.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::EF;
use zkinfer_poseidon2::Round;
use zkinfer_sumcheck::zk::masked;
use zkinfer_transcript::FiatShamir;

use super::{LAYER, ZkHashClaims, ZkHashProof, check_ids, instance, num_vars, reduce};
use crate::LayerError;
use crate::claim::observe_claims;
use crate::zk::{SymClaim, ZkIds};

/// Verifies `proof` for the symbolic claim `top` on the output states of `2^perm_vars`
/// permutations, with each round's hidden vectors committed under `ids` (indexed by round).
/// Returns each round's mask claim and the claim on the input states, which the caller must
/// settle. Never panics on a malformed proof.
pub fn verify(
    rounds: &[Round],
    perm_vars: usize,
    top: &SymClaim,
    ids: &[ZkIds],
    proof: &ZkHashProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<ZkHashClaims, LayerError> {
    check_ids(rounds, ids)?;
    let count = LayerError::PartCount {
        layer: LAYER,
        expected: rounds.len(),
        got: proof.rounds.len(),
    };
    if proof.rounds.len() != rounds.len() {
        return Err(count);
    }
    let n = num_vars(perm_vars);
    let mut claim = top.clone();
    let mut masks = Vec::with_capacity(rounds.len());
    for (i, round) in rounds.iter().enumerate().rev() {
        let (Some(round_proof), Some(round_ids)) = (proof.rounds.get(i), ids.get(i)) else {
            return Err(count.clone());
        };
        observe_claims(LAYER, std::slice::from_ref(&claim), n, transcript)?;
        let instance = instance(round.kind, n);
        let sub = masked::verify(&instance, claim.value.public, round_proof, transcript).map_err(
            |source| LayerError::Sumcheck {
                layer: LAYER,
                source,
            },
        )?;
        let (mask, next) = reduce(round, &claim, round_ids, &instance, &sub)?;
        masks.push(mask);
        claim = next;
    }
    masks.reverse();
    Ok(ZkHashClaims {
        masks,
        input: claim,
    })
}
