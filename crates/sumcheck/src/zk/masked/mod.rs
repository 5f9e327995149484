//! Zero-knowledge product sumcheck whose final evaluations are masked too (Libra, Sec. 4.2), with
//! a hidden constant in the claim. See docs/zk-sumcheck.md, "Masked factors and hidden constants".
//!
//! [`super::prove`] hides the round messages but reveals the final evaluations `f_i(r)`, which are
//! functions of the witness. Here a factor is either [`FactorKind::Public`] (a multilinear table the
//! verifier evaluates itself, e.g. eq or a wiring matrix) or [`FactorKind::Masked`]: a table `T`
//! with an `offset` and per-variable coefficients `c` ([`MaskedFactor`]) standing for
//!
//! ```text
//! T^(x) = T~(x) + offset + sum_k c_k x_k (1 - x_k),
//! ```
//!
//! which agrees with `T~ + offset` on the cube, so sums over the cube see only `T` (and the offset),
//! while `T^(r)` at the random point is blinded by `c`. A masked factor has degree 2 in each
//! variable, so a term's round degree is the sum over its factors of 2 (masked) or 1 (public), and
//! the instance's degree ([`MaskedInstance::degree`]) is the largest of these.
//!
//! The claim is `H = sum_x f(x) + K` with a constant `K` only the prover knows: the sumcheck runs on
//! `f + K / 2^n + rho * g` (`g` the Libra mask, of the masked degree) against the public
//! `v + rho * G`. The verifier cannot check the last round itself, since it knows neither `g(r)` nor
//! `K`: it returns the [`DeferredMaskClaim`] `rho * g(r) + K / 2^n = e`, which the caller proves as a
//! linear claim on its committed data (g's coefficients and whatever `K` is made of), together with
//! each revealed `T^_i(r)` as a linear claim on `(T_i, c_i)` ([`MaskedFactor::final_value_form`]).
//!
//! # Transcript schedule
//!
//! After the caller's binding of the statement, `v` and the commitments: observe `G`
//! ([`LABEL_MASK_SUM`]), draw `rho` ([`LABEL_MASK_RHO`]), the rounds exactly as in [`crate::prove`],
//! then the masked factors' final values only, in index order ([`crate::LABEL_FINAL_EVALS`]).
//! Neither `g(r)` nor `K` is sent.

mod proof;
mod prove;
mod round;
mod verify;

pub use proof::{
    ClearProverOutput, ClearSumcheckProof, DeferredMaskClaim, MaskedProverOutput, MaskedSubclaim,
    MaskedSumcheckProof,
};
pub use prove::{prove, prove_clear};
use serde::{Deserialize, Serialize};
pub use verify::{verify, verify_clear, verify_final};
use zkinfer_field::{ExtensionField, Field};

#[cfg(doc)]
use super::MaskPoly;
#[cfg(doc)]
use super::{LABEL_MASK_RHO, LABEL_MASK_SUM};
use crate::{ProductSum, SumcheckError};

/// The role of a factor of a [`MaskedInstance`]: what the proof says about its value at the final
/// point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactorKind {
    /// A multilinear table whose value at the final point the verifier computes itself (or that
    /// the caller carries symbolically): the proof sends nothing.
    Public,
    /// A table masked as `T^` (module docs), whose blinded final value the proof sends: zero
    /// knowledge only.
    Masked,
    /// A table whose final value the proof sends in the clear: clear (plain) runs only, where a
    /// zero-knowledge run would mask it.
    Revealed,
}

impl FactorKind {
    /// The factor's degree in each variable: 2 for a masked factor, 1 otherwise.
    pub fn degree(self) -> usize {
        match self {
            Self::Public | Self::Revealed => 1,
            Self::Masked => 2,
        }
    }

    /// Whether the proof sends the factor's final value.
    pub fn is_sent(self) -> bool {
        self != Self::Public
    }
}

