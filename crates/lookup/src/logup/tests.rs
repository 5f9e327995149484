//! LogUp end to end: honest proofs, claims checked against brute-force MLEs in place of the PCS,
//! cheating provers and tampered proofs.

use proptest::prelude::*;
use zkinfer_field::{EF, F, PrimeCharacteristicRing, PrimeField64, encode_signed};
use zkinfer_transcript::{FiatShamir, Statement, Transcript};

use super::prove::prove_unchecked;
use super::*;
use crate::gkr::{FractionTree, GkrError, Numerator, prove_fraction_sums};
use crate::{FunctionTable, multiplicities};
use zkinfer_sumcheck::SumcheckError;

/// splitmix64: deterministic test randomness.
fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut s = zkinfer_field::SplitMix64(seed);
    move || s.next_u64()
}

fn transcript(tag: &[u8]) -> Transcript {
    Transcript::new(
        &Statement::new("zkinfer/lookup-test", 1)
            .field_bytes("tag", tag)
            .unwrap(),
    )
}

/// Stand-in for observing the PCS commitment of the columns and multiplicities (bug 3: before α).
fn committed(tag: &[u8], columns: &[Vec<F>], m: &[F]) -> Transcript {
    let mut t = transcript(tag);
    for c in columns {
        t.observe_base("commit.column", c);
    }
    t.observe_base("commit.multiplicities", m);
    t
}

/// Brute-force MLE: Σ_i eq(point, bits(i)) v_i, MSB-first.
fn mle(values: &[F], point: &[EF]) -> EF {
    let n = point.len();
    assert_eq!(values.len(), 1 << n);
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let eq: EF = (0..n)
                .map(|b| {
                    if (i >> (n - 1 - b)) & 1 == 1 {
                        point[b]
                    } else {
                        EF::ONE - point[b]
                    }
                })
                .product();
            eq * v
        })
        .sum()
}

/// A lookup instance with its committed witness.
struct Case {
    instance: LookupInstance<F>,
    columns: Vec<Vec<F>>,
    m: Vec<F>,
}

impl Case {
    fn range(num_vars: usize, bits: usize, seed: u64) -> Self {
        let mut r = rng(seed);
        let columns = vec![
            (0..1 << num_vars)
                .map(|_| F::from_u64(r() % (1 << bits)))
                .collect(),
        ];
        Self::with(
            LookupInstance {
                num_vars,
                table: Table::Range { bits },
            },
            columns,
        )
    }

    /// A signed ReLU table over [-2^(bits-1), 2^(bits-1)).
    fn relu(num_vars: usize, bits: usize, seed: u64) -> Self {
        let half = (1i64 << bits) >> 1;
        let table = FunctionTable::from_fn("relu", bits, |i| {
            let x = i as i64 - half;
            (encode_signed(x).unwrap(), encode_signed(x.max(0)).unwrap())
        })
        .unwrap();
        let mut r = rng(seed);
        let rows: Vec<usize> = (0..1 << num_vars)
            .map(|_| (r() % (1 << bits)) as usize)
            .collect();
        let columns = vec![
            rows.iter().map(|&j| table.inputs()[j]).collect(),
            rows.iter().map(|&j| table.outputs()[j]).collect(),
        ];
        Self::with(
            LookupInstance {
                num_vars,
                table: Table::Function(table),
            },
            columns,
        )
    }

    fn with(instance: LookupInstance<F>, columns: Vec<Vec<F>>) -> Self {
        let refs: Vec<&[F]> = columns.iter().map(Vec::as_slice).collect();
        let m = multiplicities(&instance.table, &refs).unwrap();
        Self {
            instance,
            columns,
            m,
        }
    }

