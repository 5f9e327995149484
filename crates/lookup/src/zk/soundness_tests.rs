//! Soundness: out-of-range entries, zero blinders, every tampered value, wrong lengths.

use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use super::tests::{Honest, columns, honest, refs, run, spec};
use super::*;

/// Honest multiplicities of the in-range entries only.
pub(super) fn in_range_mults(s: &ZkRangeSpec, cols: &[Vec<F>]) -> Vec<F> {
    let mut m = vec![F::ZERO; 1 << s.bits];
    for v in s.virtual_column(&refs(cols)).unwrap() {
        if let Some(c) = m.get_mut(zkinfer_field::PrimeField64::as_canonical_u64(&v) as usize) {
            *c += F::ONE;
        }
    }
    m
}

#[test]
fn an_out_of_range_entry_is_rejected() {
    let s = spec(3, 4, &[(0, 0), (1, 2)]);
    for bad in [F::from_u64(16), F::from_u64(100), -F::ONE] {
        let mut cols = columns(&s, 9);
        cols[0][5] = bad;
        assert!(s.multiplicities(&refs(&cols)).is_err());
        let h = run(
            &s,
            &cols,
            in_range_mults(&s, &cols),
            s.sample(&mut StdRng::seed_from_u64(3)),
        );
        assert_eq!(h.verify(&h.proof), Err(ZkRangeError::RootSum));
    }
    // A limb of a shifted segment: 4 < 2^4 but 2^2 * 4 = 16 is not.
    let mut cols = columns(&s, 9);
    cols[1][0] = F::from_u64(4);
    let h = run(
        &s,
        &cols,
        in_range_mults(&s, &cols),
        s.sample(&mut StdRng::seed_from_u64(4)),
    );
    assert_eq!(h.verify(&h.proof), Err(ZkRangeError::RootSum));
}

/// A zero blinder makes `q_1(0) = p_1(0) = 0`, so the root relation holds whatever the leaves:
/// with an out-of-range entry, every layer claim still holds, and only the nonzero check rejects.
#[test]
fn a_zero_blinder_is_rejected_by_the_nonzero_check_alone() {
    let s = spec(2, 3, &[(0, 0)]);
    let mut cols = columns(&s, 2);
    cols[0][1] = F::from_u64(8);
    let mut r = s.sample(&mut StdRng::seed_from_u64(5));
    r.blinder[2] = EF::ZERO; // delta_0, root child 0
    let h = run(&s, &cols, in_range_mults(&s, &cols), r);
    assert_eq!(h.proof.root[0], EF::ZERO);
    assert_eq!(h.proof.root[2], EF::ZERO);
    assert!(h.claims.iter().all(|c| h.holds(c)));
    assert_eq!(h.verify(&h.proof), Err(ZkRangeError::ZeroDenominator));
}

#[test]
fn a_zero_root_denominator_is_rejected() {
    let h = honest(&spec(2, 3, &[(0, 0), (1, 1)]), 1);
    for (q, p) in [(2, 0), (3, 1)] {
        // q_i = 0 and p_i = 0 keep p_1(0) q_1(1) + p_1(1) q_1(0) = 0.
        let mut bad = h.proof.clone();
        bad.root[q] = EF::ZERO;
        bad.root[p] = EF::ZERO;
        let [p0, p1, q0, q1] = bad.root;
        assert_eq!(p0 * q1 + p1 * q0, EF::ZERO);
        assert_eq!(h.verify(&bad), Err(ZkRangeError::ZeroDenominator));
    }
}

fn tampered(h: &Honest, edit: impl Fn(&mut ZkRangeProof)) -> bool {
    let mut p = h.proof.clone();
    edit(&mut p);
    assert_ne!(p, h.proof);
    h.rejects(&p)
}

