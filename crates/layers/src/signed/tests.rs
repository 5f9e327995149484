use zkinfer_field::{EF, F, PrimeCharacteristicRing, PrimeField64, encode_signed};

use super::witness::shifted;
use super::*;
use crate::range::{self, RangeSpec};
use crate::test_util::{Rng, mle, transcript};

/// A column of `2^n` values within the width, with both extremes when there is room.
pub(super) fn column(seed: u64, spec: &SignedSpec) -> Vec<F> {
    let b = spec.bound() as i64;
    let mut rng = Rng(seed);
    let mut v: Vec<F> = (0..1 << spec.num_vars)
        .map(|_| encode_signed(rng.small(b)).unwrap())
        .collect();
    v[0] = encode_signed(b).unwrap();
    if v.len() > 1 {
        v[1] = encode_signed(-b).unwrap();
    }
    v
}

/// The claims hold on the column and the committed columns.
fn claims_hold(values: &[F], w: &SignedWitness, c: &SignedClaims) -> bool {
    let cols = w.columns();
    mle(values, &c.value.point) == c.value.value
        && c.columns
            .iter()
            .all(|(i, cl)| mle(cols[*i], &cl.point) == cl.value)
}

/// Sizes and widths covering every layout.
const CASES: [(usize, u32); 11] = [
    (0, 1),
    (5, 6),
    (11, 12),
    (3, 1),
    (4, 2),
    (5, 12),
    (2, 16),
    (3, 20),
    (6, 30),
    (8, 9),
    (1, 17),
];

#[test]
fn layouts_follow_the_cost() {
    let layout = |num_vars, bits| SignedSpec { num_vars, bits }.layout();
    assert_eq!(layout(16, 12).unwrap(), SignedLayout::Direct);
    assert_eq!(layout(5, 6).unwrap(), SignedLayout::Direct);
    assert_eq!(layout(3, 1).unwrap(), SignedLayout::Zero);
    assert!(matches!(layout(3, 20).unwrap(), SignedLayout::Limbs { .. }));
    // Small columns of kernel width: limbs beat a 2^12 table.
    assert!(matches!(layout(2, 12).unwrap(), SignedLayout::Limbs { .. }));
    for bad in [0, 31, 40] {
        assert!(layout(3, bad).is_err(), "{bad}");
    }
    for (n, k) in CASES {
        let spec = SignedSpec {
            num_vars: n,
            bits: k,
        };
        let l = spec.layout().unwrap();
        let cols = l.columns(&spec);
        assert_eq!(
            l.multiplicities().map(|m| m + 1),
            (!cols.is_empty()).then_some(cols.len())
        );
        if let Some(r) = l.range_spec(&spec) {
            r.check().unwrap();
            // Every limb holds exactly its share of the k bits: the table and shifts give 2^k.
            if let SignedLayout::Limbs { limb_bits, limbs } = l {
                let mut bits = 0;
                for c in 0..limbs {
                    let shift = r
                        .segments
                        .iter()
                        .filter(|s| s.column == c)
                        .map(|s| s.shift)
                        .max();
                    bits += limb_bits - shift.unwrap() as usize;
                }
                assert_eq!(bits, k as usize, "{n} {k}");
            }
        }
    }
}

#[test]
fn honest_columns_verify_with_true_claims() {
    let mut seen = vec![];
    for (seed, (n, k)) in CASES.into_iter().enumerate() {
        let spec = SignedSpec {
            num_vars: n,
            bits: k,
        };
        seen.push(std::mem::discriminant(&spec.layout().unwrap()));
        let values = if k == 1 {
            vec![F::ZERO; 1 << n]
        } else {
            column(seed as u64, &spec)
        };
        let w = witness(&spec, &values).unwrap();
        assert!(w.in_range);
        let (proof, pc) = prove(&spec, &values, &w, &mut transcript("sg")).unwrap();
        assert!(claims_hold(&values, &w, &pc), "{n} {k}");
        let vc = verify(&spec, &proof, &mut transcript("sg")).unwrap();
        assert_eq!(pc, vc);
    }
    seen.sort_by_key(|d| format!("{d:?}"));
    seen.dedup();
    assert_eq!(seen.len(), 3, "every layout is exercised");
}

