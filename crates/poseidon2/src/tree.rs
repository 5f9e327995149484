//! The Merkle hash that commits to a model's weights, built from the same permutation as the
//! round-by-round description so that a layered proof can recompute it.
//!
//! Values are cut into `2^m` leaves of [`WIDTH`] elements. Permutations sit in heap order,
//! `c in [0, 2^(m+1))`: leaf `j` is the input of permutation `2^m + j`, internal node `i` hashes
//! its children's digests, `IN[i] = H[2i] ++ H[2i+1]`, and slot 0 is a padding permutation of the
//! zero state so the batch is a power of two. The digest is `H[1]`.
//!
//! **The node function** is a feed-forward compression with a domain tag:
//! `H[c] = (P(IN[c]) + IN[c])[..8] + tag(c)`, `tag = LEAF_TAG` for a leaf and zero for an inner
//! node. The feed-forward is what makes it one-way: a bare truncated permutation `P(x)[..8]` is
//! inverted by `P^-1(target ++ any 8 lanes)`, so any node (and any subtree of weights) had free
//! preimages (docs/pitfalls.md, 9). With `x` added back, a preimage must solve 8
//! equations through `P` and `P^-1` at once. The tag keeps a leaf from being read as an inner node
//! (the tree's depth is fixed by the key as well). Collision resistance is at most 124 bits (8
//! lanes of 31 bits, birthday bound), assuming Poseidon2 behaves as a random permutation.

use p3_maybe_rayon::prelude::*;
use p3_symmetric::Permutation;
use thiserror::Error;
use zkinfer_field::{F, PrimeCharacteristicRing};

use crate::WIDTH;
use crate::spec::permute;

/// Lanes of a node output kept as its hash.
pub const DIGEST: usize = 8;

/// The domain tag added to a leaf's digest (inner nodes add zero).
pub const LEAF_TAG: [F; DIGEST] = {
    let mut t = [F::ZERO; DIGEST];
    t[0] = F::ONE;
    t
};

/// A node's digest from its input and its permutation's output: `(out + input)[..8] + tag`.
pub fn node_digest(input: &[F; WIDTH], output: &[F; WIDTH], leaf: bool) -> [F; DIGEST] {
    std::array::from_fn(|l| {
        let tag = if leaf { LEAF_TAG[l] } else { F::ZERO };
        output[l] + input[l] + tag
    })
}

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

/// `left ++ right`.
fn compress_input(left: &[F; DIGEST], right: &[F; DIGEST]) -> [F; WIDTH] {
    let mut input = [F::ZERO; WIDTH];
    input[..DIGEST].copy_from_slice(left);
    input[DIGEST..].copy_from_slice(right);
    input
}

type Perm<'a> = dyn Fn(&[F; WIDTH]) -> [F; WIDTH] + Sync + 'a;

/// Hashes level by level from the leaves up; each level's permutations run in parallel.
fn hash_tree(values: &[F], perm: &Perm<'_>) -> Result<(Vec<[F; WIDTH]>, [F; DIGEST]), TreeError> {
    let n = num_leaves(values.len())?;
    let mut inputs = vec![[F::ZERO; WIDTH]; 2 * n];
    // `H[c]`; slot 0 (padding) is never read.
    let mut digests = vec![[F::ZERO; DIGEST]; 2 * n];
    for (slot, leaf) in inputs[n..].iter_mut().zip(values.chunks_exact(WIDTH)) {
        slot.copy_from_slice(leaf);
    }
    // Nodes of the current level are `[level, 2 * level)`.
    let mut level = n;
    loop {
        let leaf = level == n;
        digests[level..2 * level]
            .par_iter_mut()
            .zip(&inputs[level..2 * level])
            .for_each(|(h, input)| *h = node_digest(input, &perm(input), leaf));
        if level == 1 {
            break;
        }
        let parents = level / 2;
        inputs[parents..level]
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, input)| {
                let i = parents + k;
                *input = compress_input(&digests[2 * i], &digests[2 * i + 1]);
            });
        level = parents;
    }
    Ok((inputs, digests[1]))
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
            let h: Vec<[F; DIGEST]> = (0..2 * n)
                .map(|c| node_digest(&t.inputs[c], &permute(&t.inputs[c]), c >= n))
                .collect();
            for i in 1..n {
                assert_eq!(t.inputs[i][..DIGEST], h[2 * i]);
                assert_eq!(t.inputs[i][DIGEST..], h[2 * i + 1]);
            }
            assert_eq!(t.digest, h[1]);
            assert_eq!(digest(&values).unwrap(), t.digest);
        }
    }

    #[test]
    fn single_leaf() {
        let values = random_values(WIDTH, 9);
        let t = tree_trace(&values).unwrap();
        assert_eq!(t.inputs.len(), 2);
        assert_eq!(t.inputs[1][..], values[..]);
        let out = permute(&t.inputs[1]);
        let expected: Vec<F> = (0..DIGEST)
            .map(|l| out[l] + values[l] + LEAF_TAG[l])
            .collect();
        assert_eq!(t.digest[..], expected[..]);
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

    /// The forgery an adversarial review built against the bare truncated permutation: a forger
    /// who knows only a digest inverts the permutation from the root down,
    /// `IN = P^-1(digest ++ any 8 lanes)`, and again for each half of `IN`, to get leaves. The old
    /// node function `P(x)[..8]` hashes them to the target (checked here, so the attack is real);
    /// the tree's must not.
    #[test]
    fn inverting_the_permutation_gives_no_preimage() {
        use crate::inverse::inverse_permute;
        let old_node = |x: &[F; WIDTH]| -> [F; DIGEST] { std::array::from_fn(|l| permute(x)[l]) };
        let target = digest(&random_values(WIDTH * 2, 11)).unwrap();
        let mut rng = StdRng::seed_from_u64(12);
        let mut preimage = |h: &[F; DIGEST]| -> [F; WIDTH] {
            let y: [F; WIDTH] =
                std::array::from_fn(|l| if l < DIGEST { h[l] } else { rng.random() });
            inverse_permute(&y)
        };
        for _ in 0..4 {
            // One leaf.
            let leaf = preimage(&target);
            assert_eq!(old_node(&leaf), target, "the old node is fooled");
            assert_ne!(digest(&leaf).unwrap(), target);
            // Two leaves under a forged root.
            let root = preimage(&target);
            let halves: [[F; DIGEST]; 2] =
                std::array::from_fn(|k| std::array::from_fn(|l| root[k * DIGEST + l]));
            let (left, right) = (preimage(&halves[0]), preimage(&halves[1]));
            let old_root = old_node(&compress_input(&old_node(&left), &old_node(&right)));
            assert_eq!(old_root, target, "the old tree is fooled");
            let leaves: Vec<F> = left.iter().chain(&right).copied().collect();
            assert_ne!(digest(&leaves).unwrap(), target);
        }
    }

    #[test]
    fn leaves_and_inner_nodes_hash_apart() {
        let x = random_values(WIDTH, 13);
        let x: [F; WIDTH] = std::array::from_fn(|l| x[l]);
        let out = permute(&x);
        assert_ne!(node_digest(&x, &out, true), node_digest(&x, &out, false));
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
