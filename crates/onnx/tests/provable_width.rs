//! Import with the prover's check (`prepare_checked`): an activation width whose quantization
//! would not prove is passed over automatically, or refused naming one that proves.

use std::path::PathBuf;

fn fixture(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/models/digits_cnn_small")
        .join(file)
}

fn error_of<T>(r: Result<T, zkinfer_onnx::OnnxError>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

/// A width the prover's check refuses is passed over for the next narrower one (automatic
/// widths), or refused naming one that passes (a width asked for).
#[test]
fn prepare_checked_narrows_to_a_width_the_check_accepts() {
    use zkinfer_ir::{QModel, QuantConfig};
    use zkinfer_onnx::prepare_checked;
    let (model, cal) = (fixture("network.onnx"), fixture("calibration.json"));
    let at_most_12 = |q: &QModel| match q.config.act_bits {
        b if b > 12 => Err(format!("requantization at {b} bits wraps the field")),
        _ => Ok(()),
    };
    let prep = prepare_checked(&model, &cal, None, &at_most_12).unwrap();
    assert_eq!(prep.qmodel.config.act_bits, 12);
    let passed: Vec<u32> = prep.narrowed.iter().map(|(b, _)| *b).collect();
    assert_eq!(passed, [16, 14]);
    assert!(prep.narrowed[0].1.contains("wraps"), "{:?}", prep.narrowed);
    let wide = QuantConfig {
        act_bits: 16,
        ..QuantConfig::default()
    };
    let e = error_of(prepare_checked(&model, &cal, Some(&wide), &at_most_12));
    assert!(
        e.contains("at --act-bits 16: requantization at 16 bits wraps the field"),
        "{e}"
    );
    assert!(e.contains("it proves at --act-bits 12"), "{e}");
    // When no width passes, narrowing cannot help: the widest is kept, as without the check.
    let never = |_: &QModel| Err("never".to_string());
    let prep = prepare_checked(&model, &cal, None, &never).unwrap();
    assert_eq!((prep.qmodel.config.act_bits, prep.narrowed.len()), (16, 0));
    let prep = prepare_checked(&model, &cal, Some(&wide), &never).unwrap();
    assert_eq!(prep.qmodel.config.act_bits, 16);
    // Without a check, the widest width is kept.
    let prep = prepare_checked(&model, &cal, None, &|_| Ok(())).unwrap();
    assert!(prep.narrowed.is_empty());
    assert_eq!(prep.qmodel.config.act_bits, 16);
}
