//! Running the scaling series: each model in a child process (its own peak memory), each family grown
//! until proving takes more than a minute or the process more than 8 GB, and the report.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::measure::Figures;
use crate::report::thousands;
use crate::series::Arch;

/// Stop growing a family after a model whose median prove time exceeds this.
pub const MAX_PROVE_MS: f64 = 60_000.0;
/// Stop growing a family after a model whose peak memory exceeds this.
pub const MAX_PEAK_MB: f64 = 8192.0;
/// A child whose resident memory passes this is killed (the machine is shared).
const KILL_RSS_MB: f64 = 12_288.0;
/// A child running longer than this is killed.
const KILL_AFTER: Duration = Duration::from_secs(20 * 60);
/// Models proving in more than this are run once instead of three times.
const ONE_RUN_ABOVE_MS: f64 = 5_000.0;

/// One model of the series: its figures, or why it has none.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub family: String,
    pub name: String,
    pub arch: String,
    pub macs: u64,
    pub figures: Option<Figures>,
    /// Why the family stopped here, or why the model has no figures.
    pub note: String,
}

fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs `exe --scaling-one NAME RUNS` under a memory and time watchdog.
fn run_child(exe: &Path, arch: &Arch, runs: usize) -> Result<Figures, String> {
    let mut child = Command::new(exe)
        .args(["--scaling-one", &arch.name(), &runs.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawning: {e}"))?;
    let start = Instant::now();
    let mut worst = 0f64;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) => {}
            Err(e) => return Err(format!("waiting: {e}")),
        }
        worst = worst.max(rss_mb(child.id()));
        if worst > KILL_RSS_MB || start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "killed after {:.0} s at {worst:.0} MB resident (limits {KILL_RSS_MB:.0} MB, {} s)",
                start.elapsed().as_secs_f64(),
                KILL_AFTER.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (mut out, mut err) = (String::new(), String::new());
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    if !status.success() {
        return Err(format!("failed ({status}): {}", error_message(&err)));
    }
    serde_json::from_str(out.trim()).map_err(|e| format!("child output: {e}"))
}

/// The `Error: ...` message of a child's stderr (anyhow's report without the backtrace), else its
/// last line.
fn error_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let msg = match lines.iter().position(|l| l.starts_with("Error:")) {
        Some(i) => lines[i..]
            .iter()
            .take_while(|l| !l.to_lowercase().contains("backtrace"))
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        None => lines.last().unwrap_or(&"").to_string(),
    };
    msg.chars().take(400).collect()
}

/// Runs one family, smallest first, skipping models above `max_macs`.
pub fn run_family(exe: &Path, family: &[Arch], max_macs: u64) -> Vec<Row> {
    let mut rows: Vec<Row> = vec![];
    let mut runs = 3;
    for arch in family {
        let mut row = Row {
            family: arch.family().into(),
            name: arch.name(),
            arch: arch.describe(),
            macs: arch.macs(),
            figures: None,
            note: String::new(),
        };
        if arch.macs() > max_macs {
            if let Some(last) = rows.last_mut() {
                last.note = format!("the next model ({}) is above --max-macs", row.name);
            }
            return rows;
        }
        eprintln!("scaling: {} ({} MACs, {runs} runs) ...", row.name, row.macs);
        match run_child(exe, arch, runs) {
            Ok(f) => {
                let stop = if f.prove_ms > MAX_PROVE_MS {
                    Some(format!(
                        "prove {:.0} s > 60 s: family stops here",
                        f.prove_ms / 1e3
                    ))
                } else if f.peak_mb > MAX_PEAK_MB {
                    Some(format!(
                        "peak {:.0} MB > 8 GB: family stops here",
                        f.peak_mb
                    ))
                } else {
                    None
                };
                if f.prove_ms > ONE_RUN_ABOVE_MS {
                    runs = 1;
                }
                row.figures = Some(f);
                if let Some(s) = stop {
                    row.note = s;
                    rows.push(row);
                    break;
                }
                rows.push(row);
            }
            Err(e) => {
                eprintln!("scaling: {}: {e}", arch.name());
                row.note = e;
                rows.push(row);
                return rows;
            }
        }
    }
    if let Some(last) = rows.last_mut()
        && last.note.is_empty()
    {
        last.note = "the largest model of the series, still within both limits".into();
    }
    rows
}

