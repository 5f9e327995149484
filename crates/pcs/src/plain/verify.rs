//! Verifier: check an opening against the caller's claims and expected values.

use p3_sumcheck::PrescribedPointPcs;
use zkinfer_field::EF;
use zkinfer_transcript::Transcript;

use super::{Batches, Claim, OpeningProof, Pcs, StackLayout, absorb_claims, check_bits};
use crate::error::guard;
use crate::{Commitment, PcsError};

impl Pcs {
    /// Verifies that the polynomials committed in `commitment` (with `shapes[i]` variables each)
    /// take the given values at the claims' points.
    ///
    /// The caller must have called [`Pcs::observe_commitment`] on this transcript before drawing
    /// the points (crate docs, step 1). Returns `Ok(())` only if the WHIR proof verifies *and*
    /// every value it proves equals the caller's expected value. Never panics on malformed
    /// proofs: shapes, counts and point lengths are checked before calling p3, and p3's verifier
    /// is run under `catch_unwind` as a last line of defence.
    pub fn verify(
        &self,
        commitment: &Commitment,
        shapes: &[usize],
        claims: &[(Claim, EF)],
        proof: &OpeningProof,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        let layout = StackLayout::new(shapes, self.params.folding_factor)?;
        layout.check_claims(claims.iter().map(|(c, _)| (c.poly, c.point.len())))?;
        let pairs: Vec<(usize, &[EF])> = claims
            .iter()
            .map(|(c, _)| (c.poly, c.point.as_slice()))
            .collect();
        let Batches {
            protocol,
            points,
            members,
        } = layout.batches(&pairs);
        if proof.0.evals.len() != members.len() {
            return Err(PcsError::ClaimCount {
                expected: members.len(),
                actual: proof.0.evals.len(),
            });
        }
        protocol
            .check_points(&points)
            .map_err(|e| PcsError::DataMismatch(e.to_string()))?;
        let whir = self.params.whir(layout.stacked_vars)?;
        check_bits(&self.params, &whir, &protocol)?;

        absorb_claims(
            claims.iter().map(|(c, _)| (c.poly, c.point.as_slice())),
            transcript,
        );
        let challenger = transcript.challenger_mut();
        let proven =
            guard(|| whir.verify_at(&commitment.0, &proof.0, &protocol, &points, challenger))?;

        // `verify_at` returns the values the proof claims; they must be the caller's.
        if proven.len() != members.len() {
            return Err(PcsError::ClaimCount {
                expected: members.len(),
                actual: proven.len(),
            });
        }
        for (who, batch) in members.iter().zip(&proven) {
            if who.len() != batch.current().len() || !batch.next().is_empty() {
                return Err(PcsError::ClaimCount {
                    expected: who.len(),
                    actual: batch.current().len(),
                });
            }
            for (claims_of_col, v) in who.iter().zip(batch.current()) {
                for &claim in claims_of_col {
                    if claims.get(claim).map(|(_, e)| e) != Some(v) {
                        return Err(PcsError::WrongValue { claim });
                    }
                }
            }
        }
        Ok(())
    }
}
