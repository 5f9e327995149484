//! The mutants of a proof's serde tree ([`super::serde_walk::Map`]): each field element +1, 0,
//! -1 and swapped with its neighbour; each sequence shortened, lengthened and reordered; each
//! `Some` removed. A mutant is a list of byte splices of the honest encoding.

use std::ops::Range;

use zkinfer_field::{EF, PrimeCharacteristicRing};

use super::serde_walk::{EF_BYTES, Map, ef_bytes, ef_zero, varint};

/// One tampering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mutation {
    /// The element plus one.
    Add1,
    /// The element set to zero.
    Zero,
    /// The element set to `p - 1`.
    MinusOne,
    /// The element swapped with the next one of its sequence or array.
    SwapNext,
    /// Items `i` and `i + 1` of a sequence swapped.
    SwapItems(usize),
    /// A zero element appended to a sequence of elements.
    PushZero,
    /// The last item removed.
    Pop,
    /// The last item repeated.
    DupLast,
    /// `Some(x)` made `None`.
    ToNone,
}

/// One mutant: where, what, and the splices that make it.
#[derive(Debug, Clone)]
pub struct Mutant {
    pub path: String,
    pub what: Mutation,
    pub edits: Vec<(Range<usize>, Vec<u8>)>,
}

impl Mutant {
    /// The path with every index removed: the field the mutant hits, for per-field tallies.
    pub fn field(&self) -> String {
        strip_indices(&self.path)
    }
}

pub fn strip_indices(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                out.push_str("[]");
            }
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every element mutant of `map` (`Add1`, `Zero`, `MinusOne`, `SwapNext`), leaving out the ones
/// that change nothing (zero set to zero, equal neighbours swapped).
pub fn element_mutants(map: &Map) -> Vec<Mutant> {
    let mut out = vec![];
    for (k, e) in map.elems.iter().enumerate() {
        let v = map.ef(e);
        let at = e.offset..e.offset + EF_BYTES;
        let mut push = |what, new: EF| {
            out.push(Mutant {
                path: e.path.clone(),
                what,
                edits: vec![(at.clone(), ef_bytes(new))],
            })
        };
        push(Mutation::Add1, v + EF::ONE);
        if v != EF::ZERO {
            push(Mutation::Zero, EF::ZERO);
        }
        if v != EF::NEG_ONE {
            push(Mutation::MinusOne, EF::NEG_ONE);
        }
        // The next element of the same sequence or array, if adjacent in the encoding.
        if let Some(n) = map.elems.get(k + 1) {
            let same_parent = match (&e.parent, &n.parent) {
                (Some((a, i)), Some((b, j))) => a == b && j == &(i + 1),
                _ => false,
            };
            let nv = map.ef(n);
            if same_parent && n.offset == e.offset + EF_BYTES && nv != v {
                let mut both = ef_bytes(nv);
                both.extend(ef_bytes(v));
                out.push(Mutant {
                    path: e.path.clone(),
                    what: Mutation::SwapNext,
                    edits: vec![(e.offset..n.offset + EF_BYTES, both)],
                });
            }
        }
    }
    out
}

/// Every sequence and option mutant of `map`: `Pop`, `DupLast`, `SwapItems` (sequences of
/// composite items; elements are swapped by [`element_mutants`]), `PushZero` (sequences of
/// elements, and empty sequences, whose item type the encoding does not tell: a zero element
/// there either decodes or is refused by the decoder), `ToNone`.
pub fn structure_mutants(map: &Map) -> Vec<Mutant> {
    let mut out = vec![];
    let b = &map.bytes;
    for s in &map.seqs {
        let n = s.items.len();
        let len_to = |m: usize| (s.len_at.clone(), varint(m as u64));
        let mut push = |what, edits| {
            out.push(Mutant {
                path: s.path.clone(),
                what,
                edits,
            })
        };
        if let Some(last) = s.items.last() {
            push(Mutation::Pop, vec![len_to(n - 1), (last.clone(), vec![])]);
            let copy = b[last.clone()].to_vec();
            push(
                Mutation::DupLast,
                vec![len_to(n + 1), (last.end..last.end, copy)],
            );
        }
        if s.of_ef || n == 0 {
            let end = s.items.last().map_or(s.len_at.end, |r| r.end);
            push(
                Mutation::PushZero,
                vec![len_to(n + 1), (end..end, ef_zero())],
            );
        }
        if !s.of_ef {
            for i in 0..n.saturating_sub(1) {
                let (x, y) = (&s.items[i], &s.items[i + 1]);
                if b[x.clone()] != b[y.clone()] {
                    let mut both = b[y.clone()].to_vec();
                    both.extend_from_slice(&b[x.clone()]);
                    push(Mutation::SwapItems(i), vec![(x.start..y.end, both)]);
                }
            }
        }
    }
    for s in &map.somes {
        out.push(Mutant {
            path: s.path.clone(),
            what: Mutation::ToNone,
            edits: vec![(s.range.clone(), vec![0])],
        });
    }
    out
}
