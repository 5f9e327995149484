//! Property tests: every fast routine against the defining formula.

use proptest::prelude::*;
use zkinfer_field::{BasedVectorSpace, EF, ExtensionField, F, PrimeCharacteristicRing};

use crate::{
    MultilinearPoly, PolyError, eq_eval, eq_table, eq_table_scaled, fold_first, fold_first_in_place,
};

/// splitmix64: a seeded stream of field elements, so that proptest only has to shrink a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut s = zkinfer_field::SplitMix64(self.0);
        let v = s.next_u64();
        self.0 = s.0;
        v
    }
    fn base(&mut self) -> F {
        F::from_u64(self.next())
    }
    fn ext(&mut self) -> EF {
        EF::from_basis_coefficients_fn(|_| self.base())
    }
    fn bases(&mut self, n: usize) -> Vec<F> {
        (0..n).map(|_| self.base()).collect()
    }
    fn exts(&mut self, n: usize) -> Vec<EF> {
        (0..n).map(|_| self.ext()).collect()
    }
}

/// The defining formula: f(r) = sum_x f(x) prod_i (x_i r_i + (1 - x_i)(1 - r_i)), x_0 the MSB.
fn brute_force_eval<T: ExtensionField<F>>(table: &[F], point: &[T]) -> T {
    let n = point.len();
    let mut acc = T::ZERO;
    for (i, &v) in table.iter().enumerate() {
        let mut w = T::ONE;
        for (j, &r) in point.iter().enumerate() {
            let bit = (i >> (n - 1 - j)) & 1;
            w *= if bit == 1 { r } else { T::ONE - r };
        }
        acc += w * v;
    }
    acc
}

#[test]
fn msb_first_convention() {
    let f = MultilinearPoly::new(vec![
        F::from_u32(10),
        F::from_u32(11),
        F::from_u32(12),
        F::from_u32(13),
    ])
    .unwrap();
    assert_eq!(f.evaluate(&[F::ONE, F::ZERO]).unwrap(), F::from_u32(12));
    assert_eq!(f.evaluate(&[F::ZERO, F::ONE]).unwrap(), F::from_u32(11));
    let g = f.fix_first_variable(F::ONE).unwrap();
    assert_eq!(g.evals(), &[F::from_u32(12), F::from_u32(13)]);
}

#[test]
fn size_errors() {
    assert_eq!(
        MultilinearPoly::new(vec![F::ONE; 3]),
        Err(PolyError::NotPowerOfTwo { len: 3 })
    );
    assert_eq!(
        MultilinearPoly::<F>::new(vec![]),
        Err(PolyError::NotPowerOfTwo { len: 0 })
    );
    let f = MultilinearPoly::new(vec![F::ONE; 4]).unwrap();
    assert_eq!(
        f.evaluate(&[F::ONE]),
        Err(PolyError::PointLength {
            expected: 2,
            got: 1
        })
    );
    let mut c = MultilinearPoly::new(vec![F::ONE]).unwrap();
    assert_eq!(c.evaluate::<F>(&[]), Ok(F::ONE));
    assert_eq!(
        c.fix_first_variable_in_place(F::ONE),
        Err(PolyError::NoVariables)
    );
    assert_eq!(
        eq_eval(&[EF::ONE], &[]),
        Err(PolyError::PointLength {
            expected: 1,
            got: 0
        })
    );
    let mut odd = vec![F::ONE; 6];
    assert_eq!(
        fold_first_in_place(&mut odd, F::ONE),
        Err(PolyError::NotPowerOfTwo { len: 6 })
    );
}

