//! Requantization: `out = clamp(q, min, max)` with `m x + off = 2^s q + rem`, `0 <= rem < 2^s`
//! (the IR's one rounding rule, round half up: `q = floor((m x + 2^(s-1)) / 2^s)`).
//!
//! Committed columns (all on the domain of `x`): `q`, `out`, the limbs of `rem`, and one
//! multiplicity column per lookup table. The relation is proven by
//!
//! 1. a LogUp pair lookup `(q, out)` into the table `{(v, clamp(v)) : q_min <= v <= q_max}`, which
//!    also range-checks `q`;
//! 2. one LogUp range lookup per limb of `rem` (limbs of at most 12 bits keep tables small);
//! 3. the linear identity at a fresh random point `r`: the prover sends `q(r)` and the limbs at
//!    `r`, and the verifier derives the claim `x(r) = (2^s q(r) + rem(r) - off) / m`.
//!
//! Every value is bounded (the tables bound `q` and the limbs; the quantizer bounds `m |x| + off`
//! below (p-1)/2), so the identity over the field is the identity over the integers (DESIGN.md,
//! bug 4), and the rounding is exactly the reference evaluator's (bug 5).
//!
//! Transcript schedule: the `(q, out)` lookup, each limb lookup in order, draw `r`, observe
//! `[q(r), limb_0(r), ...]`.

mod prove;
mod verify;
mod witness;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F};
use zkinfer_lookup::{FunctionTable, LookupInstance, LookupProof, Table};

pub use prove::prove;
pub use verify::verify;
pub use witness::{RequantWitness, witness};

use crate::{Claim, LayerError};

/// Transcript label of the identity point.
pub const LABEL_POINT: &str = "requant.point";
/// Transcript label of the evaluations sent at the identity point.
pub const LABEL_EVALS: &str = "requant.evals";
/// Largest limb of `rem`, in bits.
pub const MAX_LIMB_BITS: u32 = 12;
/// Largest `(q, out)` table, in bits.
pub const MAX_CLAMP_TABLE_BITS: usize = 20;

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
    /// The `(q, out)` lookup.
    pub clamp_lookup: LookupProof<EF>,
    /// One range lookup per limb of `rem`.
    pub limb_lookups: Vec<LookupProof<EF>>,
    /// `q(r)` then each limb at `r`.
    pub evals: Vec<EF>,
}

/// Local column names of a requantization, in commitment order: `q`, `out`, the limbs, the
/// clamp table's multiplicities, then each limb table's multiplicities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequantColumn {
    /// The rounded quotient.
    Q,
    /// The clamped output (the node's tensor).
    Out,
    /// Limb `i` of the remainder.
    Limb(usize),
    /// Multiplicities of the `(q, out)` table.
    ClampMultiplicities,
    /// Multiplicities of limb `i`'s range table.
    LimbMultiplicities(usize),
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

    /// Bit widths of the limbs of `rem` (empty when `s = 0`): as equal as possible, each at most
    /// [`MAX_LIMB_BITS`].
    pub fn limb_bits(&self) -> Vec<u32> {
        let s = self.shift;
        if s == 0 {
            return vec![];
        }
        let count = s.div_ceil(MAX_LIMB_BITS);
        let base = s / count;
        let extra = s % count;
        (0..count).map(|i| base + u32::from(i < extra)).collect()
    }

    /// Bits of the `(q, out)` table.
    pub fn clamp_table_bits(&self) -> Result<usize, LayerError> {
        let rows = (self.q_max - self.q_min + 1).max(1) as u64;
        let bits = rows.next_power_of_two().trailing_zeros() as usize;
        if self.q_max < self.q_min || bits > MAX_CLAMP_TABLE_BITS {
            return Err(LayerError::TableTooLarge {
                bits,
                max: MAX_CLAMP_TABLE_BITS,
            });
        }
        Ok(bits)
    }

    /// The `(q, clamp(q))` table, its last row repeated up to a power of two.
    pub fn clamp_table(&self) -> Result<Table<F>, LayerError> {
        let bits = self.clamp_table_bits()?;
        let name = format!(
            "requant.clamp[{},{}]x[{},{}]",
            self.q_min, self.q_max, self.min, self.max
        );
        let (q_min, q_max, lo, hi) = (self.q_min, self.q_max, self.min, self.max);
        let table = FunctionTable::from_fn(&name, bits, |i| {
            let q = (q_min + i as i64).min(q_max);
            (signed(q), signed(q.clamp(lo, hi)))
        })
        .map_err(LayerError::from)?;
        Ok(Table::Function(table))
    }

    /// The lookup instances in transcript order: the clamp table, then each limb.
    pub fn instances(&self) -> Result<Vec<LookupInstance<F>>, LayerError> {
        let mut out = vec![LookupInstance {
            num_vars: self.num_vars,
            table: self.clamp_table()?,
        }];
        for bits in self.limb_bits() {
            out.push(LookupInstance {
                num_vars: self.num_vars,
                table: Table::Range {
                    bits: bits as usize,
                },
            });
        }
        Ok(out)
    }
}

/// `v mod p` for values the quantizer has bounded far below p/2.
pub(crate) fn signed(v: i64) -> F {
    use zkinfer_field::PrimeCharacteristicRing;
    let m = F::from_u64(v.unsigned_abs());
    if v < 0 { -m } else { m }
}
