//! Setup: the weight commitment and the two keys.

use serde::{Deserialize, Serialize};
use zkinfer_field::{F, encode_signed};
use zkinfer_ir::{Op, QModel};
use zkinfer_pcs::{Commitment, Pcs, ProverData};
use zkinfer_transcript::{Statement, Transcript};

use crate::plan::{Plan, WeightSource};
use crate::zk::weights::{DIGEST_LEN, SALT_LEN, WeightTree};
use crate::{ProtocolError, pcs_params};

/// Which kind of proof a key pair serves. Setup chooses it: a zero-knowledge key must not carry
/// the plain weight commitment, which is deterministic in the weights (anyone could test a guess
/// of them against it), so one key pair cannot serve both kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProofMode {
    /// Plain proofs ([`crate::prove`], [`crate::verify`]): the weights are bound by a WHIR
    /// commitment, and not hidden.
    Plain,
    /// Zero-knowledge proofs ([`crate::prove_zk`], [`crate::verify_zk`]): the weights are bound by
    /// a salted digest, and hidden.
    ZeroKnowledge,
}

impl ProofMode {
    /// Whether this is [`ProofMode::ZeroKnowledge`].
    pub fn zero_knowledge(self) -> bool {
        self == Self::ZeroKnowledge
    }
}

impl std::fmt::Display for ProofMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Plain => "plain",
            Self::ZeroKnowledge => "zero-knowledge",
        })
    }
}

/// How a prover key binds its weights: what its mode's prover needs, and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProverBinding {
    /// The weight commitment made at setup (plain proofs open it).
    Plain {
        /// `Commit(W)`, deterministic in the weights.
        weight_commitment: Commitment,
    },
    /// The salted digest (zero-knowledge proofs prove that their copy of the weights hashes to it).
    ZeroKnowledge {
        /// The secret salt (`zk::weights`).
        weight_salt: [F; SALT_LEN],
        /// `Poseidon2-Merkle(weights, salt)`.
        weight_digest: [F; DIGEST_LEN],
    },
}

/// How a verifier key binds the weights. A zero-knowledge key holds the salted digest only: no
/// value in it is a deterministic function of the weights (docs/security.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WeightBinding {
    /// The weight commitment (plain proofs); it does not hide the weights.
    Plain {
        /// `Commit(W)`.
        weight_commitment: Commitment,
    },
    /// The salted Poseidon2 digest of the weights (zero-knowledge proofs): it hides them.
    ZeroKnowledge {
        /// `Poseidon2-Merkle(weights, salt)`.
        weight_digest: [F; DIGEST_LEN],
    },
}

/// What the prover keeps private: the quantized model with its weights, and its mode's binding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProverKey {
    /// The quantized model.
    pub model: QModel,
    /// The weight commitment (plain) or the salt and digest (zero knowledge).
    pub binding: ProverBinding,
}

/// What anyone may hold: the architecture and quantization parameters (no weights), the model
/// hash and the weight binding of the key's mode. Security parameters are not in the key: the
/// verifier fixes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifierKey {
    /// The model with every weight removed.
    pub architecture: QModel,
    /// `model_hash(architecture)`.
    pub model_hash: [u8; 32],
    /// The weight commitment (plain) or the salted digest (zero knowledge).
    pub binding: WeightBinding,
}

fn wrong_mode(key: ProofMode, wanted: ProofMode) -> ProtocolError {
    ProtocolError::WrongMode { key, wanted }
}

impl ProverKey {
    /// The kind of proof this key makes.
    pub fn mode(&self) -> ProofMode {
        match self.binding {
            ProverBinding::Plain { .. } => ProofMode::Plain,
            ProverBinding::ZeroKnowledge { .. } => ProofMode::ZeroKnowledge,
        }
    }

    /// The weight commitment, or [`ProtocolError::WrongMode`] for a zero-knowledge key.
    pub fn weight_commitment(&self) -> Result<&Commitment, ProtocolError> {
        match &self.binding {
            ProverBinding::Plain { weight_commitment } => Ok(weight_commitment),
            ProverBinding::ZeroKnowledge { .. } => Err(wrong_mode(self.mode(), ProofMode::Plain)),
        }
    }

