//! Where reports go, and the lines every report starts with (date, commit, machine).

use std::path::PathBuf;
use std::process::Command;

/// `docs/bench/` of the repository.
pub fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/bench")
}

/// `../shared/models` beside the repository.
pub fn shared_models() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/models")
}

/// Trimmed stdout of a command, empty if it fails.
pub fn sh(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// A git command run in this repository (wherever the binary is started from).
pub fn git(args: &[&str]) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut all = vec!["-C", root.to_str().unwrap_or(".")];
    all.extend_from_slice(args);
    sh("git", &all)
}

/// Date, commit and machine, as markdown list items.
pub fn header() -> String {
    let cpu = sh("sh", &["-c", "lscpu | sed -n 's/^Model name: *//p'"]);
    let mem = sh("sh", &["-c", "free -g | awk '/^Mem:/ {print $2}'"]);
    // The reports themselves (docs/) do not make the measured code dirty.
    let status = [
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":!docs",
    ];
    let dirty = if git(&status).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    let mut s = String::new();
    s += &format!("- Date: {}\n", sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"]));
    s += &format!(
        "- Commit: `{}`{dirty}\n",
        git(&["rev-parse", "--short", "HEAD"])
    );
    s += &format!(
        "- Machine: {} cores, {cpu}, {mem} GiB; `-C target-cpu=native`; load average at the end: {}\n",
        sh("nproc", &[]),
        sh("sh", &["-c", "cut -d' ' -f1-3 /proc/loadavg"]),
    );
    s
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(640), "640");
        assert_eq!(super::thousands(6_464), "6,464");
        assert_eq!(super::thousands(134_299_648), "134,299,648");
    }
}
