//! zkinfer-pcs: commit, open and verify multilinear polynomials with WHIR (p3-whir 0.8.0).
//!
//! Two schemes:
//!
//! - [`Pcs`]: batched, non-hiding. Several polynomials (of possibly different sizes) go into one
//!   commitment; several evaluation claims (polynomial, point) are settled by one opening proof.
//! - [`HidingPcs`]: one polynomial, hiding (HVZK-WHIR, eprint 2026/391), opened once at several
//!   points. Only the claimed evaluations leave the prover.
//!
//! # Variable order
//!
//! A multilinear polynomial on `n` variables is its evaluation table of length `2^n`; point
//! coordinate 0 is the most significant bit of the table index (CONTRIBUTING.md, same as p3's
//! `Poly`).
//!
//! # Layout of a batched commitment
//!
//! Polynomial `i` with `n_i` variables is first padded to `n'_i = max(n_i, k0)` variables
//! (`k0` = first folding factor, 4) by appending zeros to its table. Since coordinate 0 is the
//! most significant bit, the padded table `t'` satisfies `t'(0,..,0, z) = t(z)`, so a claim at `z`
//! becomes a claim at `(0^{n'_i - n_i}, z)` on the padded column. Padding entries are never used by
//! any claim, so they need not be provably zero (docs/pitfalls.md, 6 does not apply). Polynomials of
//! equal `n'` form one p3 `Table` (one column each, in input order); tables are ordered by
//! decreasing `n'`. p3's `SuffixProver` layout stacks the tables into one committed polynomial of
//! `ceil(log2(sum of cells))` variables. The verifier rebuilds the same layout from the shapes.
//!
//! # Fiat-Shamir order
//!
//! Plain [`Pcs`]:
//!
//! | step | prover | verifier |
//! |---|---|---|
//! | 1 | `commit`: observes `pcs.num_polys`, `pcs.num_vars` (each poly), then the root through p3's `observe_commitment` | `observe_commitment(commitment, shapes)`: same absorptions |
//! | 2 | caller draws the points from the transcript | caller draws the same points |
//! | 3 | `open`: observes `pcs.num_claims`, then per claim `pcs.claim.poly` and `pcs.claim.point`; then p3 `open_at` absorbs the claimed values, draws OOD samples, runs WHIR | `verify`: same absorptions, then p3 `verify_at` |
//!
//! p3's prescribed-point PCS does not bind the points; this crate does (step 3) as defence in
//! depth. Callers must still derive the points from transcript challenges drawn *after* the
//! commitment was observed: a point the prover could choose after committing breaks the outer
//! protocol's soundness, whatever this crate absorbs.
//!
//! [`HidingPcs`] (a polynomial below the smallest size HVZK-WHIR supports, 13 variables at the
//! default parameters, is committed zero-padded on its most significant variables, and points
//! are lifted with zero coordinates, as for the plain layout):
//!
//! | step | prover | verifier |
//! |---|---|---|
//! | 1 | `commit`: observes `pcs.hiding.num_vars`, then the root | `observe_commitment`: same |
//! | 2 | caller draws the points | caller draws the same points |
//! | 3 | `open`: observes `pcs.hiding.num_points`, then p3's hiding `open` re-binds the root and binds the (point, value) pairs, then runs HVZK-WHIR | `verify`: same, p3's hiding `verify` |
//!
//! # Soundness
//!
//! Parameters are fixed by the verifier ([`PcsParams`]), never read from a proof. The default is
//! EF4 (124-bit field) with unique decoding (provable), 106 bits per error term, 16 PoW bits,
//! folding factor 4, rate 1/2. [`soundness_bits`] reports the combined provable bound
//! (p3's `prescribed_security(..).error().bits()`); it excludes hash collisions of the
//! Poseidon2 Merkle tree and sponge (digests of 8 KoalaBear elements, ~124-bit collision
//! resistance). For the hiding scheme p3 has no end-to-end bound; [`hiding_soundness`] reports
//! the pieces it has and their minimum, which reaches 100 bits only with the PoW credit in the
//! base case's query round (about 90 bits before PoW), see [`HidingSecurity`].
//!
//! # Robustness
//!
//! Verifiers check shapes, claim counts and point lengths before calling p3 (whose
//! prescribed-point verifier panics on a wrong point count or length), compare the values the
//! proof proves with the caller's expected values (p3's `verify_at` only returns what the proof
//! claims), and run p3's verifier under `catch_unwind` as a last line of defence. Commitments and
//! proofs decode from bytes with a 16 MiB cap, no trailing bytes and a canonical-encoding check.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod codec;
mod error;
mod hiding;
mod layout;
mod params;
mod plain;
mod types;

#[cfg(test)]
mod test_util;

pub use codec::{DecodeError, MAX_ENCODED_BYTES};
pub use error::PcsError;
pub use hiding::{HidingOpeningProof, HidingPcs, HidingProverData};
pub use params::{
    HidingParams, HidingSecurity, OpeningShape, PcsParams, hiding_soundness, soundness_bits,
};
pub use plain::{Claim, OpeningProof, Pcs, ProverData};
pub use types::Commitment;
