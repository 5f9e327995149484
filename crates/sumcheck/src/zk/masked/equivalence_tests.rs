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
    /// [`Spec::PubSparse`] and [`Spec::PubZero`] as hidden tables ([`Factor::Hidden`]).
    HidSparse,
    HidZero,
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
        Spec::HidSparse | Spec::HidZero => match factor(public_twin(spec), n, rng) {
            Factor::Public(t) => Factor::Hidden(t),
            other => other,
        },
        Spec::MaskBase => masked(Table::Base(rng.tables(1, n).remove(0)), rng),
        Spec::MaskExt => masked(Table::Ext(ext(rng)), rng),
    }
}

/// The public spec with the same table as a hidden one.
fn public_twin(spec: Spec) -> Spec {
    match spec {
        Spec::HidSparse => Spec::PubSparse,
        Spec::HidZero => Spec::PubZero,
        other => other,
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
        Spec::HidSparse,
        Spec::HidZero,
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

/// The fast kernel's proof with `specs`, and the work it skipped (zero lines and equal halves).
fn prove_counting_skips(
    seed: u64,
    n: usize,
    terms: &[(EF, Vec<usize>)],
    specs: &[Spec],
) -> (super::MaskedProverOutput<EF>, usize) {
    let mut rng = Rng(seed);
    let factors: Vec<_> = specs.iter().map(|&s| factor(s, n, &mut rng)).collect();
    let kinds: Vec<FactorKind> = factors.iter().map(Factor::kind).collect();
    let instance = MaskedInstance::new(n, terms.to_vec(), kinds);
    let mask = seeded_mask(seed, n, instance.degree());
    let mut t = transcript("skips");
    super::round::SKIPS.with(|s| s.set(0));
    let out = prove_with(Kernel::Fast, &instance, factors, rng.ext(), mask, &mut t);
    (out, super::round::SKIPS.with(std::cell::Cell::get))
}

/// The prover's work does not depend on a hidden table's entries (a timing side channel): the
/// zeros and equal halves of a [`Factor::Hidden`] table skip nothing, where the same table
/// declared public skips work; the proof is the same either way. The tables are small, so the
/// kernel and the folds run on this thread, which counts the skips.
#[test]
fn hidden_tables_skip_no_work() {
    use Spec::*;
    let n = 6;
    for (seed, (terms, hidden)) in [
        (vec![vec![0, 1]], vec![HidZero, MaskExt]),
        (vec![vec![0, 1, 1, 1]], vec![HidSparse, MaskBase]),
        (vec![vec![0, 1, 2]], vec![HidSparse, HidZero, MaskExt]),
        (
            vec![vec![0, 1], vec![2]],
            vec![HidSparse, HidZero, MaskBase],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let terms: Vec<_> = terms.into_iter().map(|s| (EF::ONE, s)).collect();
        let public: Vec<Spec> = hidden.iter().map(|&s| public_twin(s)).collect();
        let (h_out, h_skips) = prove_counting_skips(seed as u64, n, &terms, &hidden);
        let (p_out, p_skips) = prove_counting_skips(seed as u64, n, &terms, &public);
        assert_eq!(h_skips, 0, "hidden tables skipped work: {hidden:?}");
        assert!(p_skips > 0, "the public twin should skip: {public:?}");
        assert_eq!(h_out, p_out, "{hidden:?}");
    }
}
