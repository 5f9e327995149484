//! Poseidon2 over KoalaBear, width 16, written out round by round so that a layered sumcheck can
//! prove it (crates/layers/src/hash), and the Merkle hash of the weights built from it.
//!
//! The round-level description ([`Round`]) is the interface between this crate and the proof:
//! every round is `y = M s(x)`, with `s` the round's nonlinearity (none, the cube on every lane, or
//! the cube on lane 0 only) applied after adding the round constants.
//!
//! Plonky3's `default_koalabear_poseidon2_16()` (the transcript's permutation) becomes
//! [`ROUNDS`] = 29 such rounds ([`koalabear16`]): its initial external linear layer as a
//! [`RoundKind::Linear`] round, 4 [`RoundKind::Full`] rounds with the external matrix (`MDSMat4`
//! on each block of four, then the circulant `(2, 1, 1, 1)` over the blocks), 20
//! [`RoundKind::Partial`] rounds with the internal matrix `1 + diag(V)`, and 4 more full rounds.
//! Matrices are read off p3's own linear layers, so they match it by construction; a test checks
//! the whole permutation against p3.
//!
//! [`tree`] hashes a weight vector as a binary Merkle tree of such permutations in heap order, and
//! [`trace::layer_tables`] lays out every permutation's states one table per round for the proof.

pub mod inverse;
pub mod spec;
pub mod trace;
pub mod tree;

#[cfg(test)]
mod attack_tests;
#[cfg(test)]
mod test_util;

pub use spec::{
    HALF_FULL_ROUNDS, PARTIAL_ROUNDS, ROUNDS, Round, RoundKind, WIDTH, koalabear16, permute, trace,
};
pub use trace::layer_tables;
pub use tree::{
    DIGEST, LEAF_TAG, TreeError, TreeTrace, digest, node_digest, padding_output, tree_trace,
};