/// Sizes on both sides of the parallel threshold go through both code paths.
#[test]
fn large_tables_match_small_path() {
    let mut rng = Rng(7);
    let n = crate::PAR_MIN_LOG + 1;
    let table = rng.bases(1 << n);
    let point = rng.exts(n);
    let f = MultilinearPoly::new(table.clone()).unwrap();
    let eq = eq_table(&point);
    let via_eq: EF = eq.iter().zip(&table).map(|(&e, &v)| e * v).sum();
    assert_eq!(f.evaluate(&point).unwrap(), via_eq);
    assert_eq!(eq.iter().copied().sum::<EF>(), EF::ONE);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn evaluate_matches_formula(n in 0usize..=8, seed: u64) {
        let mut rng = Rng(seed);
        let table = rng.bases(1 << n);
        let point = rng.exts(n);
        let f = MultilinearPoly::new(table.clone()).unwrap();
        prop_assert_eq!(f.evaluate(&point).unwrap(), brute_force_eval(&table, &point));
        // On hypercube points the extension agrees with the table.
        let idx = (rng.next() as usize) & ((1 << n) - 1);
        let bits: Vec<F> = (0..n).map(|j| F::from_bool((idx >> (n - 1 - j)) & 1 == 1)).collect();
        prop_assert_eq!(f.evaluate(&bits).unwrap(), table[idx]);
    }

    #[test]
    fn fix_then_evaluate_equals_evaluate(n in 1usize..=8, seed: u64) {
        let mut rng = Rng(seed);
        let f = MultilinearPoly::new(rng.bases(1 << n)).unwrap();
        let point = rng.exts(n);
        let g = f.fix_first_variable(point[0]).unwrap();
        prop_assert_eq!(g.num_vars(), n - 1);
        prop_assert_eq!(g.evaluate(&point[1..]).unwrap(), f.evaluate(&point).unwrap());
        // In place, over the extension, agrees with the out-of-place fold.
        let mut h = MultilinearPoly::new(f.evals().iter().map(|&v| EF::from(v)).collect()).unwrap();
        h.fix_first_variable_in_place(point[0]).unwrap();
        prop_assert_eq!(h.evals(), g.evals());
        prop_assert_eq!(fold_first(f.evals(), point[0]).unwrap(), g.into_evals());
    }

    #[test]
    fn eq_table_sums_to_one_and_matches_eq_eval(n in 0usize..=8, seed: u64) {
        let mut rng = Rng(seed);
        let point = rng.exts(n);
        let table = eq_table(&point);
        prop_assert_eq!(table.len(), 1 << n);
        prop_assert_eq!(table.iter().copied().sum::<EF>(), EF::ONE);
        for (i, &e) in table.iter().enumerate() {
            let bits: Vec<EF> = (0..n).map(|j| EF::from_bool((i >> (n - 1 - j)) & 1 == 1)).collect();
            prop_assert_eq!(e, eq_eval(&bits, &point).unwrap());
        }
        let scale = rng.ext();
        let scaled = eq_table_scaled(&point, scale);
        prop_assert!(scaled.iter().zip(&table).all(|(&s, &t)| s == t * scale));
        // eq is symmetric, and eq(r, r') for distinct random points is the MLE of eq(., r') at r.
        let other = rng.exts(n);
        let via_table: EF = eq_table(&other).iter().zip(&table).map(|(&a, &b)| a * b).sum();
        prop_assert_eq!(eq_eval(&point, &other).unwrap(), via_table);
    }
}

proptest! {
    /// The shared evaluator against the defining formula, and a short column evaluated as its
    /// zero-padded table.
    #[test]
    fn evaluate_table_and_padded_match_the_formula(seed in any::<u64>(), n in 0usize..7, short in 0usize..64) {
        let mut rng = Rng(seed);
        let table = rng.bases(1 << n);
        let point = rng.exts(n);
        prop_assert_eq!(crate::evaluate_table(&table, &point).unwrap(), brute_force_eval(&table, &point));
        let len = short.min(1 << n);
        let mut padded = table[..len].to_vec();
        padded.resize(1 << n, F::ZERO);
        prop_assert_eq!(
            crate::evaluate_padded(&table[..len], &point),
            Some(brute_force_eval(&padded, &point))
        );
    }
}

#[test]
fn evaluate_table_refuses_other_lengths() {
    let point = [EF::ONE, EF::ZERO];
    assert!(crate::evaluate_table(&[F::ONE; 3], &point).is_err());
    assert!(crate::evaluate_table(&[F::ONE; 8], &point).is_err());
    assert_eq!(crate::evaluate_padded(&[F::ONE; 5], &point), None);
}
