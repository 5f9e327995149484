//! A model and its calibration handed over in memory (`zkinfer demo`'s bundled model) import exactly
//! as the same files read from disk, and errors name the label given for them.

use std::path::PathBuf;

use zkinfer_onnx::{parse_test_set, prepare, prepare_bytes, read_test_set};

fn fixture(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/models/digits_cnn_small")
        .join(file)
}

#[test]
fn bytes_and_files_give_the_same_quantized_model() {
    let (model, cal) = (fixture("network.onnx"), fixture("calibration.json"));
    let from_files = prepare(&model, &cal, None).unwrap();
    let bytes = |p: &PathBuf| std::fs::read(p).unwrap();
    // The file stem names the model read from disk (`network`): give the same name.
    let from_bytes = prepare_bytes(&bytes(&model), &bytes(&cal), "network", None).unwrap();
    assert_eq!(from_bytes.qmodel, from_files.qmodel);
    let ts = fixture("test_set.json");
    assert_eq!(
        parse_test_set(&bytes(&ts), "t").unwrap(),
        read_test_set(&ts).unwrap()
    );
}

fn error_of<T>(r: Result<T, zkinfer_onnx::OnnxError>) -> String {
    match r {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_the_label() {
    let cal = std::fs::read(fixture("calibration.json")).unwrap();
    let e = error_of(prepare_bytes(b"not onnx", &cal, "bundled", None));
    assert!(e.contains("bundled (network.onnx)"), "{e}");
    let model = std::fs::read(fixture("network.onnx")).unwrap();
    let e = error_of(prepare_bytes(
        &model,
        b"{\"input_data\": [[1.0]]}",
        "bundled",
        None,
    ));
    assert!(e.contains("bundled (calibration.json)"), "{e}");
    let e = parse_test_set(b"[", "bundled test set").unwrap_err();
    assert!(e.to_string().contains("bundled test set"), "{e}");
}
