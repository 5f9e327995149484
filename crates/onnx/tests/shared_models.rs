//! Acceptance on the shared benchmark models: argmax agreement, accuracy, attention error, and tract's
//! float outputs against the reference logits.

use std::path::PathBuf;

use zkinfer_onnx::{accuracy, prepare, read_test_set};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent, and CI must run these tests with ../shared beside the checkout",
            p.display()
        );
        eprintln!("NOTICE: {} absent, skipping (CI provides it)", p.display());
        None
    }
}

fn check(name: &str) -> Option<zkinfer_onnx::AccuracyReport> {
    let dir = shared()?.join("models").join(name);
    let prep = prepare(
        &dir.join("network.onnx"),
        &dir.join("calibration.json"),
        None,
    )
    .expect("prepare");
    prep.qmodel.validate().expect("valid IR");
    let ts = read_test_set(&dir.join("test_set.json")).expect("test set");
    let r = accuracy(&prep, &ts, name).expect("accuracy");
    eprintln!("{name}: {r:?}");
    assert!(
        r.max_reference_error.expect("float_logits") <= 1e-4,
        "{name}: tract differs from float_logits"
    );
    Some(r)
}

fn check_digits(name: &str) {
    let Some(r) = check(name) else { return };
    let agree = r.agreement.expect("labels");
    assert!(
        agree * r.samples as f64 >= r.samples as f64 - 1.0,
        "{name}: agreement {agree}"
    );
    let (f, q) = (r.float_accuracy.unwrap(), r.quantized_accuracy.unwrap());
    assert!(
        (f - q).abs() <= 0.002 + 1e-12,
        "{name}: float {f} vs quantized {q}"
    );
}

#[test]
fn digits_linear() {
    check_digits("digits_linear");
}

#[test]
fn digits_mlp() {
    check_digits("digits_mlp");
}

#[test]
fn digits_cnn() {
    check_digits("digits_cnn");
}

#[test]
fn lenet5_28() {
    check_digits("lenet5_28");
}

#[test]
fn attention() {
    let Some(r) = check("attention") else { return };
    assert!(
        r.max_abs_error <= 0.005,
        "attention max |error| {}",
        r.max_abs_error
    );
    assert!(r.agreement.is_none());
}
