//! Dense multilinear polynomials over a field, as evaluation tables on the Boolean hypercube.
//!
//! # Variable order (MSB-first)
//!
//! A polynomial on `n` variables is its table of `2^n` evaluations, and coordinate 0 of a point is
//! the **most significant** bit of the table index: for `f = [f0, f1, f2, f3]`, `f(1, 0) = f2`.
//! This matches p3-whir's `Poly`, so a point produced by a sumcheck (which binds `point[0]` first)
//! can be handed to the PCS unchanged. Fixing the first variable to `r` maps a table `t` of length
//! `2^n` to `(1 - r) * t[..half] + r * t[half..]`.
//!
//! # Parallelism
//!
//! With the default `parallel` feature, tables of at least `2^PAR_MIN_LOG` entries are processed
//! with rayon; smaller tables stay sequential because the fork/join overhead dominates there.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod eq;
mod fold;
mod mle;

pub use eq::{eq_eval, eq_table, eq_table_scaled};
pub use fold::{fold_first, fold_first_in_place};
pub use mle::{MultilinearPoly, evaluate_padded, evaluate_table};

use thiserror::Error;

/// log2 of the smallest table that is processed in parallel.
pub const PAR_MIN_LOG: usize = 14;

/// Misuse of a polynomial API: sizes that do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolyError {
    /// An evaluation table whose length is not a power of two (or is zero).
    #[error("evaluation table has length {len}, which is not a power of two")]
    NotPowerOfTwo {
        /// The table's length.
        len: usize,
    },
    /// A point whose number of coordinates differs from the polynomial's number of variables.
    #[error("point has {got} coordinates, polynomial has {expected} variables")]
    PointLength {
        /// The number of variables.
        expected: usize,
        /// The number of coordinates given.
        got: usize,
    },
    /// Fixing a variable of a polynomial that has none left.
    #[error("polynomial has no variable left to fix")]
    NoVariables,
}

#[cfg(test)]
mod tests;