    fn lookups(&self) -> Lookups<'_, F> {
        match self.columns.as_slice() {
            [v] => Lookups::Values(v),
            [i, o] => Lookups::Pairs(i, o),
            _ => unreachable!(),
        }
    }

    fn prove(&self) -> (LookupProof<EF>, LookupClaims<EF>) {
        let mut t = committed(b"case", &self.columns, &self.m);
        prove_lookup(&self.instance, self.lookups(), &self.m, &mut t).unwrap()
    }

    fn verify(&self, proof: &LookupProof<EF>) -> Result<LookupClaims<EF>, LookupError> {
        verify_lookup(
            &self.instance,
            proof,
            &mut committed(b"case", &self.columns, &self.m),
        )
    }

    /// The caller's PCS check, done by brute force on the committed columns.
    fn claims_hold(&self, claims: &LookupClaims<EF>) -> bool {
        self.columns.len() == claims.eval_lookups.len()
            && self
                .columns
                .iter()
                .zip(&claims.eval_lookups)
                .all(|(c, &e)| mle(c, &claims.point_lookups) == e)
            && mle(&self.m, &claims.point_table) == claims.eval_multiplicities
    }

    fn accepts(&self, proof: &LookupProof<EF>) -> bool {
        self.verify(proof).is_ok_and(|c| self.claims_hold(&c))
    }
}

#[test]
fn honest_range_check_verifies_with_correct_claims() {
    for (n, bits) in [(6, 4), (3, 5), (4, 4), (0, 2), (2, 0)] {
        let case = Case::range(n, bits, 1);
        let (proof, claims) = case.prove();
        assert_eq!(case.verify(&proof), Ok(claims.clone()));
        assert!(case.claims_hold(&claims), "n={n} bits={bits}");
    }
}

#[test]
fn honest_function_lookup_verifies_with_correct_claims() {
    for (n, bits) in [(6, 4), (2, 5), (3, 3)] {
        let case = Case::relu(n, bits, 2);
        let (proof, claims) = case.prove();
        assert_eq!(case.verify(&proof), Ok(claims.clone()));
        assert!(case.claims_hold(&claims));
    }
}

#[test]
fn proof_survives_serialization() {
    let case = Case::relu(4, 3, 3);
    let (proof, _) = case.prove();
    let bytes = postcard::to_allocvec(&proof).unwrap();
    let back: LookupProof<EF> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, proof);
    assert!(case.accepts(&back));
    assert!(postcard::from_bytes::<LookupProof<EF>>(&bytes[..bytes.len() - 1]).is_err());
}

#[test]
fn honest_prover_refuses_values_outside_the_table() {
    let mut case = Case::range(4, 3, 4);
    case.columns[0][5] = F::from_u64(8);
    let refs: Vec<&[F]> = case.columns.iter().map(Vec::as_slice).collect();
    assert_eq!(
        multiplicities(&case.instance.table, &refs),
        Err(LookupError::NotInTable { index: 5 })
    );
    let mut t = committed(b"case", &case.columns, &case.m);
    assert_eq!(
        prove_lookup::<F, EF, _>(&case.instance, case.lookups(), &case.m, &mut t).err(),
        Some(LookupError::Unbalanced)
    );
}

/// Out-of-table value, multiplicities forced to anything: the root sum cannot cancel.
#[test]
fn value_outside_table_with_forced_multiplicities_is_rejected() {
    let mut case = Case::range(4, 3, 5);
    let bad = F::from_u64(8);
    case.columns[0][5] = bad;
    // Count the bad value as if it were the row 0 (the closest a prover can get).
    case.m[0] += F::ONE;
    let mut t = committed(b"case", &case.columns, &case.m);
    let (proof, _) = prove_unchecked(&case.instance, case.lookups(), &case.m, &mut t).unwrap();
    assert!(matches!(
        case.verify(&proof),
        Err(LookupError::Gkr(GkrError::RootSum))
    ));
}

/// Out-of-table value, prover runs the argument on an in-table column: the claim check catches it.
#[test]
fn value_outside_table_caught_by_the_lookup_claim() {
    let honest = Case::range(4, 3, 6);
    let mut committed_case = Case::range(4, 3, 6);
    committed_case.columns[0][5] = F::from_u64(1 << 20);
    let mut t = committed(b"case", &committed_case.columns, &committed_case.m);
    let (proof, _) = prove_lookup(&honest.instance, honest.lookups(), &honest.m, &mut t).unwrap();
    let claims = committed_case.verify(&proof).unwrap();
    assert!(!committed_case.claims_hold(&claims));
    assert_ne!(
        mle(&committed_case.columns[0], &claims.point_lookups),
        claims.eval_lookups[0]
    );
}

