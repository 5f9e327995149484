//! A generic walk over a proof's serde tree, in the proof's own byte encoding (postcard).
//!
//! [`Map::of`] serializes a value with a serializer that writes exactly postcard's bytes (checked
//! against `postcard::to_allocvec`) and records, with its path in the tree (`steps[2].Requant.
//! range.layers[0].rounds.round_polys[1][3]`), where every extension-field element lies (a struct
//! named `ExtField`: 16 bytes, four base-field coordinates in Montgomery form), every sequence
//! (its length prefix and each item's byte range) and every `Some`. A mutant is a list of byte
//! splices made from these records; the tampered proof is the postcard decoding of the spliced
//! bytes, as a verifier receiving bytes would get it.
//!
//! Nothing here names a proof type: a field added to any proof type is walked without a change.
//! Subtrees at the `skip` paths (the PCS commitments and openings, p3 types tampered at the byte
//! level by their own codecs) are encoded but not recorded. Any other leaf that is not inside an
//! extension-field element (an integer, a string...) is listed in [`Map::others`] so a test can
//! require there is none.

use std::ops::Range;

use serde::Serialize;
use serde::ser;
use zkinfer_field::{EF, PrimeCharacteristicRing};

use super::tracker::track;

/// Bytes of one encoded extension-field element.
pub const EF_BYTES: usize = 16;

/// One extension-field element of the tree.
#[derive(Debug, Clone)]
pub struct Elem {
    pub path: String,
    /// The path of the sequence or tuple holding it and its index there, if any.
    pub parent: Option<(String, usize)>,
    pub offset: usize,
}

/// One sequence (a `Vec`): its length prefix and its items.
#[derive(Debug, Clone)]
pub struct Seq {
    pub path: String,
    pub len_at: Range<usize>,
    pub items: Vec<Range<usize>>,
    /// Whether its items are extension-field elements (never known for an empty sequence:
    /// serde does not tell the element type of an empty one).
    pub of_ef: bool,
}

/// One `Some(..)`: its tag byte through the end of its value.
#[derive(Debug, Clone)]
pub struct Some_ {
    pub path: String,
    pub range: Range<usize>,
}

/// Where everything lies in the encoding of one value.
#[derive(Debug, Default, Clone)]
pub struct Map {
    pub bytes: Vec<u8>,
    pub elems: Vec<Elem>,
    pub seqs: Vec<Seq>,
    pub somes: Vec<Some_>,
    /// Leaves outside extension-field elements and skipped subtrees: (path, kind).
    pub others: Vec<(String, &'static str)>,
    /// The byte ranges of the skipped subtrees, by path.
    pub skipped: Vec<(String, Range<usize>)>,
}

#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Error {}
impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl Map {
    /// Encodes `value` and records its tree; subtrees at the paths in `skip` are not recorded.
    pub fn of<T: Serialize>(value: &T, skip: &[&str]) -> Map {
        let map = track(value, skip).expect("the tracking serializer");
        assert_eq!(
            map.bytes,
            postcard::to_allocvec(value).unwrap(),
            "the tracking serializer must write postcard's bytes"
        );
        map
    }

    /// The element at `e`.
    pub fn ef(&self, e: &Elem) -> EF {
        postcard::from_bytes(&self.bytes[e.offset..e.offset + EF_BYTES]).unwrap()
    }
}

/// A postcard varint (LEB128).
pub fn varint(mut v: u64) -> Vec<u8> {
    let mut out = vec![];
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

pub fn ef_bytes(e: EF) -> Vec<u8> {
    let b = postcard::to_allocvec(&e).unwrap();
    assert_eq!(b.len(), EF_BYTES);
    b
}

pub fn ef_zero() -> Vec<u8> {
    ef_bytes(EF::ZERO)
}

/// Replaces byte ranges (non-overlapping) of `bytes`.
pub fn splice(bytes: &[u8], edits: &[(Range<usize>, Vec<u8>)]) -> Vec<u8> {
    let mut sorted: Vec<&(Range<usize>, Vec<u8>)> = edits.iter().collect();
    sorted.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = bytes.to_vec();
    let mut last = usize::MAX;
    for (r, b) in sorted {
        assert!(r.end <= last, "overlapping edits");
        out.splice(r.clone(), b.iter().copied());
        last = r.start;
    }
    out
}
