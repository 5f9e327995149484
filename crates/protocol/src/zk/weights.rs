//! Hidden weights: the weights' public commitment is the Poseidon2 Merkle digest of the weight
//! columns and a secret salt (`zkinfer_poseidon2::tree`), and every zero-knowledge proof carries a
//! copy of the weights in its hiding commitment `Q` and proves, by a layered masked sumcheck
//! (`zkinfer_layers::hash`), that the copy hashes to the digest. The digest is never opened, so
//! any number of proofs reveal nothing about the weights beyond what the digest does (see
//! docs/zk-design.md, "The weights").
//!
//! # Layout
//!
//! The **leaves** are `2^L` field elements: every weight column, zero-padded to its power-of-two
//! length, placed in decreasing size order (so each starts at a multiple of its own length), then
//! zeros, then the 16-element salt in the last leaf. The Merkle tree has `2^m` leaves of 16
//! (`m = L - 4`) and `2^(m+1)` permutations in heap order (slot 0 padding, 1 the root).
//!
//! One vector goes into `Q`: `IN` (`2^(L+1)` entries), every permutation's input state,
//! `IN[c * 16 + l]`. Its upper half is the leaves, so weight column `j` is `IN~(1, prefix_j, x)`:
//! the weights are not copied twice.
//!
//! The output states `OUT` are not committed. Only their first 8 lanes matter (the compression
//! truncates), and those are known in terms of `IN`: a node's digest is
//! `H[c] = OUT[c][..8] + IN[c][..8] + tag(c)` (feed-forward and the leaves' domain tag,
//! `zkinfer_poseidon2::tree`), and for `c >= 2`, `H[c][l] = IN[c / 2][8 (c mod 2) + l]` (a child's
//! digest is half of its parent's input), `H[1]` is the public digest and `OUT[0][..8]` the padding
//! permutation's public output. So
//! the claim on `OUT` at a point whose lane-top coordinate is 0, i.e. on the first 8 lanes, at
//! random other coordinates, is a linear form in `IN` plus a public part ([`top_claim`]). It starts
//! the layered proof, which ends in a claim on `IN`. Fixing that coordinate is sound: the claim is a
//! random evaluation of the polynomial in the other coordinates whose values are the first 8 lanes,
//! which is all the tree relation needs (lanes 8..16 are free).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_layers::zk::SymClaim;
use zkinfer_poly::eq_eval;
use zkinfer_poseidon2::WIDTH;
use zkinfer_sumcheck::zk::form::{Form, FormClaim, Symbolic};

use crate::ProtocolError;
use crate::plan::MatMulStep;

/// Entries of the salt: one leaf.
pub const SALT_LEN: usize = WIDTH;

/// Elements of the digest.
pub const DIGEST_LEN: usize = zkinfer_poseidon2::tree::DIGEST;

/// Where each weight column and the salt sit among the leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightTree {
    /// `L`: the leaves have `2^L` entries.
    leaf_vars: usize,
    /// Each column's variables and offset among the leaves, in column order.
    columns: Vec<(usize, usize)>,
}

impl WeightTree {
    /// The layout for weight columns of `weight_vars[j]` variables each.
    pub fn new(weight_vars: &[usize]) -> Result<Self, ProtocolError> {
        let mut order: Vec<usize> = (0..weight_vars.len()).collect();
        order.sort_by_key(|&j| std::cmp::Reverse(weight_vars.get(j).copied().unwrap_or(0)));
        let mut columns = vec![(0, 0); weight_vars.len()];
        let mut offset = 0usize;
        for j in order {
            let vars = weight_vars.get(j).copied().unwrap_or(0);
            if vars >= usize::BITS as usize - 2 {
                return Err(ProtocolError::Unsupported(format!(
                    "weight column {j} of 2^{vars} entries"
                )));
            }
            if let Some(c) = columns.get_mut(j) {
                *c = (vars, offset);
            }
            offset += 1 << vars;
        }
        let total = (offset + SALT_LEN).next_power_of_two();
        Ok(Self {
            leaf_vars: total.trailing_zeros() as usize,
            columns,
        })
    }

