//! End-to-end benchmarks: the shared models next to EZKL's figures, and a scaling series of
//! generated models.
//!
//! - `cargo run --release -p zkinfer-bench [-- MODEL...]`: each shared model in a child process (so
//!   peak memory is per model), median of 3 runs, float and quantized accuracy on its test set;
//!   writes `docs/bench/e2e.md` (stdout too) and `docs/bench/e2e.json`.
//! - `... -- --scaling [--family mlp|cnn] [--max-macs N]`: the scaling series (MLPs and CNNs from
//!   ~10^3 MACs up to where proving passes a minute or 8 GB); writes `docs/bench/scaling.md` and
//!   `docs/bench/scaling.json`.
//! - `... -- --plot`: redraws `docs/bench/scaling.svg` from the two JSON files (both modes above
//!   also redraw it).
//!   Each model is also proven in zero knowledge (`prove_zk_timed` / `verify_zk`) in a second child,
//!   and the report gains the zk figures, the zk/plain ratios against the 1.5x target, both modes'
//!   prover phases and proof bytes by part (BENCHMARKS.md's `e2e` and `zk` blocks).
//! - `... -- --one MODEL` / `--one-zk MODEL` / `--scaling-one NAME RUNS`: measure one model in this
//!   process (plain, zero knowledge, a generated model) and print its figures as JSON (what the
//!   child processes run; scripts/ezkl_side_by_side.sh uses `--one`).
//! - `... -- --zk-data-timing MODEL [RUNS]`: whether the zero-knowledge prover's time depends on
//!   the secret weights and input (`zk_timing`).

mod bytes;
mod e2e;
mod ezkl;
mod measure;
mod plot;
mod report;
mod scaling;
mod series;
mod splice;
mod stats;
mod synth;
mod zk;
mod zk_report;
mod zk_timing;

use std::process::Command;

use anyhow::{Context, Result, bail};
use plotters::style::RGBColor;

use measure::Figures;
use scaling::Row;

const DEFAULT_MODELS: [&str; 4] = ["digits_linear", "digits_mlp", "digits_cnn", "lenet5_28"];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--one") => {
            let name = args.get(1).context("--one MODEL")?;
            let f = measure::measure_shared(&report::shared_models().join(name), 3)?;
            println!("{}", serde_json::to_string(&f)?);
            Ok(())
        }
        Some("--one-zk") => {
            let name = args.get(1).context("--one-zk MODEL")?;
            let f = zk::measure_shared_zk(&report::shared_models().join(name), 3)?;
            println!("{}", serde_json::to_string(&f)?);
            Ok(())
        }
        Some("--scaling-one") => {
            let name = args.get(1).context("--scaling-one NAME RUNS")?;
            let runs = args.get(2).map_or(Ok(3), |r| r.parse())?;
            let f = scaling::measure_one(name, runs)?;
            println!("{}", serde_json::to_string(&f)?);
            Ok(())
        }
        Some("--zk-data-timing") => {
            let name = args.get(1).context("--zk-data-timing MODEL [RUNS]")?;
            let runs = args.get(2).map_or(Ok(5), |r| r.parse())?;
            zk_timing::run(&report::shared_models().join(name), runs)
        }
        Some("--scaling") => run_scaling(&args[1..]),
        Some("--plot") => draw(),
        Some(flag) if flag.starts_with("--") => {
            bail!(
                "unknown flag {flag} (see the crate docs: --scaling, --plot, --one, --one-zk, \
                 --zk-data-timing, MODEL...)"
            )
        }
        _ => run_shared(&args),
    }
}

fn run_shared(args: &[String]) -> Result<()> {
    let models: Vec<String> = if args.is_empty() {
        DEFAULT_MODELS.map(String::from).to_vec()
    } else {
        args.to_vec()
    };
    let exe = std::env::current_exe()?;
    let mut rows = vec![];
    for name in &models {
        eprintln!("benchmarking {name} ...");
        let mut f: Figures = child(&exe, "--one", name)?;
        eprintln!("benchmarking {name} in zero knowledge ...");
        f.zk = Some(child(&exe, "--one-zk", name)?);
        rows.push((name.clone(), f));
    }
    let header = report::header();
    let e2e = e2e::render(&header, &rows);
    let zk = zk_report::render(&rows);
    let report =
        format!("# End-to-end benchmark (zkinfer-bench)\n\n{e2e}\n## Zero knowledge: cost\n\n{zk}");
    print!("{report}");
    write("e2e.md", &report)?;
    if models.iter().map(String::as_str).eq(DEFAULT_MODELS) {
        // The full run refreshes BENCHMARKS.md's tables (a partial run would drop rows).
        splice::splice_file(&splice::benchmarks_md(), "e2e", &e2e)?;
        splice::splice_file(&splice::benchmarks_md(), "zk", &format!("{header}\n{zk}"))?;
    }
    write("e2e.json", &serde_json::to_string_pretty(&rows)?)?;
    draw()
}

