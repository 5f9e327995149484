//! `zkinfer estimate --calibrate`: time real proofs of the synthetic series ([`super::synth`]) in
//! child processes, fit each target's coefficients against the profiles' features
//! ([`super::fit`]), and measure the opening size of every commitment size directly.

use anyhow::Context;
use zkinfer_field::{F, PrimeCharacteristicRing};
use zkinfer_pcs::{Claim, HidingPcs, Pcs};
use zkinfer_protocol::zk::zk_cost_profile;
use zkinfer_protocol::{PROTOCOL_VERSION, ProofMode, hiding_params, pcs_params};
use zkinfer_transcript::{Statement, Transcript};

use super::measure::{KeyDir, Measured, in_child, median};
use super::synth::{Synth, series};
use super::{Calibration, FORMAT, Fitted, Profile, Target, fit, machine};

/// Smallest stacked commitment the PCS makes (the folding factor).
const MIN_OPENING_VARS: usize = 4;
/// Smallest hidden commitment `Q` (its reserved blinding block and mask region alone take 2^11
/// entries).
const MIN_ZK_OPENING_VARS: usize = 12;
/// The series' models with more weight entries than this are proven in plain mode only: their
/// zero-knowledge proofs (a weight hash over every weight) take tens of seconds each.
const ZK_MAX_WEIGHT_ELEMS: u64 = 1 << 18;

/// One timed model of the series.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The synthetic model's name.
    pub name: String,
    /// The proof mode timed.
    pub mode: ProofMode,
    /// Its cost profile.
    pub profile: Profile,
    /// Medians of its runs.
    pub measured: Measured,
}

/// What a target's measurement is, in the coefficients' unit (ns or bytes).
pub fn observed(t: Target, m: &Measured) -> f64 {
    let ns = |ms: f64| ms * 1e6;
    match t {
        Target::Witness | Target::ZkWitness => ns(m.phases_ms[0]),
        Target::Commit | Target::ZkCommit => ns(m.phases_ms[1]),
        Target::Sumchecks | Target::ZkSumchecks => ns(m.phases_ms[2] - m.layer_parts_ms[1]),
        Target::Lookups | Target::ZkLookups => ns(m.layer_parts_ms[1]),
        Target::Openings | Target::ZkOpenings => ns(m.phases_ms[3]),
        Target::Verify | Target::ZkVerify => ns(m.verify_ms),
        Target::Memory | Target::ZkMemory => m.peak_mb * (1 << 20) as f64,
    }
}

/// Sets up every model of `models` in both modes (zero knowledge up to [`ZK_MAX_WEIGHT_ELEMS`]
/// weights), then times them `runs` times, one run of each per round (so that load from other
/// processes, which drifts, spreads over all models rather than biasing some); `progress` hears
/// what is being done.
pub fn run_series(
    models: &[Synth],
    runs: usize,
    progress: &dyn Fn(&str),
) -> anyhow::Result<Vec<Sample>> {
    let mut prepared = vec![];
    for s in models {
        let name = s.name();
        progress(&format!("setup of {name}"));
        let model = s.build().with_context(|| format!("building {name}"))?;
        let (plain, zk) = zk_cost_profile(&model).with_context(|| format!("profiling {name}"))?;
        let modes: &[ProofMode] = if plain.weights.elems <= ZK_MAX_WEIGHT_ELEMS {
            &[ProofMode::Plain, ProofMode::ZeroKnowledge]
        } else {
            &[ProofMode::Plain]
        };
        for &mode in modes {
            let (pk, vk) = zkinfer_protocol::setup(model.clone(), mode)
                .with_context(|| format!("setup of {name}"))?;
            let dir = KeyDir::create(&pk, &vk, &s.input())?;
            let profile = Profile {
                plain: plain.clone(),
                zk: Some(zk.clone()),
            };
            prepared.push((name.clone(), mode, profile, dir));
        }
    }
    let mut measured: Vec<Vec<Measured>> = vec![vec![]; prepared.len()];
    for r in 0..runs.max(1) {
        progress(&format!(
            "round {} of {} over {} proofs",
            r + 1,
            runs.max(1),
            prepared.len()
        ));
        for ((name, _, _, dir), out) in prepared.iter().zip(&mut measured) {
            out.push(in_child(dir.path(), 1).with_context(|| format!("proving {name}"))?);
        }
    }
    Ok(prepared
        .into_iter()
        .zip(measured)
        .map(|((name, mode, profile, _), runs)| Sample {
            name,
            mode,
            profile,
            measured: median(&runs),
        })
        .collect())
}