    /// The salt and the digest, or [`ProtocolError::WrongMode`] for a plain key.
    pub fn weight_salt_and_digest(
        &self,
    ) -> Result<(&[F; SALT_LEN], &[F; DIGEST_LEN]), ProtocolError> {
        match &self.binding {
            ProverBinding::ZeroKnowledge {
                weight_salt,
                weight_digest,
            } => Ok((weight_salt, weight_digest)),
            ProverBinding::Plain { .. } => Err(wrong_mode(self.mode(), ProofMode::ZeroKnowledge)),
        }
    }
}

impl VerifierKey {
    /// The kind of proof this key checks.
    pub fn mode(&self) -> ProofMode {
        match self.binding {
            WeightBinding::Plain { .. } => ProofMode::Plain,
            WeightBinding::ZeroKnowledge { .. } => ProofMode::ZeroKnowledge,
        }
    }

    /// The weight commitment, or [`ProtocolError::WrongMode`] for a zero-knowledge key.
    pub fn weight_commitment(&self) -> Result<&Commitment, ProtocolError> {
        match &self.binding {
            WeightBinding::Plain { weight_commitment } => Ok(weight_commitment),
            WeightBinding::ZeroKnowledge { .. } => Err(wrong_mode(self.mode(), ProofMode::Plain)),
        }
    }

    /// The weight digest, or [`ProtocolError::WrongMode`] for a plain key.
    pub fn weight_digest(&self) -> Result<&[F; DIGEST_LEN], ProtocolError> {
        match &self.binding {
            WeightBinding::ZeroKnowledge { weight_digest } => Ok(weight_digest),
            WeightBinding::Plain { .. } => Err(wrong_mode(self.mode(), ProofMode::ZeroKnowledge)),
        }
    }
}

/// The model with every weight value removed (shapes stay): what the verifier may see.
pub fn strip_weights(model: &QModel) -> QModel {
    let mut m = model.clone();
    for node in &mut m.nodes {
        match &mut node.op {
            Op::Const { values } => values.clear(),
            Op::Dense { weight, .. } => weight.clear(),
            Op::Conv2d { weight, bias, .. } => {
                weight.clear();
                bias.clear();
            }
            _ => {}
        }
    }
    m
}

/// The weight tables in commitment order, padded as the plan lays them out.
pub(crate) fn weight_tables(model: &QModel, plan: &Plan) -> Result<Vec<Vec<F>>, ProtocolError> {
    let mut tables = vec![];
    for (col, src) in plan.weight_cols.iter().zip(&plan.weight_sources) {
        let mut t = vec![0i64; 1 << col.num_vars];
        let bad = |id: usize| {
            ProtocolError::Malformed(format!("node {id}: weights do not fit their shape"))
        };
        match *src {
            WeightSource::Const(id) => match &model.nodes[id].op {
                Op::Const { values } if values.len() <= t.len() => {
                    t[..values.len()].copy_from_slice(values)
                }
                _ => return Err(bad(id)),
            },
            WeightSource::DenseWeight(id) => match &model.nodes[id].op {
                Op::Dense {
                    weight,
                    in_features,
                    out_features,
                } if weight.len() == in_features * out_features => {
                    let k_pad = in_features.next_power_of_two();
                    for (n, row) in weight.chunks(*in_features).enumerate() {
                        t[n * k_pad..n * k_pad + in_features].copy_from_slice(row);
                    }
                }
                _ => return Err(bad(id)),
            },
            WeightSource::ConvWeight(id) => match &model.nodes[id].op {
                Op::Conv2d {
                    weight,
                    weight_shape: [o, c, kh, kw],
                    ..
                } if weight.len() == o * c * kh * kw => {
                    let k = c * kh * kw;
                    let k_pad = k.next_power_of_two();
                    for (oc, row) in weight.chunks(k).enumerate() {
                        t[oc * k_pad..oc * k_pad + k].copy_from_slice(row);
                    }
                }
                _ => return Err(bad(id)),
            },
            WeightSource::ConvBias(id) => match &model.nodes[id].op {
                Op::Conv2d { bias, .. } if bias.len() <= t.len() => {
                    t[..bias.len()].copy_from_slice(bias)
                }
                _ => return Err(bad(id)),
            },
        }
        let encoded = t
            .into_iter()
            .map(encode_signed)
            .collect::<Result<Vec<F>, _>>()
            .map_err(|e| ProtocolError::Malformed(format!("weight column {}: {e}", col.name)))?;
        tables.push(encoded);
    }
    Ok(tables)
}

