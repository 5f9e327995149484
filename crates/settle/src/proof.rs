//! The back end's proof.

use serde::{Deserialize, Serialize};
use zkinfer_field::EF;
use zkinfer_pcs::HidingOpeningProof;
use zkinfer_sumcheck::SumcheckProof;
use zkinfer_sumcheck::zk::ZkSumcheckProof;

/// Number of companion vectors in the mask region.
pub(crate) const COMPANIONS: usize = 7;

/// Everything the verifier needs besides the claims and the commitment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpeningProof {
    /// The Libra-masked sumcheck of `sum_x L(x) Q(x)` (its `mask_eval` is `g(z)`).
    pub batch: ZkSumcheckProof<EF>,
    /// `Q~(z)`.
    pub q_at_z: EF,
    /// `u_i = <l_z, H_i>` for the seven companions.
    pub companions: Vec<EF>,
    /// The sumcheck of `<l_z, V>` over one mask slot.
    pub mask: SumcheckProof<EF>,
    /// `V~(z')`.
    pub v_at_z: EF,
    /// The hiding opening of `Q` at `z` and at `(region, tau, z')`.
    pub opening: HidingOpeningProof,
}
