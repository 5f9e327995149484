//! WHIR commit / open / verify timings and proof sizes, plain and hiding, at 2^16..2^22.
//!
//! A small harness (criterion's minimum of 10 samples makes 2^22 slow): each figure is the
//! median of `PCS_BENCH_REPS` runs (default 3). One polynomial, one claim, default parameters.
//! `plain` opens with `Pcs::open(&data)` (clones the prover data, and the drop of the kept copy
//! is outside the timing); `plain, open_once` consumes it. `raw p3` is the same plain opening through p3-whir directly, to show the wrapper's cost.
//! Run: `cargo bench -p zkinfer-pcs --bench pcs` (sizes can be restricted with
//! `PCS_BENCH_SIZES=16,18`).

use std::hint::black_box;
use std::time::Instant;

use p3_commit::MultilinearPcs;
use p3_multilinear_util::point::Point;
use p3_sumcheck::layout::{Layout, SuffixProver, Table};
use p3_sumcheck::{OpeningBatch, OpeningProtocol, PrescribedPointPcs, TableShape, TableSpec};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_pcs::{
    Claim, HidingParams, HidingPcs, OpeningShape, Pcs, PcsParams, hiding_soundness, soundness_bits,
};
use zkinfer_transcript::{Statement, Transcript};

fn transcript() -> Transcript {
    Transcript::new(&Statement::new("zkinfer/pcs-bench", 1))
}

