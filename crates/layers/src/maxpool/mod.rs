//! Max pooling: `out[p] = max_k tap_k[p]`, where `tap_k = A_k in` is the `k`-th cell of every
//! window (a wiring the caller proves).
//!
//! Committed columns (on the output domain): `out`, the differences `d_k = out - tap_k`, the limbs of
//! each `d_k`, and one multiplicity column per limb. The relation holds iff every `d_k` is in
//! `[0, 2^(limbs * limb_bits))` (so `out >= tap_k`) and `prod_k d_k = 0` everywhere (so `out` equals
//! one of the taps). The proof:
//!
//! 1. one LogUp range lookup per limb column;
//! 2. a zero-check `sum_p eq(r, p) prod_k d_k(p) = 0` at a fresh random `r` (degree `K + 1`);
//! 3. at the zero-check's final point `r'`: the prover sends `out(r')` and every limb at `r'`; the
//!    verifier checks `d_k(r') = sum_l 2^(l * limb_bits) limb_{k,l}(r')` and returns the claims
//!    `tap_k(r') = out(r') - d_k(r')` for the caller's wirings.
//!
//! Transcript schedule: the limb lookups (tap-major), draw `r`, the zero-check (rounds, then the
//! `d_k(r')`), observe `[out(r'), limbs...]`.

mod prove;
mod verify;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F};
use zkinfer_lookup::{LookupInstance, LookupProof, Table};
use zkinfer_sumcheck::SumcheckProof;

pub use prove::{MaxPoolWitness, prove, witness};
pub use verify::verify;

use crate::Claim;

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
    /// A spec whose differences cover `[0, 2 * bound]` with limbs of at most 8 bits.
    pub fn for_bound(num_vars: usize, taps: usize, bound: i64) -> Self {
        let bits = (64 - (2 * bound.max(1) as u64).leading_zeros()) as usize;
        let limbs = bits.div_ceil(8);
        Self {
            num_vars,
            taps,
            limbs,
            limb_bits: bits.div_ceil(limbs),
        }
    }

    /// The range lookup of every limb column (all alike).
    pub fn instance(&self) -> LookupInstance<F> {
        LookupInstance {
            num_vars: self.num_vars,
            table: Table::Range {
                bits: self.limb_bits,
            },
        }
    }
}

/// Local column names, in commitment order: `out`, every `d_k`, every limb (tap-major), every limb's
/// multiplicities (tap-major).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxPoolColumn {
    /// The pooled output (the node's tensor).
    Out,
    /// `d_k`.
    Diff(usize),
    /// Limb `l` of `d_k`: `(k, l)`.
    Limb(usize, usize),
    /// Multiplicities of limb `(k, l)`.
    Multiplicities(usize, usize),
}

impl MaxPoolColumn {
    /// Position in commitment order.
    pub fn index(self, spec: &MaxPoolSpec) -> usize {
        let (k, l) = (spec.taps, spec.limbs);
        match self {
            MaxPoolColumn::Out => 0,
            MaxPoolColumn::Diff(i) => 1 + i,
            MaxPoolColumn::Limb(i, j) => 1 + k + i * l + j,
            MaxPoolColumn::Multiplicities(i, j) => 1 + k + k * l + i * l + j,
        }
    }

    /// Number of columns.
    pub fn count(spec: &MaxPoolSpec) -> usize {
        1 + spec.taps + 2 * spec.taps * spec.limbs
    }
}

/// A max-pooling proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaxPoolProof {
    /// One range lookup per limb column, tap-major.
    pub limb_lookups: Vec<LookupProof<EF>>,
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
