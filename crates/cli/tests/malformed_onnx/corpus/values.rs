//! Constant values: non-finite or absurd weights, division by zero, shapes that are not shapes, and
//! constants whose folding would build enormous tensors.

use super::*;

fn matmul(w: &[f32]) -> Model {
    unary(
        op("MatMul", "mm", &["x", "W"], "y"),
        &[1, 4],
        &[1, 4],
        vec![floats("W", &[4, 4], w)],
    )
}

fn with_one(v: f32) -> Vec<f32> {
    let mut w = vec![0.5; 16];
    w[5] = v;
    w
}

/// `y = x op C` with a `[1, 4]` constant `C`.
fn binary(op_type: &str, c: &[f32]) -> Model {
    unary(
        op(op_type, "b", &["x", "C"], "y"),
        &[1, 4],
        &[1, 4],
        vec![floats("C", &[1, 4], c)],
    )
}

/// `y = x + f(consts)`, where `f` builds a constant from integer inputs.
fn bomb(op_type: &str, consts: Vec<Vec<u8>>, names: &[&str]) -> Model {
    Model::new(vec![
        op(op_type, "bomb", names, "B"),
        op("Add", "add", &["x", "B"], "y"),
    ])
    .inits(consts)
    .inputs(vec![info("x", &[1, 4])])
    .outputs(vec![info("y", &[1, 4])])
}

fn reshape(shape: &[i64]) -> Model {
    unary(
        op("Reshape", "rs", &["x", "s"], "y"),
        &[1, 4],
        &[1, 4],
        vec![ints("s", &[shape.len() as i64], shape)],
    )
}

/// `y = x op f(C)`: a constant the file's checks pass but tract folds into something invalid.
fn folded(op_type: &str, f: &str, c: &[f32]) -> Model {
    Model::new(vec![
        op(f, "f", &["C", "C"][..if f == "Sub" { 2 } else { 1 }], "F"),
        op(op_type, "b", &["x", "F"], "y"),
    ])
    .inits(vec![floats("C", &[1, 4], c)])
    .inputs(vec![info("x", &[1, 4])])
    .outputs(vec![info("y", &[1, 4])])
}

pub fn cases() -> Vec<Case> {
    let g = 1i64 << 30;
    // 2^32 elements: 16 GiB, a size an allocator may actually try.
    let h = 1i64 << 16;
    vec![
        case(
            "weight_nan",
            "a NaN weight",
            &matmul(&with_one(f32::NAN)),
            "NaN",
        ),
        case(
            "weight_inf",
            "an infinite weight",
            &matmul(&with_one(f32::INFINITY)),
            "inf",
        ),
        case(
            "weight_neg_inf",
            "a -inf weight",
            &matmul(&with_one(f32::NEG_INFINITY)),
            "inf",
        ),
        case(
            "weight_3e38",
            "a weight of 3e38",
            &matmul(&with_one(3e38)),
            "3e38",
        ),
        case(
            "weights_all_3e38",
            "every weight -3e38",
            &matmul(&[-3e38; 16]),
            "3e38",
        ),
        case(
            "bias_nan",
            "a NaN added constant",
            &binary("Add", &[0.0, f32::NAN, 0.0, 0.0]),
            "NaN",
        ),
        case("div_by_zero", "x / 0", &binary("Div", &[0.0; 4]), "zero"),
        case(
            "div_by_some_zero",
            "x / [1, 2, 0, 4]",
            &binary("Div", &[1.0, 2.0, 0.0, 4.0]),
            "zero",
        ),
        case(
            "div_by_folded_zero",
            "x / (C - C): a zero divisor only tract's folding reveals",
            &folded("Div", "Sub", &[1.0; 4]),
            "divides by zero",
        ),
        case(
            "folded_inf",
            "x * Exp(100): folds to inf",
            &folded("Mul", "Exp", &[100.0; 4]),
            "inf",
        ),
        case(
            "folded_nan",
            "x * Sqrt(-1): folds to NaN",
            &folded("Mul", "Sqrt", &[-1.0; 4]),
            "NaN",
        ),
        case(
            "output_ignores_input",
            "y = C + C: the output depends on no input",
            &Model::new(vec![op("Add", "a", &["C", "C"], "y")])
                .inits(vec![floats("C", &[1, 4], &[1.0; 4])])
                .inputs(vec![info("x", &[1, 4])])
                .outputs(vec![info("y", &[1, 4])]),
            "depends on no input",
        ),
        case(
            "expand_unmodelled_shape",
            "Expand of x to a shape the file's checks cannot compute ([2^16, 2^16, 1] as a product)",
            &Model::new(vec![
                op("Mul", "s", &["a", "b"], "s"),
                op("Expand", "e", &["x", "s"], "y"),
            ])
            .inits(vec![
                ints("a", &[3], &[h, h, 1]),
                ints("b", &[3], &[1, 1, 1]),
            ])
            .inputs(vec![info("x", &[1, 4])])
            .outputs(vec![info("y", &[1, 4])]),
            "elements",
        ),
        case(
            "constant_node_nan",
            "a Constant node holding NaN",
            &Model::new(vec![
                op("Constant", "c", &[], "C")
                    .attr("value", Attr::Tensor(floats("v", &[1, 4], &[f32::NAN; 4]))),
                op("Mul", "m", &["x", "C"], "y"),
            ])
            .inputs(vec![info("x", &[1, 4])])
            .outputs(vec![info("y", &[1, 4])]),
            "NaN",
        ),
        case(
            "reshape_negative",
            "Reshape to [-2, -2]",
            &reshape(&[-2, -2]),
            "reshape",
        ),
        case(
            "reshape_two_minus_one",
            "Reshape to [-1, -1]",
            &reshape(&[-1, -1]),
            "reshape",
        ),
        case(
            "reshape_huge",
            "Reshape to [2^30, 2^30]",
            &reshape(&[g, g]),
            "reshape",
        ),
        case(
            "constant_of_shape_huge",
            "ConstantOfShape [2^16, 2^16] folded into a constant",
            &bomb("ConstantOfShape", vec![ints("s", &[2], &[h, h])], &["s"]),
            "elements",
        ),
        case(
            "expand_huge",
            "Expand of a constant to [2^16, 2^16]",
            &bomb(
                "Expand",
                vec![floats("c", &[1], &[1.0]), ints("s", &[2], &[h, h])],
                &["c", "s"],
            ),
            "elements",
        ),
        case(
            "tile_huge",
            "Tile of a constant by [2^16, 2^14]",
            &bomb(
                "Tile",
                vec![
                    floats("c", &[1, 4], &[1.0; 4]),
                    ints("r", &[2], &[h, h / 4]),
                ],
                &["c", "r"],
            ),
            "elements",
        ),
        case(
            "range_huge",
            "Range(0, 2^32, 1) of constants",
            &bomb(
                "Range",
                vec![
                    ints("a", &[], &[0]),
                    ints("b", &[], &[1 << 32]),
                    ints("d", &[], &[1]),
                ],
                &["a", "b", "d"],
            ),
            "elements",
        ),
        case(
            "pad_huge",
            "Pad of the input by 2^30 on each side",
            &unary(
                op("Pad", "pad", &["x", "p"], "y"),
                &[1, 4],
                &[1, 4],
                vec![ints("p", &[4], &[0, g, 0, g])],
            ),
            "pad",
        ),
    ]
}
