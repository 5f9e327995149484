//! Linear forms over the prover's hidden committed data, for zero-knowledge protocols whose claims
//! have a public part and a hidden part.
//!
//! A zero-knowledge layer proof reveals no evaluation of a hidden table in the clear. What the
//! verifier learns instead is a *symbolic* value: a public number plus a linear form in hidden
//! committed vectors (witness columns, randomizers of masked factors, Libra mask coefficients),
//! e.g. `T~(r) = v - <(r_k (1 - r_k))_k, c_T>` for a masked table, or `p~(s) = e / m(s) - ...`
//! from a sumcheck whose last check is linear in `p`. Such values flow from layer to layer and end
//! as linear claims that the zk back end (crates/settle) proves with one hiding opening.
//!
//! Hidden vectors are named by caller-chosen ids; the caller maps each id to its place in the
//! committed vector. Every vector holds base-field entries; an `EF` coefficient vector (a mask, a
//! randomizer) is stored as its basis coordinates, `EXT_DEGREE` entries per coefficient
//! ([`ext_weights`] turns `EF` weights on coefficients into weights on coordinates).

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
use zkinfer_field::{ExtensionField, Field};

/// One linear functional of one hidden vector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Atom<EF> {
    /// The multilinear extension of vector `id` at `point` (as many coordinates as the vector has
    /// variables; a shorter vector is zero-padded to a power of two).
    Eval {
        /// The hidden vector.
        id: usize,
        /// The point.
        point: Vec<EF>,
    },
    /// `sum_y weights[y] * v_id[y]` over the vector's first `weights.len()` entries.
    Dense {
        /// The hidden vector.
        id: usize,
        /// One weight per entry.
        weights: Vec<EF>,
    },
}

/// `sum_i coeff_i * atom_i`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form<EF> {
    /// The terms `(coeff, atom)`.
    pub terms: Vec<(EF, Atom<EF>)>,
}

impl<EF> Default for Form<EF> {
    fn default() -> Self {
        Self { terms: vec![] }
    }
}

impl<EF: Field> Form<EF> {
    /// The zero form.
    pub fn zero() -> Self {
        Self::default()
    }

    /// `coeff * atom`.
    pub fn atom(coeff: EF, atom: Atom<EF>) -> Self {
        Self {
            terms: vec![(coeff, atom)],
        }
    }

    /// `coeff * v_id~(point)`.
    pub fn eval(coeff: EF, id: usize, point: Vec<EF>) -> Self {
        Self::atom(coeff, Atom::Eval { id, point })
    }

    /// `<weights, v_id>`.
    pub fn dense(id: usize, weights: Vec<EF>) -> Self {
        Self::atom(EF::ONE, Atom::Dense { id, weights })
    }

    /// `self + other`.
    pub fn plus(mut self, other: Self) -> Self {
        self.terms.extend(other.terms);
        self
    }

    /// `s * self`.
    pub fn scaled(mut self, s: EF) -> Self {
        for (c, _) in &mut self.terms {
            *c *= s;
        }
        self
    }

    /// No terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

impl<EF: Field> Form<EF> {
    /// The form's value on the prover's hidden vectors (`get(id)` returns vector `id`; a vector
    /// shorter than `2^point.len()` is zero-padded). Fails with the first id that `get` does not
    /// know or that is longer than its atom allows. `O(total size)`: for provers and tests.
    pub fn evaluate<'a, F: Field>(
        &self,
        get: impl Fn(usize) -> Option<&'a [F]>,
    ) -> Result<EF, usize>
    where
        EF: ExtensionField<F>,
    {
        let mut acc = EF::ZERO;
        for (c, atom) in &self.terms {
            let v = match atom {
                Atom::Eval { id, point } => {
                    let vec = get(*id).ok_or(*id)?;
                    if vec.len() > 1 << point.len() {
                        return Err(*id);
                    }
                    let eq = zkinfer_poly::eq_table(point);
                    eq.iter().zip(vec).map(|(&e, &x)| e * x).sum::<EF>()
                }
                Atom::Dense { id, weights } => {
                    let vec = get(*id).ok_or(*id)?;
                    if weights.len() > vec.len() {
                        return Err(*id);
                    }
                    weights.iter().zip(vec).map(|(&w, &x)| w * x).sum::<EF>()
                }
            };
            acc += *c * v;
        }
        Ok(acc)
    }
}

