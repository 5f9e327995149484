//! The shared description of a sumcheck instance.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::{Deserialize, Serialize};
use zkinfer_field::Field;

use crate::SumcheckError;

/// `sum_{x in {0,1}^num_vars} sum_j c_j prod_{i in S_j} f_i(x)`: the terms are `(c_j, S_j)`, with
/// `S_j` a list of indices into the prover's polynomials (an index may repeat, for squares).
///
/// `degree` is the degree of every round polynomial, so it must be at least the longest `S_j`;
/// it may be larger (the prover then sends more evaluations than needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSum<EF> {
    /// Number of variables `n`: the sumcheck has `n` rounds.
    pub num_vars: usize,
    /// Degree of each round polynomial; each round message has `degree + 1` values.
    pub degree: usize,
    /// The terms `(c_j, S_j)`.
    pub terms: Vec<(EF, Vec<usize>)>,
}

impl<EF: Field> ProductSum<EF> {
    /// An instance with the given terms, of the least degree that fits them (at least 1).
    pub fn new(num_vars: usize, terms: Vec<(EF, Vec<usize>)>) -> Self {
        let degree = terms.iter().map(|(_, s)| s.len()).max().unwrap_or(0).max(1);
        Self {
            num_vars,
            degree,
            terms,
        }
    }

    /// The single product `f_0 * f_1 * ... * f_{k-1}`, of degree `k`.
    pub fn product(num_vars: usize, num_factors: usize) -> Self {
        Self::new(num_vars, vec![(EF::ONE, (0..num_factors).collect())])
    }

    /// The number of polynomials the terms refer to: one more than the largest index.
    pub fn num_polys(&self) -> usize {
        self.terms
            .iter()
            .flat_map(|(_, s)| s.iter().map(|&i| i + 1))
            .max()
            .unwrap_or(0)
    }

    /// Checks that the instance is well formed: at least one term, degree at least 1 and at least
    /// the number of factors of every term.
    pub fn validate(&self) -> Result<(), SumcheckError> {
        if self.terms.is_empty() {
            return Err(SumcheckError::NoTerms);
        }
        if self.degree == 0 {
            return Err(SumcheckError::ZeroDegree);
        }
        for (term, (_, factors)) in self.terms.iter().enumerate() {
            if factors.len() > self.degree {
                return Err(SumcheckError::TermDegreeTooHigh {
                    term,
                    factors: factors.len(),
                    degree: self.degree,
                });
            }
        }
        Ok(())
    }

    /// `sum_j c_j prod_{i in S_j} v_i` for values `v` of the polynomials at one point.
    pub fn combine(&self, values: &[EF]) -> Result<EF, SumcheckError> {
        let expected = self.num_polys();
        if values.len() != expected {
            return Err(SumcheckError::WrongFinalEvalCount {
                expected,
                got: values.len(),
            });
        }
        let mut sum = EF::ZERO;
        for (c, factors) in &self.terms {
            let mut prod = *c;
            for &i in factors {
                let v = values.get(i).ok_or(SumcheckError::WrongFinalEvalCount {
                    expected,
                    got: values.len(),
                })?;
                prod *= *v;
            }
            sum += prod;
        }
        Ok(sum)
    }
}
