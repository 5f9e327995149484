//! Linear claims on the committed vector `Q`.

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::{eq_eval, eq_table, eq_table_scaled};

use crate::{Layout, MAX_DENSE_VARS, ZkError};

/// One linear form in the entries of one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Term {
    /// `coeff * s~(point)`: the segment's multilinear extension at a point of `num_vars` coordinates.
    Eval {
        /// Segment index.
        segment: usize,
        /// The point.
        point: Vec<EF>,
        /// The coefficient.
        coeff: EF,
    },
    /// `sum_y weights[y] * s[y]`, for segments of at most [`MAX_DENSE_VARS`] variables (entries
    /// past `weights.len()` have weight zero). For randomizer and mask coefficients, whose claims
    /// are not evaluations at a point.
    Dense {
        /// Segment index.
        segment: usize,
        /// One weight per entry, from the start of the segment.
        weights: Vec<EF>,
    },
}

/// `sum of terms = value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearClaim {
    /// The linear form, as a sum of terms.
    pub terms: Vec<Term>,
    /// The claimed value.
    pub value: EF,
}

impl LinearClaim {
    /// `s~(point) = value`.
    pub fn eval(segment: usize, point: Vec<EF>, value: EF) -> Self {
        Self {
            terms: vec![Term::Eval {
                segment,
                point,
                coeff: EF::ONE,
            }],
            value,
        }
    }

    /// The claim's value on a concrete `Q` (tests and prover self-checks).
    pub fn evaluate(&self, layout: &Layout, q: &[F]) -> Result<EF, ZkError> {
        let mut l = vec![EF::ZERO; q.len()];
        for (t, term) in self.terms.iter().enumerate() {
            accumulate(layout, 0, t, term, EF::ONE, &mut l)?;
        }
        Ok(l.iter().zip(q).map(|(&a, &b)| a * b).sum())
    }
}

/// Checks that every term names a segment of `layout` with a point or weights of the right size.
pub(crate) fn validate(layout: &Layout, claims: &[LinearClaim]) -> Result<(), ZkError> {
    for (c, claim) in claims.iter().enumerate() {
        for (t, term) in claim.terms.iter().enumerate() {
            check_term(layout, c, t, term)?;
        }
    }
    Ok(())
}

fn check_term(layout: &Layout, claim: usize, term: usize, t: &Term) -> Result<(), ZkError> {
    let bad = |what: String| ZkError::BadTerm { claim, term, what };
    let segment = match t {
        Term::Eval { segment, .. } | Term::Dense { segment, .. } => *segment,
    };
    let seg = layout
        .segments()
        .get(segment)
        .ok_or_else(|| bad(format!("no segment {segment}")))?;
    match t {
        Term::Eval { point, .. } if point.len() != seg.num_vars => Err(bad(format!(
            "point has {} coordinates, segment {segment} has {} variables",
            point.len(),
            seg.num_vars
        ))),
        Term::Dense { .. } if seg.num_vars > MAX_DENSE_VARS => Err(bad(format!(
            "dense weights on segment {segment} of {} variables (at most {MAX_DENSE_VARS})",
            seg.num_vars
        ))),
        Term::Dense { weights, .. } if weights.len() > seg.len() => Err(bad(format!(
            "{} weights for segment {segment} of {} entries",
            weights.len(),
            seg.len()
        ))),
        _ => Ok(()),
    }
}

/// Adds `scale` times the term's weight vector into `l` (the prover's table of the batched form).
pub(crate) fn accumulate(
    layout: &Layout,
    claim: usize,
    term_index: usize,
    term: &Term,
    scale: EF,
    l: &mut [EF],
) -> Result<(), ZkError> {
    check_term(layout, claim, term_index, term)?;
    let (segment, weights) = match term {
        Term::Eval {
            segment,
            point,
            coeff,
        } => (*segment, eq_table_scaled(point, scale * *coeff)),
        Term::Dense { segment, weights } => {
            (*segment, weights.iter().map(|&w| w * scale).collect())
        }
    };
    let seg = layout.segments().get(segment).ok_or(ZkError::BadTerm {
        claim,
        term: term_index,
        what: format!("no segment {segment}"),
    })?;
    let dst = l
        .get_mut(seg.offset..seg.offset + weights.len())
        .ok_or_else(|| ZkError::Internal("term past the end of Q".into()))?;
    for (d, w) in dst.iter_mut().zip(weights) {
        *d += w;
    }
    Ok(())
}

/// The multilinear extension at `z` (of `N` coordinates) of the term's weight vector placed in
/// `Q`: `eq(prefix, z_top) * w~(z_low)`. The verifier's side of [`accumulate`].
pub(crate) fn eval_weights(
    layout: &Layout,
    claim: usize,
    term_index: usize,
    term: &Term,
    z: &[EF],
) -> Result<EF, ZkError> {
    check_term(layout, claim, term_index, term)?;
    let internal = |e: zkinfer_poly::PolyError| ZkError::Internal(e.to_string());
    let segment = match term {
        Term::Eval { segment, .. } | Term::Dense { segment, .. } => *segment,
    };
    let seg = layout.segments().get(segment).ok_or(ZkError::BadTerm {
        claim,
        term: term_index,
        what: format!("no segment {segment}"),
    })?;
    let top = layout.num_vars() - seg.num_vars;
    let (z_top, z_low) = (z.get(..top).unwrap_or(&[]), z.get(top..).unwrap_or(&[]));
    let select = eq_eval(&seg.prefix(layout.num_vars()), z_top).map_err(internal)?;
    let inner = match term {
        Term::Eval { point, coeff, .. } => *coeff * eq_eval(point, z_low).map_err(internal)?,
        Term::Dense { weights, .. } => {
            let eq = eq_table(z_low);
            weights.iter().zip(&eq).map(|(&w, &e)| w * e).sum()
        }
    };
    Ok(select * inner)
}
