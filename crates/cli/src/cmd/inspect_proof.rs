//! What `zkinfer inspect` says about proving: the model is quantized (on its calibration, or on a
//! synthetic one), then checked as `setup` checks it in each mode, and each planner refusal is
//! traced back to the ONNX node it came from.

use std::path::Path;

use serde::Serialize;
use zkinfer_ir::QModel;
use zkinfer_protocol::{ProofMode, check_provable, node_refusals};

/// Synthetic calibration samples when none is given: values spread over `[-1, 1]`.
const SYNTHETIC_SAMPLES: usize = 4;

/// Whether the model proves, per mode, and which nodes refuse.
#[derive(Clone, Debug, Serialize)]
pub struct ProofReport {
    /// Quantizes and evaluates (every operator has an integer lowering).
    pub evaluates: bool,
    /// `setup --no-zk`'s checks pass.
    pub proves_plain: bool,
    /// `setup`'s checks pass in zero knowledge (the default mode).
    pub proves_zk: bool,
    /// Why not plain.
    pub plain_refusal: Option<String>,
    /// Why not zero knowledge.
    pub zk_refusal: Option<String>,
    /// Refusals traced to ONNX nodes (in `--json`, on each node).
    #[serde(skip)]
    pub nodes: Vec<NodeRefusal>,
    /// Where the quantization's bounds came from: the calibration file, or "synthetic".
    pub calibration: String,
}

/// A refusal of one ONNX node's lowering.
#[derive(Clone, Debug)]
pub struct NodeRefusal {
    /// The tract node.
    pub node: String,
    /// In both modes (a planner refusal), or only in zero knowledge.
    pub zk_only: bool,
    /// The prover's message.
    pub reason: String,
}

impl ProofReport {
    /// The refusal of `node` (a tract node name), if any.
    pub fn refusal(&self, node: &str) -> Option<&NodeRefusal> {
        self.nodes.iter().find(|r| r.node == node)
    }
}

/// Quantizes `typed` and checks it in both modes. `evaluates` is false, and nothing proves, when
/// the quantizer refuses an operator (`issues`) or the model as a whole.
pub fn check(
    path: &Path,
    calibration: Option<&Path>,
    node_names: &[String],
    evaluates: bool,
) -> ProofReport {
    let source = calibration.map_or("synthetic".to_string(), |c| c.display().to_string());
    let refused = |why: String| ProofReport {
        evaluates: false,
        proves_plain: false,
        proves_zk: false,
        plain_refusal: Some(why.clone()),
        zk_refusal: Some(why),
        nodes: vec![],
        calibration: source.clone(),
    };
    if !evaluates {
        return refused("it does not evaluate (unsupported operators above)".into());
    }
    let model = match quantize(path, calibration) {
        Ok(m) => m,
        Err(e) => return refused(format!("quantization: {e:#}")),
    };
    let plain = check_provable(&model, ProofMode::Plain).err();
    let zk = check_provable(&model, ProofMode::ZeroKnowledge).err();
    let mut nodes: Vec<NodeRefusal> = node_refusals(&model)
        .into_iter()
        .filter_map(|r| {
            Some(NodeRefusal {
                node: onnx_node(r.node.as_deref()?, node_names)?.to_string(),
                zk_only: false,
                reason: r.reason,
            })
        })
        .collect();
    if let (None, Some(e)) = (&plain, &zk) {
        // A zero-knowledge refusal names its IR node in parentheses: `node 3 (name): ...`.
        let msg = e.to_string();
        let ir = msg.split_once('(').and_then(|(_, r)| r.split_once("):"));
        if let Some(node) = ir.and_then(|(name, _)| onnx_node(name, node_names)) {
            nodes.push(NodeRefusal {
                node: node.to_string(),
                zk_only: true,
                reason: msg.clone(),
            });
        }
    }
    ProofReport {
        evaluates: true,
        proves_plain: plain.is_none(),
        proves_zk: zk.is_none(),
        plain_refusal: plain.map(|e| e.to_string()),
        zk_refusal: zk.map(|e| e.to_string()),
        nodes,
        calibration: source,
    }
}

/// The model quantized as `setup` would (automatic widths), on `calibration` or synthetic samples.
fn quantize(path: &Path, calibration: Option<&Path>) -> anyhow::Result<QModel> {
    if let Some(cal) = calibration {
        return Ok(zkinfer_onnx::prepare(path, cal, None)?.qmodel);
    }
    let typed = zkinfer_onnx::load_typed(path)?;
    let float = zkinfer_onnx::FloatRunner::new(&typed)?;
    let lens = float.input_lens();
    let samples: Vec<Vec<Vec<f32>>> = (0..SYNTHETIC_SAMPLES)
        .map(|s| {
            lens.iter()
                .map(|&n| {
                    (0..n)
                        .map(|i| ((i * 7919 + s * 104_729) % 2001) as f32 / 1000.0 - 1.0)
                        .collect()
                })
                .collect()
        })
        .collect();
    let prep = zkinfer_onnx::prepare_with_samples(path, typed, float, &samples, None)?;
    Ok(prep.qmodel)
}

/// The ONNX (tract) node an IR node comes from: the quantizer names IR nodes after the tract node,
/// alone or with a `/part` suffix, so the longest tract name the IR name extends.
fn onnx_node<'a>(ir: &str, names: &'a [String]) -> Option<&'a str> {
    names
        .iter()
        .filter(|n| {
            ir == n.as_str() || (ir.starts_with(n.as_str()) && ir[n.len()..].starts_with('/'))
        })
        .max_by_key(|n| n.len())
        .map(String::as_str)
}