/// A product sum whose factors are public or masked. `sum.degree` is the round degree: at least
/// the masked degree of every term ([`Self::term_degree`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedInstance<EF> {
    /// The terms `(c_j, S_j)`, the number of variables and the round degree.
    pub sum: ProductSum<EF>,
    /// `kinds[i]` is the kind of polynomial `i`; one entry per polynomial of `sum`.
    pub kinds: Vec<FactorKind>,
}

// Verifier-side code (the prover lives in prove.rs): no panics on anything a proof carries.
#[cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
impl<EF: Field> MaskedInstance<EF> {
    /// An instance with the given terms and kinds, of the least degree that fits them (at least 1).
    pub fn new(num_vars: usize, terms: Vec<(EF, Vec<usize>)>, kinds: Vec<FactorKind>) -> Self {
        let mut sum = ProductSum::new(num_vars, terms);
        let masked = sum
            .terms
            .iter()
            .map(|(_, s)| Self::degree_of(&kinds, s))
            .max();
        sum.degree = masked.unwrap_or(0).max(1);
        Self { sum, kinds }
    }

    /// Number of variables `n`.
    pub fn num_vars(&self) -> usize {
        self.sum.num_vars
    }

    /// Degree of each round polynomial (and of the Libra mask).
    pub fn degree(&self) -> usize {
        self.sum.degree
    }

    /// `sum_{i in factors} kinds[i].degree()`; a factor without a kind counts as masked.
    pub fn term_degree(&self, factors: &[usize]) -> usize {
        Self::degree_of(&self.kinds, factors)
    }

    /// Number of masked and revealed factors, the number of final values a proof carries.
    pub fn num_sent(&self) -> usize {
        self.kinds.iter().filter(|k| k.is_sent()).count()
    }

    /// Number of public factors, the number of values the caller computes at the final point.
    pub fn num_public(&self) -> usize {
        self.kinds.len() - self.num_sent()
    }

    /// [`Self::validate`], and that the factors suit the run: a masked run (`masked`) reveals no
    /// factor in the clear, a clear run masks none (it has no Libra mask to pair them with).
    pub fn validate_for(&self, masked: bool) -> Result<(), SumcheckError> {
        self.validate()?;
        let wrong = if masked {
            FactorKind::Revealed
        } else {
            FactorKind::Masked
        };
        match self.kinds.iter().position(|&k| k == wrong) {
            Some(factor) => Err(SumcheckError::FactorKindForRun { factor, masked }),
            None => Ok(()),
        }
    }

    /// Checks the terms as [`ProductSum::validate`] does, that every polynomial has a kind, and
    /// that the degree is at least every term's masked degree.
    pub fn validate(&self) -> Result<(), SumcheckError> {
        self.sum.validate()?;
        let expected = self.sum.num_polys();
        if self.kinds.len() != expected {
            return Err(SumcheckError::FactorKindCount {
                expected,
                got: self.kinds.len(),
            });
        }
        for (term, (_, factors)) in self.sum.terms.iter().enumerate() {
            let needed = self.term_degree(factors);
            if needed > self.sum.degree {
                return Err(SumcheckError::MaskedTermDegreeTooHigh {
                    term,
                    needed,
                    degree: self.sum.degree,
                });
            }
        }
        Ok(())
    }

    /// All factors' values in index order, from the sent ones and the public ones (each in
    /// index order).
    pub(crate) fn merge(&self, sent: &[EF], public: &[EF]) -> Result<Vec<EF>, SumcheckError> {
        for (got, expected) in [
            (sent.len(), self.num_sent()),
            (public.len(), self.num_public()),
        ] {
            if got != expected {
                return Err(SumcheckError::WrongFinalEvalCount { expected, got });
            }
        }
        let (mut m, mut p) = (sent.iter(), public.iter());
        self.kinds
            .iter()
            .map(|k| if k.is_sent() { m.next() } else { p.next() })
            .map(|v| {
                v.copied().ok_or(SumcheckError::WrongFinalEvalCount {
                    expected: self.kinds.len(),
                    got: sent.len() + public.len(),
                })
            })
            .collect()
    }

