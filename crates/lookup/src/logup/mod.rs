//! LogUp over a public table: instance, proof and claim types (prove.rs, verify.rs).
//!
//! Two fractional-sum trees are proven together (crate::gkr): the lookup tree with leaves
//! `-1 / (α - a_i)` over `2^num_vars` lookups, and the table tree with leaves `m_j / (α - t_j)`
//! over the `2^bits` table rows; their roots must cancel. With `(input, output)` tables,
//! `a_i = in_i + β·out_i` and `t_j = tin_j + β·tout_j`.

mod prove;
mod verify;

#[cfg(test)]
mod tests;

pub use prove::prove_lookup;
pub use verify::verify_lookup;

use p3_field::{ExtensionField, Field};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkinfer_transcript::FiatShamir;

use crate::Table;
use crate::gkr::{FractionSumProof, GkrError};

/// Largest number of lookups, in variables. LogUp needs the field characteristic to exceed the
/// number of lookups (Haböck 2022, Lemma 5: a multiplicity counted mod p must not wrap to zero);
/// 2^30 < p for KoalaBear and BabyBear.
pub const MAX_LOOKUP_VARS: usize = 30;

/// Transcript labels of the LogUp layer.
pub(crate) mod labels {
    pub const INSTANCE: &str = "logup.instance";
    pub const BETA: &str = "logup.beta";
    pub const ALPHA: &str = "logup.alpha";
    pub const LOOKUP_EVALS: &str = "logup.lookup_evals";
}

/// What both sides know before the proof: the number of lookups and the public table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupInstance<F> {
    /// log2 of the number of lookups (the caller pads to a power of two, see docs/lookup.md).
    pub num_vars: usize,
    /// The public table.
    pub table: Table<F>,
}

/// The looked-up columns: one for a range table, `(inputs, outputs)` for a function table.
#[derive(Clone, Copy, Debug)]
pub enum Lookups<'a, F> {
    /// Single values (range checks).
    Values(&'a [F]),
    /// `(input, output)` pairs.
    Pairs(&'a [F], &'a [F]),
}

impl<'a, F> Lookups<'a, F> {
    /// The columns, in the order of [`LookupClaims::eval_lookups`].
    pub fn columns(&self) -> Vec<&'a [F]> {
        match *self {
            Lookups::Values(v) => vec![v],
            Lookups::Pairs(i, o) => vec![i, o],
        }
    }
}

/// A LogUp proof. Its size is `O((num_vars + bits)^2)` field elements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "EF: Serialize + serde::de::DeserializeOwned")]
pub struct LookupProof<EF> {
    /// The fractional-sum GKR over the lookup tree and the table tree.
    pub gkr: FractionSumProof<EF>,
    /// The MLE of each lookup column at [`LookupClaims::point_lookups`].
    pub lookup_evals: Vec<EF>,
}

/// The claims a LogUp proof reduces to. The caller MUST check each against the commitment of the
/// corresponding column (PCS opening); the lookup proof alone does not bind the columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupClaims<EF> {
    /// Point (MSB-first, `num_vars` coordinates) at which the lookup columns are claimed.
    pub point_lookups: Vec<EF>,
    /// Claimed MLE value of each lookup column at `point_lookups` (`[values]` or
    /// `[inputs, outputs]`).
    pub eval_lookups: Vec<EF>,
    /// Point (MSB-first, `bits` coordinates) at which the multiplicities are claimed.
    pub point_table: Vec<EF>,
    /// Claimed MLE value of the multiplicities at `point_table`.
    pub eval_multiplicities: EF,
}

/// Why a lookup could not be proven, or why a proof was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LookupError {
    /// Sizes or lengths that do not fit the instance.
    #[error("shape: {0}")]
    Shape(&'static str),
    /// A size beyond what the argument is sound or practical for.
    #[error("{what} of 2^{bits} is too large (at most 2^{max})")]
    TooLarge {
        what: &'static str,
        bits: usize,
        max: usize,
    },
    /// The honest prover found a lookup that is not a table row.
    #[error("lookup {index} is not in the table")]
    NotInTable { index: usize },
    /// The prover's witness does not balance: some lookup is not in the table with these
    /// multiplicities.
    #[error("the lookups and multiplicities do not balance")]
    Unbalanced,
    /// The fractional-sum GKR was rejected.
    #[error("fractional-sum GKR: {0}")]
    Gkr(#[from] GkrError),
    /// The lookup tree's leaf numerator is not the constant -1.
    #[error("lookup leaf numerator claim is not -1")]
    LookupNumerator,
    /// The lookup tree's leaf denominator does not match the claimed column evaluations.
    #[error("lookup leaf denominator does not match the claimed lookup evaluations")]
    LookupDenominator,
    /// The table tree's leaf denominator does not match the public table.
    #[error("table leaf denominator does not match the public table")]
    TableDenominator,
}

impl<F: Field> LookupInstance<F> {
    /// Checks the sizes both sides rely on.
    pub(crate) fn check(&self) -> Result<(), LookupError> {
        if self.num_vars > MAX_LOOKUP_VARS {
            return Err(LookupError::TooLarge {
                what: "lookup count",
                bits: self.num_vars,
                max: MAX_LOOKUP_VARS,
            });
        }
        let bits = self.table.bits();
        if bits > crate::MAX_TABLE_BITS {
            return Err(LookupError::TooLarge {
                what: "table",
                bits,
                max: crate::MAX_TABLE_BITS,
            });
        }
        if let Table::Function(t) = &self.table
            && (!t.inputs().len().is_power_of_two() || t.inputs().len() != t.outputs().len())
        {
            return Err(LookupError::Shape(
                "function table size is not a power of two",
            ));
        }
        Ok(())
    }

    /// Absorbs the instance, then draws `(α, [1, β])` (β only for two-column tables). Shared by
    /// prover and verifier so that the schedule cannot drift apart.
    pub(crate) fn draw_challenges<EF, T>(&self, transcript: &mut T) -> (EF, Vec<EF>)
    where
        EF: ExtensionField<F>,
        T: FiatShamir<EF>,
    {
        let (kind, name): (u64, &str) = match &self.table {
            Table::Range { .. } => (0, ""),
            Table::Function(t) => (1, t.name()),
        };
        let encoded: Vec<EF> = [self.num_vars as u64, kind, self.table.bits() as u64]
            .into_iter()
            .chain(core::iter::once(name.len() as u64))
            .chain(name.bytes().map(u64::from))
            .map(|v| EF::from(F::from_u64(v)))
            .collect();
        transcript.observe(labels::INSTANCE, &encoded);
        let mut gammas = vec![EF::ONE];
        if self.table.width() == 2 {
            gammas.push(transcript.challenge(labels::BETA));
        }
        let alpha = transcript.challenge(labels::ALPHA);
        (alpha, gammas)
    }
}
