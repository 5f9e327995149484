//! Claims about multilinear extensions, and their random linear combination.

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_poly::eq_table_scaled;
use zkinfer_sumcheck::zk::form::Symbolic;
use zkinfer_transcript::FiatShamir;

use crate::LayerError;

/// The value of a claim, in either proof mode: a field element the verifier knows (plain proofs,
/// `EF`), or a public part plus a linear form in hidden committed data (zero-knowledge proofs,
/// [`Symbolic`]). Code that combines claims is written once over this trait.
pub trait ClaimValue: Clone + std::fmt::Debug + PartialEq {
    /// A value with no hidden part.
    fn known(v: EF) -> Self;
    /// `self + other`.
    fn plus(self, other: Self) -> Self;
    /// `s * self`.
    fn scaled(self, s: EF) -> Self;
    /// The part the verifier knows (all of it in plain mode).
    fn public_part(&self) -> EF;
    /// `self + v` for a known `v`.
    fn plus_known(self, v: EF) -> Self
    where
        Self: Sized,
    {
        self.plus(Self::known(v))
    }
}

impl ClaimValue for EF {
    fn known(v: EF) -> Self {
        v
    }
    fn plus(self, other: Self) -> Self {
        self + other
    }
    fn scaled(self, s: EF) -> Self {
        self * s
    }
    fn public_part(&self) -> EF {
        *self
    }
}

impl ClaimValue for Symbolic<EF> {
    fn known(v: EF) -> Self {
        Symbolic::public(v)
    }
    fn plus(self, other: Self) -> Self {
        Symbolic::plus(self, other)
    }
    fn scaled(self, s: EF) -> Self {
        Symbolic::scaled(self, s)
    }
    fn public_part(&self) -> EF {
        self.public
    }
}

/// "The multilinear extension of some tensor takes `value` at `point`", with a value of either
/// mode ([`ClaimValue`]); `Claim` alone is the plain claim, [`crate::zk::SymClaim`] the symbolic one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim<V = EF> {
    /// The point, MSB-first.
    pub point: Vec<EF>,
    /// The claimed value.
    pub value: V,
}

impl<V: ClaimValue> Claim<V> {
    /// The claim of a plain one, with no hidden part.
    pub fn lift(claim: Claim) -> Self {
        Self {
            point: claim.point,
            value: V::known(claim.value),
        }
    }
}

/// Transcript label of the (public parts of the) values of a layer's incoming claims.
pub const LABEL_CLAIM_VALUES: &str = "layers.claim_values";
/// Transcript label of the weights that combine several claims.
pub const LABEL_COMBINE: &str = "layers.combine_claims";

