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
use zkinfer_layers::log2_ceil;
use zkinfer_layers::range::zk::{ZkRangeIds, ZkRangeRandomness, ZkRangeSpec};
use zkinfer_layers::zk::{ZkIds, ZkSecrets, ZkShape};
use zkinfer_settle::{Layout, LinearClaim, Term};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Atom, FormClaim};

use crate::ProtocolError;

/// The hidden vectors of one sub-protocol, which take consecutive ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Group {
    /// A zero-knowledge layer's Libra mask (first id), then one randomizer per masked factor.
    Layer(ZkShape),
    /// A range check's blinder (first id), then each fraction-tree layer's mask and randomizers.
    Range(ZkRangeSpec),
}

impl Group {
    /// Base-field lengths of the group's vectors, in id order.
    pub fn lens(&self) -> Vec<usize> {
        match self {
            Group::Layer(shape) => {
                let mut v = vec![shape.mask_len()];
                v.extend(shape.randomizers.iter().map(|&c| EXT_DEGREE * c));
                v
            }
            Group::Range(spec) => spec
                .shape()
                .random_vectors(&range_ids(spec, vec![], 0, 0))
                .into_iter()
                .map(|(_, len)| len)
                .collect(),
        }
    }
}

/// The ids of a range check whose random block starts at `first`.
pub(crate) fn range_ids(
    spec: &ZkRangeSpec,
    columns: Vec<usize>,
    multiplicities: usize,
    first: usize,
) -> ZkRangeIds {
    let _ = spec;
    ZkRangeIds {
        columns,
        multiplicities,
        blinder: first,
        first_random: first + 1,
    }
}

/// A layer's ids when its group starts at `first`.
pub(crate) fn layer_ids(shape: &ZkShape, first: usize) -> ZkIds {
    ZkIds {
        mask: first,
        randomizers: (1..=shape.randomizers.len()).map(|i| first + i).collect(),
    }
}

/// The prover's randomness for one group.
pub(crate) enum Secret {
    Layer(ZkSecrets),
    Range(ZkRangeRandomness),
}

/// Samples a group's randomness (its first id is `first`) and the vectors to commit, in id order.
pub(crate) fn sample<R: CryptoRng + ?Sized>(
    group: &Group,
    first: usize,
    rng: &mut R,
) -> Result<(Secret, Vec<Vec<F>>), ProtocolError>
where
    StandardUniform: Distribution<F>,
{
    match group {
        Group::Layer(shape) => {
            let mask = MaskPoly::random(shape.num_vars, shape.degree, rng);
            let randomizers: Vec<Vec<EF>> = shape
                .randomizers
                .iter()
                .map(|&c| {
                    (0..c)
                        .map(|_| EF::from_basis_coefficients_fn(|_| rng.random::<F>()))
                        .collect()
                })
                .collect();
            let mut vectors = vec![mask.coeffs()];
            vectors.extend(randomizers.iter().map(|c| coords(c)));
            Ok((Secret::Layer(ZkSecrets { mask, randomizers }), vectors))
        }
        Group::Range(spec) => {
            let randomness = spec.sample(rng);
            let mut vectors = randomness.vectors(&range_ids(spec, vec![], 0, first));
            vectors.sort_by_key(|(id, _)| *id);
            let ids: Vec<usize> = vectors.iter().map(|(id, _)| *id).collect();
            if ids != (first..first + ids.len()).collect::<Vec<_>>() {
                return Err(ProtocolError::Zk(
                    "range check ids are not consecutive".into(),
                ));
            }
            Ok((
                Secret::Range(randomness),
                vectors.into_iter().map(|(_, v)| v).collect(),
            ))
        }
    }
}

fn coords(values: &[EF]) -> Vec<F> {
    values
        .iter()
        .flat_map(|v| v.as_basis_coefficients_slice().to_vec())
        .collect()
}

/// Segment sizes of the hiding commitment: witness columns (`2^num_vars` each) then every group's
/// vectors.
pub(crate) fn layout(witness_vars: &[usize], groups: &[Group]) -> Result<Layout, ProtocolError> {
    let mut vars = witness_vars.to_vec();
    vars.extend(groups.iter().flat_map(Group::lens).map(log2_ceil));
    Layout::new(&vars).map_err(|e| ProtocolError::Zk(e.to_string()))
}

/// Hands out the schedule's groups in order: their first id to both sides, the prover's secret.
pub(crate) struct Cursor<T> {
    groups: Vec<(Group, usize)>,
    items: Vec<Option<T>>,
    next: usize,
}

impl<T> Cursor<T> {
    /// Groups take ids from `first_id` on; `items` is one per group (the prover's secrets, `()`
    /// for the verifier).
    pub fn new(first_id: usize, groups: Vec<Group>, items: Vec<T>) -> Self {
        let mut id = first_id;
        let groups = groups
            .into_iter()
            .map(|g| {
                let first = id;
                id += g.lens().len();
                (g, first)
            })
            .collect();
        Self {
            groups,
            items: items.into_iter().map(Some).collect(),
            next: 0,
        }
    }

    /// The first id of each group, in order.
    pub fn first_ids(&self) -> Vec<usize> {
        self.groups.iter().map(|(_, f)| *f).collect()
    }

    /// The next group, which must be `group`: its first id and item.
    pub fn take(&mut self, group: &Group) -> Result<(usize, T), ProtocolError> {
        let i = self.next;
        match (self.groups.get(i), self.items.get_mut(i)) {
            (Some((listed, first)), Some(slot)) if listed == group => {
                self.next += 1;
                let item = slot
                    .take()
                    .ok_or_else(|| ProtocolError::Zk(format!("group {i} taken twice")))?;
                Ok((*first, item))
            }
            (listed, _) => Err(ProtocolError::Zk(format!(
                "schedule drift: a step asked for {group:?}, the schedule lists {:?} at {i}",
                listed.map(|(g, _)| g)
            ))),
        }
    }

    /// Every listed group was used.
    pub fn finish(&self) -> Result<(), ProtocolError> {
        if self.next == self.groups.len() {
            Ok(())
        } else {
            Err(ProtocolError::Zk(format!(
                "schedule drift: {} of {} groups used",
                self.next,
                self.groups.len()
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
