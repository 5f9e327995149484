//! Operator parameters: out-of-range axes and permutations, convolution and pooling geometry.

use super::*;

/// `op` on `x: [1, 4]` with one attribute, declared output `[1, 4]`.
fn on_1x4(op_type: &str, attr: &str, a: Attr) -> Model {
    unary(
        op(op_type, "n", &["x"], "y").attr(attr, a),
        &[1, 4],
        &[1, 4],
        vec![],
    )
}

/// `x: [1, 1, 4, 4]` (16 elements) into `node`, declared output `[1, 1, 4, 4]`.
fn on_image(node: Node, inits: Vec<Vec<u8>>) -> Model {
    unary(node, &[1, 1, 4, 4], &[1, 1, 4, 4], inits)
}

/// A 1-channel 3x3 Conv with attributes, on a 4x4 image.
fn conv(attrs: &[(&str, Attr)]) -> Model {
    conv_k(3, attrs)
}

fn conv_k(k: i64, attrs: &[(&str, Attr)]) -> Model {
    let mut n = op("Conv", "conv", &["x", "W"], "y");
    for (name, a) in attrs {
        n = n.attr(name, a.clone());
    }
    let w = floats("W", &[1, 1, k, k], &vec![0.1; (k * k) as usize]);
    on_image(n, vec![w])
}

fn pool(op_type: &str, attrs: &[(&str, Attr)]) -> Model {
    let mut n = op(op_type, "pool", &["x"], "y");
    for (name, a) in attrs {
        n = n.attr(name, a.clone());
    }
    on_image(n, vec![])
}

fn ks(k: i64) -> (&'static str, Attr) {
    ("kernel_shape", Attr::Ints(vec![k, k]))
}

