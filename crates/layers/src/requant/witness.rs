//! The honest prover's requantization columns.

use zkinfer_field::F;
use zkinfer_lookup::{Lookups, multiplicities};

use super::{RequantColumn, RequantSpec, signed};
use crate::LayerError;

/// Every committed column of one requantization, plus the output as integers.
#[derive(Debug, Clone)]
pub struct RequantWitness {
    /// The rounded quotient.
    pub q: Vec<F>,
    /// The clamped output.
    pub out: Vec<F>,
    /// The limbs of the remainder, least significant first.
    pub limbs: Vec<Vec<F>>,
    /// Multiplicities of the `(q, out)` table.
    pub clamp_mult: Vec<F>,
    /// Multiplicities of each limb's range table.
    pub limb_mults: Vec<Vec<F>>,
    /// The output as integers (padded domain).
    pub out_int: Vec<i64>,
}

impl RequantWitness {
    /// The columns in commitment order, with their local names.
    pub fn columns(&self) -> Vec<(RequantColumn, &[F])> {
        let mut cols = vec![
            (RequantColumn::Q, self.q.as_slice()),
            (RequantColumn::Out, &self.out),
        ];
        for (i, l) in self.limbs.iter().enumerate() {
            cols.push((RequantColumn::Limb(i), l));
        }
        cols.push((RequantColumn::ClampMultiplicities, &self.clamp_mult));
        for (i, m) in self.limb_mults.iter().enumerate() {
            cols.push((RequantColumn::LimbMultiplicities(i), m));
        }
        cols
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
    let limb_bits = spec.limb_bits();
    let (off, s) = (spec.offset(), spec.shift);
    let mut q = Vec::with_capacity(x.len());
    let mut out_int = Vec::with_capacity(x.len());
    let mut limbs: Vec<Vec<F>> = limb_bits
        .iter()
        .map(|_| Vec::with_capacity(x.len()))
        .collect();
    for &v in x {
        let t = v as i128 * spec.multiplier as i128 + off as i128;
        let qi = (t >> s) as i64;
        let mut rem = (t - ((qi as i128) << s)) as i64;
        q.push(signed(qi));
        out_int.push(qi.clamp(spec.min, spec.max));
        for (col, &b) in limbs.iter_mut().zip(&limb_bits) {
            col.push(signed(rem & ((1i64 << b) - 1)));
            rem >>= b;
        }
    }
    let out: Vec<F> = out_int.iter().map(|&v| signed(v)).collect();
    let instances = spec.instances()?;
    let mut tables = instances.iter().map(|i| &i.table);
    let clamp_table = tables
        .next()
        .ok_or(LayerError::NoClaims { layer: "requant" })?;
    let clamp_mult = multiplicities(clamp_table, &Lookups::Pairs(&q, &out).columns())?;
    let limb_mults = tables
        .zip(&limbs)
        .map(|(t, l)| multiplicities(t, &[l.as_slice()]))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RequantWitness {
        q,
        out,
        limbs,
        clamp_mult,
        limb_mults,
        out_int,
    })
}
