//! Signed range check: every entry `v` of a column lies in `[-B, B]`, `B = 2^(k-1) - 1` for a
//! declared signed width `k` (docs/pitfalls.md, 11: the no-wrap arguments of later layers, which bound
//! accumulators from the widths of committed weights, hold only if those widths are proven).
//!
//! Two non-negative columns bound `v` from both sides: `u = v + B` and `d = B - v`, each shown to
//! lie in `[0, 2^k)` by the batched range check ([`crate::range`]), and `u + d = 2B`. As integers,
//! `u, d >= 0` with `u + d = 2B` give `u - B` in `[-B, B]` exactly, and `v = u - B` in the field.
//! Since `k <= 30` ([`MAX_SIGNED_BITS`]), `u + d < 2^31 < 2p` and `2B + p >= 2^31 > u + d`, so the
//! field identity `u + d = 2B` is the integer one (bug 4). By [`SignedLayout`]:
//!
//! - **Direct** (`k <= 16`, small tables): `u` and `d` are affine in `v`, so they are looked up as
//!   they are, and nothing but the range table's multiplicities is committed. The range check's
//!   claims on `u~(r)` and `d~(r)` are claims on `v~(r) + B` and `B - v~(r)`: in a plain proof the
//!   verifier checks the two revealed values add up to `2B` and keeps `v~(r) = u~(r) - B`; in zero
//!   knowledge the two claims are rewritten as forms on `v`'s own committed vector ([`zk`]).
//! - **Limbs** (wider or cheaper): `u = sum_i 2^(i l) u_i` and the same for `d`, `l`-bit limbs
//!   committed and range-checked, the top limb of a width `t < l` through a second segment scaled by
//!   `2^(l - t)` (crate::range docs); at the range check's point `r` the identities
//!   `sum_i 2^(i l) u_i~(r) - v~(r) = B` and `sum_i 2^(i l) (u_i + d_i)~(r) = 2B` hold. The limbs
//!   bound `u` and `d` below `2^k` as integers (each limb is, and the sum is below `p`).
//! - **Zero** (`k = 1`, `B = 0`): `v~(r) = 0` at a random point `r` drawn after the commitment,
//!   which fails for a non-zero column except with probability `num_vars / |EF|`.
//!
//! Committed columns, in order: the limbs of `u` then of `d` (Limbs only), then the multiplicities
//! of the range table (Direct and Limbs). Transcript schedule: Zero draws `r`
//! ([`LABEL_ZERO_POINT`]); the others run the range check (crate::range, or its zero-knowledge
//! variant).

mod prove;
mod verify;
mod witness;
pub mod zk;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};

pub use prove::prove;
pub use verify::verify;
pub use witness::{SignedWitness, witness};

use crate::range::{MAX_RANGE_BITS, RangeProof, RangeSpec, Segment};
use crate::{Claim, LayerError, log2_ceil};

/// Transcript label of the point of a zero column's claim.
pub const LABEL_ZERO_POINT: &str = "signed.zero_point";
/// Widest declared width: `2^k` must stay below `p / 2` (module docs).
pub const MAX_SIGNED_BITS: u32 = 30;
/// Widest limb a Limbs layout uses.
pub const MAX_LIMB_BITS: usize = MAX_RANGE_BITS;

/// Public parameters: a column of `2^num_vars` entries, each with `|v| <= 2^(bits-1) - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedSpec {
    /// Variables of the column.
    pub num_vars: usize,
    /// The declared signed width `k`, `1..=MAX_SIGNED_BITS`.
    pub bits: u32,
}

/// How a column is checked (module docs); derived from the spec alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedLayout {
    /// `k = 1`: one claim that the column is zero.
    Zero,
    /// `u` and `d` looked up as they are, in a table of `2^k`.
    Direct,
    /// `limbs` limbs of `limb_bits` bits for each of `u` and `d`.
    Limbs {
        /// Bits of every limb but the top one (the range table is `[0, 2^limb_bits)`).
        limb_bits: usize,
        /// Limbs per value.
        limbs: usize,
    },
}

/// A signed range check's proof: the range check, absent for a zero column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedProof {
    /// The range check of `u` and `d` (Direct) or of their limbs (Limbs).
    pub range: Option<RangeProof>,
}

/// What a signed range check leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedClaims {
    /// The claim on the checked column `v`.
    pub value: Claim,
    /// Claims on the committed columns (index into [`SignedLayout::columns`]).
    pub columns: Vec<(usize, Claim)>,
}

impl SignedSpec {
    /// `B = 2^(k-1) - 1`, the largest magnitude allowed.
    pub fn bound(&self) -> u64 {
        (1u64 << self.bits.saturating_sub(1)) - 1
    }

    /// `B` in the field.
    pub fn bound_f(&self) -> F {
        F::from_u64(self.bound())
    }

