//! Graph structure (outputs, inputs, names, cycles, domains, size) and declared shapes and data.

use super::*;

/// `n` MatMuls by `W` in a chain from `x` to `y`.
fn chain(n: usize) -> Model {
    two((0..n)
        .map(|i| {
            let input = if i == 0 {
                "x".to_string()
            } else {
                format!("t{}", i - 1)
            };
            let output = if i + 1 == n {
                "y".to_string()
            } else {
                format!("t{i}")
            };
            mm(&format!("mm{i}"), &input, &output)
        })
        .collect())
}

/// `y = x @ W` with `x: [1, 4]` and a `W` initializer given as encoded bytes.
fn matmul_with(w: Vec<u8>) -> Model {
    unary(
        op("MatMul", "mm", &["x", "W"], "y"),
        &[1, 4],
        &[1, 4],
        vec![w],
    )
}

/// `x @ W -> a`, `a @ W -> y`.
fn mm2() -> Vec<Node> {
    vec![mm("mm1", "x", "a"), mm("mm2", "a", "y")]
}

pub fn cases() -> Vec<Case> {
    let big = "n".repeat(512 << 10);
    let mut no_output_node = mm("mm", "x", "y");
    no_output_node.outputs.clear();
    let external = {
        use crate::common::{f_bytes, f_int};
        // TensorProto { dims: [4, 4], data_type: FLOAT, name: "W", external_data: [location = w.bin],
        // data_location: EXTERNAL }
        let kv = [f_bytes(1, b"location"), f_bytes(2, b"w.bin")].concat();
        [
            f_int(1, 4),
            f_int(1, 4),
            f_int(2, 1),
            f_bytes(8, b"W"),
            f_bytes(13, &kv),
            f_int(14, 1),
        ]
        .concat()
    };
    vec![
        case(
            "no_graph",
            "a model without a graph",
            &base().no_graph(),
            "no graph",
        ),
        case(
            "empty_graph",
            "a graph with no nodes, inputs or outputs",
            &Model::new(vec![]),
            "no outputs",
        ),
        case(
            "no_outputs",
            "a MatMul node but no graph output",
            &base().outputs(vec![]),
            "no outputs",
        ),
        case(
            "no_inputs",
            "only a constant: no graph input",
            &Model::new(vec![
                op("Constant", "c", &[], "y")
                    .attr("value", Attr::Tensor(floats("v", &[1, 4], &[1.0; 4]))),
            ])
            .outputs(vec![info("y", &[1, 4])]),
            "no inputs",
        ),
        case(
            "no_nodes_dangling_output",
            "no nodes, the output names nothing",
            &Model::new(vec![])
                .inputs(vec![info("x", &[1, 4])])
                .outputs(vec![info("y", &[1, 4])]),
            "graph output 'y'",
        ),
        case(
            "dangling_output",
            "an output no node produces",
            &base().outputs(vec![info("z", &[1, 4])]),
            "graph output 'z'",
        ),
        case(
            "dangling_input",
            "a node input nothing produces",
            &two(vec![op("MatMul", "mm", &["x", "ghost"], "y")]),
            "'ghost'",
        ),
        case(
            "duplicate_node_names",
            "two nodes named 'r'",
            &two(vec![mm("r", "x", "a"), mm("r", "a", "y")]),
            "node name 'r'",
        ),
        case(
            "duplicate_initializers",
            "two initializers named 'W'",
            &base().inits(vec![w(), floats("W", &[4, 4], &[1.0; 16])]),
            "'W'",
        ),
        case(
            "duplicate_outputs",
            "the output 'y' listed twice",
            &base().outputs(vec![info("y", &[1, 4]), info("y", &[1, 4])]),
            "output 'y'",
        ),
        case(
            "duplicate_inputs",
            "the input 'x' listed twice",
            &base().inputs(vec![info("x", &[1, 4]), info("x", &[1, 4])]),
            "input 'x'",
        ),
        case(
            "two_producers",
            "two nodes both produce 'y'",
            &two(vec![mm("mm1", "x", "y"), mm("mm2", "x", "y")]),
            "'y'",
        ),
        case(
            "node_overwrites_input",
            "a node produces the graph input 'x'",
            &two(vec![mm("mm1", "x", "x"), mm("mm2", "x", "y")]),
            "'x'",
        ),
        case(
            "node_overwrites_initializer",
            "a node produces 'W', also an initializer",
            &two(vec![op("Relu", "r", &["x"], "W"), mm("mm", "x", "y")]),
            "'W'",
        ),
        case(
            "cycle",
            "a -> b -> a",
            &two(vec![
                op("Add", "n1", &["x", "b"], "a"),
                mm("n2", "a", "b"),
                mm("n3", "b", "y"),
            ]),
            "cycle",
        ),
        case(
            "self_loop",
            "a node reads its own output",
            &two(vec![op("MatMul", "n", &["y", "W"], "y")]),
            "cycle",
        ),
        case(
            "node_without_outputs",
            "a node with no output",
            &two(vec![no_output_node]),
            "no outputs",
        ),
        case(
            "huge_node_name",
            "a 512 KiB node name",
            &two(vec![mm(&big, "x", "y")]),
            "name",
        ),
        case(
            "huge_value_name",
            "a 512 KiB tensor name",
            &two(vec![mm("mm1", "x", &big), mm("mm2", &big, "y")]),
            "name",
        ),
        case(
            "huge_op_type",
            "a 512 KiB operator type",
            &two(vec![op(&big, "mm", &["x", "W"], "y")]),
            "operator type",
        ),
        case(
            "chain_20000",
            "20,000 MatMul nodes in a chain",
            &chain(20_000),
            "nodes",
        ),
        case(
            "custom_domain_op",
            "MatMul of domain com.example (declared)",
            &two(vec![mm("mm", "x", "y").domain("com.example")])
                .opsets(&[("", 13), ("com.example", 1)]),
            "domain",
        ),
        case(
            "custom_domain_undeclared",
            "an operator of an undeclared domain",
            &two(vec![op("Frob", "f", &["x", "W"], "y").domain("com.evil")]),
            "domain",
        ),
        case(
            "input_without_type",
            "a graph input with no type",
            &base().inputs(vec![crate::common::f_bytes(1, b"x")]),
            "type",
        ),
        case(
            "input_unknown_dtype",
            "an input of element type 999",
            &base().inputs(vec![typed_info("x", 999, Some(&[1, 4]))]),
            "element type",
        ),
        case(
            "input_zero_dim",
            "input shape [1, 0]",
            &input_of(&[1, 0]),
            "dimension",
        ),
        case(
            "input_negative_dim",
            "input shape [1, -3]",
            &input_of(&[1, -3]),
            "dimension",
        ),
        case(
            "output_negative_dim",
            "declared output shape [1, -4]",
            &base().outputs(vec![info("y", &[1, -4])]),
            "dimension",
        ),
        case(
            "value_info_negative_dim",
            "a value info of shape [-1, -1]",
            &two(mm2()).value_infos(vec![info("a", &[-1, -1])]),
            "dimension",
        ),
        case(
            "input_2p40",
            "input shape [1, 2^40]",
            &input_of(&[1, 1 << 40]),
            "elements",
        ),
        case(
            "input_overflow",
            "input shape [2^32, 2^32]",
            &input_of(&[1 << 32, 1 << 32]),
            "elements",
        ),
        case(
            "init_negative_dims",
            "an initializer of dims [-4, -4]",
            &matmul_with(floats("W", &[-4, -4], &[0.5; 16])),
            "dimension",
        ),
        case(
            "init_zero_dim",
            "a MatMul weight of dims [4, 0] (an empty output)",
            &matmul_with(floats("W", &[4, 0], &[])),
            "no elements",
        ),
        case(
            "init_huge_raw",
            "dims [2^40] declared over 16 bytes of raw data",
            &unary(
                op("Add", "a", &["x", "B"], "y"),
                &[1, 4],
                &[1, 4],
                vec![floats("B", &[1 << 40], &[1.0; 4])],
            ),
            "elements",
        ),
        case(
            "init_overflowing_dims",
            "dims [2^31, 2^31, 2^31]",
            &matmul_with(floats("W", &[1 << 31, 1 << 31, 1 << 31], &[1.0; 4])),
            "elements",
        ),
        case(
            "init_short_raw",
            "dims [4, 4] over 8 bytes of raw data",
            &matmul_with(floats("W", &[4, 4], &[1.0, 2.0])),
            "bytes",
        ),
        case(
            "init_short_float_data",
            "dims [4, 4] with 3 float_data values",
            &matmul_with(tensor("W", FLOAT, &[4, 4], &Data::Floats(vec![1.0; 3]))),
            "values",
        ),
        case(
            "init_unknown_dtype",
            "an initializer of data type 999",
            &matmul_with(tensor("W", 999, &[4, 4], &Data::Raw(vec![0; 64]))),
            "data type",
        ),
        case(
            "init_external_data",
            "an initializer in an external file",
            &matmul_with(external),
            "external",
        ),
        case(
            "constant_huge_value",
            "a Constant node whose value declares [2^30, 2^30]",
            &Model::new(vec![
                op("Constant", "c", &[], "B").attr(
                    "value",
                    Attr::Tensor(floats("v", &[1 << 30, 1 << 30], &[1.0; 4])),
                ),
                op("Add", "a", &["x", "B"], "y"),
            ])
            .inputs(vec![info("x", &[1, 4])])
            .outputs(vec![info("y", &[1, 4])]),
            "elements",
        ),
    ]
}

/// [`base`] with an input of `dims`.
fn input_of(dims: &[i64]) -> Model {
    base().inputs(vec![info("x", dims)])
}
