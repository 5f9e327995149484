//! The round-level description of a width-16 Poseidon2 permutation, and Plonky3's KoalaBear
//! instance written in it.

use std::sync::OnceLock;

use p3_koala_bear::{
    GenericPoseidon2LinearLayersKoalaBear, KOALABEAR_POSEIDON2_HALF_FULL_ROUNDS,
    KOALABEAR_POSEIDON2_PARTIAL_ROUNDS_16, KOALABEAR_POSEIDON2_RC_16_EXTERNAL_FINAL,
    KOALABEAR_POSEIDON2_RC_16_EXTERNAL_INITIAL, KOALABEAR_POSEIDON2_RC_16_INTERNAL,
    KOALABEAR_S_BOX_DEGREE,
};
use p3_poseidon2::GenericPoseidon2LinearLayers;
use zkinfer_field::{F, PrimeCharacteristicRing};

/// Lanes of the state.
pub const WIDTH: usize = 16;

/// What a round does before its linear layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    /// `y = M x`: no constants, no S-box (Poseidon2's initial linear layer).
    Linear,
    /// `y = M (x + c)^3`, the cube on every lane (an external round).
    Full,
    /// `s_0 = (x_0 + c_0)^3`, `s_l = x_l + c_l` for `l > 0`, `y = M s` (an internal round; its
    /// constants are zero off lane 0).
    Partial,
}

/// One round: `y = matrix * s(x + constants)`, `matrix` row-major (`y_i = sum_j m[i][j] s_j`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// What the round does before its linear layer.
    pub kind: RoundKind,
    /// Round constants, added before the S-box (zero for [`RoundKind::Linear`]).
    pub constants: [F; WIDTH],
    /// The linear layer, row-major.
    pub matrix: [[F; WIDTH]; WIDTH],
}

impl Round {
    /// Applies the round to one state.
    pub fn apply(&self, x: &[F; WIDTH]) -> [F; WIDTH] {
        let mut s = [F::ZERO; WIDTH];
        for (l, v) in s.iter_mut().enumerate() {
            let a = x[l] + self.constants[l];
            *v = match self.kind {
                RoundKind::Linear => x[l],
                RoundKind::Full => a.cube(),
                RoundKind::Partial if l == 0 => a.cube(),
                RoundKind::Partial => a,
            };
        }
        let mut y = [F::ZERO; WIDTH];
        for (yi, row) in y.iter_mut().zip(&self.matrix) {
            *yi = row.iter().zip(&s).map(|(&m, &v)| m * v).sum();
        }
        y
    }
}

// `Round::apply` cubes; a different S-box degree upstream must break the build, not the proofs.
const _: () = assert!(KOALABEAR_S_BOX_DEGREE == 3);

/// Number of [`RoundKind::Full`] rounds on each side of the internal rounds.
pub const HALF_FULL_ROUNDS: usize = KOALABEAR_POSEIDON2_HALF_FULL_ROUNDS;

/// Number of [`RoundKind::Partial`] rounds.
pub const PARTIAL_ROUNDS: usize = KOALABEAR_POSEIDON2_PARTIAL_ROUNDS_16;

/// Rounds of [`koalabear16`]: the initial linear layer, the full rounds and the partial rounds.
pub const ROUNDS: usize = 1 + 2 * HALF_FULL_ROUNDS + PARTIAL_ROUNDS;

type Layers = GenericPoseidon2LinearLayersKoalaBear;

/// The matrix of a linear map, read off its images of the unit vectors: this takes p3's own
/// layer (with its Montgomery-form constants and `1/2^k` diagonal entries) as the source of truth.
fn matrix_of(layer: fn(&mut [F; WIDTH])) -> [[F; WIDTH]; WIDTH] {
    let mut m = [[F::ZERO; WIDTH]; WIDTH];
    for j in 0..WIDTH {
        let mut e = [F::ZERO; WIDTH];
        e[j] = F::ONE;
        layer(&mut e);
        for (row, v) in m.iter_mut().zip(e) {
            row[j] = v;
        }
    }
    m
}

