//! The honest prover's requantization columns.

use zkinfer_field::F;

use super::{Part, RequantColumn, RequantSpec, signed};
use crate::LayerError;

/// Every committed column of one requantization, plus the output as integers.
#[derive(Debug, Clone)]
pub struct RequantWitness {
    /// The clamped output.
    pub out: Vec<F>,
    /// `a = max(q - max, 0)` (empty when the layout has no `a`).
    pub sat_hi: Vec<F>,
    /// `b = max(min - q, 0)` (empty when the layout has no `b`).
    pub sat_lo: Vec<F>,
    /// The limbs of every decomposed value, least significant first within a value.
    pub limbs: Vec<Vec<F>>,
    /// Multiplicities of the shared range table.
    pub mults: Vec<F>,
    /// The output as integers (padded domain).
    pub out_int: Vec<i64>,
}

impl RequantWitness {
    /// The columns in commitment order (the layout's), with their local names.
    pub fn columns(&self) -> Vec<(RequantColumn, &[F])> {
        let mut cols = vec![(RequantColumn::Out, self.out.as_slice())];
        if !self.sat_hi.is_empty() {
            cols.push((RequantColumn::SatHi, &self.sat_hi));
        }
        if !self.sat_lo.is_empty() {
            cols.push((RequantColumn::SatLo, &self.sat_lo));
        }
        for (i, l) in self.limbs.iter().enumerate() {
            cols.push((RequantColumn::Limb(i), l));
        }
        cols.push((RequantColumn::Multiplicities, &self.mults));
        cols
    }

    /// The limb columns, borrowed.
    pub fn limb_refs(&self) -> Vec<&[F]> {
        self.limbs.iter().map(|l| l.as_slice()).collect()
    }
}

/// Computes the columns for the padded input `x` (length `2^num_vars`).
pub fn witness(spec: &RequantSpec, x: &[i64]) -> Result<RequantWitness, LayerError> {
    if x.len() != 1 << spec.num_vars {
        return Err(LayerError::Parameter {
            layer: "requant",
            detail: format!(
                "input has {} entries, expected 2^{}",
                x.len(),
                spec.num_vars
            ),
        });
    }
    let layout = spec.layout()?;
    let (off, s) = (spec.offset(), spec.shift);
    let (big_a, big_b) = (spec.q_max - spec.max, spec.min - spec.q_min);
    let n = x.len();
    let mut out_int = Vec::with_capacity(n);
    let mut sat_hi = Vec::with_capacity(if layout.sat_hi { n } else { 0 });
    let mut sat_lo = Vec::with_capacity(if layout.sat_lo { n } else { 0 });
    let mut limbs: Vec<Vec<F>> = vec![Vec::with_capacity(n); layout.num_limbs()];
    let ranges = layout.limb_ranges();
    let mask = (1i64 << layout.limb_bits) - 1;
    for &v in x {
        let t = v as i128 * spec.multiplier as i128 + off as i128;
        let q = (t >> s) as i64;
        let rem = (t - ((q as i128) << s)) as i64;
        let out = q.clamp(spec.min, spec.max);
        let (a, b) = ((q - spec.max).max(0), (spec.min - q).max(0));
        out_int.push(out);
        if layout.sat_hi {
            sat_hi.push(signed(a));
        }
        if layout.sat_lo {
            sat_lo.push(signed(b));
        }
        for &(part, first, count) in &ranges {
            // Out-of-range values (a witness outside the static bounds) come out as limbs that
            // fail the range check, which the multiplicity computation reports.
            let mut value = match part {
                Part::OutLo => out - spec.min,
                Part::OutHi => spec.max - out,
                Part::SatHi => a,
                Part::SatHiCap => big_a - a,
                Part::SatLo => b,
                Part::SatLoCap => big_b - b,
                Part::Rem => rem,
            };
            for col in limbs.iter_mut().skip(first).take(count) {
                col.push(signed(value & mask));
                value >>= layout.limb_bits;
            }
            if value != 0 {
                return Err(LayerError::Parameter {
                    layer: "requant",
                    detail: format!(
                        "input {v} gives q = {q} outside the static range [{}, {}]",
                        spec.q_min, spec.q_max
                    ),
                });
            }
        }
    }
    let out: Vec<F> = out_int.iter().map(|&v| signed(v)).collect();
    let refs: Vec<&[F]> = limbs.iter().map(|l| l.as_slice()).collect();
    let mults = layout.range_spec(spec.num_vars).multiplicities(&refs)?;
    Ok(RequantWitness {
        out,
        sat_hi,
        sat_lo,
        limbs,
        mults,
        out_int,
    })
}
