//! The fractional-sum GKR alone: several trees of different depths, leaf claims against
//! brute-force MLEs, and the helpers.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::{Statement, Transcript};

use super::*;

fn transcript() -> Transcript {
    Transcript::new(&Statement::new("zkinfer/gkr-test", 1))
}

fn mle_ext(values: &[EF], point: &[EF]) -> EF {
    let mut t = values.to_vec();
    for &r in point {
        let half = t.len() / 2;
        t = (0..half).map(|i| t[i] + r * (t[i + half] - t[i])).collect();
    }
    t[0]
}

/// Three trees of depths 4, 2 and 0 whose fractions cancel: tree 1 is tree 0 negated on its own
/// denominators' first quarter... built so that Σ = 0 by construction.
#[test]
fn trees_of_different_depths_give_correct_leaf_claims() {
    let col_a: Vec<F> = (0..16u64).map(|i| F::from_u64(i % 4)).collect();
    let col_b: Vec<F> = (0..4u64).map(F::from_u64).collect();
    // Σ_x -1/(α - col_a) + Σ_j 4/(α - j) = 0; a third, single-leaf tree adds 0/(α - 9).
    let m = vec![F::from_u64(4); 4];
    let nine = [F::from_u64(9)];
    let trees = [
        FractionTree {
            numerator: Numerator::Constant(F::NEG_ONE),
            columns: vec![&col_a[..]],
        },
        FractionTree {
            numerator: Numerator::Column(&m),
            columns: vec![&col_b[..]],
        },
        FractionTree {
            numerator: Numerator::Constant(F::ZERO),
            columns: vec![&nine[..]],
        },
    ];
    let alpha = EF::from_u64(1_000_003);
    let (proof, prover_leaves) = prove_fraction_sums(&trees, alpha, &[EF::ONE], &mut transcript());
    let leaves = verify_fraction_sums(&[4, 2, 0], &proof, &mut transcript()).unwrap();
    assert_eq!(leaves, prover_leaves);
    let lift = |v: &[F]| v.iter().map(|&x| alpha - x).collect::<Vec<EF>>();
    assert_eq!(
        leaves[0].denominator,
        mle_ext(&lift(&col_a), &leaves[0].point)
    );
    assert_eq!(leaves[0].numerator, -EF::ONE);
    assert_eq!(
        leaves[1].denominator,
        mle_ext(&lift(&col_b), &leaves[1].point)
    );
    let m_ext: Vec<EF> = m.iter().map(|&x| EF::from(x)).collect();
    assert_eq!(leaves[1].numerator, mle_ext(&m_ext, &leaves[1].point));
    assert_eq!(
        leaves[2],
        LeafClaim {
            point: vec![],
            numerator: EF::ZERO,
            denominator: alpha - EF::from_u64(9)
        }
    );
    // The verifier fixes the depths: other depths are refused.
    assert!(verify_fraction_sums(&[4, 3, 0], &proof, &mut transcript()).is_err());
    assert!(verify_fraction_sums(&[4, 2], &proof, &mut transcript()).is_err());
}

#[test]
fn unbalanced_sums_are_rejected_at_the_root() {
    let col: Vec<F> = (0..8u64).map(F::from_u64).collect();
    let trees = [FractionTree {
        numerator: Numerator::Constant(F::ONE),
        columns: vec![&col[..]],
    }];
    let (proof, _) = prove_fraction_sums(&trees, EF::from_u64(77), &[EF::ONE], &mut transcript());
    assert_eq!(
        verify_fraction_sums(&[3], &proof, &mut transcript()),
        Err(GkrError::RootSum)
    );
}
