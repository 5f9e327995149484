//! File formats of the prover key, the verifier key and a proof file (docs/cli.md).
//!
//! Each file is an 8-byte magic naming its kind, a little-endian `u16` format version, then the
//! value's postcard encoding; a key file then ends with the SHA-256 of all that (`key_id.rs`).
//! Decoding treats the bytes as untrusted (docs/pitfalls.md, 7): the size is capped before anything
//! is parsed, and a wrong magic, an unknown version, a digest that does not match, a truncated
//! body, trailing bytes or a non-canonical encoding (one that does not re-encode to the same
//! bytes) is a typed error, never a panic.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkinfer_pcs::Commitment;

use crate::key_id::{DIGEST_BYTES, KeyId, hex, sha256, unseal};
use crate::{ModelProof, ProverBinding, ProverKey, VerifierKey, WeightBinding, ZkModelProof};

/// The format version written by this code and the only one it reads (3: a proof file's proof is
/// a [`Proof`], plain or zero-knowledge; 4: keys carry the salted weight digest, and
/// zero-knowledge proofs prove it instead of opening the weight commitment; 5: a private input's
/// commitment holds four blinder blocks and is opened at a point with two fixed coordinates, see
/// `zk/input.rs`; 6: keys serve one proof mode, a zero-knowledge verifier key holding the digest
/// and no weight commitment, and static bounds no longer depend on the weights beyond bit lengths; 7: every node of a key's
/// model records the declared width of its constants or bias, and both kinds of proof carry the
/// range checks of the weights against their widths; 8: key files end with a SHA-256 integrity
/// digest, a proof file names the key id it was made for, and every static bound is the one the
/// public widths give, recomputed by the verifier; 9: wiring and matmul proofs are written once
/// over the proof mode, a plain wiring running one sumcheck for all its inputs).
pub const FORMAT_VERSION: u16 = 9;
/// Largest prover key file accepted (64 MiB): prover keys hold a whole model, about 40 million
/// 12-bit weights at this size (lenet5_28's key is 108 KB), and a file at the cap is read and
/// hashed in well under a second within 100 MB.
pub const MAX_KEY_BYTES: usize = 64 << 20;
/// Largest verifier key file accepted (16 MiB): a verifier key holds the architecture without
/// weights (the shipped models' are under 1 KiB), so a larger file is refused unread.
pub const MAX_VERIFIER_KEY_BYTES: usize = 16 << 20;
/// Largest proof file accepted (16 MiB); proofs of the shipped models are well under 1 MiB.
pub const MAX_PROOF_BYTES: usize = 16 << 20;

pub(crate) const HEADER_LEN: usize = 10;

/// A proof as written to disk: the key it was made for, the claimed output (quantized) and its
/// proof.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProofFile {
    /// The id of the verifier key the proof was made for ([`ProverKey::key_id`]); checked by
    /// [`ProofFile::check_key`] before the proof.
    pub key_id: KeyId,
    /// The model's quantized output the proof is about.
    pub output: Vec<i64>,
    /// The proof, of either kind.
    pub proof: Proof,
}

/// A proof of either kind; the variant records the mode it was made in, and the verifier must
/// check it with the matching function ([`crate::verify`] or [`crate::verify_zk`]). The two
/// kinds have distinct transcript domains, so neither verifies as the other.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "one value per proof file; both variants own heap data far larger than the difference"
)]
pub enum Proof {
    /// A plain proof: it reveals evaluations of the input and the activations.
    Plain(ModelProof),
    /// A zero-knowledge proof: the activations stay hidden (see [`crate::zk`]).
    Zk(ZkModelProof),
}

impl Proof {
    /// Whether this is a zero-knowledge proof.
    pub fn zero_knowledge(&self) -> bool {
        matches!(self, Self::Zk(_))
    }
}

/// The three kinds of file, each with its own magic so one is never read as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `prover.key`.
    ProverKey,
    /// `verifier.key`.
    VerifierKey,
    /// A proof file.
    Proof,
}

impl FileKind {
    /// The 8-byte magic that starts files of this kind.
    pub const fn magic(self) -> [u8; 8] {
        match self {
            Self::ProverKey => *b"ZKINFPK\0",
            Self::VerifierKey => *b"ZKINFVK\0",
            Self::Proof => *b"ZKINFPF\0",
        }
    }

