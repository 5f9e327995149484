//! Max pooling: `out[p] = max_k tap_k[p]`, where `tap_k = A_k in` is the `k`-th cell of every
//! window (a wiring the caller proves).
//!
//! Committed columns (on the output domain): `out`, the differences `d_k = out - tap_k`, the limbs of
//! each `d_k`, and one multiplicity column for the shared range table. The relation holds iff every `d_k` is in
//! `[0, 2^(limbs * limb_bits))` (so `out >= tap_k`) and `prod_k d_k = 0` everywhere (so `out` equals
//! one of the taps). The proof:
//!
//! 1. one batched range check ([`crate::range`]) of every limb column;
//! 2. a zero-check `sum_p eq(r, p) prod_k d_k(p) = 0` at a fresh random `r` (degree `K + 1`);
//! 3. at the zero-check's final point `r'`: the prover sends `out(r')` and every limb at `r'`; the
//!    verifier checks `d_k(r') = sum_l 2^(l * limb_bits) limb_{k,l}(r')` and returns the claims
//!    `tap_k(r') = out(r') - d_k(r')` for the caller's wirings.
//!
//! Transcript schedule: the range check, draw `r`, the zero-check (rounds, then the
//! `d_k(r')`), observe `[out(r'), limbs...]`.
//!
//! [`zk`] is the zero-knowledge version of steps 2 and 3 (a masked zero-check with the last
//! difference deferred, symbolic tap claims, and the identity as linear claims on hidden columns).

mod prove;
mod verify;
pub mod zk;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod zk_tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::EF;
use zkinfer_sumcheck::SumcheckProof;

pub use prove::{MaxPoolWitness, prove, witness};
pub use verify::verify;

use crate::Claim;
use crate::range::{RangeProof, RangeSpec, Segment};

/// Transcript label of the zero-check point.
pub const LABEL_POINT: &str = "maxpool.point";
/// Transcript label of the evaluations at the zero-check's final point.
pub const LABEL_EVALS: &str = "maxpool.evals";

/// Public parameters of one max pooling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaxPoolSpec {
    /// Variables of the output domain.
    pub num_vars: usize,
    /// Cells per window.
    pub taps: usize,
    /// Limbs per difference.
    pub limbs: usize,
    /// Bits per limb.
    pub limb_bits: usize,
}

impl MaxPoolSpec {
    /// A spec whose differences cover `[0, 2 * bound]`, with the limb width (at most 12 bits) that
    /// minimises lookups plus table rows.
    pub fn for_bound(num_vars: usize, taps: usize, bound: i64) -> Self {
        let bits = (64 - (2 * bound.max(1) as u64).leading_zeros()) as usize;
        let limbs = (1..=bits)
            .filter(|l| bits.div_ceil(*l) <= 12)
            .min_by_key(|&l| {
                ((taps * l).next_power_of_two() << num_vars) + (2usize << bits.div_ceil(l))
            })
            .unwrap_or(bits);
        Self {
            num_vars,
            taps,
            limbs,
            limb_bits: bits.div_ceil(limbs),
        }
    }

    /// The batched range check of every limb column (full-width limbs: the differences' bound is
    /// a power of two by construction).
    pub fn range_spec(&self) -> RangeSpec {
        let columns = self.taps * self.limbs;
        RangeSpec {
            num_vars: self.num_vars,
            bits: self.limb_bits,
            columns,
            segments: (0..columns)
                .map(|column| Segment { column, shift: 0 })
                .collect(),
        }
    }
}

/// Local column names, in commitment order: `out`, every `d_k`, every limb (tap-major), the
/// multiplicities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxPoolColumn {
    /// The pooled output (the node's tensor).
    Out,
    /// `d_k`.
    Diff(usize),
    /// Limb `l` of `d_k`: `(k, l)`.
    Limb(usize, usize),
    /// Multiplicities of the shared range table.
    Multiplicities,
}

impl MaxPoolColumn {
    /// Position in commitment order.
    pub fn index(self, spec: &MaxPoolSpec) -> usize {
        let (k, l) = (spec.taps, spec.limbs);
        match self {
            MaxPoolColumn::Out => 0,
            MaxPoolColumn::Diff(i) => 1 + i,
            MaxPoolColumn::Limb(i, j) => 1 + k + i * l + j,
            MaxPoolColumn::Multiplicities => 1 + k + k * l,
        }
    }

    /// Number of columns.
    pub fn count(spec: &MaxPoolSpec) -> usize {
        2 + spec.taps + spec.taps * spec.limbs
    }
}

/// A max-pooling proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaxPoolProof {
    /// The range check of every limb column, tap-major.
    pub range: RangeProof,
    /// The zero-check.
    pub zerocheck: SumcheckProof<EF>,
    /// `d_k(r')`.
    pub diff_evals: Vec<EF>,
    /// `out(r')` then every limb at `r'`, tap-major.
    pub evals: Vec<EF>,
}

/// What a max-pooling proof leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxPoolClaims {
    /// Claims on committed columns.
    pub columns: Vec<(MaxPoolColumn, Claim)>,
    /// `tap_k(r')`, one per tap, for the caller's wirings.
    pub taps: Vec<Claim>,
}
