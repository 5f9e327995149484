//! The hiding PCS (HVZK-WHIR, eprint 2026/391): one polynomial, opened once at several points.
//! Prover in `prove.rs`, verifier in `verify.rs`.

mod prove;
mod verify;

#[cfg(test)]
mod tests;

use std::fmt;

use p3_whir::{HidingWhirPcs, HidingWhirProverData, ZkWhirProof};
use rand::SeedableRng;
use rand::rngs::{StdRng, SysRng};
use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F};
use zkinfer_transcript::{Challenger, Transcript};

use crate::codec::{self, DecodeError};
use crate::types::{Dft, Mmcs, mmcs};
use crate::{Commitment, HidingParams, PcsError, hiding_soundness};

/// The p3 hiding PCS object for one size, seeded from the OS.
type Zk = HidingWhirPcs<EF, F, Dft, Mmcs, Challenger, StdRng>;

/// The hiding multilinear PCS. Every commitment and opening draws fresh masking randomness
/// from the operating system (`SysRng`, seeding a ChaCha `StdRng`).
///
/// HVZK-WHIR needs codeword slack for its masking randomness, which small polynomials lack (at
/// rate 1/2, fewer than 13 variables). A smaller polynomial is committed zero-padded to
/// [`HidingParams::committed_vars`] variables, the padding variables being the most significant
/// ones, and each point is lifted by prepending zero coordinates: `t'(0,..,0, z) = t(z)`. The
/// padding is public (zeros), so hiding is unaffected.
#[derive(Clone, Debug)]
pub struct HidingPcs {
    params: HidingParams,
}

/// What the prover keeps between `commit` and `open`. `open` consumes it: the hiding encoding
/// budgets its randomness for the queries of *one* opening, so opening one commitment twice
/// could leak it (docs/pitfalls.md, 8). Commit again for a second opening.
pub struct HidingProverData {
    params: HidingParams,
    num_vars: usize,
    commitment: Commitment,
    inner: HidingWhirProverData<F, EF, Mmcs>,
}

impl HidingProverData {
    /// Number of variables of the committed polynomial.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }
}

/// A hiding opening proof (p3's `ZkWhirProof`, which carries the claimed evaluations).
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HidingOpeningProof(pub(crate) ZkWhirProof<F, EF, Mmcs>);

impl fmt::Debug for HidingOpeningProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HidingOpeningProof({} bytes)", self.to_bytes().len())
    }
}

impl HidingOpeningProof {
    /// Canonical postcard encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        codec::encode(self)
    }

    /// Decodes a proof: capped at [`crate::MAX_ENCODED_BYTES`], no trailing bytes, canonical.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        codec::decode(bytes)
    }
}

impl HidingPcs {
    /// A hiding PCS with verifier-fixed parameters.
    pub fn new(params: HidingParams) -> Self {
        Self { params }
    }

    /// The parameters.
    pub fn params(&self) -> &HidingParams {
        &self.params
    }

    /// Verifier side of step 1: absorbs the size and the root exactly as `commit` did.
    pub fn observe_commitment(
        &self,
        commitment: &Commitment,
        num_vars: usize,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        let zk = self.zk(num_vars, StdRng::seed_from_u64(0))?;
        transcript.observe_u64("pcs.hiding.num_vars", num_vars as u64);
        p3_commit::MultilinearPcs::<EF, Challenger>::observe_commitment(
            &zk,
            &commitment.0,
            transcript.challenger_mut(),
        );
        Ok(())
    }

    /// The p3 object for a polynomial of `num_vars` variables (committed padded to
    /// [`HidingParams::committed_vars`]). `rng` is only used by the prover.
    fn zk(&self, num_vars: usize, rng: StdRng) -> Result<Zk, PcsError> {
        let config = self.params.config(self.params.committed_vars(num_vars)?)?;
        Ok(Zk::new(config, Dft::default(), mmcs(), rng))
    }

    /// A prover-side p3 object with fresh OS randomness.
    fn zk_with_os_rng(&self, num_vars: usize) -> Result<Zk, PcsError> {
        let rng =
            StdRng::try_from_rng(&mut SysRng).map_err(|e| PcsError::Entropy(e.to_string()))?;
        self.zk(num_vars, rng)
    }

    /// Fails unless the reported bound for this opening reaches the verifier's minimum.
    fn check_bits(&self, num_vars: usize, num_points: usize) -> Result<(), PcsError> {
        let bits = hiding_soundness(&self.params, num_vars, num_points)?.bits;
        if bits < self.params.whir.min_soundness_bits {
            return Err(PcsError::Security(format!(
                "{bits:.2} bits < required {}",
                self.params.whir.min_soundness_bits
            )));
        }
        Ok(())
    }
}