#[test]
fn tampered_multiplicities_are_caught_by_the_claim() {
    let case = Case::range(5, 3, 7);
    let mut other = Case::range(5, 3, 7);
    // The prover commits to other multiplicities (same total count, different distribution) and
    // runs the argument on the true ones: only the multiplicity claim exposes it.
    other.m[0] += F::ONE;
    other.m[1] -= F::ONE;
    let mut t = committed(b"case", &other.columns, &other.m);
    let (proof, _) = prove_lookup(&case.instance, case.lookups(), &case.m, &mut t).unwrap();
    let claims = other.verify(&proof).unwrap();
    assert_ne!(
        mle(&other.m, &claims.point_table),
        claims.eval_multiplicities
    );
    assert!(!other.accepts(&proof));
}

/// Visits every field element of a proof, mutably.
fn for_each_element(proof: &mut LookupProof<EF>, f: &mut dyn FnMut(&mut EF)) {
    proof.gkr.roots.iter_mut().flatten().for_each(&mut *f);
    for layer in &mut proof.gkr.layers {
        layer
            .sumcheck
            .round_polys
            .iter_mut()
            .flatten()
            .for_each(&mut *f);
        layer.children.iter_mut().flatten().for_each(&mut *f);
    }
    proof.lookup_evals.iter_mut().for_each(f);
}

#[test]
fn every_tampered_element_is_rejected() {
    for case in [Case::range(3, 4, 8), Case::relu(4, 3, 9)] {
        let (proof, _) = case.prove();
        let mut count = 0;
        for_each_element(&mut proof.clone(), &mut |_| count += 1);
        for k in 0..count {
            let mut bad = proof.clone();
            let mut i = 0;
            for_each_element(&mut bad, &mut |e| {
                if i == k {
                    *e += EF::ONE;
                }
                i += 1;
            });
            assert!(
                case.verify(&bad).is_err(),
                "element {k} of {count} tampered, still accepted"
            );
        }
    }
}

#[test]
fn zero_root_denominator_is_rejected() {
    let case = Case::range(3, 2, 10);
    let (mut proof, _) = case.prove();
    proof.gkr.roots[0] = [EF::ZERO, EF::ZERO];
    assert!(matches!(
        case.verify(&proof),
        Err(LookupError::Gkr(GkrError::ZeroDenominator(0)))
    ));
}

#[test]
fn wrong_shapes_are_rejected() {
    let case = Case::relu(4, 3, 11);
    let (proof, _) = case.prove();
    let shape = |p: &LookupProof<EF>| {
        matches!(
            case.verify(p),
            Err(LookupError::Gkr(GkrError::Shape(_))) | Err(LookupError::Shape(_))
        )
    };
    let mut p = proof.clone();
    p.gkr.layers.pop();
    assert!(shape(&p), "one layer too few");
    let mut p = proof.clone();
    p.gkr.layers.push(proof.gkr.layers[1].clone());
    assert!(shape(&p), "one layer too many");
    let mut p = proof.clone();
    p.gkr.layers[2].sumcheck.round_polys.pop();
    assert!(
        matches!(
            case.verify(&p),
            Err(LookupError::Gkr(GkrError::Sumcheck {
                layer: 2,
                source: SumcheckError::WrongRoundCount { .. }
            }))
        ),
        "one round too few"
    );
    let mut p = proof.clone();
    p.gkr.layers[2].sumcheck.round_polys[1].push(EF::ZERO);
    assert!(
        matches!(
            case.verify(&p),
            Err(LookupError::Gkr(GkrError::Sumcheck {
                layer: 2,
                source: SumcheckError::WrongDegree { .. }
            }))
        ),
        "degree 4 round polynomial"
    );
    let mut p = proof.clone();
    p.gkr.layers[3].children.pop();
    assert!(shape(&p), "table tree dropped early");
    let mut p = proof.clone();
    p.gkr.roots.push([EF::ONE, EF::ONE]);
    assert!(shape(&p), "extra root");
    let mut p = proof.clone();
    p.lookup_evals.pop();
    assert!(shape(&p), "missing lookup evaluation");
}

