//! The fast round polynomials ([`super::round`]) give bit-identical proofs: every instance is
//! proved with both kernels on the same seeded transcript, and the whole outputs, and the
//! transcripts' next challenges, must agree.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::FiatShamir;

use super::prove::{Kernel, prove_with};
use super::{Factor, FactorKind, MaskedFactor, MaskedInstance, Table};
use crate::test_util::{Rng, transcript};
use crate::zk::tests::seeded_mask;

/// How a test builds a factor.
#[derive(Clone, Copy, Debug)]
enum Spec {
    PubBase,
    PubExt,
    /// An `EF` table that is zero on about half the entries, and so on some whole lines.
    PubSparse,
    /// An `EF` table of zeros.
    PubZero,
    MaskBase,
    MaskExt,
}

fn factor(spec: Spec, n: usize, rng: &mut Rng) -> Factor<F, EF> {
    let len = 1 << n;
    let ext = |rng: &mut Rng| (0..len).map(|_| rng.ext()).collect::<Vec<_>>();
    let masked = |table, rng: &mut Rng| {
        Factor::Masked(MaskedFactor {
            table,
            offset: rng.ext(),
            coeffs: (0..n).map(|_| rng.ext()).collect(),
        })
    };
    match spec {
        Spec::PubBase => Factor::Public(Table::Base(rng.tables(1, n).remove(0))),
        Spec::PubExt => Factor::Public(Table::Ext(ext(rng))),
        Spec::PubSparse => Factor::Public(Table::Ext(
            (0..len)
                .map(|_| {
                    let v = rng.ext();
                    if rng.below(2) == 0 { EF::ZERO } else { v }
                })
                .collect(),
        )),
        Spec::PubZero => Factor::Public(Table::Ext(vec![EF::ZERO; len])),
        Spec::MaskBase => masked(Table::Base(rng.tables(1, n).remove(0)), rng),
        Spec::MaskExt => masked(Table::Ext(ext(rng)), rng),
    }
}

/// Proves the instance with both kernels and asserts that everything they produce agrees.
/// `extra` raises the round degree above the least one.
fn assert_same(seed: u64, n: usize, terms: Vec<(EF, Vec<usize>)>, specs: &[Spec], extra: usize) {
    let mut rng = Rng(seed);
    let factors: Vec<_> = specs.iter().map(|&s| factor(s, n, &mut rng)).collect();
    let kinds: Vec<FactorKind> = factors.iter().map(Factor::kind).collect();
    let mut instance = MaskedInstance::new(n, terms, kinds);
    instance.sum.degree += extra;
    let hidden = rng.ext();
    let run = |kernel| {
        let mask = seeded_mask(seed, n, instance.degree());
        let mut t = transcript("equivalence");
        let out = prove_with(kernel, &instance, factors.clone(), hidden, mask, &mut t);
        (out, t.challenge("next"))
    };
    let (fast, generic) = (run(Kernel::Fast), run(Kernel::Generic));
    assert_eq!(fast, generic, "seed {seed}, n {n}, specs {specs:?}");
}

/// The shapes of the Poseidon2 round proof (zkinfer-layers' hash module): linear `Wt U`, full
/// `Wt U^3`, partial `Wlin U + P0 U^3` with `P0` sparse, for masked tables in `F` and in `EF`.
#[test]
fn hash_shapes_give_identical_proofs() {
    use Spec::*;
    for n in 0..=6 {
        for masked in [MaskBase, MaskExt] {
            for (seed, (terms, specs)) in [
                (vec![vec![0, 1]], vec![PubExt, masked]),
                (vec![vec![0, 1, 1, 1]], vec![PubExt, masked]),
                (vec![vec![0, 1, 1, 1]], vec![PubSparse, masked]),
                (
                    vec![vec![0, 2], vec![1, 2, 2, 2]],
                    vec![PubExt, PubSparse, masked],
                ),
                (
                    vec![vec![0, 2], vec![1, 2, 2, 2]],
                    vec![PubSparse, PubZero, masked],
                ),
            ]
            .into_iter()
            .enumerate()
            {
                let terms: Vec<_> = terms.into_iter().map(|s| (EF::ONE, s)).collect();
                for extra in [0, 1] {
                    assert_same(seed as u64, n, terms.clone(), &specs, extra);
                }
            }
        }
    }
}

/// Random instances: 1 to 4 factors of every kind, 1 to 3 terms of up to 5 factors (so with
/// repeated, several or no masked factors) and a one-factor term for each factor left out, round
/// degrees from 1 to 11.
#[test]
fn random_instances_give_identical_proofs() {
    let all = [
        Spec::PubBase,
        Spec::PubExt,
        Spec::PubSparse,
        Spec::PubZero,
        Spec::MaskBase,
        Spec::MaskExt,
    ];
    for n in 0..=6 {
        for seed in 0..40 {
            let mut rng = Rng(1000 * n as u64 + seed);
            let num = 1 + rng.below(4);
            let specs: Vec<Spec> = (0..num).map(|_| all[rng.below(all.len())]).collect();
            let mut terms: Vec<(EF, Vec<usize>)> = (0..1 + rng.below(3))
                .map(|_| {
                    let factors = (0..1 + rng.below(5)).map(|_| rng.below(num)).collect();
                    (rng.ext(), factors)
                })
                .collect();
            // Every factor must appear in some term.
            let unused: Vec<usize> = (0..num)
                .filter(|i| terms.iter().all(|(_, s)| !s.contains(i)))
                .collect();
            terms.extend(unused.into_iter().map(|i| (rng.ext(), vec![i])));
            let extra = rng.below(2);
            assert_same(seed, n, terms, &specs, extra);
        }
    }
}
