//! The field's limits on integers, in a module of its own so that every other module (the model's
//! requantization, the bounds) can use them without depending on each other.

/// The KoalaBear prime 2^31 - 2^24 + 1.
pub const KOALA_BEAR_P: i64 = (1 << 31) - (1 << 24) + 1;

/// Every integer the prover handles must satisfy `|x| < BOUND_LIMIT = (p-1)/2`, so that signed values
/// encode mod p without wraparound.
pub const BOUND_LIMIT: i64 = (KOALA_BEAR_P - 1) / 2;
