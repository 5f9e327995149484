//! `zkinfer conformance DIR`: the coverage report over a folder of models: whether each imports,
//! quantizes and evaluates, and whether it proves in each mode. `--ops` prints the operator table
//! of docs/ops.md instead. Both tables are kept in the docs verbatim (`tests/conformance_docs.rs`).

mod ops;
mod proving;

use std::fmt::Write;
use std::path::PathBuf;

pub use ops::ops_table;
pub use proving::{ProvingRow, prove_cases};

/// Arguments of `conformance`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with one sub-folder per model (network.onnx, input.json).
    #[arg(required_unless_present = "ops")]
    pub dir: Option<PathBuf>,
    /// Print the operator table (docs/ops.md: what each ONNX operator lowers to, whether it
    /// evaluates and proves in each mode) instead of running models.
    #[arg(long, conflicts_with = "dir")]
    pub ops: bool,
    /// JSON rows instead of Markdown.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let dir = match (&a.dir, a.ops) {
        (Some(dir), false) => dir,
        _ => {
            let table = ops_table();
            if a.json {
                println!("{}", serde_json::to_string_pretty(&table)?);
            } else {
                print!("{}", ops::markdown(&table));
            }
            return Ok(());
        }
    };
    let rows = prove_cases(zkinfer_onnx::conformance_cases(dir)?);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", markdown(&rows)?);
    }
    Ok(())
}

/// The table of docs/conformance.md, with its summary line.
fn markdown(rows: &[ProvingRow]) -> anyhow::Result<String> {
    let count = |f: fn(&ProvingRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let ok = count(|r| r.eval.status == "ok");
    let plain = count(|r| r.proves_plain);
    let zk = count(|r| r.proves_zk);
    let mut s = String::new();
    writeln!(
        s,
        "{ok} of {} models import, quantize and evaluate; {plain} prove plain (`setup --no-zk`) \
         and {zk} prove in zero knowledge (the default).\n",
        rows.len()
    )?;
    writeln!(
        s,
        "| model | evaluates | proves plain | proves zk | reason | act bits | IR nodes | max abs err vs float | max abs float | max abs err vs output_data |"
    )?;
    writeln!(s, "|---|---|---|---|---|---:|---:|---:|---:|---:|")?;
    let f = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v:.4}"));
    let yes = |b: bool| if b { "yes" } else { "no" };
    for r in rows {
        let reason = r
            .reason()
            .map(|x| x.replace('|', "\\|").replace('\n', " "))
            .unwrap_or_default();
        let e = &r.eval;
        let bits = e.act_bits.map_or(String::new(), |b| b.to_string());
        let nodes = e.nodes.map_or(String::new(), |b| b.to_string());
        writeln!(
            s,
            "| {} | {} | {} | {} | {reason} | {bits} | {nodes} | {} | {} | {} |",
            e.name,
            yes(e.status == "ok"),
            yes(r.proves_plain),
            yes(r.proves_zk),
            f(e.max_abs_error),
            f(e.max_abs_float),
            f(e.vs_output_data)
        )?;
    }
    Ok(s)
}
