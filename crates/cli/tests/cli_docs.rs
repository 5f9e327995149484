//! docs/cli.md documents every subcommand and every flag the binary defines, read from clap's own
//! help (so a flag added without documentation fails here).

mod common;

use std::path::PathBuf;

use common::zkinfer;

fn help(args: &[&str]) -> String {
    let o = zkinfer(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The first word of each line of the `Commands:` section (clap's layout).
fn subcommands() -> Vec<String> {
    let text = help(&["--help"]);
    text.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

/// The long flags of a subcommand's `Options:` section, without `--help` and `--version`.
fn flags(cmd: &str) -> Vec<String> {
    help(&[cmd, "--help"])
        .lines()
        .skip_while(|l| !l.starts_with("Options:"))
        .filter(|l| l.trim_start().starts_with('-'))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .map(|w| w.trim_end_matches(',').to_string())
        .filter(|f| f != "--help" && f != "--version")
        .collect()
}

#[test]
fn cli_md_names_every_subcommand_and_flag() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md"),
    )
    .expect("docs/cli.md");
    let cmds = subcommands();
    assert!(cmds.len() >= 9, "{cmds:?}");
    let mut missing = vec![];
    for cmd in &cmds {
        // A heading per subcommand: "### `zkinfer CMD ...`", listing its flags.
        let heads: Vec<&str> = doc
            .lines()
            .filter(|l| l.starts_with(&format!("### `zkinfer {cmd}")))
            .collect();
        if heads.is_empty() {
            missing.push(format!("a heading for `zkinfer {cmd}`"));
        }
        for flag in flags(cmd) {
            if !heads.iter().any(|h| {
                h.contains(&format!("{flag} "))
                    || h.contains(&format!("{flag}]"))
                    || h.contains(&format!("{flag}`"))
            }) {
                missing.push(format!("`zkinfer {cmd}` heading lacks {flag}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/cli.md: {missing:#?}");
}

#[test]
fn cli_md_states_the_format_version_and_the_default_mode() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md"),
    )
    .expect("docs/cli.md");
    let v = zkinfer_protocol::FORMAT_VERSION;
    assert!(
        doc.contains(&format!("currently `{v}`")) && doc.contains(&format!("the current one, {v}")),
        "docs/cli.md does not state format version {v}"
    );
    assert!(doc.contains("zero knowledge, **the default**"));
}