fn random_poly(n: usize) -> Vec<F> {
    let mut rng = StdRng::seed_from_u64(n as u64);
    (0..1usize << n)
        .map(|_| F::from_u64(rng.next_u64()))
        .collect()
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// (commit ms, open ms, verify ms, proof bytes)
type Sample = (f64, f64, f64, usize);

/// A benchmarked scheme: its name and one run at a size.
type Scheme = (&'static str, fn(usize) -> Sample);

fn plain(n: usize) -> Sample {
    plain_with(n, false)
}

fn plain_once(n: usize) -> Sample {
    plain_with(n, true)
}

fn plain_with(n: usize, once: bool) -> Sample {
    let pcs = Pcs::new(PcsParams::default());
    let input = vec![random_poly(n)];
    let mut t = transcript();
    let start = Instant::now();
    let (c, data) = pcs.commit(input, &mut t).unwrap();
    let commit = ms(start);
    let claims = vec![Claim {
        poly: 0,
        point: t.sample_ext_vec("bench.point", n),
    }];
    let start = Instant::now();
    let (proof, values) = if once {
        pcs.open_once(data, &claims, &mut t).unwrap()
    } else {
        let out = pcs.open(&data, &claims, &mut t).unwrap();
        drop(data);
        out
    };
    let open = ms(start);
    let bytes = proof.to_bytes().len();
    let checked: Vec<(Claim, EF)> = claims.into_iter().zip(values).collect();
    let mut t = transcript();
    let start = Instant::now();
    pcs.observe_commitment(&c, &[n], &mut t).unwrap();
    let _ = t.sample_ext_vec("bench.point", n);
    pcs.verify(&c, &[n], &checked, &proof, &mut t).unwrap();
    (commit, open, ms(start), bytes)
}

fn hiding(n: usize) -> Sample {
    let pcs = HidingPcs::new(HidingParams::default());
    let input = random_poly(n);
    let mut t = transcript();
    let start = Instant::now();
    let (c, data) = pcs.commit(input, &mut t).unwrap();
    let commit = ms(start);
    let points = vec![t.sample_ext_vec("bench.point", n)];
    let start = Instant::now();
    let (proof, values) = pcs.open(data, &points, &mut t).unwrap();
    let open = ms(start);
    let bytes = proof.to_bytes().len();
    let claims: Vec<(Vec<EF>, EF)> = points.into_iter().zip(values).collect();
    let mut t = transcript();
    let start = Instant::now();
    pcs.observe_commitment(&c, n, &mut t).unwrap();
    let _ = t.sample_ext_vec("bench.point", n);
    pcs.verify(&c, n, &claims, &proof, &mut t).unwrap();
    (commit, open, ms(start), bytes)
}

/// The same plain opening through p3 directly: prover data moved, not cloned; no checks.
fn raw_p3(n: usize) -> Sample {
    type Whir = p3_whir::WhirProver<
        EF,
        F,
        p3_dft::Radix2DFTSmallBatch<F>,
        Mmcs,
        zkinfer_transcript::Challenger,
        SuffixProver<F, EF>,
    >;
    type Packing = <F as zkinfer_field::Field>::Packing;
    type Mmcs = p3_merkle_tree::MerkleTreeMmcs<
        Packing,
        Packing,
        p3_symmetric::PaddingFreeSponge<p3_koala_bear::Poseidon2KoalaBear<24>, 24, 16, 8>,
        p3_symmetric::TruncatedPermutation<p3_koala_bear::Poseidon2KoalaBear<16>, 2, 8, 16>,
        2,
        8,
    >;
    let params = PcsParams::default();
    let new_whir = || {
        let dft = p3_dft::Radix2DFTSmallBatch::<F>::default();
        let pp = p3_whir::ProtocolParameters {
            security_level: params.security_level,
            pow_bits: params.pow_bits,
            soundness_type: params.soundness,
            folding_factor: p3_whir::FoldingFactor::Constant(params.folding_factor),
            starting_log_inv_rate: params.starting_log_inv_rate,
            round_log_inv_rates: vec![],
        };
        let config = p3_whir::WhirConfig::new_with_domain(n, pp, &dft).unwrap();
        let mmcs = Mmcs::new(
            p3_symmetric::PaddingFreeSponge::new(p3_koala_bear::default_koalabear_poseidon2_24()),
            p3_symmetric::TruncatedPermutation::new(p3_koala_bear::default_koalabear_poseidon2_16()),
            0,
        );
        Whir::new(config, dft, mmcs)
    };
    let protocol = OpeningProtocol::new(vec![TableSpec::new(
        TableShape::new(n, 1),
        vec![OpeningBatch::new(vec![0], vec![])],
    )]);
    let poly = random_poly(n);
    let mut t = transcript();
    let start = Instant::now();
    let whir = new_whir();
    let table = Table::new(p3_matrix::dense::RowMajorMatrix::new(poly, 1 << n));
    let witness = SuffixProver::<F, EF>::new_witness(vec![table], params.folding_factor);
    let (c, data) = whir.commit(witness, t.challenger_mut()).unwrap();
    let commit = ms(start);
    let points = vec![Point::new(t.sample_ext_vec("bench.point", n))];
    let start = Instant::now();
    let proof = whir
        .open_at(data, &protocol, &points, t.challenger_mut())
        .unwrap();
    let open = ms(start);
    let bytes = postcard::to_allocvec(&proof).unwrap().len();
    let mut t = transcript();
    let start = Instant::now();
    let whir = new_whir();
    whir.observe_commitment(&c, t.challenger_mut());
    let _ = t.sample_ext_vec("bench.point", n);
    black_box(
        whir.verify_at(&c, &proof, &protocol, &points, t.challenger_mut())
            .unwrap(),
    );
    (commit, open, ms(start), bytes)
}

fn main() {
    let reps: usize = std::env::var("PCS_BENCH_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let sizes: Vec<usize> = std::env::var("PCS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![16, 18, 20, 22]);
    // Criterion-style flags (`--bench`, `--quick`) are accepted and ignored.
    println!("| scheme | n | commit ms | open ms | verify ms | proof KiB | soundness bits |");
    println!("|---|---|---|---|---|---|---|");
    let schemes: [Scheme; 4] = [
        ("plain", plain),
        ("plain, open_once", plain_once),
        ("raw p3 (plain)", raw_p3),
        ("hiding", hiding),
    ];
    for (name, run) in schemes {
        for &n in &sizes {
            let samples: Vec<Sample> = (0..reps).map(|_| run(n)).collect();
            let bits = if name == "hiding" {
                hiding_soundness(&HidingParams::default(), n, 1)
                    .unwrap()
                    .bits
            } else {
                soundness_bits(&PcsParams::default(), &OpeningShape::single(n, 1)).unwrap()
            };
            println!(
                "| {name} | {n} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |",
                median(samples.iter().map(|s| s.0).collect()),
                median(samples.iter().map(|s| s.1).collect()),
                median(samples.iter().map(|s| s.2).collect()),
                median(samples.iter().map(|s| s.3 as f64 / 1024.0).collect()),
                bits,
            );
        }
    }
}
