//! The masking polynomial `g(x) = a_0 + g_1(x_1) + ... + g_n(x_n)` (Libra, Sec. 4.1).
//!
//! Each `g_i` is a univariate of degree `d` without constant term, so `g` has `1 + n*d`
//! coefficients, all in the challenge field `EF` (see the module docs for why `EF` and not `F`).
//! They are stored and committed as `EXT_DEGREE * (1 + n*d)` base-field elements: the coefficient
//! list `[a_0, g_1[1..=d], ..., g_n[1..=d]]`, each coefficient written as its `EF`-over-`F` basis
//! coordinates.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use std::marker::PhantomData;

use rand::distr::{Distribution, StandardUniform};
use rand::{CryptoRng, RngExt};
use zkinfer_field::{ExtensionField, Field};

/// A random masking polynomial for one zero-knowledge sumcheck on `num_vars` variables with round
/// polynomials of degree `degree`.
///
/// Not `Clone`: a mask hides the round messages of exactly one sumcheck ([`super::prove`] takes it
/// by value). Reusing one for a second sumcheck would give the verifier two sets of equations in
/// the same unknowns.
pub struct MaskPoly<F, EF> {
    num_vars: usize,
    degree: usize,
    /// `[a_0, g_1[1], ..., g_1[d], g_2[1], ...]`: `g_i[j]` is the coefficient of `x_i^j`.
    coeffs: Vec<EF>,
    _base: PhantomData<F>,
}

impl<F, EF> std::fmt::Debug for MaskPoly<F, EF> {
    /// Shows the shape only: the coefficients are secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskPoly")
            .field("num_vars", &self.num_vars)
            .field("degree", &self.degree)
            .finish_non_exhaustive()
    }
}

impl<F: Field, EF: ExtensionField<F>> MaskPoly<F, EF> {
    /// Number of base-field coefficients of a mask of this shape: `EXT_DEGREE * (1 + n*d)`.
    pub fn num_coeffs(num_vars: usize, degree: usize) -> usize {
        EF::DIMENSION * (1 + num_vars * degree)
    }

    /// A uniformly random mask. The randomness must be secret and unpredictable (a CSPRNG seeded
    /// from the operating system), or the mask hides nothing.
    pub fn random<R: CryptoRng + ?Sized>(num_vars: usize, degree: usize, rng: &mut R) -> Self
    where
        StandardUniform: Distribution<F>,
    {
        let coeffs = (0..1 + num_vars * degree)
            .map(|_| EF::from_basis_coefficients_fn(|_| rng.random::<F>()))
            .collect();
        Self {
            num_vars,
            degree,
            coeffs,
            _base: PhantomData,
        }
    }

    /// The zero mask: the masked sumcheck then sends exactly the unmasked round messages. For
    /// tests that show the masks are in effect; never hides anything.
    pub fn zero(num_vars: usize, degree: usize) -> Self {
        Self {
            num_vars,
            degree,
            coeffs: vec![EF::ZERO; 1 + num_vars * degree],
            _base: PhantomData,
        }
    }

    /// Number of variables `n`.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// Degree `d` of each `g_i`.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The coefficient vector the caller commits, [`Self::num_coeffs`] base-field elements.
    pub fn coeffs(&self) -> Vec<F> {
        self.coeffs
            .iter()
            .flat_map(|c| c.as_basis_coefficients_slice().iter().copied())
            .collect()
    }

    /// `a_0`.
    pub(crate) fn constant(&self) -> EF {
        self.coeffs.first().copied().unwrap_or(EF::ZERO)
    }

    /// The univariates `g_1, ..., g_n`, each as its coefficients of `x^1..=x^d`.
    pub(crate) fn univariates(&self) -> impl Iterator<Item = &[EF]> {
        self.coeffs
            .get(1..)
            .unwrap_or(&[])
            .chunks_exact(self.degree.max(1))
    }

    /// `G = sum_{x in {0,1}^n} g(x) = 2^n a_0 + 2^(n-1) sum_i g_i(1)`, since `g_i(0) = 0`.
    pub fn sum_over_cube(&self) -> EF {
        let ones: EF = self.univariates().map(|c| c.iter().copied().sum()).sum();
        let n = self.num_vars as u64;
        match n.checked_sub(1) {
            None => self.constant(),
            Some(m) => EF::TWO.exp_u64(n) * self.constant() + EF::TWO.exp_u64(m) * ones,
        }
    }

    /// `g(point)`.
    ///
    /// # Panics
    ///
    /// If `point.len() != num_vars` (the prover calls it on its own point).
    pub fn eval(&self, point: &[EF]) -> EF {
        assert_eq!(point.len(), self.num_vars, "mask evaluated off its domain");
        self.constant()
            + self
                .univariates()
                .zip(point)
                .map(|(c, &r)| eval_no_constant(c, r))
                .sum::<EF>()
    }

    /// The coefficients of `g(point)` as a linear form in [`Self::coeffs`]:
    /// `g(point) = sum_k form[k] * coeffs()[k]`.
    pub fn eval_as_linear_form(&self, point: &[EF]) -> Vec<EF> {
        Self::linear_form(self.degree, point)
    }

    /// [`Self::eval_as_linear_form`] for any mask of degree `degree` on `point.len()` variables,
    /// without the mask: what the verifier uses to check the opening of a [`super::MaskClaim`].
    ///
    /// Entry `DIMENSION * m + b` is `mono_m(point) * e_b`, where `mono_0 = 1`,
    /// `mono_{1 + i*d + j - 1} = point_i^j` and `e_b` is the `b`-th basis element of `EF` over `F`.
    pub fn linear_form(degree: usize, point: &[EF]) -> Vec<EF> {
        let basis: Vec<EF> = (0..EF::DIMENSION)
            .map(|b| EF::from_basis_coefficients_fn(|k| if k == b { F::ONE } else { F::ZERO }))
            .collect();
        let mut monomials = Vec::with_capacity(1 + point.len() * degree);
        monomials.push(EF::ONE);
        for &r in point {
            let mut power = EF::ONE;
            for _ in 0..degree {
                power *= r;
                monomials.push(power);
            }
        }
        monomials
            .iter()
            .flat_map(|&m| basis.iter().map(move |&e| m * e))
            .collect()
    }
}

/// `sum_j c[j-1] r^j` for `c` the coefficients of `x^1..=x^d`.
pub(crate) fn eval_no_constant<EF: Field>(c: &[EF], r: EF) -> EF {
    c.iter().rev().fold(EF::ZERO, |acc, &cj| (acc + cj) * r)
}