/// A value known to the verifier only as `public + hidden`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbolic<EF> {
    /// The part the verifier knows.
    pub public: EF,
    /// The part that is a linear form in hidden data.
    pub hidden: Form<EF>,
}

impl<EF: Field> Symbolic<EF> {
    /// A value with no hidden part.
    pub fn public(v: EF) -> Self {
        Self {
            public: v,
            hidden: Form::zero(),
        }
    }

    /// `self + other`.
    pub fn plus(self, other: Self) -> Self {
        Self {
            public: self.public + other.public,
            hidden: self.hidden.plus(other.hidden),
        }
    }

    /// `s * self`.
    pub fn scaled(self, s: EF) -> Self {
        Self {
            public: self.public * s,
            hidden: self.hidden.scaled(s),
        }
    }

    /// `self - other`.
    pub fn minus(self, other: Self) -> Self {
        self.plus(other.scaled(-EF::ONE))
    }
}

/// The claim `hidden form = value`: what a zero-knowledge layer proof leaves for the back end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormClaim<EF> {
    /// The linear form in hidden data.
    pub form: Form<EF>,
    /// Its claimed value.
    pub value: EF,
}

impl<EF: Field> FormClaim<EF> {
    /// The claim that `symbolic` equals `value`: `symbolic.hidden = value - symbolic.public`.
    pub fn equal(symbolic: Symbolic<EF>, value: EF) -> Self {
        Self {
            value: value - symbolic.public,
            form: symbolic.hidden,
        }
    }
}

/// Weights on the basis coordinates of `EF` coefficients stored as a base-field vector: coefficient
/// `k` (an `EF` value `sum_b x_{k,b} e_b`) sits at entries `EXT_DEGREE * k + b`, so
/// `sum_k w_k c_k = sum_{k,b} (w_k e_b) x_{k,b}`.
pub fn ext_weights<F: Field, EF: ExtensionField<F>>(weights: &[EF]) -> Vec<EF> {
    let basis: Vec<EF> = (0..EF::DIMENSION)
        .map(|b| EF::from_basis_coefficients_fn(|k| if k == b { F::ONE } else { F::ZERO }))
        .collect();
    weights
        .iter()
        .flat_map(|&w| basis.iter().map(move |&e| w * e))
        .collect()
}

/// The form `<(r_k (1 - r_k))_k, c>` of a masked factor's randomizer `c` (vector `id`, stored as
/// `EF` coordinates) at `point`: what separates `T^(r)` from `T~(r) + offset`.
pub fn randomizer_form<F: Field, EF: ExtensionField<F>>(id: usize, point: &[EF]) -> Form<EF> {
    let phi: Vec<EF> = point.iter().map(|&r| r * (EF::ONE - r)).collect();
    Form::dense(id, ext_weights::<F, EF>(&phi))
}

#[cfg(test)]
mod tests {
    use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};

    use super::*;

    #[test]
    fn ext_weights_act_on_coordinates_as_the_weights_on_coefficients() {
        let c: Vec<EF> = (0..3u64)
            .map(|i| EF::from_basis_coefficients_fn(|b| F::from_u64(7 * i + b as u64 + 1)))
            .collect();
        let w: Vec<EF> = (0..3u64)
            .map(|i| EF::from_basis_coefficients_fn(|b| F::from_u64(100 + 3 * i + b as u64)))
            .collect();
        let coords: Vec<F> = c
            .iter()
            .flat_map(|x| x.as_basis_coefficients_slice().to_vec())
            .collect();
        let direct: EF = w.iter().zip(&c).map(|(&a, &b)| a * b).sum();
        let via: EF = ext_weights::<F, EF>(&w)
            .iter()
            .zip(&coords)
            .map(|(&a, &b)| a * b)
            .sum();
        assert_eq!(direct, via);
    }

    #[test]
    fn symbolic_arithmetic_keeps_both_parts() {
        let a = Symbolic {
            public: EF::from_u64(5),
            hidden: Form::eval(EF::ONE, 0, vec![EF::ZERO]),
        };
        let b = Symbolic::public(EF::from_u64(2));
        let d = a.clone().minus(b).scaled(EF::from_u64(3));
        assert_eq!(d.public, EF::from_u64(9));
        assert_eq!(d.hidden.terms.len(), 1);
        assert_eq!(d.hidden.terms[0].0, EF::from_u64(3));
        assert!(Symbolic::<EF>::public(EF::ONE).hidden.is_empty());
    }
}
