//! The zero-knowledge tables of the end-to-end report: the zk figures next to the plain ones, the
//! zk/plain ratios against the issue's target, the prover's phases in both modes and where each
//! mode's proof bytes go.

use crate::measure::Figures;
use crate::zk::ZkFigures;

/// The issue's target: zero knowledge within this factor of the plain prover on prove time, proof
/// size and verify time.
pub const TARGET: f64 = 1.5;

fn verdict(ratio: f64) -> &'static str {
    if ratio <= TARGET { "met" } else { "missed" }
}

/// The rows that have zero-knowledge figures.
fn with_zk(rows: &[(String, Figures)]) -> impl Iterator<Item = (&str, &Figures, &ZkFigures)> {
    rows.iter()
        .filter_map(|(n, f)| f.zk.as_ref().map(|z| (n.as_str(), f, z)))
}

/// zk / plain of prove time, verify time, proof size and peak memory.
pub fn ratios(f: &Figures, z: &ZkFigures) -> [f64; 4] {
    [
        z.prove_ms / f.prove_ms,
        z.verify_ms / f.verify_ms,
        z.proof_kib / f.proof_kib,
        z.peak_mb / f.peak_mb,
    ]
}

/// The zk figures with their ratios to the plain ones (for the end-to-end block).
pub fn figures_table(rows: &[(String, Figures)]) -> String {
    let mut s = String::new();
    s += "Zero knowledge, same models (one-shot `prove_zk_timed` with a public input, hiding the \
          activations and the weights, whose hash it proves; `verify_zk`; in its own child process, \
          peak memory over a setup, 3 proves and 3 verifies from after the import; x = zk / plain):\n\n";
    s += "| model | zk prove ms | zk verify ms | zk proof KiB | zk peak MB | zk soundness bits | prove x | verify x | proof x | peak x |\n";
    s += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (name, f, z) in with_zk(rows) {
        let [p, v, k, m] = ratios(f, z);
        s += &format!(
            "| {name} | {:.1} | {:.1} | {:.0} | {:.0} | {:.1} | {p:.2} | {v:.2} | {k:.2} | {m:.2} |\n",
            z.prove_ms, z.verify_ms, z.proof_kib, z.peak_mb, z.soundness_bits
        );
    }
    s
}

/// The ratios against the target, both modes' phases and both modes' bytes (the zk block).
pub fn render(rows: &[(String, Figures)]) -> String {
    let mut s = String::new();
    s += &format!(
        "zk / plain, medians of the same run (target: <= {TARGET}x on prove time, verify time and proof \
         size; peak memory has no target):\n\n"
    );
    s += "| model | prove | verify | proof size | peak memory |\n|---|---|---|---|---|\n";
    for (name, f, z) in with_zk(rows) {
        let [p, v, k, m] = ratios(f, z);
        s += &format!(
            "| {name} | {p:.2}x {} ({:.1} -> {:.1} ms) | {v:.2}x {} ({:.1} -> {:.1} ms) | {k:.2}x {} ({:.0} -> {:.0} KiB) | {m:.2}x ({:.0} -> {:.0} MB) |\n",
            verdict(p),
            f.prove_ms,
            z.prove_ms,
            verdict(v),
            f.verify_ms,
            z.verify_ms,
            verdict(k),
            f.proof_kib,
            z.proof_kib,
            f.peak_mb,
            z.peak_mb,
        );
    }
    s += "\nProver phases (median run, ms). zk: `witness` includes the weight tree's trace; `commit` \
          is the hidden commitment `Q` (the zk prover no longer recommits the weights: it proves their \
          hash); `layers` is every layer's masked sumchecks, range checks and zero-checks plus the \
          weight hash proof (29 masked round sumchecks); `openings` is the zk back end (batching \
          sumcheck and HVZK-WHIR opening of `Q`). plain: `commit` includes the weight recommitment, \
          `layers` = sumchecks + lookups; `openings` = witness and weight openings.\n\n";
    s += "| model | mode | witness | commit | layers | openings | prove |\n|---|---|---:|---:|---:|---:|---:|\n";
    for (name, f, z) in with_zk(rows) {
        let p = &f.phases;
        s += &format!(
            "| {name} | plain | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            p[0],
            p[1],
            p[2] + p[3],
            p[4],
            f.prove_ms
        );
        let q = &z.phases;
        s += &format!(
            "| {name} | zk | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            q[0], q[1], q[2], q[3], z.prove_ms
        );
    }
    s += &bytes_table(rows);
    s
}

