//! LogUp lookups with committed multiplicities, proven by GKR over fractional sums.
//!
//! The argument (Haböck, "Multivariate lookups based on logarithmic derivatives", eprint 2022/1530)
//! shows that every looked-up value `a_i` lies in a public table `t` by the identity
//!
//! ```text
//!   Σ_i 1/(α - a_i) = Σ_j m_j/(α - t_j)
//! ```
//!
//! at a random `α`, with committed multiplicities `m`. For tables of `(input, output)` rows each
//! row is folded as `in + β·out`. Both sides are proven with the fractional-sum GKR of Papini and
//! Haböck ("Improving logarithmic derivative lookups using GKR", eprint 2023/1284), see [`gkr`].
//! The result is a set of claims ([`LookupClaims`]) on the committed lookup columns and
//! multiplicities, which the caller settles through the polynomial commitment scheme.
//!
//! Order of operations (docs/pitfalls.md, 3): the caller commits the lookup columns and the
//! multiplicities, observes the commitment in the transcript, and only then calls
//! [`prove_lookup`] / [`verify_lookup`], which draw `β` and `α`. See docs/lookup.md.

pub mod gkr;
mod logup;
mod mle;
mod table;
pub mod zk;

pub use logup::{
    LookupClaims, LookupError, LookupInstance, LookupProof, Lookups, MAX_LOOKUP_VARS, prove_lookup,
    verify_lookup,
};
pub use table::{FunctionTable, MAX_TABLE_BITS, Table, multiplicities};
