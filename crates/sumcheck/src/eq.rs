//! Eq-weighted sumchecks, `sum_x eq(r, x) * g(x)`: the shape of most layer sumchecks, which
//! reduce a claim `v = V(r)` about a layer's output to claims about its inputs.
//!
//! ```
//! use zkinfer_field::{EF, F, PrimeCharacteristicRing};
//! use zkinfer_sumcheck::{ProductSum, prove_eq, verify_eq};
//! use zkinfer_transcript::{Statement, Transcript};
//!
//! // Claim: sum_x eq(r, x) f(x) g(x) = v for f, g on 2 variables.
//! let f: Vec<F> = [1u32, 2, 3, 4].map(F::from_u32).to_vec();
//! let g: Vec<F> = [5u32, 6, 7, 8].map(F::from_u32).to_vec();
//! let r = vec![EF::from_u32(9), EF::from_u32(10)];
//! let inner = ProductSum::product(2, 2); // f * g
//! let v: EF = zkinfer_poly::eq_table(&r)
//!     .iter()
//!     .zip(f.iter().zip(&g))
//!     .map(|(&e, (&a, &b))| e * (a * b))
//!     .sum();
//!
//! let statement = Statement::new("zkinfer/doc-example", 1);
//! let mut pt = Transcript::new(&statement);
//! let (proof, point, evals) = prove_eq(&r, &inner, vec![f, g], &mut pt);
//! let mut vt = Transcript::new(&statement);
//! assert_eq!(verify_eq(&r, &inner, v, &proof, &evals, &mut vt), Ok(point));
//! ```

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

use zkinfer_field::{ExtensionField, Field};
use zkinfer_poly::{eq_eval, eq_table};
use zkinfer_transcript::FiatShamir;

use crate::{
    LABEL_FINAL_EVALS, ProductSum, SumcheckError, SumcheckProof, prove::prove_rounds, verify,
};

/// `inner` with an eq factor prepended to every term: polynomial 0 is `eq(r, .)`, the inner
/// polynomial `i` becomes `i + 1`, and the degree grows by one.
pub fn with_eq_factor<EF: Field>(inner: &ProductSum<EF>) -> ProductSum<EF> {
    let terms = inner
        .terms
        .iter()
        .map(|(c, s)| {
            (
                *c,
                std::iter::once(0).chain(s.iter().map(|i| i + 1)).collect(),
            )
        })
        .collect();
    ProductSum {
        num_vars: inner.num_vars,
        degree: inner.degree + 1,
        terms,
    }
}

/// Proves `sum_x eq(r, x) * inner(x)`. Observes the rounds, then only the inner polynomials'
/// final evaluations, which it returns (without `eq(r, point)`).
///
/// The eq table is a weight on the products, so base-field tables stay in `F` for round 0.
///
/// # Panics
///
/// As [`crate::prove`], and if `r.len() != inner.num_vars`.
pub fn prove_eq<F: Field, EF: ExtensionField<F>>(
    r: &[EF],
    inner: &ProductSum<EF>,
    polys: Vec<Vec<F>>,
    transcript: &mut impl FiatShamir<EF>,
) -> (SumcheckProof<EF>, Vec<EF>, Vec<EF>) {
    assert_eq!(r.len(), inner.num_vars, "eq point length");
    let (proof, point, evals) = prove_rounds(inner, Some(eq_table(r)), polys, transcript);
    transcript.observe(LABEL_FINAL_EVALS, &evals);
    (proof, point, evals)
}

/// Verifies a proof made by [`prove_eq`]: the rounds, then the inner final evaluations (observed
/// like the prover does) against the claim, with `eq(r, point)` computed here. Returns the point.
pub fn verify_eq<EF: Field>(
    r: &[EF],
    inner: &ProductSum<EF>,
    claimed_sum: EF,
    proof: &SumcheckProof<EF>,
    inner_final_evals: &[EF],
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<EF>, SumcheckError> {
    if r.len() != inner.num_vars {
        return Err(SumcheckError::EqPointLength {
            expected: inner.num_vars,
            got: r.len(),
        });
    }
    inner.validate()?;
    let subclaim = verify(&with_eq_factor(inner), claimed_sum, proof, transcript)?;
    transcript.observe(LABEL_FINAL_EVALS, inner_final_evals);
    let eq = eq_eval(r, &subclaim.point).map_err(|_| SumcheckError::EqPointLength {
        expected: inner.num_vars,
        got: r.len(),
    })?;
    if eq * inner.combine(inner_final_evals)? != subclaim.expected_eval {
        return Err(SumcheckError::FinalEvalMismatch);
    }
    Ok(subclaim.point)
}