    /// Whether files of this kind end with an integrity digest (keys do; a proof is checked by
    /// the verifier, and a changed byte in it is rejected there).
    pub const fn sealed(self) -> bool {
        matches!(self, Self::ProverKey | Self::VerifierKey)
    }

    /// The size cap for files of this kind.
    pub const fn max_bytes(self) -> usize {
        match self {
            Self::ProverKey => MAX_KEY_BYTES,
            Self::VerifierKey => MAX_VERIFIER_KEY_BYTES,
            Self::Proof => MAX_PROOF_BYTES,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::ProverKey => "prover key",
            Self::VerifierKey => "verifier key",
            Self::Proof => "proof",
        }
    }

    fn from_magic(magic: &[u8]) -> Option<Self> {
        [Self::ProverKey, Self::VerifierKey, Self::Proof]
            .into_iter()
            .find(|k| k.magic() == magic)
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why bytes were refused as a key or proof file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodecError {
    /// The input exceeds the cap for its kind (checked before parsing).
    #[error("{kind} file of {len} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Expected kind.
        kind: FileKind,
        /// Input length.
        len: usize,
        /// Cap.
        max: usize,
    },
    /// The input ends before the header or the value does.
    #[error("{kind} file is truncated ({len} bytes)")]
    Truncated {
        /// Expected kind.
        kind: FileKind,
        /// Input length.
        len: usize,
    },
    /// The magic is not this kind's (names the kind it is, if it is another zkinfer file).
    #[error("not a {kind} file (magic {found:02x?}{})", .other.map(|o| format!(", this is a {o} file")).unwrap_or_default())]
    BadMagic {
        /// Expected kind.
        kind: FileKind,
        /// The first 8 bytes found.
        found: [u8; 8],
        /// The kind those bytes belong to, if any.
        other: Option<FileKind>,
    },
    /// A format version this code does not read.
    #[error(
        "{kind} file has format version {found}, this program reads version {FORMAT_VERSION}{}",
        if *.found < FORMAT_VERSION {
            " (the file was written by an older zkinfer: run setup again, then prove again)"
        } else {
            " (the file was written by a newer zkinfer)"
        }
    )]
    UnsupportedVersion {
        /// Expected kind.
        kind: FileKind,
        /// Version found.
        found: u16,
    },
    /// A key file's contents do not hash to the digest that ends it: it was changed after setup
    /// wrote it (checked before the body is parsed).
    #[error(
        "{kind} is corrupt: digest mismatch (the file records {}, its contents hash to {}): it \
         changed after setup wrote it; restore it from a copy or run setup again",
        hex(.stored), hex(.computed)
    )]
    Corrupt {
        /// Expected kind.
        kind: FileKind,
        /// The digest the file ends with.
        stored: [u8; DIGEST_BYTES],
        /// The SHA-256 of the file's contents before it.
        computed: [u8; DIGEST_BYTES],
    },
    /// The body does not decode, or decodes to an invalid value.
    #[error("malformed {kind} file: {detail}")]
    Malformed {
        /// Expected kind.
        kind: FileKind,
        /// What is wrong.
        detail: String,
    },
    /// Bytes remain after the value.
    #[error("{kind} file has {count} trailing bytes after its value")]
    TrailingBytes {
        /// Expected kind.
        kind: FileKind,
        /// How many.
        count: usize,
    },
    /// The body decodes, but re-encoding the value gives other bytes (e.g. an over-long varint).
    #[error("{kind} file is not canonically encoded")]
    NonCanonical {
        /// Expected kind.
        kind: FileKind,
    },
}

/// Magic, version and body, without the digest: what a key file's digest (and a key id) covers.
pub(crate) fn unsealed<T: Serialize>(kind: FileKind, value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN);
    out.extend_from_slice(&kind.magic());
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // Serializing these types into a Vec cannot fail (no maps, no unsized sequences); if it ever
    // did, the header alone is written, which every decoder refuses as truncated.
    if let Ok(body) = postcard::to_allocvec(value) {
        out.extend_from_slice(&body);
    }
    out
}

fn encode<T: Serialize>(kind: FileKind, value: &T) -> Vec<u8> {
    let mut out = unsealed(kind, value);
    if kind.sealed() {
        let digest = sha256(&out);
        out.extend_from_slice(&digest);
    }
    out
}