#[test]
fn every_tampered_value_is_rejected() {
    let h = honest(&spec(2, 3, &[(0, 0), (1, 1), (0, 2)]), 4);
    assert!(!h.rejects(&h.proof));
    let one = EF::ONE;
    for i in 0..4 {
        assert!(tampered(&h, |p| p.root[i] += one), "root {i}");
    }
    // Scaling the root fractions keeps the root relation; the layer-1 sumcheck still catches it.
    assert!(tampered(&h, |p| p.root.iter_mut().for_each(|x| *x += *x)));
    for (l, layer) in h.proof.layers.iter().enumerate() {
        assert!(tampered(&h, |p| p.layers[l].mask_sum += one), "G {l}");
        for (r, round) in layer.rounds.round_polys.iter().enumerate() {
            for j in 0..round.len() {
                let edit = |p: &mut ZkRangeProof| p.layers[l].rounds.round_polys[r][j] += one;
                assert!(tampered(&h, edit), "layer {l} round {r} value {j}");
            }
        }
        for j in 0..4 {
            let edit = |p: &mut ZkRangeProof| p.layers[l].final_values[j] += one;
            assert!(tampered(&h, edit), "layer {l} final {j}");
        }
    }
}

#[test]
fn wrong_lengths_are_errors() {
    let h = honest(&spec(2, 3, &[(0, 0), (1, 1)]), 6);
    let shape = |edit: &dyn Fn(&mut ZkRangeProof)| {
        let mut p = h.proof.clone();
        edit(&mut p);
        h.verify(&p).is_err()
    };
    assert!(shape(&|p| {
        p.layers.pop();
    }));
    assert!(shape(&|p| p.layers.push(p.layers[0].clone())));
    assert!(shape(&|p| p.layers.clear()));
    let last = h.proof.layers.len() - 1;
    for l in [0, last] {
        assert!(shape(&|p| {
            p.layers[l].rounds.round_polys.pop();
        }));
        assert!(shape(&|p| {
            let r = p.layers[l].rounds.round_polys[0].clone();
            p.layers[l].rounds.round_polys.push(r);
        }));
        assert!(shape(&|p| {
            p.layers[l].rounds.round_polys[0].pop();
        }));
        assert!(shape(&|p| p.layers[l].rounds.round_polys[0].push(EF::ZERO)));
        assert!(shape(&|p| {
            p.layers[l].final_values.pop();
        }));
        assert!(shape(&|p| p.layers[l].final_values.push(EF::ZERO)));
        assert!(shape(&|p| p.layers[l].final_values.clear()));
    }
    // The verifier's own parameters: ids and spec.
    let mut t = super::tests::committed(&h.hidden);
    let mut ids = h.ids.clone();
    ids.columns.push(99);
    assert_eq!(
        verify(&h.spec, &h.proof, &ids, &mut t),
        Err(ZkRangeError::Ids("one id per column"))
    );
    ids.columns = vec![h.ids.columns[0], h.ids.columns[0]];
    assert!(verify(&h.spec, &h.proof, &ids, &mut t).is_err());
    ids.columns = vec![h.ids.columns[0], h.ids.first_random + 3];
    assert!(verify(&h.spec, &h.proof, &ids, &mut t).is_err());
    for bad in [
        spec(2, 0, &[(0, 0)]),
        spec(2, 3, &[(0, 3)]),
        spec(31, 3, &[(0, 0)]),
    ] {
        assert!(matches!(
            verify(&bad, &h.proof, &h.ids, &mut t),
            Err(ZkRangeError::Spec(_))
        ));
    }
    // A proof for another spec of the same depth is rejected.
    let other = spec(2, 3, &[(0, 0), (1, 2)]);
    assert_eq!(other.depth(), h.spec.depth());
    assert!(
        verify(
            &other,
            &h.proof,
            &h.ids,
            &mut super::tests::committed(&h.hidden)
        )
        .is_err()
    );
}

#[test]
fn the_prover_refuses_wrong_shapes() {
    let s = spec(2, 3, &[(0, 0)]);
    let cols = columns(&s, 1);
    let m = s.multiplicities(&refs(&cols)).unwrap();
    let ids = super::tests::ids(&s);
    let mut t = super::tests::committed(&Default::default());
    let rand = || s.sample(&mut StdRng::seed_from_u64(1));
    let short = vec![cols[0][..2].to_vec()];
    assert!(prove(&s, &refs(&short), &m, rand(), &ids, &mut t).is_err());
    assert!(prove(&s, &refs(&cols), &m[..4], rand(), &ids, &mut t).is_err());
    let wrong = spec(5, 3, &[(0, 0)]).sample(&mut StdRng::seed_from_u64(1));
    assert!(prove(&s, &refs(&cols), &m, wrong, &ids, &mut t).is_err());
}