    fn degree_of(kinds: &[FactorKind], factors: &[usize]) -> usize {
        factors
            .iter()
            .map(|&i| kinds.get(i).map_or(2, |k| k.degree()))
            .sum()
    }
}

/// An evaluation table over the base field or the extension (e.g. a witness column, or an eq
/// table). Base-field tables stay in `F` until the first fold.
#[derive(Clone, PartialEq, Eq)]
pub enum Table<F, EF> {
    /// Entries in `F`.
    Base(Vec<F>),
    /// Entries in `EF`.
    Ext(Vec<EF>),
}

impl<F, EF> std::fmt::Debug for Table<F, EF> {
    /// Shows the field and the length only: a table may be a hidden witness column.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Base(t) => write!(f, "Table::Base({} entries)", t.len()),
            Self::Ext(t) => write!(f, "Table::Ext({} entries)", t.len()),
        }
    }
}

impl<F: Field, EF: ExtensionField<F>> Table<F, EF> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        match self {
            Self::Base(t) => t.len(),
            Self::Ext(t) => t.len(),
        }
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A masked factor: the table `T`, the `offset` and the coefficients `c_k` (one per variable) of
/// `T^(x) = T~(x) + offset + sum_k c_k x_k (1 - x_k)`.
///
/// The caller commits `T` and `c` (and proves `offset`, e.g. as the constant that earlier
/// variables' `c`-terms took at an earlier point); `c` must be uniformly random in `EF` and secret
/// for `T^(r)` to hide `T~(r)`.
#[derive(Clone, PartialEq, Eq)]
pub struct MaskedFactor<F, EF> {
    /// The multilinear table `T`.
    pub table: Table<F, EF>,
    /// The constant added to `T~`.
    pub offset: EF,
    /// `c_k` for each variable `k`, MSB-first like the point.
    pub coeffs: Vec<EF>,
}

impl<F, EF> std::fmt::Debug for MaskedFactor<F, EF> {
    /// Shows the shape only: table and randomness are secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskedFactor")
            .field("num_coeffs", &self.coeffs.len())
            .finish_non_exhaustive()
    }
}

impl<F: Field, EF: ExtensionField<F>> MaskedFactor<F, EF> {
    /// The coefficients of `T^(point)` on `c`: `(r_k (1 - r_k))_k`, so that
    /// `T^(r) = T~(r) + offset + sum_k form[k] * c_k`.
    pub fn final_value_form(point: &[EF]) -> Vec<EF> {
        point.iter().map(|&r| r * (EF::ONE - r)).collect()
    }
}

/// A factor handed to [`prove`], in the order of the instance's polynomial indices.
///
/// The prover's time must not depend on hidden data: it skips work on the zeros (and equal
/// halves) of [`Factor::Public`] tables only, e.g. a lane selector's, and treats every entry of a
/// [`Factor::Hidden`] or masked table alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Factor<F, EF> {
    /// A table the verifier can evaluate itself (public data: eq, selectors, wiring matrices).
    Public(Table<F, EF>),
    /// A hidden table the sumcheck does not mask, because its final value is never revealed (the
    /// caller carries it symbolically): a [`FactorKind::Public`] factor whose entries are secret.
    Hidden(Table<F, EF>),
    /// A masked table.
    Masked(MaskedFactor<F, EF>),
    /// A hidden table whose final value a clear run sends as it is (plain proofs).
    Revealed(Table<F, EF>),
}

impl<F, EF> Factor<F, EF> {
    /// The factor's kind ([`Factor::Hidden`] is [`FactorKind::Public`]: unmasked, degree 1).
    pub fn kind(&self) -> FactorKind {
        match self {
            Self::Public(_) | Self::Hidden(_) => FactorKind::Public,
            Self::Masked(_) => FactorKind::Masked,
            Self::Revealed(_) => FactorKind::Revealed,
        }
    }
}

#[cfg(test)]
mod clear_tests;
#[cfg(test)]
mod equivalence_tests;
#[cfg(test)]
mod generic_kernel;
#[cfg(test)]
mod soundness_tests;
#[cfg(test)]
mod tests;