fn decode<T: Serialize + DeserializeOwned>(kind: FileKind, bytes: &[u8]) -> Result<T, CodecError> {
    let max = kind.max_bytes();
    if bytes.len() > max {
        return Err(CodecError::TooLarge {
            kind,
            len: bytes.len(),
            max,
        });
    }
    let truncated = CodecError::Truncated {
        kind,
        len: bytes.len(),
    };
    let (magic, rest) = bytes.split_at_checked(8).ok_or(truncated.clone())?;
    if magic != kind.magic() {
        let mut found = [0u8; 8];
        found.copy_from_slice(magic);
        let other = FileKind::from_magic(magic);
        return Err(CodecError::BadMagic { kind, found, other });
    }
    let (version, body) = rest.split_at_checked(2).ok_or(truncated.clone())?;
    let found = u16::from_le_bytes([
        version.first().copied().unwrap_or(0),
        version.get(1).copied().unwrap_or(0),
    ]);
    if found != FORMAT_VERSION {
        return Err(CodecError::UnsupportedVersion { kind, found });
    }
    let body = if kind.sealed() {
        let contents = unseal(kind, bytes)?;
        contents.get(HEADER_LEN..).ok_or(truncated.clone())?
    } else {
        body
    };
    // A forged length prefix cannot allocate much: serde caps pre-allocation and every element
    // consumes at least one input byte, and the input is capped above.
    let (value, tail) = postcard::take_from_bytes::<T>(body).map_err(|e| match e {
        postcard::Error::DeserializeUnexpectedEnd => truncated,
        e => CodecError::Malformed {
            kind,
            detail: e.to_string(),
        },
    })?;
    if !tail.is_empty() {
        return Err(CodecError::TrailingBytes {
            kind,
            count: tail.len(),
        });
    }
    if postcard::to_allocvec(&value).ok().as_deref() != Some(body) {
        return Err(CodecError::NonCanonical { kind });
    }
    Ok(value)
}

/// Serde does not run `Commitment::from_bytes`'s structural check (exactly one Merkle root).
fn check_commitment(kind: FileKind, c: &Commitment, what: &str) -> Result<(), CodecError> {
    Commitment::from_bytes(&c.to_bytes())
        .map(|_| ())
        .map_err(|e| CodecError::Malformed {
            kind,
            detail: format!("{what}: {e}"),
        })
}

impl ProverKey {
    /// The prover key file: magic `ZKINFPK\0`, version, postcard body.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(FileKind::ProverKey, self)
    }

    /// Decodes a prover key file and validates its model (see [`CodecError`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CodecError> {
        let kind = FileKind::ProverKey;
        let pk: Self = decode(kind, bytes)?;
        if let ProverBinding::Plain { weight_commitment } = &pk.binding {
            check_commitment(kind, weight_commitment, "weight commitment")?;
        }
        pk.model.validate().map_err(|e| CodecError::Malformed {
            kind,
            detail: format!("model: {e}"),
        })?;
        Ok(pk)
    }
}

impl VerifierKey {
    /// The verifier key file: magic `ZKINFVK\0`, version, postcard body.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(FileKind::VerifierKey, self)
    }

    /// Decodes a verifier key file; refuses a key whose model hash does not match its
    /// architecture (the verifier checks it again).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CodecError> {
        let kind = FileKind::VerifierKey;
        let vk: Self = decode(kind, bytes)?;
        if let WeightBinding::Plain { weight_commitment } = &vk.binding {
            check_commitment(kind, weight_commitment, "weight commitment")?;
        }
        if crate::model_hash(&vk.architecture) != vk.model_hash {
            return Err(CodecError::Malformed {
                kind,
                detail: "model hash does not match the architecture".into(),
            });
        }
        // The verifiers check this again; refusing here names the file.
        vk.architecture
            .validate_architecture()
            .map_err(|e| CodecError::Malformed {
                kind,
                detail: format!("architecture: {e}"),
            })?;
        Ok(vk)
    }
}

impl ProofFile {
    /// The proof file: magic `ZKINFPF\0`, version, postcard body.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(FileKind::Proof, self)
    }

    /// Decodes a proof file (structure only: [`crate::verify`] or [`crate::verify_zk`] decides
    /// validity).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CodecError> {
        let kind = FileKind::Proof;
        let pf: Self = decode(kind, bytes)?;
        match &pf.proof {
            Proof::Plain(p) => {
                if let Some(c) = &p.witness_commitment {
                    check_commitment(kind, c, "witness commitment")?;
                }
            }
            Proof::Zk(p) => check_commitment(kind, &p.hidden_commitment, "hidden commitment")?,
        }
        Ok(pf)
    }
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