#[test]
fn changed_statement_or_instance_is_rejected() {
    let case = Case::range(4, 3, 12);
    let (proof, _) = case.prove();
    let mut t = committed(b"other statement", &case.columns, &case.m);
    assert!(verify_lookup(&case.instance, &proof, &mut t).is_err());
    // A different commitment (here: different multiplicities observed) changes every challenge.
    let mut m = case.m.clone();
    m.swap(0, 1);
    let mut t = committed(b"case", &case.columns, &m);
    assert!(verify_lookup(&case.instance, &proof, &mut t).is_err());
    let wider: LookupInstance<F> = LookupInstance {
        num_vars: 4,
        table: Table::Range { bits: 4 },
    };
    assert!(
        verify_lookup(
            &wider,
            &proof,
            &mut committed(b"case", &case.columns, &case.m)
        )
        .is_err()
    );
}

/// A prover that zeroes the numerator of an out-of-table lookup balances the sums; only the
/// verifier's check that lookup numerators are -1 stops it.
#[test]
fn zeroed_lookup_numerator_is_rejected() {
    let mut case = Case::range(3, 2, 13);
    case.columns[0][2] = F::from_u64(100);
    let values = case.columns[0].clone();
    let mut m = vec![F::ZERO; 4];
    for v in values.iter().filter(|v| v.as_canonical_u64() < 4) {
        m[v.as_canonical_u64() as usize] += F::ONE;
    }
    let mut numerators = vec![F::NEG_ONE; 8];
    numerators[2] = F::ZERO;
    let proof = cheat(
        &case,
        &values,
        &numerators,
        &m,
        &case.instance.table.columns()[0],
    );
    assert_eq!(
        verify_lookup(
            &case.instance,
            &proof,
            &mut committed(b"c", &case.columns, &m)
        )
        .err(),
        Some(LookupError::LookupNumerator)
    );
}

/// A prover that runs the table side on a table containing its bad value: only the verifier's own
/// table evaluation stops it.
#[test]
fn substituted_table_is_rejected() {
    let mut case = Case::range(3, 2, 14);
    case.columns[0] = [0u64, 1, 2, 100, 0, 1, 2, 0].map(F::from_u64).to_vec();
    let mut fake_table = case.instance.table.columns()[0].clone();
    fake_table[3] = F::from_u64(100);
    let mut m = vec![F::ZERO; 4];
    for v in &case.columns[0] {
        let j = fake_table.iter().position(|t| t == v).unwrap();
        m[j] += F::ONE;
    }
    let proof = cheat(&case, &case.columns[0], &[F::NEG_ONE; 8], &m, &fake_table);
    assert_eq!(
        verify_lookup(
            &case.instance,
            &proof,
            &mut committed(b"c", &case.columns, &m)
        )
        .err(),
        Some(LookupError::TableDenominator)
    );
}

/// Runs the range-check schedule with arbitrary lookup numerators and table column.
fn cheat(case: &Case, values: &[F], numerators: &[F], m: &[F], table: &[F]) -> LookupProof<EF> {
    let mut t = committed(b"c", &case.columns, m);
    let (alpha, gammas) = case.instance.draw_challenges::<EF, _>(&mut t);
    let trees = [
        FractionTree {
            numerator: Numerator::Column(numerators),
            columns: vec![values],
        },
        FractionTree {
            numerator: Numerator::Column(m),
            columns: vec![table],
        },
    ];
    let (gkr, leaves) = prove_fraction_sums(&trees, alpha, &gammas, &mut t);
    let lookup_evals = vec![mle(values, &leaves[0].point)];
    t.observe(labels::LOOKUP_EVALS, &lookup_evals);
    LookupProof { gkr, lookup_evals }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_sizes_verify(n in 0usize..7, bits in 0usize..6, seed in any::<u64>(), pairs in any::<bool>()) {
        let case = if pairs { Case::relu(n, bits.max(1), seed) } else { Case::range(n, bits, seed) };
        let (proof, claims) = case.prove();
        prop_assert_eq!(case.verify(&proof), Ok(claims.clone()));
        prop_assert!(case.claims_hold(&claims));
    }

    #[test]
    fn random_tamper_is_rejected(n in 1usize..6, bits in 1usize..5, seed in any::<u64>(), pick in any::<u64>()) {
        let case = Case::range(n, bits, seed);
        let (mut proof, _) = case.prove();
        let mut count = 0u64;
        for_each_element(&mut proof, &mut |_| count += 1);
        let k = pick % count;
        let mut i = 0;
        for_each_element(&mut proof, &mut |e| { if i == k { *e += EF::ONE; } i += 1; });
        prop_assert!(case.verify(&proof).is_err());
    }
}
