//! `zkinfer inspect` says per operator and overall whether a model proves in each mode, as `setup`
//! would decide: never "supported" for a model setup refuses.

mod common;

use common::onnx::{Model, floats, info, op};
use common::{fixture, scratch, write, zkinfer};

fn stdout(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `y = sigmoid(x W)`: it evaluates (the sigmoid is a lookup table), but lookups have no proof.
fn sigmoid_model() -> Vec<u8> {
    let w: Vec<f32> = (0..12).map(|i| (i as f32 - 6.0) / 10.0).collect();
    Model::new(vec![
        op("MatMul", "dense", &["x", "W"], "h"),
        op("Sigmoid", "squash", &["h"], "y"),
    ])
    .inits(vec![floats("W", &[4, 3], &w)])
    .inputs(vec![info("x", &[1, 4])])
    .outputs(vec![info("y", &[1, 3])])
    .encode()
}

#[test]
fn inspect_names_the_operator_that_does_not_prove() {
    let d = scratch("inspect-sigmoid");
    let m = write(&d, "sigmoid.onnx", sigmoid_model());
    let text = stdout(&zkinfer(&["inspect", &m]));
    assert!(!text.contains("all operators supported"), "{text}");
    assert!(text.contains("evaluates:               yes"), "{text}");
    let squash = text.lines().find(|l| l.contains("squash")).expect("row");
    assert!(squash.ends_with("no proof"), "{squash}");
    let dense = text.lines().find(|l| l.contains(" dense ")).expect("row");
    assert!(dense.ends_with("proves"), "{dense}");
    for mode in [
        "proves plain (--no-zk):  no:",
        "proves zero knowledge:   no:",
    ] {
        let line = text.lines().find(|l| l.starts_with(mode)).expect(mode);
        assert!(line.contains("squash") && line.contains("Lookup"), "{line}");
    }

    let v: serde_json::Value =
        serde_json::from_str(&stdout(&zkinfer(&["inspect", &m, "--json"]))).expect("json");
    assert_eq!(v["evaluates"], true);
    assert_eq!(v["proves_plain"], false);
    assert_eq!(v["proves_zk"], false);
    assert!(v["zk_refusal"].as_str().unwrap().contains("squash"));
    let nodes = v["nodes"].as_array().unwrap();
    let node = |name: &str| nodes.iter().find(|n| n["name"] == name).expect(name);
    assert_eq!(node("squash")["proves_plain"], false);
    assert!(
        node("squash")["proof_refusal"]
            .as_str()
            .unwrap()
            .contains("Lookup")
    );
    assert_eq!(node("dense")["proves_zk"], true);
}

#[test]
fn inspect_says_a_fixture_proves_in_both_modes() {
    let d = fixture("digits_cnn_small");
    let m = d.join("network.onnx").display().to_string();
    let cal = d.join("calibration.json").display().to_string();
    for args in [
        vec!["inspect", &m],
        vec!["inspect", &m, "--calibration", &cal],
    ] {
        let text = stdout(&zkinfer(&args));
        assert!(text.contains("proves plain (--no-zk):  yes"), "{text}");
        assert!(text.contains("proves zero knowledge:   yes"), "{text}");
        assert!(!text.contains("no proof"), "{text}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&zkinfer(&["inspect", &m, "--json"]))).expect("json");
    assert_eq!(
        (&v["proves_plain"], &v["proves_zk"]),
        (&true.into(), &true.into())
    );
    assert!(
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["proves_zk"] == true)
    );
}