    /// `L`: variables of the leaves (at least 4, one leaf).
    pub fn leaf_vars(&self) -> usize {
        self.leaf_vars
    }

    /// Variables of the permutation index: `m + 1 = L - 3`.
    pub fn perm_vars(&self) -> usize {
        self.leaf_vars - 3
    }

    /// Variables of `IN` and of every state table of the hash proof: `L + 1`.
    pub fn in_vars(&self) -> usize {
        self.leaf_vars + 1
    }

    /// Coordinates the verifier draws for the output claim: `L` (the lane-top one is fixed to 0).
    pub fn claim_vars(&self) -> usize {
        self.leaf_vars()
    }

    /// The leaves: the columns at their offsets, zeros, the salt last.
    pub fn leaves(&self, tables: &[Vec<F>], salt: &[F; SALT_LEN]) -> Result<Vec<F>, ProtocolError> {
        if tables.len() != self.columns.len() {
            return Err(ProtocolError::Zk(format!(
                "{} weight tables for {} columns",
                tables.len(),
                self.columns.len()
            )));
        }
        let size = 1usize << self.leaf_vars;
        let mut leaves = vec![F::ZERO; size];
        for (j, (t, &(vars, offset))) in tables.iter().zip(&self.columns).enumerate() {
            let dst = leaves
                .get_mut(offset..offset + t.len())
                .filter(|_| t.len() == 1 << vars)
                .ok_or_else(|| ProtocolError::Zk(format!("weight table {j} does not fit")))?;
            dst.copy_from_slice(t);
        }
        if let Some(dst) = leaves.get_mut(size - SALT_LEN..) {
            dst.copy_from_slice(salt);
        }
        Ok(leaves)
    }

    /// The point of `IN` whose value is weight column `col`'s extension at `point`:
    /// `(1, prefix bits of the column's offset, point)`.
    pub fn weight_point(&self, col: usize, point: &[EF]) -> Result<Vec<EF>, ProtocolError> {
        let &(vars, offset) = self
            .columns
            .get(col)
            .ok_or_else(|| ProtocolError::Zk(format!("no weight column {col}")))?;
        if point.len() != vars {
            return Err(ProtocolError::Zk(format!(
                "a point of {} coordinates on weight column {col} of {vars} variables",
                point.len()
            )));
        }
        self.region_point(vars, offset, point)
    }

    /// The aligned blocks `(vars, offset)` of leaves between the last weight column and the salt:
    /// zero at setup, and read by no layer; the weight range check shows they are zero, so that
    /// every leaf but the salt's lies within a declared width.
    pub fn gaps(&self) -> Vec<(usize, usize)> {
        let mut at = self
            .columns
            .iter()
            .map(|&(vars, offset)| offset + (1 << vars))
            .max()
            .unwrap_or(0);
        let end = (1usize << self.leaf_vars).saturating_sub(SALT_LEN);
        let mut blocks = vec![];
        while at < end {
            // The largest block aligned at `at` that ends by `end`.
            let mut vars = at.trailing_zeros().min(usize::BITS - 1) as usize;
            while at + (1 << vars) > end {
                vars -= 1;
            }
            blocks.push((vars, at));
            at += 1 << vars;
        }
        blocks
    }