/// Fits every target on the samples.
pub fn fit_targets(samples: &[Sample]) -> anyhow::Result<Vec<Fitted>> {
    Target::ALL
        .iter()
        .map(|&t| {
            let of_mode: Vec<&Sample> = samples.iter().filter(|s| s.mode == t.mode()).collect();
            let rows: Vec<Vec<f64>> = of_mode.iter().map(|s| t.features(&s.profile)).collect();
            let ys: Vec<f64> = of_mode.iter().map(|s| observed(t, &s.measured)).collect();
            let coefficients = fit::fit(&rows, &ys)
                .with_context(|| format!("no non-negative fit for '{}'", t.name()))?;
            let max_fit_error = rows
                .iter()
                .zip(&ys)
                .map(|(r, y)| {
                    let p: f64 = r.iter().zip(&coefficients).map(|(a, c)| a * c).sum();
                    (p - y).abs() / y
                })
                .fold(0.0, f64::max);
            Ok(Fitted {
                target: t.name().into(),
                features: t.feature_names().iter().map(|s| s.to_string()).collect(),
                coefficients,
                max_fit_error,
            })
        })
        .collect()
}

/// Bytes of one-claim openings of one polynomial of `MIN_OPENING_VARS..=max_vars` variables, the
/// bytes each further point adds (with its value), and each further value at a point.
pub fn opening_sizes(max_vars: usize) -> anyhow::Result<(Vec<[u64; 2]>, f64, f64)> {
    let mut table = vec![];
    for n in MIN_OPENING_VARS..=max_vars.max(MIN_OPENING_VARS) {
        table.push([n as u64, opening_size(1, n, 1, 1)?]);
    }
    let one = opening_size(1, 10, 1, 1)? as f64;
    let point = (opening_size(1, 10, 3, 1)? as f64 - one) / 2.0;
    let one_of_four = opening_size(4, 8, 1, 1)? as f64;
    let value = (opening_size(4, 8, 1, 4)? as f64 - one_of_four) / 3.0;
    Ok((table, point, value))
}

/// Bytes of an opening of `polys` polynomials of `n` variables at `points` points, each point
/// claimed on the first `per_point` polynomials.
fn opening_size(polys: usize, n: usize, points: usize, per_point: usize) -> anyhow::Result<u64> {
    let pcs = Pcs::new(pcs_params());
    let poly: Vec<F> = (0..1u32 << n).map(|i| F::from_u32(i % 1021)).collect();
    let mut t = Transcript::new(&Statement::new("zkinfer/estimate", PROTOCOL_VERSION));
    let (_, data) = pcs
        .commit(vec![poly; polys], &mut t)
        .with_context(|| format!("committing {polys} x 2^{n} elements"))?;
    let mut claims = vec![];
    for _ in 0..points {
        let point = t.sample_ext_vec("estimate.point", n);
        claims.extend((0..per_point.min(polys)).map(|poly| Claim {
            poly,
            point: point.clone(),
        }));
    }
    let (proof, _) = pcs
        .open_once(data, &claims, &mut t)
        .with_context(|| format!("opening {polys} x 2^{n} elements"))?;
    Ok(proof.to_bytes().len() as u64)
}

/// Bytes of the HVZK-WHIR opening of one hidden polynomial of `MIN_ZK_OPENING_VARS..=max_vars`
/// variables at two points, as the zero-knowledge back end opens `Q`.
pub fn zk_opening_sizes(max_vars: usize) -> anyhow::Result<Vec<[u64; 2]>> {
    let pcs = HidingPcs::new(hiding_params());
    let mut table = vec![];
    for n in MIN_ZK_OPENING_VARS..=max_vars.max(MIN_ZK_OPENING_VARS) {
        let poly: Vec<F> = (0..1u32 << n).map(|i| F::from_u32(i % 1021)).collect();
        let mut t = Transcript::new(&Statement::new("zkinfer/estimate", PROTOCOL_VERSION));
        let (_, data) = pcs
            .commit(poly, &mut t)
            .with_context(|| format!("hiding commitment of 2^{n} elements"))?;
        let points = [0, 1].map(|_| t.sample_ext_vec("estimate.point", n));
        let (proof, _) = pcs
            .open(data, &points, &mut t)
            .with_context(|| format!("hiding opening of 2^{n} elements"))?;
        table.push([n as u64, postcard::to_allocvec(&proof)?.len() as u64]);
    }
    Ok(table)
}

/// A whole calibration: the series (the first `models` of it), `runs` runs each, openings up to
/// `max_open_vars` variables.
pub fn calibrate(
    models: usize,
    runs: usize,
    max_open_vars: usize,
    progress: &dyn Fn(&str),
) -> anyhow::Result<(Calibration, Vec<Sample>)> {
    let all = series();
    let chosen = &all[..models.clamp(1, all.len())];
    let samples = run_series(chosen, runs, progress)?;
    progress("opening sizes");
    let (opening_bytes, point_bytes, value_bytes) = opening_sizes(max_open_vars)?;
    let zk_opening_bytes = zk_opening_sizes(max_open_vars)?;
    let cal = Calibration {
        format: FORMAT,
        machine: machine(),
        date: today(),
        targets: fit_targets(&samples)?,
        opening_bytes,
        point_bytes,
        value_bytes,
        zk_opening_bytes,
    };
    Ok((cal, samples))
}

/// Today's date (UTC), `YYYY-MM-DD`, from the system clock (civil-from-days, H. Hinnant).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
