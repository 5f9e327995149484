//! The concrete p3 stack (hashes, Merkle tree, DFT) and the commitment type.

use p3_field::Field;
use p3_koala_bear::{
    Poseidon2KoalaBear, default_koalabear_poseidon2_16, default_koalabear_poseidon2_24,
};
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{MerkleCap, PaddingFreeSponge, TruncatedPermutation};
use serde::{Deserialize, Serialize};
use zkinfer_field::F;

use crate::codec::{self, DecodeError};

/// Leaf hash: Poseidon2 width 24 sponge, rate 16, 8-element digests.
pub(crate) type LeafHash = PaddingFreeSponge<Poseidon2KoalaBear<24>, 24, 16, 8>;
/// Node compression: Poseidon2 width 16, two digests in, one out.
pub(crate) type NodeCompress = TruncatedPermutation<Poseidon2KoalaBear<16>, 2, 8, 16>;
type Packing = <F as Field>::Packing;
/// The Merkle commitment scheme every zkinfer PCS commitment uses.
pub(crate) type Mmcs = MerkleTreeMmcs<Packing, Packing, LeafHash, NodeCompress, 2, 8>;
/// The DFT engine (twiddles are cached behind an `Arc`, so clones share them).
pub(crate) type Dft = p3_dft::Radix2DFTSmallBatch<F>;
/// The p3 commitment: a Merkle cap of height 0 (one root).
pub(crate) type Root = MerkleCap<F, [F; 8]>;

/// The Merkle tree with Plonky3's fixed Poseidon2 constants.
pub(crate) fn mmcs() -> Mmcs {
    Mmcs::new(
        LeafHash::new(default_koalabear_poseidon2_24()),
        NodeCompress::new(default_koalabear_poseidon2_16()),
        0,
    )
}

/// A commitment to one or more multilinear polynomials: the Merkle root of their WHIR codeword.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Commitment(pub(crate) Root);

impl Commitment {
    /// Canonical postcard encoding (33 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        codec::encode(self)
    }

    /// Decodes a commitment; refuses oversized input, trailing bytes, non-canonical encodings
    /// and caps other than a single root.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let c: Self = codec::decode(bytes)?;
        if c.0.roots().len() != 1 {
            return Err(DecodeError::Malformed(
                "commitment must hold exactly one root".into(),
            ));
        }
        Ok(c)
    }
}

/// p3's stacked layout used by both sides.
pub(crate) type Stack = p3_sumcheck::layout::SuffixProver<F, zkinfer_field::EF>;
/// The p3 WHIR prover/verifier object for one stacked size.
pub(crate) type Whir =
    p3_whir::WhirProver<zkinfer_field::EF, F, Dft, Mmcs, zkinfer_transcript::Challenger, Stack>;
