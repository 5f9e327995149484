//! The shared models' end-to-end table, next to EZKL's stored figures.

use crate::ezkl::ezkl;
use crate::measure::Figures;
use crate::report::thousands;
use crate::zk_report;

fn pct(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |a| format!("{:.2}%", 100.0 * a))
}

/// The end-to-end tables of `rows` (model name, figures) under `header` (date, commit, machine):
/// the body of BENCHMARKS.md's `e2e` block.
pub fn render(header: &str, rows: &[(String, Figures)]) -> String {
    let mut s = String::new();
    s += header;
    s += "- Median of 3 runs per figure; peak memory is the child process's VmHWM over 3 setups, 3 proves \
          and 3 verifies, counted from after the ONNX import (reset through /proc/self/clear_refs).\n";
    s += "- warm prove: the same proof with the weights committed once beforehand \
          (`zkinfer_protocol::Prover`), the per-proof cost for a service proving many inputs.\n";
    s += "- The first two tables are the plain (non-hiding) protocol, EZKL's default config being the fair \
          comparison; the last is the zero-knowledge proof (`prove_zk`, hiding the activations and \
          the weights) of the same models.\n";
    s += "- Accuracy: float (tract) and quantized (the model that is proven) on the model's labelled \
          test set (450 digits); n/a without labels.\n\n";
    s += "| model | MACs | setup ms | prove ms | warm prove ms | verify ms | proof KiB | peak MB | soundness bits | EZKL prove s | EZKL verify s | EZKL proof KiB | EZKL peak MB | prove speed-up | float acc | quantized acc |\n";
    s += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (name, f) in rows {
        let (ep, ev, ek, em) = ezkl(name).map_or((f64::NAN, f64::NAN, f64::NAN, f64::NAN), |e| {
            (
                e.prove_s,
                e.verify_s,
                e.proof_bytes as f64 / 1024.0,
                e.peak_mb,
            )
        });
        s += &format!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {:.1} | {ep} | {ev} | {ek:.1} | {em} | {:.0}x | {} | {} |\n",
            thousands(f.macs),
            f.setup_ms,
            f.prove_ms,
            f.warm_prove_ms,
            f.verify_ms,
            f.proof_kib,
            f.peak_mb,
            f.soundness_bits,
            ep * 1000.0 / f.prove_ms,
            pct(f.float_acc),
            pct(f.quant_acc),
        );
    }
    s += "\nPer-phase breakdown of the prover (median run, ms):\n\n";
    s += "| model | witness | commit | sumchecks | lookups | openings |\n|---|---:|---:|---:|---:|---:|\n";
    for (name, f) in rows {
        s += &format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            f.phases[0], f.phases[1], f.phases[2], f.phases[3], f.phases[4]
        );
    }
    if rows.iter().any(|(_, f)| f.zk.is_some()) {
        s += "\n";
        s += &zk_report::figures_table(rows);
    }
    s
}
