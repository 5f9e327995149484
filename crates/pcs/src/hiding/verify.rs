//! Hiding verifier.

use p3_commit::MultilinearPcs;
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::EF;
use zkinfer_transcript::Transcript;

use super::prove::{check_points, lift_points};
use super::{HidingOpeningProof, HidingPcs};
use crate::error::guard;
use crate::{Commitment, PcsError};

impl HidingPcs {
    /// Verifies that the polynomial committed in `commitment` (`num_vars` variables) takes the
    /// value `claims[i].1` at `claims[i].0`. The caller must have called
    /// [`HidingPcs::observe_commitment`] before drawing the points. Never panics on malformed
    /// proofs (checks first, then p3's verifier under `catch_unwind`).
    pub fn verify(
        &self,
        commitment: &Commitment,
        num_vars: usize,
        claims: &[(Vec<EF>, EF)],
        proof: &HidingOpeningProof,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        check_points(claims.iter().map(|(p, _)| p.len()), num_vars)?;
        if proof.0.evals.len() != claims.len() {
            return Err(PcsError::ClaimCount {
                expected: claims.len(),
                actual: proof.0.evals.len(),
            });
        }
        self.check_bits(num_vars, claims.len())?;
        // The verifier draws no private randomness; the seed is never used.
        let zk = self.zk(num_vars, StdRng::seed_from_u64(0))?;
        transcript.observe_u64("pcs.hiding.num_points", claims.len() as u64);
        let protocol = lift_points(
            claims.iter().map(|(p, _)| p),
            self.params.committed_vars(num_vars)?,
        );
        let challenger = transcript.challenger_mut();
        guard(|| zk.verify(&commitment.0, &proof.0, challenger, protocol))?;
        // p3 verified the values the proof carries; they must be the caller's.
        for (claim, ((_, expected), proven)) in claims.iter().zip(&proof.0.evals).enumerate() {
            if expected != proven {
                return Err(PcsError::WrongValue { claim });
            }
        }
        Ok(())
    }
}
