//! A corpus of malformed and hostile ONNX models (docs/hostile-input.md): each one, given to
//! `zkinfer inspect` and to `zkinfer setup`, must be refused with exit status 2 and a message naming
//! the problem, without a panic or an abort, within 20 s and a 4 GiB address space.
//!
//! The binary runs under `RLIMIT_AS` = 4 GiB, so a model that makes the importer allocate absurd
//! amounts fails the test (an abort on a failed allocation) instead of stalling the machine.
//! `ZKINFER_CORPUS_REPORT=FILE` writes every case's outcome as a Markdown table (for the docs).

mod common;
#[path = "malformed_onnx/corpus/mod.rs"]
mod corpus;

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use corpus::Case;

/// Wall-clock limit of one run.
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// Address-space limit of one run.
const MEMORY_LIMIT: u64 = 4 << 30;

/// What one run of the binary did.
struct Outcome {
    /// Exit status, or `None` when killed by a signal (an abort) or by the time limit.
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    stderr: String,
    secs: f64,
}

/// Runs `zkinfer args` under the memory limit, killing it after the time limit.
fn run_limited(args: &[&str], dir: &Path) -> Outcome {
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zkinfer"));
    cmd.args(args)
        .stdin(Stdio::null())
        // Files, not pipes: a huge message must not block the child on a full pipe.
        .stdout(File::create(&out).expect("stdout file"))
        .stderr(File::create(&err).expect("stderr file"));
    // SAFETY: `setrlimit` is async-signal-safe and touches nothing of the parent's.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn zkinfer");
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    use std::os::unix::process::ExitStatusExt;
    let bytes = std::fs::read(&err).unwrap_or_default();
    Outcome {
        code: status.code(),
        signal: status.signal(),
        timed_out,
        stderr: String::from_utf8_lossy(&bytes).into_owned(),
        secs: start.elapsed().as_secs_f64(),
    }
}

/// The first line of stderr, shortened (some messages quote megabytes of names).
fn headline(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").replace('|', "\\|");
    let short: String = line.chars().take(240).collect();
    if short.len() < line.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Why `o` fails the case, or `None` when it passes.
fn verdict(case: &Case, o: &Outcome) -> Option<String> {
    if o.timed_out {
        return Some(format!("over the {TIME_LIMIT:?} limit"));
    }
    if let Some(sig) = o.signal {
        return Some(format!(
            "killed by signal {sig} (abort?): {}",
            headline(&o.stderr)
        ));
    }
    if o.stderr.contains("panicked") {
        return Some(format!("panicked: {}", headline(&o.stderr)));
    }
    if o.code != Some(2) {
        return Some(format!("exit {:?}: {}", o.code, headline(&o.stderr)));
    }
    if !o
        .stderr
        .to_lowercase()
        .contains(&case.needle.to_lowercase())
    {
        return Some(format!(
            "message lacks {:?}: {}",
            case.needle,
            headline(&o.stderr)
        ));
    }
    None
}

fn status(o: &Outcome) -> String {
    match (o.timed_out, o.signal, o.code) {
        (true, _, _) => "timeout".into(),
        (_, Some(6), _) => "abort (SIGABRT)".into(),
        (_, Some(s), _) => format!("signal {s}"),
        (_, _, Some(101)) => "101 (panic)".into(),
        (_, _, Some(c)) if o.stderr.contains("panicked") => format!("{c} (panic caught)"),
        (_, _, Some(c)) => c.to_string(),
        _ => "?".into(),
    }
}

#[test]
fn every_malformed_model_is_refused_with_a_named_problem() {
    let cases = corpus::all();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "case {} twice", c.name);
    }
    let dir = common::scratch("malformed");
    let start = Instant::now();
    let mut failures = vec![];
    let mut rows = vec![];
    for case in &cases {
        let m = common::write(&dir, "m.onnx", &case.bytes);
        let cal: Vec<String> = (0..case.cal_len)
            .map(|i| format!("{}", (i % 7) as f32 * 0.25 - 0.5))
            .collect();
        let c = common::write(
            &dir,
            "cal.json",
            format!("{{\"input_data\": [[{}]]}}", cal.join(", ")),
        );
        let keys = dir.join("keys").display().to_string();
        let inspect = run_limited(&["inspect", &m], &dir);
        // --force: a case whose setup wrongly succeeds must not turn the next ones into "keys exist".
        let setup = run_limited(
            &["setup", &m, "--calibration", &c, "--out", &keys, "--force"],
            &dir,
        );
        let mut passed = vec![];
        for (cmd, o) in [("inspect", &inspect), ("setup", &setup)] {
            let why = verdict(case, o);
            passed.push(if why.is_none() { "pass" } else { "FAIL" });
            if let Some(why) = why {
                failures.push(format!("{} / {cmd}: {why}", case.name));
            }
        }
        rows.push(format!(
            "| `{}` | {} | {} | {} | {} | {:.2} | {} |",
            case.name,
            case.what,
            status(&inspect),
            status(&setup),
            passed.join(" / "),
            inspect.secs.max(setup.secs),
            headline(&setup.stderr.replace(&m, "m.onnx"))
        ));
    }
    if let Ok(path) = std::env::var("ZKINFER_CORPUS_REPORT") {
        let mut t = String::from(
            "| case | model | inspect | setup | verdict | max s | setup's message |\n|---|---|---|---|---|---:|---|\n",
        );
        t.push_str(&rows.join("\n"));
        t.push('\n');
        std::fs::write(path, t).expect("write report");
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "{} cases, {} runs in {:.1} s",
        cases.len(),
        2 * cases.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        2 * cases.len(),
        failures.join("\n")
    );
}
