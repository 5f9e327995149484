//! The honest files the mutations start from: a bundled fixture, set up in both modes, and its
//! bundled input proven three ways (plain, zero-knowledge with a public input,
//! zero-knowledge with a private input, whose opening is kept too), each as the bytes the CLI
//! writes.

use std::path::PathBuf;

use zkinfer_ir::{QModel, quantize_value};
use zkinfer_onnx::{parse_input_file, prepare};
use zkinfer_protocol::{
    InputOpening, Proof, ProofFile, ProofMode, ProverKey, VerifierKey, prove, prove_zk_with, setup,
};

/// The fixtures the files are made from (fixtures/models): three dense layers with ReLUs, and two
/// convolutions with average and max pooling.
pub const FIXTURES: [&str; 2] = ["digits_mlp_small", "digits_cnn_small"];

/// One mode's key pair, decoded and as file bytes.
#[derive(Clone)]
pub struct Keys {
    pub pk: ProverKey,
    pub vk: VerifierKey,
    pub pk_bytes: Vec<u8>,
    pub vk_bytes: Vec<u8>,
}

/// A proof file, decoded and as bytes.
#[derive(Clone)]
pub struct ProofBytes {
    pub file: ProofFile,
    pub bytes: Vec<u8>,
}

/// Everything the oracles compare a mutated file with.
#[derive(Clone)]
pub struct Corpus {
    /// The fixture's name.
    pub name: &'static str,
    /// `input.json` as bundled.
    pub input_json: Vec<u8>,
    /// Its quantized values (what the proofs are about).
    pub input: Vec<i64>,
    pub plain: Keys,
    pub zk: Keys,
    pub plain_proof: ProofBytes,
    pub zk_proof: ProofBytes,
    pub private_proof: ProofBytes,
    /// The private proof's input opening, decoded and as `prove --private-input` writes it.
    pub opening: InputOpening,
    pub opening_json: Vec<u8>,
}

fn fixture_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/models")
        .join(name)
}

/// The input as `zkinfer prove` and `verify --input` read it (`quantize_input_file` in the CLI):
/// one list of exactly the input's size, each value quantized at the input node's scale and bound;
/// where the CLI refuses the file, why (as the report names it).
pub fn quantize_json(model: &QModel, bytes: &[u8]) -> Result<Vec<i64>, &'static str> {
    let file = parse_input_file(bytes, "input.json").map_err(|_| "refused by the JSON reader")?;
    let wrong_shape = "refused: not one list of the input's size";
    let [id] = model.inputs[..] else {
        return Err(wrong_shape);
    };
    let node = model.nodes.get(id).ok_or(wrong_shape)?;
    match &file.input_data[..] {
        [values] if values.len() == model.len_of(id) => Ok(values
            .iter()
            .map(|&v| quantize_value(v as f64, node.scale, node.bound))
            .collect()),
        _ => Err(wrong_shape),
    }
}

fn keys(model: &QModel, mode: ProofMode) -> Keys {
    let (pk, vk) = setup(model.clone(), mode).expect("setup of the fixture");
    Keys {
        pk_bytes: pk.to_bytes(),
        vk_bytes: vk.to_bytes(),
        pk,
        vk,
    }
}

fn proof_file(pk: &ProverKey, output: Vec<i64>, proof: Proof) -> ProofBytes {
    let file = ProofFile {
        key_id: pk.key_id(),
        output,
        proof,
    };
    ProofBytes {
        bytes: file.to_bytes(),
        file,
    }
}

impl Corpus {
    /// Sets up, proves and encodes everything for fixture `name` (a second or two).
    pub fn build(name: &'static str) -> Self {
        let dir = fixture_dir(name);
        let prep = prepare(
            &dir.join("network.onnx"),
            &dir.join("calibration.json"),
            None,
        )
        .expect("the bundled fixture prepares");
        let plain = keys(&prep.qmodel, ProofMode::Plain);
        let zk = keys(&prep.qmodel, ProofMode::ZeroKnowledge);
        let input_json = std::fs::read(dir.join("input.json")).expect("input.json");
        let input = quantize_json(&plain.vk.architecture, &input_json).expect("input.json reads");
        let (out, p) = prove(&plain.pk, &input).expect("plain proof");
        let plain_proof = proof_file(&plain.pk, out, Proof::Plain(p));
        let z = prove_zk_with(&zk.pk, &input, false).expect("zk proof");
        let zk_proof = proof_file(&zk.pk, z.output, Proof::Zk(z.proof));
        let z = prove_zk_with(&zk.pk, &input, true).expect("private-input proof");
        let opening = z.opening.expect("an opening");
        let opening_json = serde_json::to_vec_pretty(&opening).expect("opening JSON");
        let private_proof = proof_file(&zk.pk, z.output, Proof::Zk(z.proof));
        Corpus {
            name,
            input_json,
            input,
            plain,
            zk,
            plain_proof,
            zk_proof,
            private_proof,
            opening,
            opening_json,
        }
    }
}