/// Runs `exe FLAG NAME` and parses its JSON figures.
fn child<T: serde::de::DeserializeOwned>(
    exe: &std::path::Path,
    flag: &str,
    name: &str,
) -> Result<T> {
    let out = Command::new(exe)
        .args([flag, name])
        .output()
        .context("spawning the benchmark child")?;
    if !out.status.success() {
        bail!("{name} ({flag}): {}", String::from_utf8_lossy(&out.stderr));
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("{name} ({flag}): child output"))
}

fn run_scaling(args: &[String]) -> Result<()> {
    let (mut max_macs, mut families) = (u64::MAX, vec!["mlp", "cnn"]);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--max-macs" => max_macs = it.next().context("--max-macs N")?.parse()?,
            "--family" => match it.next().map(String::as_str) {
                Some("mlp") => families = vec!["mlp"],
                Some("cnn") => families = vec!["cnn"],
                other => bail!("--family mlp|cnn, got {other:?}"),
            },
            other => bail!("unknown --scaling option {other}"),
        }
    }
    let exe = std::env::current_exe()?;
    let mut rows = vec![];
    for fam in families {
        let archs = if fam == "mlp" {
            series::mlps()
        } else {
            series::cnns()
        };
        rows.extend(scaling::run_family(&exe, &archs, max_macs));
    }
    let mut header = report::header();
    header += "- Each model in its own process; median of 3 runs (1 run once a model of the family proves in \
               more than 5 s); peak memory is the process's VmHWM over setups, proves and verifies, counted \
               from after the model was generated (reset through /proc/self/clear_refs).\n";
    header += "- Models: deterministic normal weights quantized to 12 bits (largest at 2047), biases, \
               activations of at most 16 bits narrowed where a wide layer needs it, requantizations chosen \
               from a calibration input with 2x headroom (crates/bench/src/series.rs). Not zero-knowledge.\n";
    header += &format!(
        "- A family stops after the first model proving in more than {} s or peaking above {} MB.\n",
        scaling::MAX_PROVE_MS / 1e3,
        scaling::MAX_PEAK_MB
    );
    let report = scaling::render(&header, &rows);
    print!("{report}");
    write("scaling.md", &report)?;
    write("scaling.json", &serde_json::to_string_pretty(&rows)?)?;
    draw()
}

fn write(file: &str, text: &str) -> Result<()> {
    let path = report::docs_dir().join(file);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

fn read<T: serde::de::DeserializeOwned + Default>(file: &str) -> Result<T> {
    let path = report::docs_dir().join(file);
    if !path.exists() {
        return Ok(T::default());
    }
    let text = std::fs::read_to_string(&path)?;
    serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
}

/// Redraws docs/bench/scaling.svg from scaling.json, e2e.json and EZKL's stored figures.
fn draw() -> Result<()> {
    let rows: Vec<Row> = read("scaling.json")?;
    let shared: Vec<(String, Figures)> = read("e2e.json")?;
    let fam = |f: &str, label: &str, color| plot::Series {
        label: label.into(),
        color,
        line: true,
        triangles: false,
        points: rows
            .iter()
            .filter(|r| r.family == f)
            .filter_map(|r| {
                let fig = r.figures.as_ref()?;
                Some((r.macs as f64, fig.prove_ms / 1e3, fig.peak_mb, None))
            })
            .collect(),
    };
    let series = vec![
        fam("mlp", "zkinfer, generated MLPs", RGBColor(31, 119, 180)),
        fam("cnn", "zkinfer, generated CNNs", RGBColor(255, 127, 14)),
        plot::Series {
            label: "zkinfer, shared models".into(),
            color: RGBColor(44, 160, 44),
            line: false,
            triangles: false,
            points: shared
                .iter()
                .map(|(n, f)| (f.macs as f64, f.prove_ms / 1e3, f.peak_mb, Some(n.clone())))
                .collect(),
        },
        plot::Series {
            label: "EZKL 23.0.5 (default config), shared models".into(),
            color: RGBColor(214, 39, 40),
            line: false,
            triangles: true,
            points: ezkl::EZKL
                .iter()
                .map(|e| {
                    let name = Some(e.model.to_string());
                    (e.macs as f64, e.prove_s, e.peak_mb, name)
                })
                .collect(),
        },
    ];
    let subtitle = "zkinfer vs EZKL on 2 cores (zkinfer: docs/bench/scaling.md and e2e.md, which name \
                    their date and commit; not zero-knowledge. EZKL: ../shared/ezkl/results.md)";
    let path = report::docs_dir().join("scaling.svg");
    plot::plot(&path, &series, subtitle)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
