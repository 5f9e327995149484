//! Field choices for zkinfer and the encoding of signed integers into them.
//!
//! Protocol code is generic over a Plonky3 [`Field`]; these aliases fix the default instantiation:
//! KoalaBear (p = 2^31 - 2^24 + 1) for witness values and its degree-4 binomial extension (124 bits)
//! for verifier challenges, which leaves room for >= 100 bits of soundness after the sumcheck and
//! Schwartz-Zippel losses (see docs/security.md).

mod seeded;
mod signed;

pub use p3_field::{
    BasedVectorSpace, ExtensionField, Field, PrimeCharacteristicRing, PrimeField32, PrimeField64,
    TwoAdicField,
};
pub use p3_koala_bear::KoalaBear;
pub use seeded::SplitMix64;
pub use signed::{SignedEncodeError, decode_signed, encode_signed, max_signed_magnitude};

/// The base field: every witness value and committed polynomial lives here.
pub type F = KoalaBear;

/// Degree of the challenge extension over [`F`].
pub const EXT_DEGREE: usize = 4;

/// The challenge field: every verifier challenge and every value derived from one.
pub type EF = p3_field::extension::BinomialExtensionField<KoalaBear, EXT_DEGREE>;

/// log2 of the size of the challenge field, rounded down: the per-check Schwartz-Zippel budget.
pub fn challenge_field_bits() -> f64 {
    EXT_DEGREE as f64 * (F::ORDER_U64 as f64).log2()
}
