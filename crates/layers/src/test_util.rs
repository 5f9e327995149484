//! Helpers shared by the layer tests: a deterministic generator and brute-force evaluation.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_transcript::{Statement, Transcript};

/// A seeded generator for test data ([`zkinfer_field::SplitMix64`]).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let mut s = zkinfer_field::SplitMix64(self.0);
        let v = s.next_u64();
        self.0 = s.0;
        v
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn small(&mut self, bound: i64) -> i64 {
        self.below(2 * bound as u64 + 1) as i64 - bound
    }
    pub fn field(&mut self, bound: i64) -> F {
        zkinfer_field::encode_signed(self.small(bound)).unwrap()
    }
    pub fn ext(&mut self) -> EF {
        EF::from(F::from_u64(self.next_u64() >> 34)) * EF::from(F::from_u64(self.next_u64() >> 34))
            + EF::from(F::from_u64(self.next_u64() >> 34))
    }
    pub fn point(&mut self, n: usize) -> Vec<EF> {
        (0..n).map(|_| self.ext()).collect()
    }
}

/// The multilinear extension of `table` at `point`, by brute force.
pub fn mle(table: &[F], point: &[EF]) -> EF {
    eq_table(point)
        .iter()
        .zip(table)
        .map(|(&e, &t)| e * t)
        .sum()
}

/// A transcript for a test statement.
pub fn transcript(tag: &str) -> Transcript {
    Transcript::new(&Statement::new(tag, 1))
}
