//! A seeded generator: every case draws from its own stream, derived from the run's seed and the
//! case's number, so one case can be replayed without running the cases before it.

/// The project's one seeded generator ([`zkinfer_field::SplitMix64`]) with the draws the mutators use.
#[derive(Debug, Clone)]
pub struct Rng(zkinfer_field::SplitMix64);

impl Rng {
    /// The stream of case `case` of a run seeded with `seed`.
    pub fn for_case(seed: u64, case: u64) -> Self {
        let mut r = Rng(zkinfer_field::SplitMix64(
            seed ^ case.wrapping_mul(0xa076_1d64_78bd_642f),
        ));
        // Decorrelate neighbouring cases before the first draw.
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    /// A random byte.
    pub fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