    /// The point of `IN` whose value is the extension of the `2^vars` leaves from `offset` (a
    /// multiple of `2^vars`) at `point`.
    pub fn region_point(
        &self,
        vars: usize,
        offset: usize,
        point: &[EF],
    ) -> Result<Vec<EF>, ProtocolError> {
        if point.len() != vars || vars > self.leaf_vars || !offset.is_multiple_of(1 << vars) {
            return Err(ProtocolError::Zk(format!(
                "a region of 2^{vars} leaves at {offset}, read at {} coordinates",
                point.len()
            )));
        }
        let top = self.leaf_vars - vars;
        let index = offset >> vars;
        let mut p = Vec::with_capacity(1 + self.leaf_vars);
        p.push(EF::ONE);
        p.extend((0..top).map(|b| bit(index, top - 1 - b)));
        p.extend_from_slice(point);
        Ok(p)
    }

    /// The linear claim on `IN` (vector `in_id`) that a symbolic claim on weight column `col`
    /// makes. A claim without a hidden part would reveal a weight evaluation: no honest layer
    /// proof makes one, so prover and verifier both refuse it.
    pub fn weight_claim(
        &self,
        col: usize,
        claim: &SymClaim,
        in_id: usize,
    ) -> Result<FormClaim<EF>, ProtocolError> {
        if claim.value.hidden.is_empty() {
            return Err(ProtocolError::Malformed(format!(
                "a claim on weight column {col} has no hidden part: it would reveal the weights"
            )));
        }
        let on_in = SymClaim {
            point: self.weight_point(col, &claim.point)?,
            value: claim.value.clone(),
        };
        Ok(on_in.to_form_claim(in_id))
    }

    /// `col`'s extension at `point` as a form on `IN` (vector `in_id`).
    pub fn weight_form(
        &self,
        col: usize,
        point: &[EF],
        in_id: usize,
    ) -> Result<Form<EF>, ProtocolError> {
        Ok(Form::eval(EF::ONE, in_id, self.weight_point(col, point)?))
    }
}

fn bit(index: usize, b: usize) -> EF {
    if (index >> b) & 1 == 1 {
        EF::ONE
    } else {
        EF::ZERO
    }
}

/// The claim on the output states `OUT` at `(r_hi, r_0, 0, r_low)` as a symbolic value (module
/// docs), for `r = (r_hi (m), r_0, r_low (3))` of [`WeightTree::claim_vars`] coordinates. With
/// `e = eq(r_hi, 0)`, `r_c = (r_hi, r_0)` and `t = r_c[0]` (the weight of the leaf slots):
///
/// ```text
///   IN~(0, r_hi, r_0, r_low) - e IN~(0^(m+1), r_0, r_low)   node digests H, read off the parents
/// + e ((1 - r_0) P~(r_low) + r_0 D~(r_low))                 the padding output and the digest
/// - IN~(r_hi, r_0, 0, r_low) + e (1 - r_0) IN~(0^(m+1), 0, r_low)   feed-forward, slot 0 has none
/// - t T~(r_low)                                             the leaves' domain tag
/// ```
///
/// where `P` is the padding permutation's output and `D` the digest (first 8 lanes each) and `T`
/// [`zkinfer_poseidon2::LEAF_TAG`]: `OUT[c][..8] = H[c] - IN[c][..8] - tag(c)` for `c >= 1`.
pub fn top_claim(
    tree: &WeightTree,
    r: &[EF],
    digest: &[F; DIGEST_LEN],
    padding: &[F; DIGEST_LEN],
    in_id: usize,
) -> Result<SymClaim, ProtocolError> {
    let m = tree.leaf_vars - 4;
    if r.len() != tree.claim_vars() {
        return Err(ProtocolError::Zk(format!(
            "hash claim point has {} coordinates, expected {}",
            r.len(),
            tree.claim_vars()
        )));
    }
    let (r_hi, rest) = r.split_at(m);
    let (r_0, r_low) = match rest {
        [r_0, low @ ..] => (*r_0, low),
        _ => return Err(ProtocolError::Zk("hash claim point too short".into())),
    };
    let leaf_weight = r_hi.first().copied().unwrap_or(r_0);
    let internal = |e: zkinfer_poly::PolyError| ProtocolError::Zk(e.to_string());
    let e = eq_eval(r_hi, &vec![EF::ZERO; m]).map_err(internal)?;
    let eq_low = zkinfer_poly::eq_table(r_low);
    let low_eval = |v: &[F; DIGEST_LEN]| -> EF { eq_low.iter().zip(v).map(|(&a, &b)| a * b).sum() };
    let public = e * ((EF::ONE - r_0) * low_eval(padding) + r_0 * low_eval(digest))
        - leaf_weight * low_eval(&zkinfer_poseidon2::LEAF_TAG);
    let mut parent = vec![EF::ZERO];
    parent.extend_from_slice(r_hi);
    parent.push(r_0);
    parent.extend_from_slice(r_low);
    let mut slot0 = vec![EF::ZERO; m + 1];
    slot0.push(r_0);
    slot0.extend_from_slice(r_low);
    let mut point = r_hi.to_vec();
    point.extend([r_0, EF::ZERO]);
    point.extend_from_slice(r_low);
    let mut slot0_ff = vec![EF::ZERO; m + 2];
    slot0_ff.extend_from_slice(r_low);
    let hidden = Form::eval(EF::ONE, in_id, parent)
        .plus(Form::eval(-e, in_id, slot0))
        .plus(Form::eval(-EF::ONE, in_id, point.clone()))
        .plus(Form::eval(e * (EF::ONE - r_0), in_id, slot0_ff));
    Ok(SymClaim {
        point,
        value: Symbolic { public, hidden },
    })
}

