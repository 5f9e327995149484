//! Hiding prover: commit and open.

use p3_commit::MultilinearPcs;
use p3_multilinear_util::point::Point;
use p3_multilinear_util::poly::Poly;
use rand::SeedableRng;
use rand::rngs::{StdRng, SysRng};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::Transcript;

use super::{HidingOpeningProof, HidingPcs, HidingProverData};
use crate::{Commitment, PcsError};

impl HidingPcs {
    /// Commits to one multilinear polynomial (table of power-of-two length) with fresh masking
    /// randomness, and absorbs its size and the root (step 1).
    pub fn commit(
        &self,
        poly: Vec<F>,
        transcript: &mut Transcript,
    ) -> Result<(Commitment, HidingProverData), PcsError> {
        let rng =
            StdRng::try_from_rng(&mut SysRng).map_err(|e| PcsError::Entropy(e.to_string()))?;
        self.commit_with(poly, rng, transcript)
    }

    /// [`HidingPcs::commit`] with the masking randomness derived from `seed`: whoever knows the
    /// polynomial and the seed can recompute the commitment (an input's owner checks that a proof
    /// used their input this way). The seed must be secret and uniformly random, or nothing is
    /// hidden.
    pub fn commit_seeded(
        &self,
        poly: Vec<F>,
        seed: [u8; 32],
        transcript: &mut Transcript,
    ) -> Result<(Commitment, HidingProverData), PcsError> {
        self.commit_with(poly, StdRng::from_seed(seed), transcript)
    }

    fn commit_with(
        &self,
        poly: Vec<F>,
        rng: StdRng,
        transcript: &mut Transcript,
    ) -> Result<(Commitment, HidingProverData), PcsError> {
        if !poly.len().is_power_of_two() {
            return Err(PcsError::NotPowerOfTwo {
                poly: 0,
                len: poly.len(),
            });
        }
        let num_vars = poly.len().trailing_zeros() as usize;
        let zk = self.zk(num_vars, rng)?;
        let mut poly = poly;
        poly.resize(1 << self.params.committed_vars(num_vars)?, F::ZERO);
        transcript.observe_u64("pcs.hiding.num_vars", num_vars as u64);
        let (root, inner) = zk
            .commit(Poly::new(poly), transcript.challenger_mut())
            .map_err(|e| PcsError::Config(e.to_string()))?;
        let commitment = Commitment(root);
        let data = HidingProverData {
            params: self.params.clone(),
            num_vars,
            commitment: commitment.clone(),
            inner,
        };
        Ok((commitment, data))
    }

    /// Opens the committed polynomial at `points` (each of `num_vars` coordinates, drawn from
    /// the transcript after the commitment) and returns the proof and the values. Consumes the
    /// prover data: a hiding commitment is opened once.
    pub fn open(
        &self,
        data: HidingProverData,
        points: &[Vec<EF>],
        transcript: &mut Transcript,
    ) -> Result<(HidingOpeningProof, Vec<EF>), PcsError> {
        if data.params != self.params {
            return Err(PcsError::DataMismatch(
                "committed under other parameters".into(),
            ));
        }
        check_points(points.iter().map(Vec::len), data.num_vars)?;
        self.check_bits(data.num_vars, points.len())?;
        let zk = self.zk_with_os_rng(data.num_vars)?;
        transcript.observe_u64("pcs.hiding.num_points", points.len() as u64);
        // p3's hiding verifier binds the root again before the claims, so the prover must too.
        zk.observe_commitment(&data.commitment.0, transcript.challenger_mut());
        let protocol = lift_points(points.iter(), self.params.committed_vars(data.num_vars)?);
        let proof = zk
            .open(data.inner, protocol, transcript.challenger_mut())
            .map_err(|e| PcsError::Prover(e.to_string()))?;
        let values = proof.evals.clone();
        Ok((HidingOpeningProof(proof), values))
    }
}

/// At least one point, each with one coordinate per variable.
pub(super) fn check_points(
    lens: impl ExactSizeIterator<Item = usize>,
    num_vars: usize,
) -> Result<(), PcsError> {
    if lens.len() == 0 {
        return Err(PcsError::NoClaims);
    }
    for (claim, len) in lens.enumerate() {
        if len != num_vars {
            return Err(PcsError::PointLength {
                claim,
                expected: num_vars,
                actual: len,
            });
        }
    }
    Ok(())
}

/// Lifts points on the caller's polynomial to the padded committed one (zero coordinates
/// prepended for the most significant, padding, variables).
pub(super) fn lift_points<'a>(
    points: impl Iterator<Item = &'a Vec<EF>>,
    committed_vars: usize,
) -> Vec<Point<EF>> {
    points
        .map(|p| {
            let mut coords = vec![EF::ZERO; committed_vars.saturating_sub(p.len())];
            coords.extend_from_slice(p);
            Point::new(coords)
        })
        .collect()
}
