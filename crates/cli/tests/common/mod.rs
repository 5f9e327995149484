//! Helpers for the end-to-end tests: the binary, scratch files, and a minimal ONNX (protobuf) writer to
//! build malformed models byte by byte.

#![allow(dead_code)]

pub mod onnx;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A finished command's standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit status, after checking the process did not panic.
pub fn status(o: &Output) -> i32 {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "zkinfer panicked: {err}");
    o.status.code().expect("exit status")
}

/// Runs the built `zkinfer` with `args`.
pub fn zkinfer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .args(args)
        .output()
        .expect("spawn zkinfer")
}

/// `<workspace>/../shared`, or `None` (with a notice) when absent.
pub fn shared() -> Option<PathBuf> {
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

/// `fixtures/models/<name>`: a trained model kept in the repository (fixtures/README.md), always
/// there, so tests on it never skip.
pub fn fixture(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/models")
        .join(name);
    assert!(
        dir.join("network.onnx").is_file(),
        "{} is missing: the fixtures are part of the repository (fixtures/README.md)",
        dir.display()
    );
    dir
}

/// A fresh scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zkinfer-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write scratch file");
    p.display().to_string()
}

fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn key(field: u32, wire: u32, out: &mut Vec<u8>) {
    varint(((field << 3) | wire) as u64, out);
}

/// Protobuf varint field.
pub fn f_int(field: u32, v: u64) -> Vec<u8> {
    let mut o = vec![];
    key(field, 0, &mut o);
    varint(v, &mut o);
    o
}

/// Protobuf length-delimited field.
pub fn f_bytes(field: u32, b: &[u8]) -> Vec<u8> {
    let mut o = vec![];
    key(field, 2, &mut o);
    varint(b.len() as u64, &mut o);
    o.extend_from_slice(b);
    o
}

/// A float tensor value-info `name` of `dims`.
pub fn value_info(name: &str, dims: &[u64]) -> Vec<u8> {
    let shape: Vec<u8> = dims
        .iter()
        .flat_map(|&d| f_bytes(1, &f_int(1, d)))
        .collect();
    let tensor_type = [f_int(1, 1), f_bytes(2, &shape)].concat();
    [
        f_bytes(1, name.as_bytes()),
        f_bytes(2, &f_bytes(1, &tensor_type)),
    ]
    .concat()
}

/// A float initializer.
pub fn initializer(name: &str, dims: &[u64], vals: &[f32]) -> Vec<u8> {
    let raw: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut o: Vec<u8> = dims.iter().flat_map(|&d| f_int(1, d)).collect();
    o.extend(f_int(2, 1));
    o.extend(f_bytes(8, name.as_bytes()));
    o.extend(f_bytes(9, &raw));
    o
}

/// A node `op(inputs) -> output` named `name`.
pub fn node(op: &str, name: &str, inputs: &[&str], output: &str) -> Vec<u8> {
    let mut o: Vec<u8> = inputs
        .iter()
        .flat_map(|i| f_bytes(1, i.as_bytes()))
        .collect();
    o.extend(f_bytes(2, output.as_bytes()));
    o.extend(f_bytes(3, name.as_bytes()));
    o.extend(f_bytes(4, op.as_bytes()));
    o
}

/// A model (opset 13) from nodes, initializers, inputs and outputs.
pub fn model(
    nodes: &[Vec<u8>],
    inits: &[Vec<u8>],
    inputs: &[Vec<u8>],
    outputs: &[Vec<u8>],
) -> Vec<u8> {
    let mut g = vec![];
    for n in nodes {
        g.extend(f_bytes(1, n));
    }
    g.extend(f_bytes(2, b"g"));
    for i in inits {
        g.extend(f_bytes(5, i));
    }
    for i in inputs {
        g.extend(f_bytes(11, i));
    }
    for o in outputs {
        g.extend(f_bytes(12, o));
    }
    let opset = [f_bytes(1, b""), f_int(2, 13)].concat();
    [f_int(1, 7), f_bytes(8, &opset), f_bytes(7, &g)].concat()
}

/// `y = x @ W` with `x: [1, k]`, `W: [k, n]`.
pub fn matmul_model(k: u64, n: u64, w: &[f32]) -> Vec<u8> {
    model(
        &[node("MatMul", "mm", &["x", "W"], "y")],
        &[initializer("W", &[k, n], w)],
        &[value_info("x", &[1, k])],
        &[value_info("y", &[1, n])],
    )
}