    /// Checks the width and size both sides rely on.
    pub fn check(&self) -> Result<(), LayerError> {
        if self.bits == 0 || self.bits > MAX_SIGNED_BITS || self.num_vars > 30 {
            return Err(LayerError::Parameter {
                layer: "signed range",
                detail: format!(
                    "a {}-bit signed width on 2^{} entries (widths 1..={MAX_SIGNED_BITS})",
                    self.bits, self.num_vars
                ),
            });
        }
        Ok(())
    }

    /// The layout with the smallest cost: lookups and table rows of the range check (the fraction
    /// tree's size), plus the committed limb entries.
    pub fn layout(&self) -> Result<SignedLayout, LayerError> {
        self.check()?;
        let k = self.bits as usize;
        if k == 1 {
            return Ok(SignedLayout::Zero);
        }
        let n = self.num_vars;
        let tree =
            |segments: usize, table: usize| (1u64 << (n + log2_ceil(segments))).max(1 << table);
        let mut best = (u64::MAX, SignedLayout::Zero);
        if k <= MAX_RANGE_BITS {
            best = (tree(2, k), SignedLayout::Direct);
        }
        for l in 2..k.min(MAX_LIMB_BITS + 1) {
            let limbs = k.div_ceil(l);
            let segments = 2 * (limbs + usize::from(!k.is_multiple_of(l)));
            let cost = tree(segments, l) + ((2 * limbs as u64) << n);
            if cost < best.0 {
                best = (
                    cost,
                    SignedLayout::Limbs {
                        limb_bits: l,
                        limbs,
                    },
                );
            }
        }
        Ok(best.1)
    }
}

impl SignedLayout {
    /// Variables of each committed column, in order: limbs of `u`, limbs of `d`, multiplicities.
    pub fn columns(&self, spec: &SignedSpec) -> Vec<usize> {
        match *self {
            Self::Zero => vec![],
            Self::Direct => vec![spec.bits as usize],
            Self::Limbs { limb_bits, limbs } => {
                let mut c = vec![spec.num_vars; 2 * limbs];
                c.push(limb_bits);
                c
            }
        }
    }

    /// Index of the multiplicity column in [`SignedLayout::columns`] (`None` for Zero).
    pub fn multiplicities(&self) -> Option<usize> {
        match *self {
            Self::Zero => None,
            Self::Direct => Some(0),
            Self::Limbs { limbs, .. } => Some(2 * limbs),
        }
    }

    /// Bits of limb `j` of a `k`-bit value.
    fn limb_width(k: usize, limb_bits: usize, j: usize) -> usize {
        k.saturating_sub(j * limb_bits).min(limb_bits)
    }

    /// The range check: of `[u, d]` (Direct) or of every limb (Limbs); `None` for Zero.
    pub fn range_spec(&self, spec: &SignedSpec) -> Option<RangeSpec> {
        let k = spec.bits as usize;
        match *self {
            Self::Zero => None,
            Self::Direct => Some(RangeSpec {
                num_vars: spec.num_vars,
                bits: k,
                columns: 2,
                segments: (0..2).map(|column| Segment { column, shift: 0 }).collect(),
            }),
            Self::Limbs { limb_bits, limbs } => {
                let mut segments = vec![];
                for column in 0..2 * limbs {
                    segments.push(Segment { column, shift: 0 });
                    let w = Self::limb_width(k, limb_bits, column % limbs);
                    if w < limb_bits {
                        segments.push(Segment {
                            column,
                            shift: (limb_bits - w) as u32,
                        });
                    }
                }
                Some(RangeSpec {
                    num_vars: spec.num_vars,
                    bits: limb_bits,
                    columns: 2 * limbs,
                    segments,
                })
            }
        }
    }

    /// `(sum_i 2^(i l) u_i, sum_i 2^(i l) d_i)` from the limbs' values (Limbs), or `[u, d]`
    /// themselves (Direct).
    pub(crate) fn recombine(&self, evals: &[EF]) -> Result<(EF, EF), LayerError> {
        let count = |expected: usize| LayerError::EvalCount {
            layer: "signed range",
            expected,
            got: evals.len(),
        };
        match *self {
            Self::Zero => Err(count(0)),
            Self::Direct => match evals {
                [u, d] => Ok((*u, *d)),
                _ => Err(count(2)),
            },
            Self::Limbs { limb_bits, limbs } => {
                if evals.len() != 2 * limbs {
                    return Err(count(2 * limbs));
                }
                let (us, ds) = evals.split_at(limbs);
                let radix = F::from_u64(1 << limb_bits);
                let sum = |ls: &[EF]| ls.iter().rev().fold(EF::ZERO, |acc, &l| acc * radix + l);
                Ok((sum(us), sum(ds)))
            }
        }
    }
}
