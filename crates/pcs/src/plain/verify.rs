//! Verifier: check an opening against the caller's claims and expected values.

use p3_sumcheck::PrescribedPointPcs;
use zkinfer_field::EF;
use zkinfer_transcript::Transcript;

use super::{Claim, OpeningProof, Pcs, StackLayout, absorb_claims, check_bits};
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
        if proof.0.evals.len() != claims.len() {
            return Err(PcsError::ClaimCount {
                expected: claims.len(),
                actual: proof.0.evals.len(),
            });
        }
        let claim_polys: Vec<usize> = claims.iter().map(|(c, _)| c.poly).collect();
        let (protocol, order) = layout.protocol(&claim_polys);
        let points = order
            .iter()
            .map(|&i| {
                claims
                    .get(i)
                    .map(|(c, _)| layout.lift_point(c.poly, &c.point))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| PcsError::DataMismatch("claim order".into()))?;
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
        if proven.len() != order.len() {
            return Err(PcsError::ClaimCount {
                expected: order.len(),
                actual: proven.len(),
            });
        }
        for (&claim, batch) in order.iter().zip(&proven) {
            let expected = claims.get(claim).map(|(_, v)| *v);
            match (batch.current(), expected) {
                ([v], Some(e)) if batch.next().is_empty() && *v == e => {}
                _ => return Err(PcsError::WrongValue { claim }),
            }
        }
        Ok(())
    }
}
