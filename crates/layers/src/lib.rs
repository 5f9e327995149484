//! The layer sub-protocols of zkinfer's model proof ("claims in, claims out": each layer reduces
//! claims on its output to claims on its inputs).
//!
//! Each layer kind takes claims about the multilinear extension of its output at random points and
//! reduces them, by sumcheck, to claims about its inputs (and weights) at new random points:
//!
//! - [`wiring`]: any fixed sparse linear map `out = A in` (reshape, flatten, transpose, padding,
//!   slicing, pooling sums, broadcasting, im2col). Padding of `in` is never read: `A` only refers
//!   to real entries, which is what makes power-of-two padding harmless (docs/pitfalls.md, 6).
//! - [`matmul`]: `prod[o, p] = sum_k w[o, k] x[k, p] + bias[o]` (Thaler's matrix-multiplication
//!   sumcheck), the core of Gemm and Conv.
//! - [`requant`]: fixed-point rescale, rounding and clamp (with ReLU), by LogUp lookups and a
//!   linear identity.
//! - [`range`]: batched range checks of many columns by one LogUp lookup.
//! - [`maxpool`]: window maxima, by range-checked differences and a zero-check on their product.
//! - [`signed`]: every entry of a column within a declared signed width (the committed weights), by
//!   a range check of two shifted copies or of their limbs.
//! - [`hash`]: a batch of Poseidon2 permutations, by a layered chain of masked sumchecks (one per
//!   round), for the zero-knowledge proof that hidden weights hash to their public digest.
//!
//! Values are witnesses in the base field `F`; claims and challenges live in `EF`.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod claim;
mod error;
pub mod hash;
pub mod matmul;
pub mod maxpool;
pub mod mode;
pub mod range;
pub mod requant;
pub mod signed;
mod sparse;
pub mod wiring;
pub mod zk;

#[cfg(test)]
mod review4_tests;
#[cfg(test)]
mod test_util;

pub use claim::{
    Claim, ClaimValue, LABEL_CLAIM_VALUES, LABEL_COMBINE, combine, log2_ceil, mle_eval, padded_len,
};
pub use error::LayerError;
pub use mode::{Mode, Plain, Zk, no_hidden};
pub use sparse::SparseMap;