/// Commits to the weights (deterministic: the same weights always give the same commitment).
pub(crate) fn commit_weights(
    model: &QModel,
    plan: &Plan,
) -> Result<(Commitment, ProverData), ProtocolError> {
    commit_tables(weight_tables(model, plan)?)
}

/// Commits to weight tables laid out by [`weight_tables`].
pub(crate) fn commit_tables(
    tables: Vec<Vec<F>>,
) -> Result<(Commitment, ProverData), ProtocolError> {
    // The setup transcript only feeds p3's commit; the proof transcript re-observes the root.
    let mut t = Transcript::new(&Statement::new("zkinfer/weights", crate::PROTOCOL_VERSION));
    Pcs::new(pcs_params())
        .commit(tables, &mut t)
        .map_err(|source| ProtocolError::Pcs {
            what: "weights",
            source,
        })
}

/// A uniformly random salt from the operating system's generator: the digest hides the weights
/// only if the salt is secret and unpredictable.
fn random_salt() -> Result<[F; SALT_LEN], ProtocolError> {
    use rand::rngs::{StdRng, SysRng};
    use rand::{RngExt, SeedableRng};
    let mut rng = StdRng::try_from_rng(&mut SysRng)
        .map_err(|e| ProtocolError::Zk(format!("operating-system randomness: {e}")))?;
    Ok(std::array::from_fn(|_| rng.random::<F>()))
}

/// The salted Poseidon2 Merkle digest of the weights (`zk::weights`).
pub(crate) fn weight_digest(
    model: &QModel,
    plan: &Plan,
    salt: &[F; SALT_LEN],
) -> Result<[F; DIGEST_LEN], ProtocolError> {
    let vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let leaves = WeightTree::new(&vars)?.leaves(&weight_tables(model, plan)?, salt)?;
    zkinfer_poseidon2::tree::digest(&leaves)
        .map_err(|e| ProtocolError::Zk(format!("weight digest: {e}")))
}

/// Setup: validates the model, rewrites it for proving ([`crate::prepare_for_proving`]), checks
/// that every step has a proof, binds the weights for `mode` and returns the prover key (private)
/// and the verifier key (public). Plain keys carry the WHIR weight commitment (deterministic in
/// the weights); zero-knowledge keys carry only a digest salted with fresh operating-system
/// randomness, so their setup is randomized and the verifier key is not a function of the weights.
pub fn setup(model: QModel, mode: ProofMode) -> Result<(ProverKey, VerifierKey), ProtocolError> {
    let (model, plan) = compile_for_proving(&model)?;
    if plan.weight_cols.is_empty() {
        return Err(ProtocolError::Unsupported(
            "models without any weights".into(),
        ));
    }
    let binding = match mode {
        ProofMode::Plain => ProverBinding::Plain {
            weight_commitment: commit_weights(&model, &plan)?.0,
        },
        ProofMode::ZeroKnowledge => {
            let weight_salt = random_salt()?;
            let weight_digest = weight_digest(&model, &plan, &weight_salt)?;
            ProverBinding::ZeroKnowledge {
                weight_salt,
                weight_digest,
            }
        }
    };
    let pk = ProverKey { model, binding };
    // One derivation of the public key, shared with the prover's key id (`key_id.rs`).
    let vk = pk.verifier_key();
    Ok((pk, vk))
}

/// Whether [`setup`] can make keys for `model`, without committing to anything: the rewrite for
/// proving, the prover's plan (every requantization's layout fits the field) and the weights'
/// widths. Import uses it to pass over an activation width that would not prove.
pub fn check_provable(model: &QModel) -> Result<(), ProtocolError> {
    compile_for_proving(model).map(|_| ())
}

fn compile_for_proving(model: &QModel) -> Result<(QModel, Plan), ProtocolError> {
    model.validate()?;
    let model = crate::prepare_for_proving(model)?;
    model.validate()?;
    let plan = Plan::compile(&model)?;
    crate::weight_range::check_widths(&plan, &weight_tables(&model, &plan)?)?;
    Ok((model, plan))
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
