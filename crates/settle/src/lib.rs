//! Zero-knowledge back end: settles linear claims about one hiding-committed vector with one
//! hiding opening, revealing nothing about the vector beyond the claims themselves.
//!
//! A zero-knowledge model proof ends with many claims on its committed data: masked evaluations
//! of witness tables, the Libra masks' claims of its sumchecks, randomizer terms. Each is a linear
//! form in the committed vector `Q` ([`LinearClaim`]). HVZK-WHIR ([`zkinfer_pcs::HidingPcs`])
//! opens one polynomial once, at a few points, and reveals the values at those points; so the
//! claims must be reduced to point evaluations whose values are themselves uniformly random.
//! See docs/zk-backend.md for the protocol, the argument and the costs:
//!
//! 1. [`Layout`] stacks the caller's segments into `Q` (`N` variables), together with a block of
//!    random blinding entries and a *mask region*: the coefficients of a Libra mask `g` for step 3
//!    and seven random companion vectors of the same length.
//! 2. The claims are batched with powers of a challenge `beta` into `<L, Q> = v`.
//! 3. A Libra-masked sumcheck of `sum_x L(x) Q(x)` reduces it to `Q~(z)` (revealed: the blinding
//!    block makes it uniform) and `g(z)` (a linear form in the mask coefficients).
//! 4. The prover sends `u_i = <l_z, H_i>` for the companions; the verifier draws `tau`; a plain
//!    sumcheck of `<l_z, V>` with `V = sum_s eq(tau, s) * region_s` (uniform, since the companions
//!    are) reduces `g(z)` to `V~(z')`, which is one evaluation of `Q` at `(region, tau, z')`.
//! 5. One hiding opening of `Q` at `z` and at `(region, tau, z')`.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod claim;
mod error;
mod layout;
mod proof;
mod prove;
mod verify;

pub use claim::{LinearClaim, Term};
pub use error::ZkError;
pub use layout::{BLIND_VARS, Layout, MASK_VARS, MAX_DENSE_VARS, Segment};
pub use proof::OpeningProof;
pub use prove::{Committed, commit, prove};
pub use verify::{observe_commitment, verify};

/// Transcript labels, in schedule order.
pub const LABEL_NUM_CLAIMS: &str = "zk.num_claims";
/// The claims' values.
pub const LABEL_CLAIM_VALUES: &str = "zk.claim_values";
/// The batching challenge `beta`.
pub const LABEL_BATCH: &str = "zk.batch";
/// The companions' inner products `u_1..u_7`.
pub const LABEL_COMPANIONS: &str = "zk.companions";
/// The companion weights `tau`.
pub const LABEL_TAU: &str = "zk.tau";

#[cfg(test)]
mod tests;
