//! The Merkle hash that commits to a model's weights, built from the same permutation as the
//! round-by-round description so that a layered proof can recompute it.
//!
//! Values are cut into `2^m` leaves of [`WIDTH`] elements. Permutations sit in heap order,
//! `c in [0, 2^(m+1))`: leaf `j` is the input of permutation `2^m + j`, internal node `i` hashes
//! the first [`DIGEST`] lanes of its children's outputs, `IN[i] = OUT[2i][..8] ++ OUT[2i+1][..8]`,
//! and slot 0 is a padding permutation of the zero state so the batch is a power of two. The
//! digest is `OUT[1][..8]`: 8 lanes of 31 bits, 124 bits of collision resistance at best.

use p3_symmetric::Permutation;
use rayon::prelude::*;
use thiserror::Error;
use zkinfer_field::{F, PrimeCharacteristicRing};

use crate::WIDTH;
use crate::spec::permute;

/// Lanes of a node output kept as its hash.
pub const DIGEST: usize = 8;

/// Why a vector of values cannot be hashed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TreeError {
    /// The length is not `16 * 2^m`.
    #[error("cannot hash {len} values: the weight tree needs 16 * 2^m values (m >= 0)")]
    BadLength {
        /// The length given.
        len: usize,
    },
}

/// Everything a prover needs to prove a tree hash: the input of every permutation in heap order
/// (`2^(m+1)` of them, slot 0 the zero padding state) and the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeTrace {
    /// `IN[c]` for `c in [0, 2^(m+1))`.
    pub inputs: Vec<[F; WIDTH]>,
    /// `OUT[1][..DIGEST]`.
    pub digest: [F; DIGEST],
}

/// The permutation inputs and digest of the tree over `values`. It runs Plonky3's permutation,
/// 4-5x faster than [`permute`]; the tests check the two agree, so the inputs are exactly those
/// of the round-by-round description the proof follows.
pub fn tree_trace(values: &[F]) -> Result<TreeTrace, TreeError> {
    let p3 = p3_koala_bear::default_koalabear_poseidon2_16();
    let (inputs, digest) = hash_tree(values, &|x: &[F; WIDTH]| p3.permute(*x))?;
    Ok(TreeTrace { inputs, digest })
}

/// The digest of the tree over `values`, using Plonky3's (faster) permutation.
pub fn digest(values: &[F]) -> Result<[F; DIGEST], TreeError> {
    let p3 = p3_koala_bear::default_koalabear_poseidon2_16();
    Ok(hash_tree(values, &|x: &[F; WIDTH]| p3.permute(*x))?.1)
}

/// The output of the padding permutation in slot 0, `permute(0)`: a verifier's fixed value for it.
pub fn padding_output() -> [F; WIDTH] {
    permute(&[F::ZERO; WIDTH])
}

/// Number of leaves `2^m` for `16 * 2^m` values.
fn num_leaves(len: usize) -> Result<usize, TreeError> {
    let leaves = len / WIDTH;
    if !len.is_multiple_of(WIDTH) || !leaves.is_power_of_two() {
        return Err(TreeError::BadLength { len });
    }
    Ok(leaves)
}

/// `left[..8] ++ right[..8]`.
fn compress_input(left: &[F; WIDTH], right: &[F; WIDTH]) -> [F; WIDTH] {
    let mut input = [F::ZERO; WIDTH];
    input[..DIGEST].copy_from_slice(&left[..DIGEST]);
    input[DIGEST..].copy_from_slice(&right[..DIGEST]);
    input
}

type Perm<'a> = dyn Fn(&[F; WIDTH]) -> [F; WIDTH] + Sync + 'a;

/// Hashes level by level from the leaves up; each level's permutations run in parallel.
fn hash_tree(values: &[F], perm: &Perm<'_>) -> Result<(Vec<[F; WIDTH]>, [F; DIGEST]), TreeError> {
    let n = num_leaves(values.len())?;
    let mut inputs = vec![[F::ZERO; WIDTH]; 2 * n];
    let mut outputs = vec![[F::ZERO; WIDTH]; 2 * n];
    for (slot, leaf) in inputs[n..].iter_mut().zip(values.chunks_exact(WIDTH)) {
        slot.copy_from_slice(leaf);
    }
    // Nodes of the current level are `[level, 2 * level)`.
    let mut level = n;
    loop {
        outputs[level..2 * level]
            .par_iter_mut()
            .zip(&inputs[level..2 * level])
            .for_each(|(out, input)| *out = perm(input));
        if level == 1 {
            break;
        }
        let parents = level / 2;
        inputs[parents..level]
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, input)| {
                let i = parents + k;
                *input = compress_input(&outputs[2 * i], &outputs[2 * i + 1]);
            });
        level = parents;
    }
    let mut digest = [F::ZERO; DIGEST];
    digest.copy_from_slice(&outputs[1][..DIGEST]);
    Ok((inputs, digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    fn random_values(len: usize, seed: u64) -> Vec<F> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..len).map(|_| rng.random::<F>()).collect()
    }

    #[test]
    fn heap_relation_and_digest() {
        for m in 0..5 {
            let n = 1 << m;
            let values = random_values(WIDTH * n, m as u64);
            let t = tree_trace(&values).unwrap();
            assert_eq!(t.inputs.len(), 2 * n);
            assert_eq!(t.inputs[0], [F::ZERO; WIDTH]);
            for (j, leaf) in values.chunks_exact(WIDTH).enumerate() {
                assert_eq!(&t.inputs[n + j], leaf);
            }
            let out: Vec<[F; WIDTH]> = t.inputs.iter().map(permute).collect();
            for i in 1..n {
                assert_eq!(t.inputs[i][..DIGEST], out[2 * i][..DIGEST]);
                assert_eq!(t.inputs[i][DIGEST..], out[2 * i + 1][..DIGEST]);
            }
            assert_eq!(t.digest[..], out[1][..DIGEST]);
            assert_eq!(digest(&values).unwrap(), t.digest);
        }
    }

    #[test]
    fn single_leaf() {
        let values = random_values(WIDTH, 9);
        let t = tree_trace(&values).unwrap();
        assert_eq!(t.inputs.len(), 2);
        assert_eq!(t.inputs[1][..], values[..]);
        assert_eq!(t.digest[..], permute(&t.inputs[1])[..DIGEST]);
    }

    #[test]
    fn digest_changes_with_any_value() {
        let values = random_values(WIDTH * 8, 10);
        let base = digest(&values).unwrap();
        // The first value, one in the middle, and the last leaf (where a salt would go).
        for idx in [0, 4 * WIDTH + 3, 7 * WIDTH, 8 * WIDTH - 1] {
            let mut changed = values.clone();
            changed[idx] += F::ONE;
            assert_ne!(digest(&changed).unwrap(), base, "value {idx}");
            assert_ne!(tree_trace(&changed).unwrap().digest, base, "value {idx}");
        }
    }

    #[test]
    fn bad_lengths_rejected() {
        for len in [0, 1, 15, 17, 3 * WIDTH, 5 * WIDTH, 6 * WIDTH + 1] {
            let values = vec![F::ZERO; len];
            assert_eq!(tree_trace(&values), Err(TreeError::BadLength { len }));
            assert_eq!(digest(&values), Err(TreeError::BadLength { len }));
        }
    }

    #[test]
    fn padding_output_is_permuted_zero() {
        let p3 = p3_koala_bear::default_koalabear_poseidon2_16();
        assert_eq!(padding_output(), p3.permute([F::ZERO; WIDTH]));
    }
}
