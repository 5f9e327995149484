//! Batched range checks: every entry of several committed columns lies in `[0, 2^bits)`, by one
//! LogUp lookup into the range table `{0, ..., 2^bits - 1}`.
//!
//! The looked-up column is virtual: segment `j` (the most significant variables of the lookup
//! index) holds `2^shift_j * column_j`, and segments past the last are zero (a table row). A
//! segment with `shift > 0` checks a short limb: `c < 2^bits` and `2^(bits - t) c < 2^bits` together
//! mean `c < 2^t` (the first bounds `c` as an integer, so the product does not wrap).
//!
//! The LogUp proof reduces to one claim on the virtual column at `(r_hi, r_lo)`. The prover sends
//! each committed column at `r_lo`; the verifier checks
//! `sum_j eq(r_hi, j) 2^shift_j c_j(r_lo) = claim` and returns the claims `c_j(r_lo)` (and the
//! multiplicities' claim) for the commitment opening. One table side and one multiplicity column
//! serve every column, which is what makes many small checks cheap.
//!
//! Transcript schedule: the lookup, then `[c_0(r_lo), c_1(r_lo), ...]`.

mod prove;
mod verify;
pub mod zk;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_lookup::{LookupInstance, LookupProof, Lookups, Table, multiplicities};

pub use prove::prove;
pub use verify::verify;

use crate::{Claim, LayerError, log2_ceil};

/// Transcript label of the column evaluations.
pub const LABEL_EVALS: &str = "range.evals";
/// Largest range table, in bits.
pub const MAX_RANGE_BITS: usize = 16;

/// One segment of the virtual looked-up column: `2^shift * column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Index of the committed column (into the caller's list).
    pub column: usize,
    /// Power of two the column is scaled by.
    pub shift: u32,
}

/// Public parameters of a batched range check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeSpec {
    /// Variables of each committed column.
    pub num_vars: usize,
    /// The table is `[0, 2^bits)`.
    pub bits: usize,
    /// Number of committed columns.
    pub columns: usize,
    /// The virtual column's segments, in order.
    pub segments: Vec<Segment>,
}

/// A batched range-check proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeProof {
    /// The lookup of the virtual column.
    pub lookup: LookupProof<EF>,
    /// Each committed column at `r_lo`.
    pub evals: Vec<EF>,
}

/// What a range proof leaves to the commitment opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeClaims {
    /// The point `r_lo` of the column claims.
    pub point: Vec<EF>,
    /// Each committed column at `point`.
    pub evals: Vec<EF>,
    /// The claim on the multiplicity column (`2^bits` entries).
    pub multiplicities: Claim,
}

impl RangeSpec {
    /// Checks the sizes both sides rely on.
    pub fn check(&self) -> Result<(), LayerError> {
        let bad = |detail: String| LayerError::Parameter {
            layer: "range",
            detail,
        };
        if self.bits == 0 || self.bits > MAX_RANGE_BITS {
            return Err(bad(format!("table of {} bits", self.bits)));
        }
        if self.segments.is_empty() {
            return Err(bad("no segments".into()));
        }
        for s in &self.segments {
            if s.column >= self.columns || s.shift as usize >= self.bits {
                return Err(bad(format!(
                    "segment (column {}, shift {}) with {} columns of {} bits",
                    s.column, s.shift, self.columns, self.bits
                )));
            }
        }
        Ok(())
    }

    /// Variables that index the segment.
    pub fn segment_vars(&self) -> usize {
        log2_ceil(self.segments.len())
    }

    /// The lookup instance of the virtual column.
    pub fn instance(&self) -> LookupInstance<F> {
        LookupInstance {
            num_vars: self.num_vars + self.segment_vars(),
            table: Table::Range { bits: self.bits },
        }
    }

    /// The virtual column from the committed columns (each of length `2^num_vars`).
    pub fn virtual_column(&self, columns: &[&[F]]) -> Result<Vec<F>, LayerError> {
        self.check()?;
        let n = 1usize << self.num_vars;
        if columns.len() != self.columns || columns.iter().any(|c| c.len() != n) {
            return Err(LayerError::Parameter {
                layer: "range",
                detail: format!("expected {} columns of 2^{}", self.columns, self.num_vars),
            });
        }
        let mut out = vec![F::ZERO; n << self.segment_vars()];
        for (chunk, s) in out.chunks_mut(n).zip(&self.segments) {
            let scale = F::from_u64(1 << s.shift);
            if let Some(col) = columns.get(s.column) {
                for (o, &v) in chunk.iter_mut().zip(col.iter()) {
                    *o = v * scale;
                }
            }
        }
        Ok(out)
    }

    /// The honest prover's multiplicity column (`2^bits` entries).
    pub fn multiplicities(&self, columns: &[&[F]]) -> Result<Vec<F>, LayerError> {
        let v = self.virtual_column(columns)?;
        Ok(multiplicities(
            &self.instance().table,
            &Lookups::Values(&v).columns(),
        )?)
    }
}
