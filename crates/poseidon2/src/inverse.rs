//! The inverse permutation. Nothing in the protocol uses it: it exists so that attack tests can
//! show what a bare permutation gives away. Poseidon2 is a bijection (the cube is one on KoalaBear,
//! since `gcd(3, p - 1) = 1`, and every linear layer is invertible), so `P^-1` is as cheap as `P`;
//! a hash whose node is `P(x)[..8]` has a preimage `P^-1(target ++ any 8 lanes)` for every target.

use zkinfer_field::{F, Field, PrimeCharacteristicRing};

use crate::spec::{Round, RoundKind, WIDTH, koalabear16};

/// `d` with `x^(3d) = x` on KoalaBear: `3d = 2 (p - 1) + 1`.
const CUBE_ROOT_EXP: u64 = (2 * ((1u64 << 31) - (1u64 << 24)) + 1) / 3;

/// `x^(1/3)`.
fn cube_root(x: F) -> F {
    x.exp_u64(CUBE_ROOT_EXP)
}

/// The inverse of an invertible 16 x 16 matrix (Gauss-Jordan); `None` if it is singular.
fn invert(m: &[[F; WIDTH]; WIDTH]) -> Option<[[F; WIDTH]; WIDTH]> {
    let mut a = *m;
    let mut inv = [[F::ZERO; WIDTH]; WIDTH];
    for (i, row) in inv.iter_mut().enumerate() {
        row[i] = F::ONE;
    }
    for col in 0..WIDTH {
        let pivot = (col..WIDTH).find(|&r| a[r][col] != F::ZERO)?;
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let scale = a[col][col].inverse();
        for j in 0..WIDTH {
            a[col][j] *= scale;
            inv[col][j] *= scale;
        }
        for r in (0..WIDTH).filter(|&r| r != col) {
            let f = a[r][col];
            if f != F::ZERO {
                for j in 0..WIDTH {
                    let (ac, ic) = (a[col][j], inv[col][j]);
                    a[r][j] -= f * ac;
                    inv[r][j] -= f * ic;
                }
            }
        }
    }
    Some(inv)
}

/// Undoes one round: `x = s^-1(M^-1 y) - c`.
fn unapply(round: &Round, inv: &[[F; WIDTH]; WIDTH], y: &[F; WIDTH]) -> [F; WIDTH] {
    let s: [F; WIDTH] =
        std::array::from_fn(|i| inv[i].iter().zip(y).map(|(&m, &v)| m * v).sum::<F>());
    std::array::from_fn(|l| match round.kind {
        RoundKind::Linear => s[l],
        RoundKind::Full => cube_root(s[l]) - round.constants[l],
        RoundKind::Partial if l == 0 => cube_root(s[l]) - round.constants[l],
        RoundKind::Partial => s[l] - round.constants[l],
    })
}

/// `P^-1(y)`: the input whose permutation is `y`.
pub fn inverse_permute(y: &[F; WIDTH]) -> [F; WIDTH] {
    koalabear16().iter().rev().fold(*y, |state, round| {
        // Every Poseidon2 linear layer is invertible; a singular one would be a broken constant
        // table, which `permute_matches_plonky3` would already catch.
        let inv = invert(&round.matrix).unwrap_or([[F::ZERO; WIDTH]; WIDTH]);
        unapply(round, &inv, &state)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::permute;
    use crate::test_util::random_state;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn cube_root_inverts_the_cube() {
        let mut rng = StdRng::seed_from_u64(1);
        for x in random_state(&mut rng) {
            assert_eq!(cube_root(x.cube()), x);
        }
    }

    #[test]
    fn inverse_undoes_the_permutation() {
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..4 {
            let x = random_state(&mut rng);
            assert_eq!(inverse_permute(&permute(&x)), x);
            assert_eq!(permute(&inverse_permute(&x)), x);
        }
    }
}