/// Values just outside the width, far outside, and near `p / 2` (which would make an accumulator
/// wrap): the honest prover's range check does not balance, and the zero column's claim is false.
#[test]
fn values_outside_the_width_cannot_be_proven() {
    let half = (F::ORDER_U64 / 2) as i64 - 1;
    for (n, k) in [(5, 6), (4, 12), (3, 20), (5, 9), (2, 2), (3, 30), (2, 1)] {
        let spec = SignedSpec {
            num_vars: n,
            bits: k,
        };
        let b = spec.bound() as i64;
        for bad in [b + 1, -b - 1, b + 5, -(1 << 29), half, -half] {
            if bad.unsigned_abs() <= spec.bound() {
                continue;
            }
            let mut values = if k == 1 {
                vec![F::ZERO; 1 << n]
            } else {
                column(7, &spec)
            };
            values[2] = encode_signed(bad).unwrap();
            let w = witness(&spec, &values).unwrap();
            assert!(!w.in_range, "{k} {bad}");
            match prove(&spec, &values, &w, &mut transcript("sg")) {
                Ok((proof, claims)) => {
                    // Only a zero column proves: its claim is false, and the opening rejects it.
                    assert_eq!(k, 1);
                    assert_ne!(mle(&values, &claims.value.point), claims.value.value);
                    assert_eq!(
                        verify(&spec, &proof, &mut transcript("sg")).unwrap(),
                        claims
                    );
                }
                Err(e) => assert!(matches!(e, LayerError::Lookup(_)), "{k} {bad}: {e}"),
            }
        }
    }
}

/// The looked-up columns of a cheating prover: `u` as honest, `d` replaced where it is out of
/// range by `0`, so both are in range and the range check balances.
pub(super) fn cheating_columns(
    spec: &SignedSpec,
    layout: &SignedLayout,
    values: &[F],
) -> Vec<Vec<F>> {
    let [u, mut d] = shifted(spec, values);
    for x in &mut d {
        if x.as_canonical_u64() >= 1 << spec.bits {
            *x = F::ZERO;
        }
    }
    match *layout {
        SignedLayout::Limbs { limb_bits, limbs } => [u, d]
            .iter()
            .flat_map(|side| {
                (0..limbs).map(move |j| {
                    side.iter()
                        .map(|x| {
                            F::from_u64(
                                (x.as_canonical_u64() >> (j * limb_bits)) & ((1 << limb_bits) - 1),
                            )
                        })
                        .collect()
                })
            })
            .collect(),
        _ => vec![u, d],
    }
}

/// A weight of `B + 1` has `u = 2^k - 1` in range; a prover that replaces the out-of-range
/// `d = -1` by `0` balances the range check, and `u~(r) - B` is even the true claim on the column.
/// Only the check `u~(r) + d~(r) = 2B` rejects it.
#[test]
fn the_sum_of_the_two_sides_is_checked() {
    for (n, k) in [(5, 6), (4, 12), (3, 20)] {
        let spec = SignedSpec {
            num_vars: n,
            bits: k,
        };
        let layout = spec.layout().unwrap();
        let mut values = column(3, &spec);
        values[5] = encode_signed(spec.bound() as i64 + 1).unwrap();
        let cols = cheating_columns(&spec, &layout, &values);
        let refs: Vec<&[F]> = cols.iter().map(Vec::as_slice).collect();
        let rspec: RangeSpec = layout.range_spec(&spec).unwrap();
        let mults = rspec.multiplicities(&refs).unwrap();
        let (rp, rc) = range::prove(&rspec, &refs, &mults, &mut transcript("sg")).unwrap();
        let (u, _) = layout.recombine(&rc.evals).unwrap();
        assert_eq!(u - EF::from(spec.bound_f()), mle(&values, &rc.point));
        let proof = SignedProof { range: Some(rp) };
        assert_eq!(
            verify(&spec, &proof, &mut transcript("sg")),
            Err(LayerError::PartialSums {
                layer: "signed range"
            })
        );
    }
}

#[test]
fn a_proof_of_the_wrong_shape_is_an_error() {
    let spec = SignedSpec {
        num_vars: 3,
        bits: 12,
    };
    let values = column(1, &spec);
    let w = witness(&spec, &values).unwrap();
    let (proof, _) = prove(&spec, &values, &w, &mut transcript("sg")).unwrap();
    let zero = SignedSpec {
        num_vars: 3,
        bits: 1,
    };
    assert!(matches!(
        verify(&zero, &proof, &mut transcript("sg")),
        Err(LayerError::PartCount { .. })
    ));
    assert!(matches!(
        verify(&spec, &SignedProof { range: None }, &mut transcript("sg")),
        Err(LayerError::PartCount { .. })
    ));
}
