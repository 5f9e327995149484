//! Files near their caps are refused within a memory bound (docs/hostile-input.md, "Hostile
//! files"): the child's peak resident set, from `wait4`, stays under 100 MB where a generic JSON
//! value once took ~9x the file (585 MB for this 64 MiB input) and a verifier key cap of 256 MiB
//! let a file of zeros be read whole.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

const PEAK_LIMIT_MB: i64 = 100;

/// Runs `zkinfer args`; returns its exit status, peak RSS in MB, wall time and stderr.
// The child is reaped by `wait4` (which also reports its peak), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_measured(args: &[&str]) -> (Option<i32>, i64, Duration, String) {
    let dir = scratch(&format!("measured-{}", args[0]));
    let err_path = dir.join("stderr");
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("spawn zkinfer");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; the pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let err = std::fs::read_to_string(&err_path).unwrap_or_default();
    // ru_maxrss is in KiB on Linux.
    (code, usage.ru_maxrss / 1024, start.elapsed(), err)
}

fn assert_bounded_refusal(args: &[&str], needle: &str) {
    let (code, peak_mb, wall, err) = run_measured(args);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: stderr lacks {needle:?}: {err}"
    );
    assert!(
        peak_mb < PEAK_LIMIT_MB,
        "{args:?}: peak {peak_mb} MB, over {PEAK_LIMIT_MB} MB"
    );
    // Generous for a loaded CI machine; about 0.4 s on the development machine.
    assert!(wall < Duration::from_secs(10), "{args:?}: took {wall:?}");
}

/// An unterminated list of `0.5` just under the 64 MiB JSON cap: every number is valid, so a
/// parser that keeps what it reads holds all 16 million before it finds the error. Written in
/// small chunks: the child's `ru_maxrss` may count the parent's resident set at spawn.
fn near_cap_json(dir: &Path) -> String {
    use std::io::Write;
    let head = br#"{"input_data": [["#;
    let n = (zkinfer_onnx::MAX_JSON_BYTES as usize - 64 - head.len()) / 4;
    let path = dir.join("near_cap.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    f.write_all(head).unwrap();
    let chunk = b"0.5,".repeat(1 << 14);
    for _ in 0..n / (1 << 14) {
        f.write_all(&chunk).unwrap();
    }
    f.flush().unwrap();
    path.display().to_string()
}

#[cfg(target_os = "linux")]
#[test]
fn json_files_near_the_cap_are_refused_within_100_mb() {
    let dir = scratch("near-cap");
    let json = near_cap_json(&dir);
    let fx = fixture("digits_mlp_small");
    let (model, cal) = (fx.join("network.onnx"), fx.join("calibration.json"));
    let (model, cal) = (model.to_str().unwrap(), cal.to_str().unwrap());
    let keys = dir.join("keys");
    let keys = keys.to_str().unwrap();
    let out = zkinfer(&["setup", model, "--calibration", cal, "--out", keys]);
    assert!(out.status.success(), "{out:?}");
    // The calibration budget (2^23 numbers) stops the read; the input budget is the model's 64.
    assert_bounded_refusal(
        &[
            "setup",
            model,
            "--calibration",
            &json,
            "--out",
            keys,
            "--force",
        ],
        "too many numbers",
    );
    let proof = dir.join("p").display().to_string();
    assert_bounded_refusal(
        &["prove", keys, "--input", &json, "--out", &proof],
        "the model's input takes 64",
    );
    // A test set skips the unknown field without keeping it, then finds the file cut short.
    assert_bounded_refusal(
        &["accuracy", model, "--calibration", cal, "--test-set", &json],
        "EOF while parsing",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn key_files_of_zeros_are_refused_unread() {
    let dir = scratch("zero-keys");
    // Sparse files: no disk written. 200 MiB was under the old key cap of 256 MiB.
    let zeros = dir.join("zeros");
    std::fs::File::create(&zeros)
        .and_then(|f| f.set_len(200 << 20))
        .unwrap();
    let z = zeros.to_str().unwrap();
    assert_bounded_refusal(&["verify", z, z], "over the 16777216-byte cap");
    // Under the 64 MiB prover key cap: refused by its header, before the rest is read.
    let pk_dir = dir.join("pk");
    std::fs::create_dir_all(&pk_dir).unwrap();
    std::fs::File::create(pk_dir.join("prover.key"))
        .and_then(|f| f.set_len(60 << 20))
        .unwrap();
    let fx = fixture("digits_mlp_small").join("input.json");
    let out = dir.join("p").display().to_string();
    assert_bounded_refusal(
        &[
            "prove",
            pk_dir.to_str().unwrap(),
            "--input",
            fx.to_str().unwrap(),
            "--out",
            &out,
        ],
        "not a prover key file",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
