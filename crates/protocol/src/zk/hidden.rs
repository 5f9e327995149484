//! The hidden vectors of a zero-knowledge proof: the committed witness columns, then every
//! sub-protocol's masks and randomizers, in the order the schedule uses them.
//!
//! Prover and verifier derive the same list from the plan ([`super::schedule`]), so the layout of
//! the one hiding commitment is public. The prover samples the randomness for each entry before
//! committing; during the proof, each sub-protocol takes its entries from a [`Cursor`] in order,
//! and a mismatch between what it asks for and what the schedule listed is an internal error.

use rand::distr::{Distribution, StandardUniform};
use rand::{CryptoRng, RngExt};
use zkinfer_field::{BasedVectorSpace, EF, EXT_DEGREE, F};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Atom, FormClaim};
use zkinfer_zk::{Layout, LinearClaim, Term};

use crate::ProtocolError;

/// One hidden vector the schedule needs besides the witness columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// A Libra mask for a sumcheck of `num_vars` variables and round degree `degree`.
    Mask { num_vars: usize, degree: usize },
    /// `count` uniformly random `EF` values (randomizers of masked factors, blinders).
    Coeffs { count: usize },
}

impl Need {
    /// Base-field entries of the vector.
    pub fn len(self) -> usize {
        match self {
            Need::Mask { num_vars, degree } => MaskPoly::<F, EF>::num_coeffs(num_vars, degree),
            Need::Coeffs { count } => EXT_DEGREE * count,
        }
    }
}

/// The prover's sample for one [`Need`].
pub(crate) enum Sample {
    Mask(MaskPoly<F, EF>),
    Coeffs(Vec<EF>),
}

impl Sample {
    pub fn draw<R: CryptoRng + ?Sized>(need: Need, rng: &mut R) -> Self
    where
        StandardUniform: Distribution<F>,
    {
        match need {
            Need::Mask { num_vars, degree } => {
                Sample::Mask(MaskPoly::random(num_vars, degree, rng))
            }
            Need::Coeffs { count } => Sample::Coeffs(
                (0..count)
                    .map(|_| EF::from_basis_coefficients_fn(|_| rng.random::<F>()))
                    .collect(),
            ),
        }
    }

    /// The base-field vector committed for this sample.
    pub fn vector(&self) -> Vec<F> {
        match self {
            Sample::Mask(m) => m.coeffs(),
            Sample::Coeffs(c) => c
                .iter()
                .flat_map(|v| v.as_basis_coefficients_slice().to_vec())
                .collect(),
        }
    }
}

/// Segment sizes of the hiding commitment: witness columns (`2^num_vars` each) then the needs.
pub(crate) fn layout(witness_vars: &[usize], needs: &[Need]) -> Result<Layout, ProtocolError> {
    let mut vars = witness_vars.to_vec();
    vars.extend(needs.iter().map(|n| log2_ceil(n.len())));
    Layout::new(&vars).map_err(|e| ProtocolError::Zk(e.to_string()))
}

fn log2_ceil(n: usize) -> usize {
    n.max(1).next_power_of_two().trailing_zeros() as usize
}

/// Hands out the schedule's hidden vectors in order: ids for both sides, samples for the prover.
pub(crate) struct Cursor<T> {
    first_id: usize,
    needs: Vec<Need>,
    items: Vec<Option<T>>,
    next: usize,
}

impl<T> Cursor<T> {
    /// `items` must be one per need (the prover's samples; `()` for the verifier).
    pub fn new(first_id: usize, needs: Vec<Need>, items: Vec<T>) -> Self {
        Self {
            first_id,
            needs,
            items: items.into_iter().map(Some).collect(),
            next: 0,
        }
    }

    /// The next hidden vector, which must be of the kind `need`: its id and item.
    pub fn take(&mut self, need: Need) -> Result<(usize, T), ProtocolError> {
        let i = self.next;
        match (self.needs.get(i), self.items.get_mut(i)) {
            (Some(&listed), Some(slot)) if listed == need => {
                self.next += 1;
                let item = slot
                    .take()
                    .ok_or_else(|| ProtocolError::Zk(format!("hidden vector {i} taken twice")))?;
                Ok((self.first_id + i, item))
            }
            (listed, _) => Err(ProtocolError::Zk(format!(
                "schedule drift: step asked for {need:?}, schedule lists {listed:?} at {i}"
            ))),
        }
    }

    /// Every listed vector was used.
    pub fn finish(&self) -> Result<(), ProtocolError> {
        if self.next == self.needs.len() {
            Ok(())
        } else {
            Err(ProtocolError::Zk(format!(
                "schedule drift: {} of {} hidden vectors used",
                self.next,
                self.needs.len()
            )))
        }
    }
}

/// A layer's claim in the back end's terms (ids are segment indices).
pub(crate) fn linear_claim(c: FormClaim<EF>) -> LinearClaim {
    let terms = c
        .form
        .terms
        .into_iter()
        .map(|(coeff, atom)| match atom {
            Atom::Eval { id, point } => Term::Eval {
                segment: id,
                point,
                coeff,
            },
            Atom::Dense { id, weights } => Term::Dense {
                segment: id,
                weights: weights.into_iter().map(|w| w * coeff).collect(),
            },
        })
        .collect();
    LinearClaim {
        terms,
        value: c.value,
    }
}
