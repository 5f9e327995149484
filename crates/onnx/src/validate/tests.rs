//! Unit tests of the file checks on protobuf values built in code; the CLI's corpus
//! (crates/cli/tests/malformed_onnx.rs) drives the same checks end to end.

use tract_onnx::pb::tensor_shape_proto::{Dimension, dimension::Value as Dim};
use tract_onnx::pb::type_proto::{Tensor as TensorType, Value as TypeValue};
use tract_onnx::pb::*;

use super::check_proto;

fn info(name: &str, dims: &[i64]) -> ValueInfoProto {
    let dim = dims
        .iter()
        .map(|&d| Dimension {
            value: Some(Dim::DimValue(d)),
            ..Default::default()
        })
        .collect();
    ValueInfoProto {
        name: name.into(),
        r#type: Some(TypeProto {
            value: Some(TypeValue::TensorType(TensorType {
                elem_type: 1,
                shape: Some(TensorShapeProto { dim }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn floats(name: &str, dims: &[i64], v: &[f32]) -> TensorProto {
    TensorProto {
        name: name.into(),
        dims: dims.to_vec(),
        data_type: 1,
        float_data: v.to_vec(),
        ..Default::default()
    }
}

fn ints(name: &str, v: &[i64]) -> TensorProto {
    TensorProto {
        name: name.into(),
        dims: vec![v.len() as i64],
        data_type: 7,
        int64_data: v.to_vec(),
        ..Default::default()
    }
}

fn node(op: &str, name: &str, ins: &[&str], out: &str) -> NodeProto {
    NodeProto {
        op_type: op.into(),
        name: name.into(),
        input: ins.iter().map(|s| s.to_string()).collect(),
        output: vec![out.into()],
        ..Default::default()
    }
}

fn with_ints(mut n: NodeProto, attr: &str, v: &[i64]) -> NodeProto {
    n.attribute.push(AttributeProto {
        name: attr.into(),
        r#type: 7,
        ints: v.to_vec(),
        ..Default::default()
    });
    n
}

fn with_int(mut n: NodeProto, attr: &str, v: i64) -> NodeProto {
    n.attribute.push(AttributeProto {
        name: attr.into(),
        r#type: 2,
        i: v,
        ..Default::default()
    });
    n
}

/// A model of `nodes` from `x: in_dims` to `y`, with initializers.
fn model(nodes: Vec<NodeProto>, inits: Vec<TensorProto>, in_dims: &[i64]) -> ModelProto {
    ModelProto {
        ir_version: 8,
        opset_import: vec![OperatorSetIdProto {
            domain: String::new(),
            version: 13,
        }],
        graph: Some(GraphProto {
            node: nodes,
            initializer: inits,
            input: vec![info("x", in_dims)],
            output: vec![info("y", &[])],
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn mm() -> ModelProto {
    model(
        vec![node("MatMul", "mm", &["x", "W"], "y")],
        vec![floats("W", &[4, 4], &[0.5; 16])],
        &[1, 4],
    )
}

#[track_caller]
fn refused(m: &ModelProto, needle: &str) {
    let e = check_proto(m).expect_err("refused");
    assert!(e.contains(needle), "{e:?} lacks {needle:?}");
}

#[test]
fn a_well_formed_model_passes() {
    check_proto(&mm()).unwrap();
}

#[test]
fn header_ir_version_and_opsets() {
    let mut m = mm();
    m.ir_version = 0;
    refused(&m, "ir_version 0");
    let mut m = mm();
    m.opset_import.clear();
    refused(&m, "no opset import");
    let mut m = mm();
    m.opset_import.push(OperatorSetIdProto {
        domain: "ai.onnx".into(),
        version: 11,
    });
    refused(&m, "conflicting opset");
    let mut m = mm();
    m.opset_import[0].version = 10_000;
    refused(&m, "opset 10000");
}

#[test]
fn structure_outputs_names_references_cycles() {
    let mut m = mm();
    m.graph.as_mut().unwrap().output.clear();
    refused(&m, "no outputs");
    let mut m = mm();
    m.graph.as_mut().unwrap().output[0].name = "z".into();
    refused(&m, "graph output 'z' is produced by no");
    let mut m = mm();
    let g = m.graph.as_mut().unwrap();
    g.initializer.push(g.initializer[0].clone());
    refused(&m, "duplicate initializer 'W'");
    let m = model(
        vec![
            node("Add", "a", &["x", "c"], "b"),
            node("Relu", "r", &["b"], "c"),
            node("Relu", "o", &["c"], "y"),
        ],
        vec![],
        &[1, 4],
    );
    refused(&m, "cycle through node 'a'");
    let mut m = mm();
    m.graph.as_mut().unwrap().node[0].domain = "com.example".into();
    refused(&m, "domain 'com.example'");
}

#[test]
fn tensors_data_and_values() {
    let m = model(
        vec![node("MatMul", "mm", &["x", "W"], "y")],
        vec![floats("W", &[4, 4], &[0.5; 15])],
        &[1, 4],
    );
    refused(&m, "15 values; dims [4, 4] need 16");
    let mut w = [0.5; 16];
    w[3] = f32::NAN;
    let m = model(
        vec![node("MatMul", "mm", &["x", "W"], "y")],
        vec![floats("W", &[4, 4], &w)],
        &[1, 4],
    );
    refused(&m, "element 3 is NaN");
    w[3] = 2e20;
    let m = model(
        vec![node("MatMul", "mm", &["x", "W"], "y")],
        vec![floats("W", &[4, 4], &w)],
        &[1, 4],
    );
    refused(&m, "element 3 is 2e20");
    let m = model(
        vec![node("Add", "a", &["x", "B"], "y")],
        vec![floats("B", &[1 << 20, 1 << 20], &[])],
        &[1, 4],
    );
    refused(&m, "over the");
}

#[test]
fn axes_and_permutations_against_the_input_rank() {
    let one = |n: NodeProto| model(vec![n], vec![], &[2, 3]);
    check_proto(&one(with_int(
        node("Softmax", "s", &["x"], "y"),
        "axis",
        -2,
    )))
    .unwrap();
    refused(
        &one(with_int(node("Softmax", "s", &["x"], "y"), "axis", 2)),
        "axis 2 is out of range for a rank-2",
    );
    check_proto(&one(with_ints(
        node("Transpose", "t", &["x"], "y"),
        "perm",
        &[1, 0],
    )))
    .unwrap();
    refused(
        &one(with_ints(
            node("Transpose", "t", &["x"], "y"),
            "perm",
            &[1, 1],
        )),
        "not a permutation",
    );
    refused(
        &one(with_ints(
            node("Transpose", "t", &["x"], "y"),
            "perm",
            &[2, 1, 0],
        )),
        "3 entries for a rank-2",
    );
    // The rank flows through nodes the pass models: Unsqueeze makes it 3.
    let m = model(
        vec![
            node("Unsqueeze", "u", &["x", "ax"], "u"),
            with_int(node("Softmax", "s", &["u"], "y"), "axis", 2),
        ],
        vec![ints("ax", &[0])],
        &[2, 3],
    );
    check_proto(&m).unwrap();
    let m = model(
        vec![
            node("Unsqueeze", "u", &["x", "ax"], "u"),
            with_int(node("Softmax", "s", &["u"], "y"), "axis", 3),
        ],
        vec![ints("ax", &[0])],
        &[2, 3],
    );
    refused(&m, "axis 3 is out of range for a rank-3");
}

#[test]
fn reshape_targets() {
    let rs = |s: &[i64]| {
        model(
            vec![node("Reshape", "r", &["x", "s"], "y")],
            vec![ints("s", s)],
            &[2, 6],
        )
    };
    check_proto(&rs(&[-1, 3])).unwrap();
    check_proto(&rs(&[0, -1])).unwrap();
    check_proto(&rs(&[12])).unwrap();
    refused(&rs(&[-1, -1]), "more than one -1");
    refused(&rs(&[-1, 5]), "no -1");
    refused(&rs(&[5, 5]), "25 elements from an input of 12");
    refused(&rs(&[-3, 4]), "dimension -3");
}

#[test]
fn windows_fit_their_input() {
    let conv = |k: i64, attrs: &[(&str, &[i64])]| {
        let mut n = node("Conv", "c", &["x", "W"], "y");
        for (a, v) in attrs {
            n = with_ints(n, a, v);
        }
        let w = vec![0.1; (2 * k * k) as usize];
        model(vec![n], vec![floats("W", &[2, 1, k, k], &w)], &[1, 1, 5, 5])
    };
    check_proto(&conv(3, &[])).unwrap();
    check_proto(&conv(7, &[("pads", &[1, 1, 1, 1])])).unwrap();
    refused(
        &conv(7, &[]),
        "kernel 7 (dilated to 7) is larger than the padded input 5",
    );
    refused(&conv(3, &[("dilations", &[3, 3])]), "dilated to 7");
    refused(&conv(3, &[("strides", &[0, 1])]), "strides [0, 1]");
    refused(
        &conv(3, &[("pads", &[1, 1])]),
        "2 entries where the input's spatial axes need 4",
    );
}

#[test]
fn constants_folded_into_huge_tensors_are_refused() {
    let m = model(
        vec![
            node("ConstantOfShape", "c", &["s"], "c"),
            node("Add", "a", &["x", "c"], "y"),
        ],
        vec![ints("s", &[1 << 16, 1 << 16])],
        &[1, 4],
    );
    refused(&m, "4294967296 elements");
    // A shape built by Concat of constants is followed too.
    let m = model(
        vec![
            with_int(node("Concat", "cat", &["a", "b"], "s"), "axis", 0),
            node("Expand", "e", &["x", "s"], "y"),
        ],
        vec![ints("a", &[1 << 16]), ints("b", &[1 << 16])],
        &[1, 1],
    );
    refused(&m, "4294967296 elements");
    // A huge dimension next to an unknown one is refused too (the input's batch is symbolic here).
    let mut m = model(
        vec![node("Expand", "e", &["x", "s"], "y")],
        vec![ints("s", &[i64::MAX, 1])],
        &[1],
    );
    let dim = &mut m.graph.as_mut().unwrap().input[0];
    if let Some(TypeValue::TensorType(t)) = dim.r#type.as_mut().and_then(|t| t.value.as_mut()) {
        t.shape.as_mut().unwrap().dim[0].value = Some(Dim::DimParam("batch".into()));
    }
    refused(
        &m,
        "[9223372036854775807, ?] would have at least 9223372036854775807 elements",
    );
    let m = model(
        vec![node("Div", "d", &["x", "z"], "y")],
        vec![floats("z", &[2], &[1.0, 0.0])],
        &[1, 2],
    );
    refused(&m, "divides by zero: element 1");
}