/// The prover's hash data: the committed vector and every round's state table.
pub(crate) struct HashWitness {
    /// `IN`, `2^(L+1)` entries.
    pub in_table: Vec<F>,
    /// The state tables, inputs first, one more than the rounds.
    pub states: Vec<Vec<F>>,
}

/// Hashes `leaves` and checks the digest against `expected` (the prover key's).
pub(crate) fn hash_witness(
    leaves: &[F],
    expected: &[F; DIGEST_LEN],
) -> Result<HashWitness, ProtocolError> {
    let trace = zkinfer_poseidon2::tree::tree_trace(leaves)
        .map_err(|e| ProtocolError::Zk(format!("weight hash: {e}")))?;
    if &trace.digest != expected {
        return Err(ProtocolError::Malformed(
            "prover key: the weight digest does not match the weights and salt".into(),
        ));
    }
    let states = zkinfer_poseidon2::trace::layer_tables(&trace.inputs);
    Ok(HashWitness {
        in_table: trace.inputs.iter().flatten().copied().collect(),
        states,
    })
}

/// The padding permutation's output, first [`DIGEST_LEN`] lanes.
pub(crate) fn padding_digest() -> [F; DIGEST_LEN] {
    let out = zkinfer_poseidon2::tree::padding_output();
    std::array::from_fn(|i| out.get(i).copied().unwrap_or(F::ZERO))
}

/// The claim on `prod = w x + bias` at `(r_o, r_p)` turned into one on `w x`: `bias~(r_o)` (the
/// bias is added on every column, padding included) moves into the hidden part, as a form on its
/// place in `IN`, so it is never revealed.
pub(crate) fn unbias(
    tree: &WeightTree,
    mm: &MatMulStep,
    claim: SymClaim,
    in_id: usize,
) -> Result<SymClaim, ProtocolError> {
    let Some(col) = mm.bias_col else {
        return Ok(claim);
    };
    let r_o = claim
        .point
        .get(..mm.shape.o_vars)
        .ok_or_else(|| ProtocolError::Zk("matmul claim point too short".into()))?;
    let bias = tree.weight_form(col, r_o, in_id)?;
    Ok(SymClaim {
        value: Symbolic {
            public: claim.value.public,
            hidden: claim.value.hidden.plus(bias.scaled(-EF::ONE)),
        },
        point: claim.point,
    })
}

#[cfg(test)]
#[path = "weights_tests.rs"]
mod tests;