/// Checks each claim's point length and observes the values' public parts (all of a plain value).
pub(crate) fn observe_claims<V: ClaimValue>(
    layer: &'static str,
    claims: &[Claim<V>],
    num_vars: usize,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(), LayerError> {
    check_points(layer, claims, num_vars)?;
    let publics: Vec<EF> = claims.iter().map(|c| c.value.public_part()).collect();
    transcript.observe(LABEL_CLAIM_VALUES, &publics);
    Ok(())
}

/// Combines claims on one tensor of `num_vars` variables into a single weighted claim, in either
/// mode: observes the values ([`observe_claims`]), draws weights `rho_i` if there are several
/// claims (`rho_0 = 1` for one), and returns `(E, v)` with `E(x) = sum_i rho_i eq(r_i, x)` and
/// `v = sum_i rho_i v_i`, so that the claims hold (with high probability) iff
/// `sum_x E(x) T(x) = v`.
pub fn combine<V: ClaimValue>(
    layer: &'static str,
    claims: &[Claim<V>],
    num_vars: usize,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(Vec<EF>, V), LayerError> {
    observe_claims(layer, claims, num_vars, transcript)?;
    Ok(combine_with(claims, num_vars, LABEL_COMBINE, transcript))
}

/// Refuses an empty list of claims, or a claim whose point has another number of variables.
pub(crate) fn check_points<V>(
    layer: &'static str,
    claims: &[Claim<V>],
    num_vars: usize,
) -> Result<(), LayerError> {
    if claims.is_empty() {
        return Err(LayerError::NoClaims { layer });
    }
    match claims.iter().find(|c| c.point.len() != num_vars) {
        Some(c) => Err(LayerError::PointLength {
            layer,
            expected: num_vars,
            got: c.point.len(),
        }),
        None => Ok(()),
    }
}

/// The combination itself, in either mode (points already checked, values already observed):
/// draws the `rho_i` under `label` when there are several claims.
pub(crate) fn combine_with<V: ClaimValue>(
    claims: &[Claim<V>],
    num_vars: usize,
    label: &'static str,
    transcript: &mut impl FiatShamir<EF>,
) -> (Vec<EF>, V) {
    let rhos = if claims.len() == 1 {
        vec![EF::ONE]
    } else {
        transcript.challenges(label, claims.len())
    };
    let mut table = vec![EF::ZERO; 1 << num_vars];
    let mut value = V::known(EF::ZERO);
    for (c, &rho) in claims.iter().zip(&rhos) {
        for (t, e) in table.iter_mut().zip(eq_table_scaled(&c.point, rho)) {
            *t += e;
        }
        value = value.plus(c.value.clone().scaled(rho));
    }
    (table, value)
}

/// The number of variables of a table holding `len` entries (at least 0: `len <= 1` gives 0).
pub fn log2_ceil(len: usize) -> usize {
    len.max(1).next_power_of_two().trailing_zeros() as usize
}

/// `len` rounded up to a power of two (1 for an empty tensor).
pub fn padded_len(len: usize) -> usize {
    len.max(1).next_power_of_two()
}

/// The multilinear extension of a base-field table, zero-padded to `2^point.len()` entries, at a
/// point (`O(2^n)`); entries beyond the padded size are ignored, as the table's padded column holds
/// none.
pub fn mle_eval(table: &[zkinfer_field::F], point: &[EF]) -> EF {
    let len = 1usize.checked_shl(point.len() as u32).unwrap_or(usize::MAX);
    zkinfer_poly::evaluate_padded(table.get(..len).unwrap_or(table), point).unwrap_or(EF::ZERO)
}

#[cfg(test)]
mod tests {
    use zkinfer_field::BasedVectorSpace;
    use zkinfer_sumcheck::zk::form::Form;

    use super::*;
    use crate::test_util::transcript;

    fn ef(i: u64) -> EF {
        EF::from_basis_coefficients_fn(|k| zkinfer_field::F::from_u64(i * 7 + k as u64 + 1))
    }

    /// One combination serves both modes: symbolic claims with no hidden part combine to the plain
    /// claims' table and value, and a hidden part is carried with the same weights.
    #[test]
    fn combination_is_the_same_in_both_modes() {
        let claims: Vec<Claim> = (0..3)
            .map(|i| Claim {
                point: vec![ef(i), ef(i + 10)],
                value: ef(i + 20),
            })
            .collect();
        let sym: Vec<Claim<Symbolic<EF>>> = claims.iter().cloned().map(Claim::lift).collect();
        let (t1, v1) = combine_with(&claims, 2, "l", &mut transcript("c"));
        let (t2, v2) = combine_with(&sym, 2, "l", &mut transcript("c"));
        assert_eq!((t1.clone(), v1), (t2, v2.public_part()));
        assert!(v2.hidden.is_empty());

        let mut hidden = sym.clone();
        hidden[1].value.hidden = Form::eval(EF::ONE, 5, vec![ef(3)]);
        let (t3, v3) = combine_with(&hidden, 2, "l", &mut transcript("c"));
        assert_eq!((t3, v3.public), (t1, v1));
        assert!(!v3.hidden.is_empty(), "the hidden part is kept");
        assert!(check_points("t", &claims[..0], 2).is_err());
        assert!(check_points("t", &claims, 3).is_err());
    }
}
