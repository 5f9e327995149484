//! Bounded, canonical postcard encoding for commitments and proofs (docs/pitfalls.md, 7).

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// Largest encoding accepted by any `from_bytes` in this crate (16 MiB). The largest proof
/// measured (hiding, 2^22) is under 1 MiB.
pub const MAX_ENCODED_BYTES: usize = 16 << 20;

/// Why untrusted bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The input exceeds [`MAX_ENCODED_BYTES`].
    #[error("encoding of {len} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Input length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// postcard could not decode the input, or a decoded value is structurally invalid.
    #[error("malformed encoding: {0}")]
    Malformed(String),
    /// Bytes remained after the value.
    #[error("{0} trailing bytes after the encoded value")]
    TrailingBytes(usize),
    /// The input decodes, but re-encoding the value gives different bytes.
    #[error("non-canonical encoding")]
    NonCanonical,
}

/// Encodes a value with postcard. Serializing into a `Vec` cannot fail for these types (no maps,
/// no unsized sequences); an empty vector is returned if it ever did, which no decoder accepts.
pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

/// Decodes `bytes` as one `T`: size-capped, no trailing bytes, canonical (re-encoding the
/// decoded value must reproduce `bytes` exactly).
pub(crate) fn decode<T: Serialize + DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    if bytes.len() > MAX_ENCODED_BYTES {
        return Err(DecodeError::TooLarge {
            len: bytes.len(),
            max: MAX_ENCODED_BYTES,
        });
    }
    // A forged length prefix cannot allocate much: serde caps pre-allocation
    // (`size_hint::cautious`) and every element consumes input bytes, which are capped above.
    let (value, rest) =
        postcard::take_from_bytes::<T>(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(DecodeError::TrailingBytes(rest.len()));
    }
    if encode(&value) != bytes {
        return Err(DecodeError::NonCanonical);
    }
    Ok(value)
}
