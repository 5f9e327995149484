//! [`MultilinearPoly`]: a validated evaluation table.

use zkinfer_field::{ExtensionField, Field};

use crate::{PolyError, fold_first, fold_first_in_place};

/// Evaluates the multilinear extension of `values` (exactly `2^point.len()` entries) at `point`,
/// binding `point[0]` to the most significant index bit: the one evaluator every crate uses.
/// Costs `2^n` multiplications, the first fold in the base field.
pub fn evaluate_table<F: Field, EF: ExtensionField<F>>(
    values: &[F],
    point: &[EF],
) -> Result<EF, PolyError> {
    let expected = 1usize.checked_shl(point.len() as u32).unwrap_or(0);
    if values.len() != expected {
        return Err(PolyError::PointLength {
            expected: values.len().trailing_zeros() as usize,
            got: point.len(),
        });
    }
    let Some((&r0, rest)) = point.split_first() else {
        return values
            .first()
            .map(|&v| EF::from(v))
            .ok_or(PolyError::NoVariables);
    };
    let mut table = fold_first(values, r0)?;
    for &r in rest {
        fold_first_in_place(&mut table, r)?;
    }
    table.first().copied().ok_or(PolyError::NoVariables)
}

/// [`evaluate_table`] of `values` zero-padded to `2^point.len()` entries (a column shorter than
/// its padded size); `None` if `values` is longer.
pub fn evaluate_padded<F: Field, EF: ExtensionField<F>>(values: &[F], point: &[EF]) -> Option<EF> {
    let len = 1usize.checked_shl(point.len() as u32)?;
    if values.len() == len {
        return evaluate_table(values, point).ok();
    }
    if values.len() > len {
        return None;
    }
    let mut padded = values.to_vec();
    padded.resize(len, F::ZERO);
    evaluate_table(&padded, point).ok()
}

/// A multilinear polynomial on `num_vars` variables, stored as its `2^num_vars` evaluations on the
/// Boolean hypercube in MSB-first order (see the crate docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultilinearPoly<T> {
    evals: Vec<T>,
}

impl<T: Field> MultilinearPoly<T> {
    /// Wraps an evaluation table; its length must be a power of two (`1` for a constant).
    pub fn new(evals: Vec<T>) -> Result<Self, PolyError> {
        if !evals.len().is_power_of_two() {
            return Err(PolyError::NotPowerOfTwo { len: evals.len() });
        }
        Ok(Self { evals })
    }

    /// The number of variables `n` (the table has `2^n` entries).
    pub fn num_vars(&self) -> usize {
        self.evals.len().trailing_zeros() as usize
    }

    /// The evaluation table.
    pub fn evals(&self) -> &[T] {
        &self.evals
    }

    /// Consumes the polynomial, returning its evaluation table.
    pub fn into_evals(self) -> Vec<T> {
        self.evals
    }

    /// Evaluates the multilinear extension at `point` (in `T` or any extension of it), binding
    /// `point[0]` to the most significant index bit. Costs `2^n` multiplications.
    pub fn evaluate<EF: ExtensionField<T>>(&self, point: &[EF]) -> Result<EF, PolyError> {
        evaluate_table(&self.evals, point)
    }

    /// Fixes the first variable to `r` in place.
    pub fn fix_first_variable_in_place(&mut self, r: T) -> Result<(), PolyError> {
        fold_first_in_place(&mut self.evals, r)
    }

    /// Fixes the first variable to `r` (in `T` or an extension), returning a new polynomial on one
    /// variable fewer.
    pub fn fix_first_variable<EF: ExtensionField<T>>(
        &self,
        r: EF,
    ) -> Result<MultilinearPoly<EF>, PolyError> {
        Ok(MultilinearPoly {
            evals: fold_first(&self.evals, r)?,
        })
    }
}