/// The rounds of Plonky3's `default_koalabear_poseidon2_16()` (the transcript's permutation):
/// one [`RoundKind::Linear`] round with the external matrix, [`HALF_FULL_ROUNDS`] full rounds,
/// [`PARTIAL_ROUNDS`] partial rounds with the internal matrix `1 + diag(V)`, then
/// [`HALF_FULL_ROUNDS`] full rounds again.
pub fn koalabear16() -> &'static [Round] {
    static ROUNDS_16: OnceLock<Vec<Round>> = OnceLock::new();
    ROUNDS_16.get_or_init(|| {
        let external =
            matrix_of(<Layers as GenericPoseidon2LinearLayers<WIDTH>>::external_linear_layer);
        let internal =
            matrix_of(<Layers as GenericPoseidon2LinearLayers<WIDTH>>::internal_linear_layer);
        let full = |constants: &[F; WIDTH]| Round {
            kind: RoundKind::Full,
            constants: *constants,
            matrix: external,
        };
        let partial = |&c: &F| {
            let mut constants = [F::ZERO; WIDTH];
            constants[0] = c;
            Round {
                kind: RoundKind::Partial,
                constants,
                matrix: internal,
            }
        };
        let linear = Round {
            kind: RoundKind::Linear,
            constants: [F::ZERO; WIDTH],
            matrix: external,
        };
        let rounds: Vec<Round> = std::iter::once(linear)
            .chain(KOALABEAR_POSEIDON2_RC_16_EXTERNAL_INITIAL.iter().map(full))
            .chain(KOALABEAR_POSEIDON2_RC_16_INTERNAL.iter().map(partial))
            .chain(KOALABEAR_POSEIDON2_RC_16_EXTERNAL_FINAL.iter().map(full))
            .collect();
        debug_assert_eq!(rounds.len(), ROUNDS);
        rounds
    })
}

/// The permutation, round by round (equal to p3's `permute`; see the tests).
pub fn permute(x: &[F; WIDTH]) -> [F; WIDTH] {
    koalabear16().iter().fold(*x, |s, round| round.apply(&s))
}

/// The input followed by every round's output: `ROUNDS + 1` states, the last one `permute(x)`.
pub fn trace(x: &[F; WIDTH]) -> Vec<[F; WIDTH]> {
    let mut states = Vec::with_capacity(ROUNDS + 1);
    states.push(*x);
    for round in koalabear16() {
        let next = round.apply(&states[states.len() - 1]);
        states.push(next);
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::random_state;
    use p3_symmetric::Permutation;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn round_structure() {
        let kinds: Vec<RoundKind> = koalabear16().iter().map(|r| r.kind).collect();
        assert_eq!(kinds.len(), 29);
        assert_eq!(kinds[0], RoundKind::Linear);
        assert!(kinds[1..5].iter().all(|&k| k == RoundKind::Full));
        assert!(kinds[5..25].iter().all(|&k| k == RoundKind::Partial));
        assert!(kinds[25..].iter().all(|&k| k == RoundKind::Full));
        for r in koalabear16()
            .iter()
            .filter(|r| r.kind == RoundKind::Partial)
        {
            assert!(r.constants[1..].iter().all(|&c| c == F::ZERO));
        }
    }

    #[test]
    fn permute_matches_plonky3() {
        let p3 = p3_koala_bear::default_koalabear_poseidon2_16();
        let mut rng = StdRng::seed_from_u64(16);
        let mut inputs = vec![[F::ZERO; WIDTH], [F::ONE; WIDTH]];
        inputs.extend((0..8).map(|_| random_state(&mut rng)));
        for x in inputs {
            assert_eq!(permute(&x), p3.permute(x));
        }
    }

    #[test]
    fn trace_endpoints() {
        let x = random_state(&mut StdRng::seed_from_u64(3));
        let t = trace(&x);
        assert_eq!(t.len(), ROUNDS + 1);
        assert_eq!(t[0], x);
        assert_eq!(t[ROUNDS], permute(&x));
        for (i, round) in koalabear16().iter().enumerate() {
            assert_eq!(t[i + 1], round.apply(&t[i]));
        }
    }
}
