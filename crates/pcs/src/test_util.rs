//! Shared test helpers: transcripts, random tables, brute-force evaluation.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::{Statement, Transcript};

/// A transcript for the test statement `tag`.
pub(crate) fn transcript(tag: &str) -> Transcript {
    Transcript::new(&Statement::new(tag, 1))
}

/// A deterministic random table of `2^n` base-field values.
pub(crate) fn random_poly(seed: u64, n: usize) -> Vec<F> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..1usize << n)
        .map(|_| F::from_u64(rng.next_u64()))
        .collect()
}

/// Evaluates the multilinear extension of `table` at `point`, MSB-first (zkinfer-poly's evaluator).
pub(crate) fn eval_mle(table: &[F], point: &[EF]) -> EF {
    zkinfer_poly::evaluate_table(table, point).unwrap()
}

/// Positions to tamper with: every byte of short inputs, otherwise the first and last 48 bytes
/// and `spread` positions evenly spaced in between.
pub(crate) fn tamper_positions(len: usize, spread: usize) -> Vec<usize> {
    if len <= 96 + spread {
        return (0..len).collect();
    }
    let mut v: Vec<usize> = (0..48).chain(len - 48..len).collect();
    v.extend((0..spread).map(|i| 48 + i * (len - 96) / spread));
    v.sort_unstable();
    v.dedup();
    v
}
