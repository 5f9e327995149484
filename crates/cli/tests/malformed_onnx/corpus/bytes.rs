//! Files that are not ONNX protobufs at all, cut short, and models with a bad header (IR version,
//! opset imports).

use super::*;

/// `n` reproducible pseudo-random bytes.
fn seeded_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut rng = zkinfer_field::SplitMix64(seed);
    (0..n).map(|_| rng.next_u64() as u8).collect()
}

fn raw(name: &'static str, what: &'static str, bytes: Vec<u8>, needle: &'static str) -> Case {
    Case {
        name,
        what,
        bytes,
        needle,
        cal_len: 4,
    }
}

/// A graph nested `depth` times in node attributes (past protobuf decoders' recursion limits).
fn nested_graph(depth: usize) -> Vec<u8> {
    use crate::common::{f_bytes, f_int};
    let mut g = f_bytes(2, b"inner");
    for _ in 0..depth {
        // AttributeProto { name: "body", g: graph, type: GRAPH }
        let attr = [f_bytes(1, b"body"), f_bytes(6, &g), f_int(20, 5)].concat();
        let node = [f_bytes(4, b"If"), f_bytes(5, &attr)].concat();
        g = [f_bytes(1, &node), f_bytes(2, b"g")].concat();
    }
    [
        f_int(1, 8),
        f_bytes(8, &[f_bytes(1, b""), f_int(2, 13)].concat()),
        f_bytes(7, &g),
    ]
    .concat()
}

pub fn cases() -> Vec<Case> {
    let good = base().encode();
    let n = good.len();
    // The header (IR version and opset import) ends where the graph field starts.
    let header_len = Model::new(vec![]).no_graph().encode().len();
    let mut garbage_tail = good.clone();
    garbage_tail.extend(seeded_bytes(7, 64));
    let mut huge_len = good[..header_len].to_vec();
    // Graph field (7, length-delimited) claiming 2^62 bytes.
    huge_len.extend([0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    vec![
        raw("empty_file", "zero bytes", vec![], "no graph"),
        raw(
            "random_4k",
            "4 KiB of random bytes",
            seeded_bytes(0x1234_5678, 4096),
            "protobuf",
        ),
        raw(
            "random_1m",
            "1 MiB of random bytes",
            seeded_bytes(0x9e37_79b9, 1 << 20),
            "protobuf",
        ),
        raw(
            "text",
            "a line of text",
            b"this is not a model\n".to_vec(),
            "protobuf",
        ),
        raw(
            "trunc_1",
            "the first byte of a model",
            good[..1].to_vec(),
            "protobuf",
        ),
        raw(
            "trunc_10",
            "the first 10 bytes",
            good[..10].to_vec(),
            "protobuf",
        ),
        raw(
            "trunc_half",
            "the first half",
            good[..n / 2].to_vec(),
            "protobuf",
        ),
        raw(
            "trunc_last_byte",
            "all but the last byte",
            good[..n - 1].to_vec(),
            "protobuf",
        ),
        raw(
            "trunc_header_only",
            "cut where the graph starts",
            good[..header_len].to_vec(),
            "no graph",
        ),
        raw(
            "trailing_garbage",
            "a model followed by 64 random bytes",
            garbage_tail,
            "protobuf",
        ),
        raw(
            "huge_length_prefix",
            "a graph field claiming 2^62 bytes",
            huge_len,
            "protobuf",
        ),
        raw(
            "nesting_200",
            "graphs nested 200 deep in attributes",
            nested_graph(200),
            "protobuf",
        ),
        case(
            "ir_version_0",
            "no ir_version (0)",
            &base().ir(None),
            "ir_version",
        ),
        case(
            "ir_version_negative",
            "ir_version -1",
            &base().ir(Some(-1)),
            "ir_version",
        ),
        case(
            "ir_version_future",
            "ir_version 1000",
            &base().ir(Some(1000)),
            "ir_version",
        ),
        case("no_opset", "no opset import", &base().opsets(&[]), "opset"),
        case(
            "only_custom_opset",
            "an opset import for a custom domain only",
            &base().opsets(&[("com.example", 1)]),
            "opset",
        ),
        case(
            "conflicting_opsets",
            "opsets 13 and 11 for the default domain",
            &base().opsets(&[("", 13), ("", 11)]),
            "opset",
        ),
        case(
            "conflicting_opset_aliases",
            "opset 13 for \"\" and 9 for \"ai.onnx\"",
            &base().opsets(&[("", 13), ("ai.onnx", 9)]),
            "opset",
        ),
        case(
            "opset_0",
            "default-domain opset 0",
            &base().opsets(&[("", 0)]),
            "opset",
        ),
        case(
            "opset_negative",
            "opset -5",
            &base().opsets(&[("", -5)]),
            "opset",
        ),
        case(
            "opset_future",
            "opset 10000",
            &base().opsets(&[("", 10000)]),
            "opset",
        ),
    ]
}
