//! Key ids, and the integrity digest that ends every key file.
//!
//! A key file ends with the SHA-256 of everything before it (magic, format version, body): a
//! changed byte anywhere is refused before the body is parsed ([`crate::CodecError::Corrupt`]),
//! instead of being proven or checked with (a flipped weight of a prover key is still a
//! well-formed key, so parsing alone cannot catch it).
//!
//! The verifier key's digest is its **key id**: it covers the architecture, the model hash and the
//! weight binding, so two setups that could issue different proofs have different ids (every
//! zero-knowledge setup draws a fresh salt; a plain setup of the same model and quantization gives
//! the same key, byte for byte). A proof file names the key id it was made for, and the verifier
//! compares it with its own key's id before checking anything else, so a proof checked with the
//! wrong key is refused by name, not deep inside a layer's sumcheck.
//!
//! The id needs no place of its own in the Fiat–Shamir statement: the statement binds the model
//! hash and the weight binding, which determine the verifier key, so a proof made for one key
//! does not verify with another even when its recorded id is rewritten (docs/security.md).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::codec::{CodecError, FileKind, HEADER_LEN, unsealed};
use crate::{ProofFile, ProtocolError, ProverBinding, ProverKey, VerifierKey, WeightBinding};

/// Bytes of a key file's integrity digest (SHA-256).
pub const DIGEST_BYTES: usize = 32;

/// The id of a verifier key: the SHA-256 of its file's contents before the digest, which is also
/// the digest that ends the file (so `head -c -32 verifier.key | sha256sum` prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KeyId(pub [u8; DIGEST_BYTES]);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; DIGEST_BYTES] {
    Sha256::digest(bytes).into()
}

/// Splits a key file's digest off and checks it; the rest is returned.
pub(crate) fn unseal(kind: FileKind, bytes: &[u8]) -> Result<&[u8], CodecError> {
    let split = bytes
        .len()
        .checked_sub(DIGEST_BYTES)
        .filter(|&n| n >= HEADER_LEN)
        .ok_or(CodecError::Truncated {
            kind,
            len: bytes.len(),
        })?;
    let (contents, tail) = bytes.split_at_checked(split).ok_or(CodecError::Truncated {
        kind,
        len: bytes.len(),
    })?;
    let mut stored = [0u8; DIGEST_BYTES];
    stored.copy_from_slice(tail);
    let computed = sha256(contents);
    if stored != computed {
        return Err(CodecError::Corrupt {
            kind,
            stored,
            computed,
        });
    }
    Ok(contents)
}

impl VerifierKey {
    /// This key's id (see the module docs).
    pub fn key_id(&self) -> KeyId {
        KeyId(sha256(&unsealed(FileKind::VerifierKey, self)))
    }
}

impl ProverKey {
    /// The verifier key that setup issued with this prover key: the model without its weights,
    /// its hash, and the public part of the binding. Setup builds the verifier key this way, so
    /// the prover knows the key id its proofs are for without reading the verifier key.
    pub fn verifier_key(&self) -> VerifierKey {
        let architecture = crate::strip_weights(&self.model);
        let binding = match &self.binding {
            ProverBinding::Plain { weight_commitment } => WeightBinding::Plain {
                weight_commitment: weight_commitment.clone(),
            },
            ProverBinding::ZeroKnowledge { weight_digest, .. } => WeightBinding::ZeroKnowledge {
                weight_digest: *weight_digest,
            },
        };
        VerifierKey {
            model_hash: crate::model_hash(&architecture),
            architecture,
            binding,
        }
    }

    /// The id of this key's verifier key, which every proof made with it records.
    pub fn key_id(&self) -> KeyId {
        self.verifier_key().key_id()
    }
}

impl ProofFile {
    /// Refuses a proof made for another key than `vk` ([`ProtocolError::WrongKey`]). Run it
    /// before [`crate::verify`] or [`crate::verify_zk`], whose failure on a wrong key names only
    /// the first check that breaks.
    pub fn check_key(&self, vk: &VerifierKey) -> Result<(), ProtocolError> {
        let key = vk.key_id();
        if self.key_id == key {
            Ok(())
        } else {
            Err(ProtocolError::WrongKey {
                proof: self.key_id,
                key,
            })
        }
    }
}

#[cfg(test)]
#[path = "key_id_tests.rs"]
mod tests;
