//! Tests of the data file readers.

use super::*;

fn file(lists: Vec<Vec<f32>>) -> InputFile {
    InputFile {
        input_data: lists,
        output_data: None,
    }
}

#[test]
fn calibration_in_either_form() {
    let p = Path::new("cal.json");
    // EZKL's form: one list, samples concatenated.
    let s = split_samples(&file(vec![vec![1.0, 2.0, 3.0, 4.0]]), &[2], p).unwrap();
    assert_eq!(s, vec![vec![vec![1.0, 2.0]], vec![vec![3.0, 4.0]]]);
    // One list per sample.
    let s = split_samples(&file(vec![vec![1.0, 2.0], vec![3.0, 4.0]]), &[2], p).unwrap();
    assert_eq!(s, vec![vec![vec![1.0, 2.0]], vec![vec![3.0, 4.0]]]);
    // A sample of the wrong size is named.
    let e = split_samples(&file(vec![vec![1.0, 2.0], vec![3.0]]), &[2], p).unwrap_err();
    assert!(e.to_string().contains("input_data[1] has 1 values"), "{e}");
    // A length that is no multiple of the input size.
    let e = split_samples(&file(vec![vec![1.0, 2.0, 3.0]]), &[2], p).unwrap_err();
    assert!(e.to_string().contains("not a multiple"), "{e}");
}

fn parse_err(json: &str) -> String {
    parse_input_file(json.as_bytes(), "in.json")
        .unwrap_err()
        .to_string()
}

#[test]
fn input_files_parse_into_lists() {
    let f = parse_input_file(
        br#"{"input_shapes": [[2]], "input_data": [[1, -2.5, 3e2]], "output_data": [[0.5]]}"#,
        "in.json",
    )
    .unwrap();
    assert_eq!(f.input_data, vec![vec![1.0, -2.5, 300.0]]);
    assert_eq!(f.output_data, Some(vec![vec![0.5]]));
    let f = parse_input_file(br#"{"output_data": null, "input_data": [[1]]}"#, "x").unwrap();
    assert_eq!(f.output_data, None);
}

#[test]
fn malformed_input_files_name_the_file_the_path_and_the_line() {
    let cases = [
        (
            r#"{"input_data": [[1, "a"]]}"#,
            "input_data[0][1] is not a number",
        ),
        (
            r#"{"input_data": [[1], [2, true]]}"#,
            "input_data[1][1] is not a number: true",
        ),
        (
            r#"{"input_data": [[[1]]]}"#,
            "input_data[0][0] is not a number: a list",
        ),
        (
            r#"{"input_data": [[1e39]]}"#,
            "input_data[0][0] = 1e39 is not a finite f32",
        ),
        (
            r#"{"input_data": [[1e400]]}"#,
            "invalid JSON: number out of range",
        ),
        (r#"{"input_data": [[NaN]]}"#, "invalid JSON"),
        (
            r#"{"input_data": [1, 2]}"#,
            "expected a list of numbers at input_data[0]",
        ),
        (r#"{"input_data": []}"#, "input_data is empty"),
        (
            r#"{"input_data": null}"#,
            "expected a list of lists of numbers",
        ),
        (r#"{}"#, "missing field `input_data`"),
        (r#"[[1]]"#, "expected an object"),
        (
            r#"{"input_data": [[1]], "input_data": [[1]]}"#,
            "duplicate field `input_data`",
        ),
        (r#"{"input_data": [[1]]} x"#, "trailing characters"),
        ("{\"input_data\": [[1,\n 2,\n ]]}", "line 3"),
    ];
    for (json, needle) in cases {
        let e = parse_err(json);
        assert!(e.starts_with("in.json: "), "{json}: {e}");
        assert!(e.contains(needle), "{json}: {e} lacks {needle:?}");
    }
}

#[test]
fn a_budget_refuses_the_first_excess_number() {
    let dir = std::env::temp_dir().join(format!("zkinfer-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("in.json");
    // `output_data` is skipped, not counted, when only one sample is read.
    std::fs::write(
        &path,
        r#"{"input_data": [[1, 2, 3]], "output_data": [[1, 2]]}"#,
    )
    .unwrap();
    let f = read_input_file_with(&path, &InputLimits::one_sample(3)).unwrap();
    assert_eq!(
        (f.input_data, f.output_data),
        (vec![vec![1.0, 2.0, 3.0]], None)
    );
    let e = read_input_file_with(&path, &InputLimits::one_sample(2))
        .unwrap_err()
        .to_string();
    assert!(e.contains("input_data[0][2] is past the 2"), "{e}");
    assert!(e.contains("the model's input takes 2"), "{e}");
    // The default keeps output_data and counts it.
    let limits = InputLimits {
        max_values: 4,
        ..InputLimits::default()
    };
    let e = read_input_file_with(&path, &limits)
        .unwrap_err()
        .to_string();
    assert!(e.contains("output_data[0][1] is past the 4"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn test_sets_parse_with_labels_and_logits() {
    let ts = parse_test_set(
        br#"{"shape": [1, 2], "inputs": [[1, 2], [3, 4]], "labels": [0, 1], "float_logits": null}"#,
        "ts.json",
    )
    .unwrap();
    assert_eq!(ts.shape, vec![1, 2]);
    assert_eq!(ts.inputs.len(), 2);
    assert_eq!(ts.labels, Some(vec![0, 1]));
    let e = |json: &str| {
        parse_test_set(json.as_bytes(), "ts.json")
            .unwrap_err()
            .to_string()
    };
    let bad = e(r#"{"shape": [1, 2], "inputs": [[1, 2]], "labels": [-1]}"#);
    assert!(bad.contains("labels[0] = -1 is not a class index"), "{bad}");
    let bad = e(r#"{"shape": [1.5], "inputs": [[1, 2]]}"#);
    assert!(bad.contains("shape[0] = 1.5 is not a size"), "{bad}");
    let bad = e(r#"{"shape": [2], "inputs": [[1, 2]], "labels": [0, 1]}"#);
    assert!(bad.contains("2 labels for 1 inputs"), "{bad}");
}
