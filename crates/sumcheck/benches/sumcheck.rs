//! Prover and verifier time for the sumchecks every layer runs: `f * g` (degree 2), `f * g * h`
//! over base-field tables (degree 3), and `eq(r, x) * f * g` through `prove_eq` (degree 3); and the
//! cost of zero knowledge: `f * g` through `zk::prove` (Libra mask) next to the unmasked `prove`.
//!
//! `cargo bench -p zkinfer-sumcheck` (sample size 10, short measurement: a run is a few minutes).

use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::zk::{self, MaskPoly};
use zkinfer_sumcheck::{ProductSum, prove, prove_eq, verify_eq, verify_with_evals};
use zkinfer_transcript::{Statement, Transcript};

const SIZES: [usize; 4] = [16, 18, 20, 22];

fn transcript() -> Transcript {
    Transcript::new(&Statement::new("zkinfer/bench-sumcheck", 1))
}

fn tables(count: usize, n: usize, seed: u32) -> Vec<Vec<F>> {
    (0..count)
        .map(|k| {
            (0..1u32 << n)
                .map(|i| F::from_u32(i.wrapping_mul(2_654_435_761) ^ (seed + k as u32)))
                .collect()
        })
        .collect()
}

fn point(n: usize) -> Vec<EF> {
    (0..n)
        .map(|i| EF::from_basis_coefficients_fn(|j| F::from_usize(7 * i + j + 1)))
        .collect()
}

fn claim(instance: &ProductSum<EF>, tables: &[Vec<F>], weights: Option<&[EF]>) -> EF {
    (0..tables[0].len())
        .map(|x| {
            let vals: Vec<EF> = tables.iter().map(|t| EF::from(t[x])).collect();
            let v = instance.combine(&vals).unwrap_or(EF::ZERO);
            weights.map_or(v, |w| w[x] * v)
        })
        .sum()
}

fn bench_products(c: &mut Criterion) {
    for (name, factors) in [("f*g", 2usize), ("f*g*h", 3)] {
        let mut group = c.benchmark_group(format!("sumcheck {name}"));
        for n in SIZES {
            let instance = ProductSum::<EF>::product(n, factors);
            let polys = tables(factors, n, 1);
            group.bench_function(BenchmarkId::new("prove", n), |b| {
                b.iter_batched(
                    || (polys.clone(), transcript()),
                    |(p, mut t)| prove(&instance, p, &mut t),
                    BatchSize::LargeInput,
                )
            });
            let sum = claim(&instance, &polys, None);
            let (proof, _, evals) = prove(&instance, polys, &mut transcript());
            group.bench_function(BenchmarkId::new("verify", n), |b| {
                b.iter(|| {
                    verify_with_evals(&instance, sum, &proof, &evals, &mut transcript()).unwrap()
                })
            });
        }
        group.finish();
    }
}

fn bench_eq(c: &mut Criterion) {
    let mut group = c.benchmark_group("sumcheck eq*f*g");
    for n in SIZES {
        let inner = ProductSum::<EF>::product(n, 2);
        let polys = tables(2, n, 2);
        let r = point(n);
        group.bench_function(BenchmarkId::new("prove", n), |b| {
            b.iter_batched(
                || (polys.clone(), transcript()),
                |(p, mut t)| prove_eq(&r, &inner, p, &mut t),
                BatchSize::LargeInput,
            )
        });
        let sum = claim(&inner, &polys, Some(&eq_table(&r)));
        let (proof, _, evals) = prove_eq(&r, &inner, polys, &mut transcript());
        group.bench_function(BenchmarkId::new("verify", n), |b| {
            b.iter(|| verify_eq(&r, &inner, sum, &proof, &evals, &mut transcript()).unwrap())
        });
    }
    group.finish();
}

/// `f * g` masked and unmasked at the sizes the brief asks for; the mask is sampled in the setup
/// (outside the timing), as its coefficients are committed before the sumcheck starts.
fn bench_zk(c: &mut Criterion) {
    let mut group = c.benchmark_group("sumcheck zk f*g");
    let mut rng = StdRng::seed_from_u64(1);
    for n in [16, 20] {
        let instance = ProductSum::<EF>::product(n, 2);
        let polys = tables(2, n, 3);
        group.bench_function(BenchmarkId::new("prove unmasked", n), |b| {
            b.iter_batched(
                || (polys.clone(), transcript()),
                |(p, mut t)| prove(&instance, p, &mut t),
                BatchSize::LargeInput,
            )
        });
        group.bench_function(BenchmarkId::new("prove masked", n), |b| {
            b.iter_batched(
                || {
                    let mask = MaskPoly::<F, EF>::random(n, 2, &mut rng);
                    (polys.clone(), mask, transcript())
                },
                |(p, mask, mut t)| zk::prove(&instance, p, mask, &mut t),
                BatchSize::LargeInput,
            )
        });
        let sum = claim(&instance, &polys, None);
        let mask = MaskPoly::<F, EF>::random(n, 2, &mut rng);
        let out = zk::prove(&instance, polys, mask, &mut transcript());
        group.bench_function(BenchmarkId::new("verify masked", n), |b| {
            b.iter(|| {
                let mut t = transcript();
                zk::verify_with_evals(&instance, sum, &out.proof, &out.final_evals, &mut t).unwrap()
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! { name = benches; config = config(); targets = bench_products, bench_eq, bench_zk }
criterion_main!(benches);
