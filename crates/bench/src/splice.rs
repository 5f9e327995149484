//! Keeps BENCHMARKS.md's generated blocks current: the text between `<!-- bench:NAME:begin -->` and
//! `<!-- bench:NAME:end -->` is replaced by a fresh report, the hand-written text around it is kept.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// The repository's BENCHMARKS.md.
pub fn benchmarks_md() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../BENCHMARKS.md")
}

/// `doc` with block `name` replaced by `body`.
pub fn splice(doc: &str, name: &str, body: &str) -> Result<String> {
    let begin = format!("<!-- bench:{name}:begin -->");
    let end = format!("<!-- bench:{name}:end -->");
    let (Some(b), Some(e)) = (doc.find(&begin), doc.find(&end)) else {
        bail!("BENCHMARKS.md has no {begin} ... {end} block");
    };
    if e < b {
        bail!("BENCHMARKS.md: {end} comes before {begin}");
    }
    let head = &doc[..b + begin.len()];
    let tail = &doc[e..];
    Ok(format!("{head}\n{}\n{tail}", body.trim_end()))
}

/// Replaces block `name` of the file at `path` by `body`.
pub fn splice_file(path: &Path, name: &str, body: &str) -> Result<()> {
    let doc =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let out = splice(&doc, name, body)?;
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_named_block() {
        let doc = "intro\n<!-- bench:a:begin -->\nold\n<!-- bench:a:end -->\nmid\n<!-- bench:b:begin -->\nkeep\n<!-- bench:b:end -->\n";
        let out = splice(doc, "a", "new\n").unwrap();
        assert_eq!(
            out,
            "intro\n<!-- bench:a:begin -->\nnew\n<!-- bench:a:end -->\nmid\n<!-- bench:b:begin -->\nkeep\n<!-- bench:b:end -->\n"
        );
        // Idempotent.
        assert_eq!(splice(&out, "a", "new").unwrap(), out);
    }

    #[test]
    fn benchmarks_md_has_the_e2e_and_zk_blocks() {
        let doc = std::fs::read_to_string(benchmarks_md()).unwrap();
        assert!(splice(&doc, "e2e", "x").is_ok());
        assert!(splice(&doc, "zk", "x").is_ok());
    }

    #[test]
    fn a_missing_or_reversed_block_is_an_error() {
        assert!(splice("no markers", "a", "x").is_err());
        assert!(splice("<!-- bench:a:end --> <!-- bench:a:begin -->", "a", "x").is_err());
    }
}