/// Least-squares line `y = intercept + slope * x`, with R^2. `None` with fewer than two distinct x.
pub fn fit_line(pts: &[(f64, f64)]) -> Option<(f64, f64, f64)> {
    let n = pts.len() as f64;
    if pts.len() < 2 {
        return None;
    }
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = pts.iter().map(|p| (p.1 - my).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let r2 = if syy > 0.0 {
        sxy * sxy / (sxx * syy)
    } else {
        1.0
    };
    Some((my - slope * mx, slope, r2))
}

/// What a memory fit is taken against.
#[derive(Debug, Clone, Copy)]
enum Against {
    /// Multiply-accumulates.
    Macs,
    /// Weights plus the elements of every computed tensor.
    Elements,
}

/// The memory fit of `rows`: peak MB against MACs or model elements, least squares, and the
/// log-log slope over the larger half of the models (where the fixed base no longer dominates).
fn memory_fit(label: &str, rows: &[&Row], against: Against) -> String {
    let mut pts: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|r| {
            let f = r.figures.as_ref()?;
            let x = match against {
                Against::Macs => r.macs,
                Against::Elements => f.params + f.activations,
            };
            (x > 0).then_some((x as f64, f.peak_mb))
        })
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let unit = match against {
        Against::Macs => "MAC",
        Against::Elements => "element",
    };
    let upper: Vec<(f64, f64)> = pts[pts.len() / 2..]
        .iter()
        .map(|&(x, y)| (x.ln(), y.ln()))
        .collect();
    let Some((a, b, r2)) = fit_line(&pts) else {
        return format!("- {label}: fewer than two models measured, no fit\n");
    };
    let slope = fit_line(&upper).map_or("-".into(), |(_, e, _)| format!("{e:.2}"));
    format!(
        "- {label}, {} models: peak MB = {a:.1} + {b:.3e} x {unit}s (R^2 = {r2:.3}): \
         {:.1} bytes per {unit} above a {a:.0} MB base; log-log slope of the larger half {slope} \
         (1 = linear)\n",
        pts.len(),
        b * 1024.0 * 1024.0,
    )
}

fn fmt_ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The markdown report: header lines from `header`, the table, the memory fits, the stop notes.
pub fn render(header: &str, rows: &[Row]) -> String {
    let mut s = String::new();
    s += "# Scaling series (zkinfer-bench --scaling)\n\n";
    s += header;
    s += "\n| family | model | layers | MACs | runs | setup ms | prove ms | verify ms | proof KiB | peak MB | witness | commit | sumchecks | lookups | openings |\n";
    s += "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for r in rows {
        let Some(f) = &r.figures else {
            s += &format!(
                "| {} | {} | {} | {} | - | - | - | - | - | - | - | - | - | - | - |\n",
                r.family,
                r.name,
                r.arch,
                thousands(r.macs)
            );
            continue;
        };
        s += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {} | {} | {} | {} | {} |\n",
            r.family,
            r.name,
            r.arch,
            thousands(r.macs),
            f.runs,
            fmt_ms(f.setup_ms),
            fmt_ms(f.prove_ms),
            fmt_ms(f.verify_ms),
            f.proof_kib,
            f.peak_mb,
            fmt_ms(f.phases[0]),
            fmt_ms(f.phases[1]),
            fmt_ms(f.phases[2]),
            fmt_ms(f.phases[3]),
            fmt_ms(f.phases[4]),
        );
    }
    s += "\nPhases are the prover's own timer (median run, ms): witness (evaluation and witness columns), \
          commit (weight recommitment and witness commitment), sumchecks (wiring and matmul), \
          lookups (requantization and max-pool proofs), openings (the two batched WHIR openings).\n\n";
    s += "## Is peak memory linear in MACs?\n\n";
    let fam = |f: &str| rows.iter().filter(|r| r.family == f).collect::<Vec<_>>();
    let all: Vec<&Row> = rows.iter().collect();
    s += "Against MACs:\n\n";
    s += &memory_fit("MLPs", &fam("mlp"), Against::Macs);
    s += &memory_fit("CNNs", &fam("cnn"), Against::Macs);
    s += &memory_fit("both families", &all, Against::Macs);
    s += "\nAgainst model elements (weights and biases plus every computed tensor's elements):\n\n";
    s += &memory_fit("MLPs", &fam("mlp"), Against::Elements);
    s += &memory_fit("CNNs", &fam("cnn"), Against::Elements);
    s += &memory_fit("both families", &all, Against::Elements);
    let notes: Vec<String> = rows
        .iter()
        .filter(|r| !r.note.is_empty())
        .map(|r| format!("- {}: {}\n", r.name, r.note))
        .collect();
    if !notes.is_empty() {
        s += "\n## Where each family stopped\n\n";
        s += &notes.concat();
    }
    s
}