pub fn cases() -> Vec<Case> {
    use Attr::{Int, Ints};
    let huge = 1i64 << 40;
    vec![
        case(
            "softmax_axis_5",
            "Softmax axis 5 on a rank-2 tensor",
            &on_1x4("Softmax", "axis", Int(5)),
            "axis",
        ),
        case(
            "softmax_axis_neg7",
            "Softmax axis -7",
            &on_1x4("Softmax", "axis", Int(-7)),
            "axis",
        ),
        case(
            "logsoftmax_axis_3",
            "LogSoftmax axis 3",
            &on_1x4("LogSoftmax", "axis", Int(3)),
            "axis",
        ),
        case(
            "transpose_dup",
            "Transpose perm [0, 0]",
            &on_1x4("Transpose", "perm", Ints(vec![0, 0])),
            "perm",
        ),
        case(
            "transpose_out_of_range",
            "Transpose perm [0, 5]",
            &on_1x4("Transpose", "perm", Ints(vec![0, 5])),
            "perm",
        ),
        case(
            "transpose_too_long",
            "Transpose perm [2, 1, 0] on rank 2",
            &on_1x4("Transpose", "perm", Ints(vec![2, 1, 0])),
            "perm",
        ),
        case(
            "transpose_negative",
            "Transpose perm [-1, 0]",
            &on_1x4("Transpose", "perm", Ints(vec![-1, 0])),
            "perm",
        ),
        case(
            "transpose_huge",
            "Transpose perm [0, 2^40]",
            &on_1x4("Transpose", "perm", Ints(vec![0, huge])),
            "perm",
        ),
        case(
            "concat_axis_9",
            "Concat axis 9",
            &unary(
                op("Concat", "c", &["x", "x"], "y").attr("axis", Int(9)),
                &[1, 4],
                &[1, 8],
                vec![],
            ),
            "axis",
        ),
        case(
            "flatten_axis_7",
            "Flatten axis 7",
            &on_1x4("Flatten", "axis", Int(7)),
            "axis",
        ),
        case(
            "reduce_axes_5",
            "ReduceMean axes [5]",
            &on_1x4("ReduceMean", "axes", Ints(vec![5])),
            "axis",
        ),
        case(
            "reduce_axes_huge",
            "ReduceMax axes [-2^40]",
            &on_1x4("ReduceMax", "axes", Ints(vec![-huge])),
            "axis",
        ),
        case(
            "unsqueeze_axes_10",
            "Unsqueeze axes [10] (opset 11)",
            &on_1x4("Unsqueeze", "axes", Ints(vec![10])).opsets(&[("", 11)]),
            "axis",
        ),
        case(
            "squeeze_axis_3",
            "Squeeze axes [3] (opset 11)",
            &on_1x4("Squeeze", "axes", Ints(vec![3])).opsets(&[("", 11)]),
            "axis",
        ),
        case(
            "layernorm_axis_4",
            "LayerNormalization axis 4 (opset 17)",
            &unary(
                op("LayerNormalization", "ln", &["x", "g"], "y").attr("axis", Int(4)),
                &[1, 4],
                &[1, 4],
                vec![floats("g", &[4], &[1.0; 4])],
            )
            .opsets(&[("", 17)]),
            "axis",
        ),
        case(
            "slice_axis_7",
            "Slice with axes [7]",
            &unary(
                op("Slice", "s", &["x", "st", "en", "ax"], "y"),
                &[1, 4],
                &[1, 2],
                vec![
                    ints("st", &[1], &[0]),
                    ints("en", &[1], &[2]),
                    ints("ax", &[1], &[7]),
                ],
            ),
            "axis",
        ),
        case(
            "gather_axis_6",
            "Gather axis 6",
            &unary(
                op("Gather", "g", &["x", "i"], "y").attr("axis", Int(6)),
                &[1, 4],
                &[1, 2],
                vec![ints("i", &[2], &[0, 1])],
            ),
            "axis",
        ),
        case(
            "conv_stride_0",
            "Conv strides [0, 0]",
            &conv(&[("strides", Ints(vec![0, 0]))]),
            "stride",
        )
        .cal(16),
        case(
            "conv_stride_huge",
            "Conv strides [2^40, 2^40]",
            &conv(&[("strides", Ints(vec![huge, huge]))]),
            "stride",
        )
        .cal(16),
        case(
            "conv_stride_negative",
            "Conv strides [-1, -1]",
            &conv(&[("strides", Ints(vec![-1, -1]))]),
            "stride",
        )
        .cal(16),
        case(
            "conv_dilation_0",
            "Conv dilations [0, 0]",
            &conv(&[("dilations", Ints(vec![0, 0]))]),
            "dilation",
        )
        .cal(16),
        case(
            "conv_dilation_huge",
            "Conv dilations [2^30, 2^30]",
            &conv(&[("dilations", Ints(vec![1 << 30, 1 << 30]))]),
            "dilation",
        )
        .cal(16),
        case(
            "conv_kernel_7_on_4",
            "Conv 7x7 kernel on a 4x4 image",
            &conv_k(7, &[]),
            "kernel",
        )
        .cal(16),
        case(
            "conv_pads_negative",
            "Conv pads [-2, -2, -2, -2]",
            &conv(&[("pads", Ints(vec![-2, -2, -2, -2]))]),
            "pad",
        )
        .cal(16),
        case(
            "conv_pads_huge",
            "Conv pads of 2^40",
            &conv(&[("pads", Ints(vec![huge, huge, huge, huge]))]),
            "pad",
        )
        .cal(16),
        case(
            "conv_group_0",
            "Conv group 0",
            &conv(&[("group", Int(0))]),
            "group",
        )
        .cal(16),
        case(
            "conv_group_3",
            "Conv group 3 on 1 channel",
            &conv(&[("group", Int(3))]),
            "group",
        )
        .cal(16),
        case(
            "conv_weight_rank_2",
            "Conv with a [3, 3] weight",
            &on_image(
                op("Conv", "conv", &["x", "W"], "y"),
                vec![floats("W", &[3, 3], &[0.1; 9])],
            ),
            "weight",
        )
        .cal(16),
        case(
            "maxpool_kernel_9_on_4",
            "MaxPool 9x9 on a 4x4 image",
            &pool("MaxPool", &[ks(9)]),
            "kernel",
        )
        .cal(16),
        case(
            "maxpool_stride_0",
            "MaxPool strides [0, 0]",
            &pool("MaxPool", &[ks(2), ("strides", Ints(vec![0, 0]))]),
            "stride",
        )
        .cal(16),
        case(
            "avgpool_kernel_0",
            "AveragePool kernel [0, 0]",
            &pool("AveragePool", &[ks(0)]),
            "kernel",
        )
        .cal(16),
        case(
            "maxpool_dilation_huge",
            "MaxPool dilations [2^40, 2^40]",
            &pool("MaxPool", &[ks(2), ("dilations", Ints(vec![huge, huge]))]),
            "dilation",
        )
        .cal(16),
        case(
            "avgpool_kernel_huge",
            "AveragePool kernel [2^40, 2^40]",
            &pool("AveragePool", &[ks(huge)]),
            "kernel",
        )
        .cal(16),
    ]
}
