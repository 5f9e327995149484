use std::collections::HashMap;

use zkinfer_field::{F, PrimeField64, encode_signed};
use zkinfer_transcript::Transcript;

use super::*;
use crate::signed::witness;
use crate::test_util::transcript;

/// The checked column's id in the stand-in commitment.
const V: usize = 1000;

fn spec(num_vars: usize, bits: u32) -> SignedSpec {
    SignedSpec { num_vars, bits }
}

fn ids() -> SignedIds {
    SignedIds {
        first_col: 0,
        blinder: 100,
        first_random: 101,
    }
}

fn value_form(point: &[EF]) -> Result<Form<EF>, LayerError> {
    Ok(Form::eval(EF::ONE, V, point.to_vec()))
}

/// Every hidden vector: `v`, the committed columns, the range check's randomness.
fn hidden(
    s: &SignedSpec,
    values: &[F],
    w: &SignedWitness,
) -> (HashMap<usize, Vec<F>>, Option<ZkRangeRandomness>) {
    let mut h: HashMap<usize, Vec<F>> = HashMap::new();
    h.insert(V, values.to_vec());
    for (i, c) in w.columns().into_iter().enumerate() {
        h.insert(ids().first_col + i, c.to_vec());
    }
    let layout = s.layout().unwrap();
    let randomness = s.zk_range().unwrap().map(|z| {
        let r = z.trivial_randomness();
        h.extend(r.vectors(&range_ids(&layout, &ids())));
        r
    });
    (h, randomness)
}

/// Stand-in for the one hiding commitment, observed before any challenge (bug 3).
fn committed(h: &HashMap<usize, Vec<F>>) -> Transcript {
    let mut t = transcript("sgz");
    let mut keys: Vec<_> = h.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        t.observe_base("commit", &h[&k]);
    }
    t
}

fn holds(h: &HashMap<usize, Vec<F>>, claims: &[FormClaim<EF>]) -> bool {
    claims
        .iter()
        .all(|c| c.form.evaluate::<F>(|id| h.get(&id).map(Vec::as_slice)) == Ok(c.value))
}

/// Honest columns of every layout: the verifier returns the prover's claims, every claim holds on
/// the hidden vectors, and none names a virtual column.
#[test]
fn honest_columns_prove_in_zero_knowledge() {
    for (seed, (n, k)) in [
        (3, 1),
        (4, 2),
        (5, 6),
        (5, 12),
        (2, 16),
        (3, 20),
        (4, 30),
        (1, 17),
    ]
    .into_iter()
    .enumerate()
    {
        let s = spec(n, k);
        let values = if k == 1 {
            vec![F::ZERO; 1 << n]
        } else {
            super::super::tests::column(seed as u64, &s)
        };
        let w = witness(&s, &values).unwrap();
        let (h, randomness) = hidden(&s, &values, &w);
        let (proof, claims) = prove(
            &s,
            &values,
            &w,
            &ids(),
            randomness,
            &value_form,
            &mut committed(&h),
        )
        .unwrap();
        assert!(holds(&h, &claims), "{n} {k}");
        let verified = verify(&s, &ids(), proof.as_ref(), &value_form, &mut committed(&h));
        assert_eq!(verified.unwrap(), claims);
        for c in &claims {
            for (_, atom) in &c.form.terms {
                let (Atom::Eval { id, .. } | Atom::Dense { id, .. }) = atom;
                assert!(h.contains_key(id), "{n} {k}: claim on {id}");
            }
        }
    }
}

/// Out of the width: the range check's root does not cancel (or a zero column's claim is false).
#[test]
fn values_outside_the_width_are_rejected() {
    let half = (F::ORDER_U64 / 2) as i64 - 1;
    for (n, k) in [(5, 6), (4, 12), (3, 20), (2, 1)] {
        let s = spec(n, k);
        for bad in [s.bound() as i64 + 1, -(s.bound() as i64) - 1, half] {
            let mut values = if k == 1 {
                vec![F::ZERO; 1 << n]
            } else {
                super::super::tests::column(2, &s)
            };
            values[1] = encode_signed(bad).unwrap();
            let w = witness(&s, &values).unwrap();
            let (h, randomness) = hidden(&s, &values, &w);
            let (proof, claims) = prove(
                &s,
                &values,
                &w,
                &ids(),
                randomness,
                &value_form,
                &mut committed(&h),
            )
            .unwrap();
            let verified = verify(&s, &ids(), proof.as_ref(), &value_form, &mut committed(&h));
            if k == 1 {
                assert!(!holds(&h, &verified.unwrap()));
            } else {
                assert!(
                    matches!(&verified, Err(LayerError::Parameter { detail, .. }) if detail.contains("cancel")),
                    "{k} {bad}: {verified:?}"
                );
                assert!(!holds(&h, &claims) || verified.is_err());
            }
        }
    }
}

/// A prover that looks up `d' = 0` where `d = B - v` is out of range (a weight of `B + 1`)
/// balances the range check, but its claims say `d = B - v` (Direct: the substituted virtual
/// column; Limbs: the identity `u + d = 2B`), which is false on the hidden vectors: the back end
/// rejects.
#[test]
fn claims_bind_the_lower_side_to_the_column() {
    for (n, k) in [(5, 6), (3, 20)] {
        let s = spec(n, k);
        let layout = s.layout().unwrap();
        let mut values = super::super::tests::column(4, &s);
        values[3] = encode_signed(s.bound() as i64 + 1).unwrap();
        let cols = super::super::tests::cheating_columns(&s, &layout, &values);
        let refs: Vec<&[F]> = cols.iter().map(Vec::as_slice).collect();
        let range = layout.range_spec(&s).unwrap();
        let mults = range.multiplicities(&refs).unwrap();
        let w = SignedWitness {
            layout,
            limbs: if layout == SignedLayout::Direct {
                vec![]
            } else {
                cols.clone()
            },
            mults,
            in_range: true,
        };
        let (h, randomness) = hidden(&s, &values, &w);
        let rids = range_ids(&layout, &ids());
        let mut t = committed(&h);
        let (proof, forms, at) =
            zk_range::prove_at(&range, &refs, &w.mults, randomness.unwrap(), &rids, &mut t)
                .unwrap();
        let claims = finish(&s, &layout, &ids(), forms, &at, &value_form).unwrap();
        let verified = verify(&s, &ids(), Some(&proof), &value_form, &mut committed(&h)).unwrap();
        assert_eq!(verified, claims);
        assert!(!holds(&h, &claims), "{n} {k}");
    }
}