/// Measures one scaling model in this process (the child side).
pub fn measure_one(name: &str, runs: usize) -> Result<Figures> {
    let arch = Arch::parse(name)?;
    let (model, x) = arch.build().with_context(|| format!("building {name}"))?;
    crate::measure::measure_qmodel(model, &x, runs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_a_line() {
        let pts: Vec<(f64, f64)> = (1..6).map(|x| (x as f64, 3.0 + 0.5 * x as f64)).collect();
        let (a, b, r2) = fit_line(&pts).unwrap();
        assert!((a - 3.0).abs() < 1e-9 && (b - 0.5).abs() < 1e-9 && (r2 - 1.0).abs() < 1e-9);
        // Noise lowers R^2 below 1; the slope stays near.
        let noisy = [(1.0, 3.0), (2.0, 4.5), (3.0, 4.0), (4.0, 5.5)];
        let (_, b, r2) = fit_line(&noisy).unwrap();
        assert!(r2 < 0.9 && (b - 0.7).abs() < 1e-9);
        assert!(fit_line(&[(1.0, 1.0)]).is_none());
        assert!(fit_line(&[(2.0, 1.0), (2.0, 3.0)]).is_none());
    }

    #[test]
    fn error_message_skips_the_backtrace() {
        let err = "noise\nError: proving\n\nCaused by:\n    table too large\n\nStack backtrace:\n   0: x\n  20: _start\n";
        assert_eq!(
            error_message(err),
            "Error: proving Caused by: table too large"
        );
        assert_eq!(error_message("killed\n"), "killed");
    }

    #[test]
    fn memory_fit_reports_slope_per_mac() {
        let row = |macs: u64, mb: f64| Row {
            family: "mlp".into(),
            name: format!("m{macs}"),
            arch: String::new(),
            macs,
            figures: Some(Figures {
                macs,
                params: 0,
                activations: 0,
                runs: 1,
                setup_ms: 0.0,
                prove_ms: 0.0,
                warm_prove_ms: 0.0,
                verify_ms: 0.0,
                proof_kib: 0.0,
                peak_mb: mb,
                soundness_bits: 0.0,
                phases: [0.0; 5],
                float_acc: None,
                quant_acc: None,
                bytes: Default::default(),
                zk: None,
            }),
            note: String::new(),
        };
        // 40 MB + 2^20 bytes per MAC: 1 MB per MAC exactly.
        let rows = [row(10, 50.0), row(100, 140.0), row(1000, 1040.0)];
        let text = memory_fit("x", &rows.iter().collect::<Vec<_>>(), Against::Macs);
        assert!(text.contains("peak MB = 40.0 + 1.000e0 x MACs"), "{text}");
        assert!(text.contains("1048576.0 bytes per MAC"), "{text}");
        // Elements are zero in these figures: no points, no fit.
        let none = memory_fit("x", &rows.iter().collect::<Vec<_>>(), Against::Elements);
        assert!(none.contains("no fit"), "{none}");
    }
}
