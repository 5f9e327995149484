use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use super::*;
use crate::test_util::{Rng, mle, transcript};

fn spec(num_vars: usize, bits: usize, segments: &[(usize, u32)], columns: usize) -> RangeSpec {
    RangeSpec {
        num_vars,
        bits,
        columns,
        segments: segments
            .iter()
            .map(|&(column, shift)| Segment { column, shift })
            .collect(),
    }
}

fn columns(seed: u64, count: usize, num_vars: usize, below: &[u64]) -> Vec<Vec<F>> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|j| {
            (0..1 << num_vars)
                .map(|_| F::from_u64(rng.below(below[j])))
                .collect()
        })
        .collect()
}

fn refs(cols: &[Vec<F>]) -> Vec<&[F]> {
    cols.iter().map(|c| c.as_slice()).collect()
}

/// The claims are true of the honest columns and multiplicities.
fn claims_hold(cols: &[Vec<F>], mults: &[F], c: &RangeClaims) -> bool {
    cols.iter()
        .zip(&c.evals)
        .all(|(col, &v)| mle(col, &c.point) == v)
        && mle(mults, &c.multiplicities.point) == c.multiplicities.value
}

#[test]
fn in_range_columns_verify_with_true_claims() {
    for (seed, (n, bits, segs, below)) in [
        (4, 8, vec![(0, 0), (1, 0), (2, 0)], vec![256, 256, 256]),
        (6, 8, vec![(0, 0), (1, 0), (1, 4)], vec![256, 16, 1]),
        (0, 4, vec![(0, 0)], vec![16]),
        (
            3,
            6,
            vec![(1, 0), (0, 0), (0, 2), (1, 0), (2, 5)],
            vec![16, 64, 2],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let s = spec(n, bits, &segs, below.len());
        let cols = columns(seed as u64, below.len(), n, &below);
        let mults = s.multiplicities(&refs(&cols)).unwrap();
        assert_eq!(mults.len(), 1 << bits);
        let (proof, pc) = prove(&s, &refs(&cols), &mults, &mut transcript("rg")).unwrap();
        assert!(claims_hold(&cols, &mults, &pc));
        let vc = verify(&s, &proof, &mut transcript("rg")).unwrap();
        assert_eq!(pc, vc);
    }
}

#[test]
fn an_entry_out_of_range_has_no_multiplicities() {
    let s = spec(3, 8, &[(0, 0)], 1);
    let mut cols = columns(1, 1, 3, &[256]);
    cols[0][5] = F::from_u64(256);
    assert!(matches!(
        s.multiplicities(&refs(&cols)),
        Err(LayerError::Lookup(_))
    ));
    // A negative value is a huge field element: out of range too.
    cols[0][5] = -F::ONE;
    assert!(s.multiplicities(&refs(&cols)).is_err());
}

#[test]
fn a_shifted_segment_checks_a_short_limb() {
    // Column 0 must be < 2^3: 2^5 * c < 2^8.
    let s = spec(2, 8, &[(0, 0), (0, 5)], 1);
    let mut cols = columns(2, 1, 2, &[8]);
    assert!(s.multiplicities(&refs(&cols)).is_ok());
    cols[0][1] = F::from_u64(8);
    assert!(s.multiplicities(&refs(&cols)).is_err());
}

#[test]
fn a_forced_proof_with_an_out_of_range_entry_is_rejected() {
    let s = spec(3, 4, &[(0, 0), (1, 0)], 2);
    let cols = columns(3, 2, 3, &[16, 16]);
    let mults = s.multiplicities(&refs(&cols)).unwrap();
    let mut bad = cols.clone();
    bad[1][2] += F::from_u64(16);
    match prove(&s, &refs(&bad), &mults, &mut transcript("rg")) {
        Err(_) => {}
        Ok((proof, _)) => assert!(verify(&s, &proof, &mut transcript("rg")).is_err()),
    }
}

#[test]
fn tampered_proofs_are_rejected() {
    let s = spec(4, 6, &[(0, 0), (1, 0), (1, 3)], 2);
    let cols = columns(4, 2, 4, &[64, 8]);
    let mults = s.multiplicities(&refs(&cols)).unwrap();
    let (proof, _) = prove(&s, &refs(&cols), &mults, &mut transcript("rg")).unwrap();
    let mut variants = vec![];
    for i in 0..proof.evals.len() {
        let mut p = proof.clone();
        p.evals[i] += EF::ONE;
        variants.push(p);
    }
    let mut p = proof.clone();
    p.evals.pop();
    variants.push(p);
    let mut p = proof.clone();
    p.evals.push(EF::ONE);
    variants.push(p);
    let mut p = proof.clone();
    p.lookup.lookup_evals[0] += EF::ONE;
    variants.push(p);
    for (i, v) in variants.iter().enumerate() {
        assert!(
            verify(&s, v, &mut transcript("rg")).is_err(),
            "variant {i} verified"
        );
    }
    // A different spec (another segment list) rejects the same proof.
    let other = spec(4, 6, &[(0, 0), (1, 0)], 2);
    assert!(verify(&other, &proof, &mut transcript("rg")).is_err());
}

#[test]
fn malformed_specs_are_refused() {
    for s in [
        spec(2, 0, &[(0, 0)], 1),
        spec(2, MAX_RANGE_BITS + 1, &[(0, 0)], 1),
        spec(2, 4, &[], 1),
        spec(2, 4, &[(1, 0)], 1),
        spec(2, 4, &[(0, 4)], 1),
    ] {
        assert!(s.check().is_err(), "{s:?}");
    }
}
