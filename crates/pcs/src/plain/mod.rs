//! The batched, non-hiding PCS: types and shared steps. Prover in `prove.rs`, verifier in
//! `verify.rs`.

mod prove;
mod verify;

#[cfg(test)]
mod tamper_tests;
#[cfg(test)]
mod tests;

use std::fmt;

use p3_whir::{PcsProof, WhirProverData};
use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F};
use zkinfer_transcript::Transcript;

pub(crate) use crate::layout::{Batches, StackLayout};

use crate::codec::{self, DecodeError};
use crate::types::{Mmcs, Root};
pub(crate) use crate::types::{Stack, Whir};
use crate::{Commitment, PcsError, PcsParams};

/// The batched, non-hiding multilinear PCS.
#[derive(Clone, Debug)]
pub struct Pcs {
    params: PcsParams,
}

/// An evaluation claim: polynomial `poly` (index in the commitment) at `point`
/// (`point.len()` = its number of variables, coordinate 0 most significant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Index of the polynomial in the commitment.
    pub poly: usize,
    /// The evaluation point.
    pub point: Vec<EF>,
}

/// What the prover keeps between `commit` and `open`. May be opened several times (each
/// opening clones the committed codeword data, not re-encoding it).
pub struct ProverData {
    params: PcsParams,
    shapes: Vec<usize>,
    layout: StackLayout,
    whir: Whir,
    inner: WhirProverData<F, EF, Mmcs, Stack>,
}

impl ProverData {
    /// Number of variables of each committed polynomial.
    pub fn shapes(&self) -> &[usize] {
        &self.shapes
    }
}

/// An opening proof: p3's WHIR proof plus the claimed evaluations (in p3's batch order).
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OpeningProof(pub(crate) PcsProof<F, EF, Mmcs>);

impl fmt::Debug for OpeningProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OpeningProof({} bytes)", self.to_bytes().len())
    }
}

impl OpeningProof {
    /// Canonical postcard encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        codec::encode(self)
    }

    /// Decodes a proof: capped at [`crate::MAX_ENCODED_BYTES`], no trailing bytes, canonical.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        codec::decode(bytes)
    }
}

impl Pcs {
    /// A PCS with verifier-fixed parameters.
    pub fn new(params: PcsParams) -> Self {
        Self { params }
    }

    /// The parameters.
    pub fn params(&self) -> &PcsParams {
        &self.params
    }

    /// Verifier side of step 1 (see the crate docs): absorbs the shapes and the root, exactly as
    /// `commit` did. Call it before drawing the points that `verify` will check.
    pub fn observe_commitment(
        &self,
        commitment: &Commitment,
        shapes: &[usize],
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        StackLayout::new(shapes, self.params.folding_factor)?;
        absorb_shapes(shapes, transcript);
        absorb_root(&commitment.0, transcript);
        Ok(())
    }
}

/// Binds the number of polynomials and each one's size.
fn absorb_shapes(shapes: &[usize], transcript: &mut Transcript) {
    transcript.observe_u64("pcs.num_polys", shapes.len() as u64);
    for &n in shapes {
        transcript.observe_u64("pcs.num_vars", n as u64);
    }
}

/// Binds the root through p3's own commitment absorption (the same call p3's `commit` makes).
fn absorb_root(root: &Root, transcript: &mut Transcript) {
    p3_sumcheck::layout::observe_commitment::<F, _, _>(transcript.challenger_mut(), root.clone());
}

/// Binds the claim list (polynomial indices and points) before p3 absorbs the values.
fn absorb_claims<'a>(claims: impl ExactSizeIterator<Item = (usize, &'a [EF])>, t: &mut Transcript) {
    t.observe_u64("pcs.num_claims", claims.len() as u64);
    for (poly, point) in claims {
        t.observe_u64("pcs.claim.poly", poly as u64);
        t.observe_ext("pcs.claim.point", point);
    }
}

/// Fails unless the combined bound for this opening reaches the verifier's minimum.
fn check_bits(
    params: &PcsParams,
    whir: &Whir,
    protocol: &p3_sumcheck::OpeningProtocol,
) -> Result<(), PcsError> {
    let bits = crate::params::bits_of(whir, protocol)?;
    if bits < params.min_soundness_bits {
        return Err(PcsError::Security(format!(
            "{bits:.2} bits < required {}",
            params.min_soundness_bits
        )));
    }
    Ok(())
}
