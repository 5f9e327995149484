//! `zkinfer conformance DIR`: the coverage report over a folder of models.

use std::fmt::Write;
use std::path::PathBuf;

/// Arguments of `conformance`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with one sub-folder per model (network.onnx, input.json).
    pub dir: PathBuf,
    /// JSON rows instead of Markdown.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let rows = zkinfer_onnx::run_conformance(&a.dir)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let ok = rows.iter().filter(|r| r.status == "ok").count();
    let mut s = String::new();
    writeln!(
        s,
        "{ok} of {} models import, quantize and evaluate.\n",
        rows.len()
    )?;
    writeln!(
        s,
        "| model | result | act bits | IR nodes | max abs err vs float | max abs float | max abs err vs output_data |"
    )?;
    writeln!(s, "|---|---|---:|---:|---:|---:|---:|")?;
    let f = |x: Option<f64>| x.map_or("".to_string(), |v| format!("{v:.4}"));
    for r in &rows {
        let result = match &r.reason {
            Some(reason) => format!("refused: {}", reason.replace('|', "\\|").replace('\n', " ")),
            None => "ok".into(),
        };
        let bits = r.act_bits.map_or(String::new(), |b| b.to_string());
        let nodes = r.nodes.map_or(String::new(), |b| b.to_string());
        writeln!(
            s,
            "| {} | {result} | {bits} | {nodes} | {} | {} | {} |",
            r.name,
            f(r.max_abs_error),
            f(r.max_abs_float),
            f(r.vs_output_data)
        )?;
    }
    print!("{s}");
    Ok(())
}
