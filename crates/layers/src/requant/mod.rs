//! Requantization: `out = clamp(q, min, max)` with `m x + off = 2^s q + rem`, `0 <= rem < 2^s`
//! (the IR's one rounding rule, round half up: `q = floor((m x + 2^(s-1)) / 2^s)`).
//!
//! The clamp is written without a table over `q`'s range: `q = out + a - b` with saturation
//! excesses `a, b >= 0`, `a (max - out) = 0` and `b (out - min) = 0`. With `out` in `[min, max]`
//! these force `out = clamp(q)` (if `a > 0` then `out = max`, so `b = 0` and `q > max`; the other
//! cases alike). `a` exists only when `q` can exceed `max` (`q_max > max`), `b` likewise.
//!
//! Committed columns (all on the domain of `x`): `out`, `a`, `b`, the limbs (see [`layout`]) of
//! `out - min`, of `max - out` (only when `max - min + 1` is not a power of two), of `a`, of `b`
//! (and of `A - a`, `B - b` when a power-of-two bound on them is too loose), of `rem`, and one
//! multiplicity column for the shared range table. The proof:
//!
//! 1. one batched range check ([`crate::range`]) of every limb, giving the limbs at a point `r`;
//! 2. a zero-check `sum_x eq(t, x) [a (max - out) + gamma b (out - min)] = 0` at a fresh `t`;
//! 3. at `r`, each decomposed value is its limbs' weighted sum, which gives the claims `out(r)`,
//!    `a(r)`, `b(r)`, checks the complements, and the claim
//!    `x(r) = (2^s (out + a - b)(r) + rem(r) - off) / m`.
//!
//! Every value is bounded (limbs by the table; `q' = out + a - b` ranges over an interval of width
//! `W` with `2^s W < p`, checked by [`layout`]), so the identity over the field is the identity over
//! the integers (docs/pitfalls.md, 4): two solutions would differ by a multiple of `p` smaller than
//! `p`. The rounding is exactly the reference evaluator's (bug 5).
//!
//! Transcript schedule: the range check, then (when `a` or `b` exists) draw `t`, `gamma`, the
//! zero-check rounds and its final evaluations `[out, a?, b?]`.
//!
//! [`zk`] is the zero-knowledge version of steps 2 and 3 (a masked zero-check with `out` deferred,
//! and the identity as linear claims on hidden columns).

mod layout;
mod prove;
mod verify;
mod witness;
pub mod zk;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod zk_tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F};
use zkinfer_sumcheck::SumcheckProof;

pub use layout::{Layout, Part};
pub use prove::prove;
pub use verify::verify;
pub use witness::{RequantWitness, witness};

use crate::Claim;
use crate::range::RangeProof;

/// Transcript label of the zero-check point.
pub const LABEL_ZERO_POINT: &str = "requant.zero_point";
/// Transcript label of the zero-check's combination challenge.
pub const LABEL_GAMMA: &str = "requant.gamma";

/// Public parameters of one requantization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequantSpec {
    /// Variables of the domain (the padded length of `x`).
    pub num_vars: usize,
    /// Multiplier `m > 0`.
    pub multiplier: i64,
    /// Shift `s`.
    pub shift: u32,
    /// Lower clamp.
    pub min: i64,
    /// Upper clamp.
    pub max: i64,
    /// Static range of `q` (from the static bound of `x`).
    pub q_min: i64,
    /// Static range of `q`.
    pub q_max: i64,
}

/// A requantization proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequantProof {
    /// The range check of every limb.
    pub range: RangeProof,
    /// The saturation zero-check (absent when neither `a` nor `b` exists).
    pub zero_check: Option<SumcheckProof<EF>>,
    /// `[out, a?, b?]` at the zero-check's point.
    pub zero_evals: Vec<EF>,
}

/// Local column names of a requantization, in commitment order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequantColumn {
    /// The clamped output (the node's tensor).
    Out,
    /// The upper saturation excess `a = max(q - max, 0)`.
    SatHi,
    /// The lower saturation excess `b = max(min - q, 0)`.
    SatLo,
    /// Limb `i` (over all decomposed values, in [`Layout::parts`] order).
    Limb(usize),
    /// The range table's multiplicities.
    Multiplicities,
}

/// What a requantization proof leaves to settle: claims on its committed columns, and one claim
/// on its input `x`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequantClaims {
    /// Claims on committed columns.
    pub columns: Vec<(RequantColumn, Claim)>,
    /// The claim on `x`.
    pub input: Claim,
}

impl RequantSpec {
    /// The rounding offset `2^(s-1)` (0 when `s = 0`).
    pub fn offset(&self) -> i64 {
        if self.shift == 0 {
            0
        } else {
            1i64 << (self.shift - 1)
        }
    }
}

/// `v mod p` for values the quantizer has bounded far below p/2.
pub(crate) fn signed(v: i64) -> F {
    use zkinfer_field::PrimeCharacteristicRing;
    let m = F::from_u64(v.unsigned_abs());
    if v < 0 { -m } else { m }
}
