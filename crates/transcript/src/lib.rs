//! The Fiat-Shamir transcript shared by every zkinfer prover and verifier.
//!
//! A [`Transcript`] can only be created from a [`Statement`]: the protocol's domain separator and
//! version, its public parameters, and every statement field the caller names (model hash, weight
//! commitment, input, output, ...). Everything a prover sends afterwards is observed through typed,
//! labelled calls before any challenge that depends on it is drawn (docs/pitfalls.md, 1).
//!
//! Encoding: each absorbed item is `tag(label), length, payload`: byte strings packed three bytes to a
//! field element after their length, a message label as a 60-bit tag (two elements; labels are fixed
//! strings in the code, so the tag only separates message kinds, as defence in depth: the schedule
//! itself is fixed by the protocol), a length as one element (or a marker and three limbs past
//! 2^30). Lengths make the payload encoding injective, so two different statements or message
//! sequences never absorb the same sequence of field elements (statement labels, chosen by callers,
//! are absorbed as byte strings, not tags). The short header keeps the sponge work per message close
//! to the message's own size: a sumcheck round of four extension elements absorbs 19 elements, not 27.

mod statement;

pub use statement::{Statement, StatementError};

use p3_challenger::{CanObserve, CanSample, DuplexChallenger, FieldChallenger};
use p3_koala_bear::{Poseidon2KoalaBear, default_koalabear_poseidon2_16};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};

/// The sponge permutation: Poseidon2 over KoalaBear, width 16, with Plonky3's fixed constants.
pub type Perm = Poseidon2KoalaBear<16>;

/// The duplex challenger (rate 8, capacity 8: 124 bits of capacity) that backs the transcript.
pub type Challenger = DuplexChallenger<F, Perm, 16, 8>;

/// The Poseidon2 permutation with the fixed constants every party uses.
pub fn permutation() -> Perm {
    default_koalabear_poseidon2_16()
}

/// Absorbs and squeezes field elements with labels; implemented by [`Transcript`].
///
/// Protocol crates (sumcheck, lookup) are written against this trait so that they stay generic over
/// the challenge field and the sponge.
pub trait FiatShamir<E> {
    /// Observes prover messages under a label.
    fn observe(&mut self, label: &'static str, values: &[E]);
    /// Draws one challenge under a label.
    fn challenge(&mut self, label: &'static str) -> E;
    /// Draws `n` challenges under a label.
    fn challenges(&mut self, label: &'static str, n: usize) -> Vec<E> {
        (0..n).map(|_| self.challenge(label)).collect()
    }
}

/// A Fiat-Shamir transcript bound to a whole statement.
#[derive(Clone, Debug)]
pub struct Transcript {
    challenger: Challenger,
}

impl Transcript {
    /// Starts a transcript by absorbing the entire statement.
    pub fn new(statement: &Statement) -> Self {
        let mut t = Self {
            challenger: Challenger::new(permutation()),
        };
        statement.absorb_into(&mut t);
        t
    }

    /// Observes base-field elements.
    pub fn observe_base(&mut self, label: &'static str, values: &[F]) {
        self.absorb_header(label, values.len());
        self.challenger.observe_slice(values);
    }

    /// Observes extension-field elements.
    pub fn observe_ext(&mut self, label: &'static str, values: &[EF]) {
        self.absorb_header(label, values.len());
        for v in values {
            self.challenger.observe_algebra_element(*v);
        }
    }

    /// Observes a byte string (packed three bytes to an element).
    pub fn observe_bytes(&mut self, label: &'static str, bytes: &[u8]) {
        self.absorb_header(label, bytes.len());
        self.challenger.observe_slice(&pack_bytes(bytes));
    }

    /// Observes one unsigned integer (as two 32-bit halves, each below p).
    pub fn observe_u64(&mut self, label: &'static str, value: u64) {
        self.absorb_header(label, 1);
        self.challenger.observe_slice(&u64_elems(value));
    }

    /// Draws a challenge in the extension field.
    pub fn sample_ext(&mut self, label: &'static str) -> EF {
        self.absorb_header(label, 0);
        self.challenger.sample_algebra_element()
    }

    /// Draws `n` challenges in the extension field.
    pub fn sample_ext_vec(&mut self, label: &'static str, n: usize) -> Vec<EF> {
        self.absorb_header(label, n);
        (0..n)
            .map(|_| self.challenger.sample_algebra_element())
            .collect()
    }

    /// Draws a challenge in the base field (for uses that need no more than ~31 bits).
    pub fn sample_base(&mut self, label: &'static str) -> F {
        self.absorb_header(label, 0);
        self.challenger.sample()
    }

    /// The underlying challenger, for the polynomial commitment scheme, whose Plonky3 implementation
    /// observes roots and evaluations and draws its own challenges from it. Only the `pcs` crate
    /// should call this, and only in an order the verifier repeats.
    pub fn challenger_mut(&mut self) -> &mut Challenger {
        &mut self.challenger
    }

    fn absorb_header(&mut self, label: &str, len: usize) {
        self.challenger.observe_slice(&label_tag(label));
        self.challenger.observe_slice(&length_elems(len));
    }
}

impl FiatShamir<EF> for Transcript {
    fn observe(&mut self, label: &'static str, values: &[EF]) {
        self.observe_ext(label, values);
    }

    fn challenge(&mut self, label: &'static str) -> EF {
        self.sample_ext(label)
    }

    fn challenges(&mut self, label: &'static str, n: usize) -> Vec<EF> {
        self.sample_ext_vec(label, n)
    }
}

/// 60 bits of the label's FNV-1a hash, as two elements below 2^30.
fn label_tag(label: &str) -> [F; 2] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in label.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    const MASK: u64 = (1 << 30) - 1;
    [F::from_u64(h & MASK), F::from_u64((h >> 30) & MASK)]
}

/// A length as one element below 2^30, or the marker 2^30 and three limbs (injective: the marker
/// is no short length).
fn length_elems(len: usize) -> Vec<F> {
    const SHORT: u64 = 1 << 30;
    let len = len as u64;
    if len < SHORT {
        vec![F::from_u64(len)]
    } else {
        let mut v = vec![F::from_u64(SHORT)];
        v.extend(u64_elems(len));
        v
    }
}

/// Packs bytes three to an element, preceded by the byte length, so that the packing is injective.
fn pack_bytes(bytes: &[u8]) -> Vec<F> {
    let mut out = Vec::with_capacity(3 + bytes.len().div_ceil(3));
    out.extend(u64_elems(bytes.len() as u64));
    out.extend(bytes.chunks(3).map(|c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        F::from_u32(u32::from_le_bytes(w))
    }));
    out
}

/// Splits a u64 into three limbs of 22, 22 and 20 bits: each is below p, so the split is injective.
fn u64_elems(v: u64) -> [F; 3] {
    const MASK: u64 = (1 << 22) - 1;
    [
        F::from_u64(v & MASK),
        F::from_u64((v >> 22) & MASK),
        F::from_u64(v >> 44),
    ]
}

#[cfg(test)]
mod tests;