/// Both modes' proof bytes by part, KiB.
fn bytes_table(rows: &[(String, Figures)]) -> String {
    let models: Vec<_> = with_zk(rows).collect();
    let mut s = String::new();
    s += "\nProof bytes by part, KiB (each part postcard-encoded on its own, as the proof file encodes \
          the whole; crates/bench/src/bytes.rs). zk's \"witness / hiding opening\" is the back end's \
          HVZK-WHIR opening of `Q`; \"layer sumchecks\" are the wiring and matmul sumchecks \
          (masked in zk).\n\n| part |";
    for (name, ..) in &models {
        s += &format!(" {name} plain | {name} zk |");
    }
    s += "\n|---|";
    s += &"---:|".repeat(2 * models.len());
    s += "\n";
    let kib = |b: u64| match b {
        1..=102 => "<0.1".to_string(),
        _ => format!("{:.1}", b as f64 / 1024.0),
    };
    let label_rows = models
        .first()
        .map(|(_, f, _)| f.bytes.rows().map(|(l, _)| l).to_vec())
        .unwrap_or_default();
    for (i, label) in label_rows.iter().enumerate() {
        s += &format!("| {label} |");
        for (_, f, z) in &models {
            let (p, q) = (f.bytes.rows()[i].1, z.bytes.rows()[i].1);
            s += &format!(" {} | {} |", kib(p), kib(q));
        }
        s += "\n";
    }
    s += "| **total** |";
    for (_, f, z) in &models {
        s += &format!(" **{}** | **{}** |", kib(f.bytes.total), kib(z.bytes.total));
    }
    s += "\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Bytes;

    fn rows() -> Vec<(String, Figures)> {
        let plain: Figures = serde_json::from_str(
            r#"{"setup_ms":1,"prove_ms":100,"verify_ms":20,"proof_kib":400,"peak_mb":40,
                "soundness_bits":100,"phases":[1,2,3,4,5]}"#,
        )
        .unwrap();
        let zk = ZkFigures {
            runs: 3,
            prove_ms: 140.0,
            verify_ms: 40.0,
            proof_kib: 900.0,
            peak_mb: 50.0,
            soundness_bits: 100.0,
            phases: [1.0, 2.0, 3.0, 4.0],
            bytes: Bytes {
                witness_opening: 2048,
                back_end_sumchecks: 34,
                total: 3106,
                ..Bytes::default()
            },
        };
        let with = Figures {
            zk: Some(zk),
            ..plain.clone()
        };
        vec![("m".into(), with), ("no_zk".into(), plain)]
    }

    #[test]
    fn verdicts_follow_the_target() {
        let text = render(&rows());
        assert!(
            text.contains("| m | 1.40x met (100.0 -> 140.0 ms) | 2.00x missed"),
            "{text}"
        );
        assert!(text.contains("2.25x missed (400 -> 900 KiB)"), "{text}");
        // A model without zk figures has no row.
        assert!(!text.contains("no_zk"), "{text}");
    }

    #[test]
    fn bytes_and_phases_are_rendered() {
        let text = render(&rows());
        assert!(
            text.contains("| witness / hiding opening (WHIR) | 0.0 | 2.0 |"),
            "{text}"
        );
        assert!(text.contains("| lengths, tags | 0.0 | 1.0 |"), "{text}");
        assert!(text.contains("| commitments | 0.0 | 0.0 |"), "{text}");
        assert!(
            text.contains("| m | zk | 1.0 | 2.0 | 3.0 | 4.0 | 140.0 |"),
            "{text}"
        );
        assert!(
            text.contains("| m | plain | 1.0 | 2.0 | 7.0 | 5.0 | 100.0 |"),
            "{text}"
        );
        let fig = figures_table(&rows());
        assert!(
            fig.contains("| m | 140.0 | 40.0 | 900 | 50 | 100.0 | 1.40 | 2.00 | 2.25 | 1.25 |"),
            "{fig}"
        );
    }
}
