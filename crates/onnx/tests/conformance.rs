//! The coverage run over EZKL's example models, and the docs it keeps true: docs/conformance.md lists
//! every model, and every operator docs/ops.md says evaluates is exercised by a model that passes
//! (whether they prove is checked by `crates/cli/tests/conformance_docs.rs`).

use std::path::PathBuf;

use zkinfer_onnx::run_conformance;

/// Models whose output is a discontinuous function of the input (rounding), where a quantization
/// step can legitimately flip a value by a whole unit.
const DISCONTINUOUS: &[&str] = &["rounding_ops"];

#[test]
fn conformance_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = root.join("../shared/conformance/ezkl-examples");
    if !corpus.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent, and CI must run these tests with ../shared beside the checkout",
            corpus.display()
        );
        eprintln!(
            "NOTICE: {} absent, skipping (CI provides it)",
            corpus.display()
        );
        return;
    }
    let rows = run_conformance(&corpus).expect("corpus readable");
    assert!(rows.len() >= 100, "only {} models found", rows.len());
    let ok: Vec<_> = rows.iter().filter(|r| r.status == "ok").collect();
    eprintln!("{} of {} models ok", ok.len(), rows.len());
    assert!(
        rows.iter().all(|r| r.reason.as_deref() != Some("PANIC")),
        "a model panicked"
    );
    assert!(ok.len() >= 60, "only {} models pass", ok.len());
    for r in &ok {
        let (err, fmax) = (r.max_abs_error.unwrap(), r.max_abs_float.unwrap());
        if !DISCONTINUOUS.contains(&r.name.as_str()) {
            assert!(
                err <= 0.02 * fmax.max(1.0),
                "{}: quantized error {err} against max |float| {fmax}",
                r.name
            );
        }
    }
    // docs/conformance.md records every model with its current result.
    let doc =
        std::fs::read_to_string(root.join("docs/conformance.md")).expect("docs/conformance.md");
    for r in &rows {
        let line = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", r.name)));
        let line = line.unwrap_or_else(|| panic!("docs/conformance.md misses {}", r.name));
        assert_eq!(
            line.starts_with(&format!("| {} | yes |", r.name)),
            r.status == "ok",
            "docs/conformance.md is stale for {}",
            r.name
        );
    }
    // docs/ops.md: each supported ONNX operator names a model exercising it, which must pass.
    let ops = std::fs::read_to_string(root.join("docs/ops.md")).expect("docs/ops.md");
    let mut checked = 0;
    for line in ops
        .lines()
        .filter(|l| l.starts_with("| ") && l.split('|').nth(2).map(str::trim) == Some("yes"))
    {
        // | ONNX operator | evaluates | proves plain | proves zk | exercised by | IR lowering |
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (op, model) = (cells[1], cells[5].trim_matches('`'));
        if model == "-" {
            continue;
        }
        let is_ok = rows.iter().any(|r| r.name == model && r.status == "ok")
            || [
                "digits_linear",
                "digits_mlp",
                "digits_cnn",
                "lenet5_28",
                "attention",
            ]
            .contains(&model);
        assert!(
            is_ok,
            "docs/ops.md says {op} is supported, but its model {model} does not pass"
        );
        checked += 1;
    }
    assert!(
        checked >= 25,
        "docs/ops.md lists only {checked} supported operators"
    );
}
