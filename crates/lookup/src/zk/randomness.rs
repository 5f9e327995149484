//! The prover's secret randomness for one proof: a Libra mask and four randomizers per layer, and
//! the blinders of the root.

use rand::{CryptoRng, RngExt};
use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::MaskPoly;

use super::{ZkRangeError, ZkRangeIds, ZkRangeSpec};

/// Everything the prover samples for one proof. The caller commits [`Self::vectors`] (with the
/// columns and multiplicities, in one hiding commitment, before [`super::prove`]); [`super::prove`]
/// consumes it, since a mask or randomizer used twice leaks.
pub struct ZkRangeRandomness {
    /// Layer `k`'s Libra mask at index `k - 1`.
    pub(super) masks: Vec<MaskPoly<F, EF>>,
    /// Layer `k`'s randomizers of `p0, p1, q0, q1` at index `k - 1`, `k` coefficients each.
    pub(super) randomizers: Vec<[Vec<EF>; 4]>,
    /// `[u, delta, delta_0, delta_1]` (`delta_c` in root child `c`).
    pub(super) blinder: [EF; 4],
}

impl std::fmt::Debug for ZkRangeRandomness {
    /// Shows the shape only: the values are secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZkRangeRandomness")
            .field("layers", &self.masks.len())
            .finish_non_exhaustive()
    }
}

impl ZkRangeSpec {
    /// Uniform masks, randomizers and blinders (`delta`s nonzero) from a CSPRNG seeded from the
    /// operating system: predictable randomness hides nothing.
    pub fn sample<R: CryptoRng + ?Sized>(&self, rng: &mut R) -> ZkRangeRandomness {
        let ext = |rng: &mut R| EF::from_basis_coefficients_fn(|_| rng.random::<F>());
        let nonzero = |rng: &mut R| loop {
            let x = ext(rng);
            if x != EF::ZERO {
                break x;
            }
        };
        let blinder = [ext(rng), nonzero(rng), nonzero(rng), nonzero(rng)];
        let shape = self.shape();
        let masks = shape
            .masks
            .iter()
            .map(|&(n, d)| MaskPoly::random(n, d, rng))
            .collect();
        let randomizers = shape
            .randomizer_coeffs
            .iter()
            .map(|&c| [(); 4].map(|_| (0..c).map(|_| ext(rng)).collect()))
            .collect();
        ZkRangeRandomness {
            masks,
            randomizers,
            blinder,
        }
    }

    /// Zero masks and randomizers, `u = 0` and `delta = delta_0 = delta_1 = 1`: the proof then
    /// reveals the true layer values. It hides nothing; for tests that show the masks work.
    pub fn trivial_randomness(&self) -> ZkRangeRandomness {
        let shape = self.shape();
        ZkRangeRandomness {
            masks: shape
                .masks
                .iter()
                .map(|&(n, d)| MaskPoly::zero(n, d))
                .collect(),
            randomizers: shape
                .randomizer_coeffs
                .iter()
                .map(|&c| [(); 4].map(|_| vec![EF::ZERO; c]))
                .collect(),
            blinder: [EF::ZERO, EF::ONE, EF::ONE, EF::ONE],
        }
    }
}

impl ZkRangeRandomness {
    /// The vectors to commit, as `(id, base-field entries)`: the blinder, then per layer the mask
    /// and the four randomizers (the order of [`super::ZkRangeShape::random_vectors`]).
    pub fn vectors(&self, ids: &ZkRangeIds) -> Vec<(usize, Vec<F>)> {
        let coords = |v: &[EF]| -> Vec<F> {
            v.iter()
                .flat_map(|c| c.as_basis_coefficients_slice().to_vec())
                .collect()
        };
        let mut out = vec![(ids.blinder, coords(&self.blinder))];
        for (i, (mask, rands)) in self.masks.iter().zip(&self.randomizers).enumerate() {
            let k = i + 1;
            out.push((ids.mask(k), mask.coeffs()));
            for (id, r) in ids.randomizers(k).into_iter().zip(rands) {
                out.push((id, coords(r)));
            }
        }
        out
    }

    /// Checks that the shapes match `spec`.
    pub(super) fn check(&self, spec: &ZkRangeSpec) -> Result<(), ZkRangeError> {
        let shape = spec.shape();
        let masks_ok = self.masks.len() == shape.masks.len()
            && self
                .masks
                .iter()
                .zip(&shape.masks)
                .all(|(m, &s)| (m.num_vars(), m.degree()) == s);
        let rands_ok = self.randomizers.len() == shape.randomizer_coeffs.len()
            && self
                .randomizers
                .iter()
                .zip(&shape.randomizer_coeffs)
                .all(|(r, &c)| r.iter().all(|v| v.len() == c));
        if masks_ok && rands_ok {
            Ok(())
        } else {
            Err(ZkRangeError::Witness("randomness of another shape"))
        }
    }
}
