//! Which values a requantization decomposes into limbs, how wide the limbs are, and the order of
//! its committed columns. Derived from the public spec alone, so both parties agree.

use zkinfer_field::{F, PrimeField64};

use super::{RequantColumn, RequantSpec};
use crate::LayerError;
use crate::range::{RangeSpec, Segment};

/// Widest limb (range table) a requantization uses.
pub const MAX_LIMB_BITS: usize = 12;

/// A value range-checked through its limbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `out - min`.
    OutLo,
    /// `max - out` (when `max - min + 1` is not a power of two).
    OutHi,
    /// `a`.
    SatHi,
    /// `A - a`, with `A = q_max - max` (when the power-of-two bound on `a` is too loose).
    SatHiCap,
    /// `b`.
    SatLo,
    /// `B - b`, with `B = min - q_min`.
    SatLoCap,
    /// `rem`.
    Rem,
}

/// The derived shape of one requantization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Bits of every limb (the range table is `[0, 2^limb_bits)`).
    pub limb_bits: usize,
    /// The decomposed values and their widths in bits.
    pub parts: Vec<(Part, usize)>,
    /// Whether `a` exists.
    pub sat_hi: bool,
    /// Whether `b` exists.
    pub sat_lo: bool,
}

/// Bits to hold `0..=v` (`v >= 0`).
fn bits_for(v: i64) -> usize {
    (64 - (v.max(0) as u64).leading_zeros()) as usize
}

impl RequantSpec {
    /// The layout: parts, saturation columns, and the limb width minimising the lookup cost.
    pub fn layout(&self) -> Result<Layout, LayerError> {
        let bad = |detail: String| LayerError::Parameter {
            layer: "requant",
            detail,
        };
        if self.multiplier <= 0 || self.multiplier >= 1 << 30 || self.shift > 30 {
            return Err(bad(format!(
                "multiplier {} / shift {} out of range",
                self.multiplier, self.shift
            )));
        }
        if self.max < self.min || self.q_max < self.q_min || self.max - self.min >= 1 << 30 {
            return Err(bad(format!(
                "clamp [{}, {}] or q range [{}, {}] malformed",
                self.min, self.max, self.q_min, self.q_max
            )));
        }
        let width = self.max - self.min;
        let k_out = bits_for(width);
        let big_a = self.q_max - self.max;
        let big_b = self.min - self.q_min;
        let (ka, kb) = (bits_for(big_a), bits_for(big_b));
        // q' = out + a - b must range over fewer than p / 2^s values (see mod.rs).
        let fits = |a_max: i64, b_max: i64| {
            let w = (width + a_max.max(0) + b_max.max(0) + 1) as u128;
            (w << self.shift) < F::ORDER_U64 as u128
        };
        let loose = fits((1i64 << ka) - 1, (1i64 << kb) - 1);
        if !loose && !fits(big_a, big_b) {
            return Err(bad(format!(
                "q range [{}, {}] times 2^{} wraps the field",
                self.q_min, self.q_max, self.shift
            )));
        }
        let mut parts = vec![(Part::OutLo, k_out)];
        if (width + 1) as u64 != 1u64 << k_out {
            parts.push((Part::OutHi, k_out));
        }
        let (sat_hi, sat_lo) = (big_a > 0, big_b > 0);
        if sat_hi {
            parts.push((Part::SatHi, ka));
            if !loose {
                parts.push((Part::SatHiCap, ka));
            }
        }
        if sat_lo {
            parts.push((Part::SatLo, kb));
            if !loose {
                parts.push((Part::SatLoCap, kb));
            }
        }
        parts.push((Part::Rem, self.shift as usize));
        let limb_bits = (2..=MAX_LIMB_BITS)
            .min_by_key(|&l| {
                let segs: usize = parts.iter().map(|&(_, k)| segments_for(k, l)).sum();
                (segs.max(1).next_power_of_two() << self.num_vars) + (2usize << l)
            })
            .unwrap_or(MAX_LIMB_BITS);
        Ok(Layout {
            limb_bits,
            parts,
            sat_hi,
            sat_lo,
        })
    }
}

/// Limbs of a `k`-bit value with `l`-bit limbs.
fn limbs_for(k: usize, l: usize) -> usize {
    k.div_ceil(l)
}

/// Lookup segments of a `k`-bit value: its limbs, plus a scaled copy of a short top limb.
fn segments_for(k: usize, l: usize) -> usize {
    limbs_for(k, l) + usize::from(!k.is_multiple_of(l))
}

impl Layout {
    /// `(part, first limb, limb count)` for each part.
    pub fn limb_ranges(&self) -> Vec<(Part, usize, usize)> {
        let mut first = 0;
        self.parts
            .iter()
            .map(|&(p, k)| {
                let n = limbs_for(k, self.limb_bits);
                first += n;
                (p, first - n, n)
            })
            .collect()
    }

    /// Total limb columns.
    pub fn num_limbs(&self) -> usize {
        self.parts
            .iter()
            .map(|&(_, k)| limbs_for(k, self.limb_bits))
            .sum()
    }

    /// Bits of limb `j` of a `k`-bit value.
    pub fn limb_width(&self, k: usize, j: usize) -> usize {
        k.saturating_sub(j * self.limb_bits).min(self.limb_bits)
    }

    /// The batched range check of every limb.
    pub fn range_spec(&self, num_vars: usize) -> RangeSpec {
        let mut segments = vec![];
        let mut col = 0;
        for &(_, k) in &self.parts {
            for j in 0..limbs_for(k, self.limb_bits) {
                segments.push(Segment {
                    column: col,
                    shift: 0,
                });
                let w = self.limb_width(k, j);
                if w < self.limb_bits {
                    segments.push(Segment {
                        column: col,
                        shift: (self.limb_bits - w) as u32,
                    });
                }
                col += 1;
            }
        }
        RangeSpec {
            num_vars,
            bits: self.limb_bits,
            columns: col,
            segments,
        }
    }

    /// The committed columns in order, with their variable counts.
    pub fn columns(&self, num_vars: usize) -> Vec<(RequantColumn, usize)> {
        let mut cols = vec![(RequantColumn::Out, num_vars)];
        if self.sat_hi {
            cols.push((RequantColumn::SatHi, num_vars));
        }
        if self.sat_lo {
            cols.push((RequantColumn::SatLo, num_vars));
        }
        cols.extend((0..self.num_limbs()).map(|i| (RequantColumn::Limb(i), num_vars)));
        cols.push((RequantColumn::Multiplicities, self.limb_bits));
        cols
    }

    /// Position of a column in [`Layout::columns`].
    pub fn column_index(&self, c: RequantColumn) -> usize {
        let sat = usize::from(self.sat_hi) + usize::from(self.sat_lo);
        match c {
            RequantColumn::Out => 0,
            RequantColumn::SatHi => 1,
            RequantColumn::SatLo => 1 + usize::from(self.sat_hi),
            RequantColumn::Limb(i) => 1 + sat + i,
            RequantColumn::Multiplicities => 1 + sat + self.num_limbs(),
        }
    }
}
