//! `zkinfer inspect MODEL.onnx`

use std::path::PathBuf;

use anyhow::Context;

/// Arguments of `inspect`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ONNX model.
    pub model: PathBuf,
    /// One JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let typed = zkinfer_onnx::load_typed(&a.model)
        .with_context(|| format!("inspecting {}", a.model.display()))?;
    let nodes = zkinfer_onnx::describe(&typed);
    let issues = zkinfer_onnx::unsupported_nodes(&typed);
    let params: usize = nodes.iter().map(|n| n.params).sum();
    let macs: usize = nodes.iter().map(|n| n.macs).sum();
    if a.json {
        let v = serde_json::json!({
            "ok": true,
            "model": a.model.display().to_string(),
            "nodes": nodes,
            "params": params,
            "macs": macs,
            "unsupported": issues,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("{}", a.model.display());
    println!(
        "{:<4} {:<36} {:<14} {:<18} {:>9} {:>10}  status",
        "#", "node", "op", "shape", "params", "MACs"
    );
    for (i, n) in nodes.iter().enumerate() {
        let status = match issues.iter().find(|x| x.node == n.name) {
            Some(_) => "UNSUPPORTED",
            None => "ok",
        };
        let shape = format!("{:?}", n.shape);
        println!(
            "{i:<4} {:<36} {:<14} {shape:<18} {:>9} {:>10}  {status}",
            n.name, n.op, n.params, n.macs
        );
    }
    println!(
        "total: {} nodes, {params} parameters, {macs} MACs",
        nodes.len()
    );
    if issues.is_empty() {
        println!("all operators supported");
    } else {
        println!("unsupported ({}):", issues.len());
        for x in &issues {
            println!("  {}: {}", x.node, x.reason);
        }
    }
    Ok(())
}
