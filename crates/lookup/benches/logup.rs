//! LogUp prove + verify for 2^16 .. 2^22 lookups into a 2^16 table (commitments excluded: the
//! transcript observes a stand-in commitment first, as the caller would).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::time::Duration;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_lookup::{
    FunctionTable, LookupInstance, Lookups, Table, multiplicities, prove_lookup, verify_lookup,
};
use zkinfer_transcript::{Statement, Transcript};

const TABLE_BITS: usize = 16;

fn transcript() -> Transcript {
    let mut t = Transcript::new(&Statement::new("zkinfer/lookup-bench", 1));
    t.observe_base("commitment", &[F::ONE; 8]);
    t
}

fn values(n: usize) -> Vec<F> {
    let mut s = zkinfer_field::SplitMix64(0x1234_5678);
    (0..1usize << n)
        .map(|_| F::from_u64((s.next_u64() >> 33) % (1 << TABLE_BITS)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("logup");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    let range = LookupInstance {
        num_vars: 0,
        table: Table::<F>::Range { bits: TABLE_BITS },
    };
    let table = FunctionTable::from_fn("square", TABLE_BITS, |i| {
        (F::from_usize(i), F::from_usize(i) * F::from_usize(i))
    })
    .unwrap();
    for n in [16, 18, 20, 22] {
        let v = values(n);
        let instance = LookupInstance {
            num_vars: n,
            ..range.clone()
        };
        let m = multiplicities(&instance.table, &[&v]).unwrap();
        group.bench_function(BenchmarkId::new("range16/prove+verify", n), |b| {
            b.iter(|| {
                let (proof, _) =
                    prove_lookup::<F, EF, _>(&instance, Lookups::Values(&v), &m, &mut transcript())
                        .unwrap();
                verify_lookup(&instance, &proof, &mut transcript()).unwrap()
            })
        });
        if n == 20 {
            let out: Vec<F> = v.iter().map(|&x| x * x).collect();
            let instance = LookupInstance {
                num_vars: n,
                table: Table::Function(table.clone()),
            };
            let m = multiplicities(&instance.table, &[&v, &out]).unwrap();
            group.bench_function(BenchmarkId::new("pairs16/prove+verify", n), |b| {
                b.iter(|| {
                    let (proof, _) = prove_lookup::<F, EF, _>(
                        &instance,
                        Lookups::Pairs(&v, &out),
                        &m,
                        &mut transcript(),
                    )
                    .unwrap();
                    verify_lookup(&instance, &proof, &mut transcript()).unwrap()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
