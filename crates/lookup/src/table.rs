//! Public, structured lookup tables and the honest prover's multiplicities.
//!
//! Tables are public: the verifier evaluates their multilinear extension itself (Haböck 2022,
//! section 3: the table side of LogUp needs no commitment when the table is known to both sides).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use std::collections::HashMap;

use p3_field::{ExtensionField, Field, PrimeField64};

use crate::LookupError;
use crate::mle::evaluate_mle;

/// Largest table, in variables, this crate builds or evaluates (tables are held in memory, and the
/// verifier evaluates a function table's MLE in `O(2^bits)`).
pub const MAX_TABLE_BITS: usize = 24;

/// A public lookup table of power-of-two size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Table<F> {
    /// The range `[0, 2^bits)`: entry `i` is `i`. Single-column lookups (range checks).
    Range {
        /// log2 of the table size.
        bits: usize,
    },
    /// A two-column table of `(input, output)` rows. Pair lookups.
    Function(FunctionTable<F>),
}

/// A table of `(input, output)` rows, e.g. an activation function over a quantized domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionTable<F> {
    name: String,
    inputs: Vec<F>,
    outputs: Vec<F>,
}

impl<F: Field> FunctionTable<F> {
    /// Builds the table whose row `i` is `f(i)`, for `i` in `[0, 2^bits)`.
    ///
    /// `name` separates tables in the transcript; it must identify the function uniquely within
    /// the statement (e.g. "gelu/i8/scale=..."), because the table itself is not absorbed.
    pub fn from_fn(
        name: &str,
        bits: usize,
        f: impl Fn(usize) -> (F, F),
    ) -> Result<Self, LookupError> {
        if bits > MAX_TABLE_BITS {
            return Err(LookupError::TooLarge {
                what: "table",
                bits,
                max: MAX_TABLE_BITS,
            });
        }
        let (inputs, outputs) = (0..1usize << bits).map(f).unzip();
        Ok(Self {
            name: name.to_owned(),
            inputs,
            outputs,
        })
    }

    /// The table's name (absorbed into the transcript).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The input column.
    pub fn inputs(&self) -> &[F] {
        &self.inputs
    }

    /// The output column.
    pub fn outputs(&self) -> &[F] {
        &self.outputs
    }
}

impl<F: Field> Table<F> {
    /// log2 of the number of rows.
    pub fn bits(&self) -> usize {
        match self {
            Table::Range { bits } => *bits,
            Table::Function(t) => t.inputs.len().trailing_zeros() as usize,
        }
    }

    /// Number of columns a lookup into this table has (1 for a range, 2 for a function).
    pub fn width(&self) -> usize {
        match self {
            Table::Range { .. } => 1,
            Table::Function(_) => 2,
        }
    }

    /// The table's columns, materialised (the range table is built on the fly).
    pub fn columns(&self) -> Vec<Vec<F>> {
        match self {
            Table::Range { bits } => {
                vec![(0..1u64 << bits).map(F::from_u64).collect()]
            }
            Table::Function(t) => vec![t.inputs.clone(), t.outputs.clone()],
        }
    }

    /// The MLE of every table column at `point` (MSB-first), as the verifier computes it.
    ///
    /// The range table's MLE is `Σ_b 2^{bits-1-b} x_b` (coordinate 0 is the most significant bit),
    /// so it costs `O(bits)`; a function table costs `O(2^bits)`.
    pub fn evaluate<EF: ExtensionField<F>>(&self, point: &[EF]) -> Result<Vec<EF>, LookupError> {
        if point.len() != self.bits() {
            return Err(LookupError::Shape("table point has the wrong length"));
        }
        Ok(match self {
            Table::Range { .. } => {
                vec![point.iter().fold(EF::ZERO, |acc, &x| acc.double() + x)]
            }
            Table::Function(t) => {
                vec![
                    evaluate_mle(&t.inputs, point)?,
                    evaluate_mle(&t.outputs, point)?,
                ]
            }
        })
    }
}

/// The honest prover's multiplicities: `m[j]` = how many lookups equal row `j` (the first
/// matching row, when rows repeat). A lookup outside the table is an error naming its index.
pub fn multiplicities<F: PrimeField64>(
    table: &Table<F>,
    columns: &[&[F]],
) -> Result<Vec<F>, LookupError> {
    if columns.len() != table.width() {
        return Err(LookupError::Shape("lookup has the wrong number of columns"));
    }
    let n = columns.first().map_or(0, |c| c.len());
    if columns.iter().any(|c| c.len() != n) {
        return Err(LookupError::Shape("lookup columns differ in length"));
    }
    let mut counts = vec![0u64; 1usize << table.bits()];
    match (table, columns) {
        (Table::Range { bits }, [values]) => {
            for (i, v) in values.iter().enumerate() {
                let v = v.as_canonical_u64();
                match counts.get_mut(v as usize) {
                    Some(c) if v < (1u64 << bits) => *c += 1,
                    _ => return Err(LookupError::NotInTable { index: i }),
                }
            }
        }
        (Table::Function(t), [inputs, outputs]) => {
            let mut rows = HashMap::with_capacity(t.inputs.len());
            for (j, row) in t.inputs.iter().zip(&t.outputs).enumerate().rev() {
                rows.insert(row, j);
            }
            for (i, row) in inputs.iter().zip(outputs.iter()).enumerate() {
                let j = *rows.get(&row).ok_or(LookupError::NotInTable { index: i })?;
                if let Some(c) = counts.get_mut(j) {
                    *c += 1;
                }
            }
        }
        _ => return Err(LookupError::Shape("lookup has the wrong number of columns")),
    }
    Ok(counts.into_iter().map(F::from_u64).collect())
}
