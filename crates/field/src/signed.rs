//! Signed integers in a prime field: `v` is encoded as `v mod p`, and decoded as the representative
//! in `(-p/2, p/2]`. Encoding refuses magnitudes at or above `(p-1)/2`, so that a sum or product of
//! bounded values can be checked statically never to wrap (docs/pitfalls.md, 4).

use p3_field::PrimeField64;
use thiserror::Error;

/// A value too large to be encoded without ambiguity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("integer {value} does not fit the field: |v| must be below {limit}")]
pub struct SignedEncodeError {
    /// The value that was refused.
    pub value: i64,
    /// The exclusive magnitude limit, `(p-1)/2`.
    pub limit: u64,
}

/// The largest magnitude (exclusive) that [`encode_signed`] accepts: `(p-1)/2`.
pub fn max_signed_magnitude<F: PrimeField64>() -> u64 {
    (F::ORDER_U64 - 1) / 2
}

/// Encodes `v` as `v mod p`, refusing `|v| >= (p-1)/2`.
pub fn encode_signed<F: PrimeField64>(v: i64) -> Result<F, SignedEncodeError> {
    let limit = max_signed_magnitude::<F>();
    if v.unsigned_abs() >= limit {
        return Err(SignedEncodeError { value: v, limit });
    }
    let magnitude = F::from_u64(v.unsigned_abs());
    Ok(if v < 0 { -magnitude } else { magnitude })
}

/// Decodes the centred representative of `x`, in `(-p/2, p/2]`.
pub fn decode_signed<F: PrimeField64>(x: F) -> i64 {
    let c = x.as_canonical_u64();
    if c > F::ORDER_U64 / 2 {
        -((F::ORDER_U64 - c) as i64)
    } else {
        c as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{F, PrimeCharacteristicRing};
    use proptest::prelude::*;

    #[test]
    fn negative_one_is_p_minus_one() {
        let x: F = encode_signed(-1).unwrap();
        assert_eq!(x, F::NEG_ONE);
        assert_eq!(decode_signed(x), -1);
    }

    #[test]
    fn limit_is_refused_both_ways() {
        let lim = max_signed_magnitude::<F>() as i64;
        assert!(encode_signed::<F>(lim).is_err());
        assert!(encode_signed::<F>(-lim).is_err());
        assert!(encode_signed::<F>(lim - 1).is_ok());
        assert!(encode_signed::<F>(i64::MIN).is_err());
    }

    proptest! {
        #[test]
        fn round_trip(v in -(1i64 << 29)..(1i64 << 29)) {
            let x: F = encode_signed(v).unwrap();
            prop_assert_eq!(decode_signed(x), v);
        }

        #[test]
        fn encoding_is_a_ring_map(a in -(1i64 << 14)..(1i64 << 14), b in -(1i64 << 14)..(1i64 << 14)) {
            let (x, y): (F, F) = (encode_signed(a).unwrap(), encode_signed(b).unwrap());
            prop_assert_eq!(decode_signed(x * y), a * b);
            prop_assert_eq!(decode_signed(x + y), a + b);
            prop_assert_eq!(decode_signed(x - y), a - b);
        }
    }
}
