//! Keys written by a model owner who skips setup's checks: both modes' keys for a model exactly as
//! given (weights, recorded bounds and widths; nothing re-derived), the prover's state, and a
//! helper that proves a trace in every mode with them. The cheating setups of the attack tests
//! (`weight_range_tests`, `review2_tests`, `review3_tests`) are built from these.

use zkinfer_field::{F, PrimeCharacteristicRing};
use zkinfer_ir::{QModel, Trace};

use crate::keys::{commit_tables, weight_tables};
use crate::plan::Plan;
use crate::prove::{Prepared, WeightData, prove_trace};
use crate::zk::prove_zk_trace;
use crate::zk::weights::{SALT_LEN, WeightTree};
use crate::{
    ProverBinding, ProverKey, VerifierKey, WeightBinding, model_hash, strip_weights, verify,
    verify_zk, verify_zk_private,
};

/// What a model owner who writes its own keys makes: keys of both modes for `model` exactly as
/// given (weights and recorded bounds; nothing is re-derived), and the prover's state.
pub(crate) struct OwnerKeys {
    pub(crate) plain: (ProverKey, VerifierKey),
    pub(crate) zk: (ProverKey, VerifierKey),
    pub(crate) prepared: Prepared,
}

pub(crate) fn owner_keys(model: &QModel) -> OwnerKeys {
    let plan = Plan::compile(model).unwrap();
    owner_keys_with(model, weight_tables(model, &plan).unwrap())
}

/// [`owner_keys`] binding the padded weight tables `tables` (in the plan's column order and
/// layout), which need not be the model's.
pub(crate) fn owner_keys_with(model: &QModel, tables: Vec<Vec<F>>) -> OwnerKeys {
    let plan = Plan::compile(model).unwrap();
    let (weight_commitment, _) = commit_tables(tables.clone()).unwrap();
    let weight_salt = [F::from_u64(11); SALT_LEN];
    let vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let leaves = WeightTree::new(&vars)
        .unwrap()
        .leaves(&tables, &weight_salt)
        .unwrap();
    let weight_digest = zkinfer_poseidon2::tree::digest(&leaves).unwrap();
    if tables == weight_tables(model, &plan).unwrap() {
        assert_eq!(
            weight_digest,
            crate::keys::weight_digest(model, &plan, &weight_salt).unwrap()
        );
    }
    let architecture = strip_weights(model);
    let hash = model_hash(&architecture);
    let vk = |binding| VerifierKey {
        model_hash: hash,
        architecture: architecture.clone(),
        binding,
    };
    let pk = |binding| ProverKey {
        model: model.clone(),
        binding,
    };
    OwnerKeys {
        plain: (
            pk(ProverBinding::Plain {
                weight_commitment: weight_commitment.clone(),
            }),
            vk(WeightBinding::Plain { weight_commitment }),
        ),
        zk: (
            pk(ProverBinding::ZeroKnowledge {
                weight_salt,
                weight_digest,
            }),
            vk(WeightBinding::ZeroKnowledge { weight_digest }),
        ),
        prepared: Prepared {
            weights: tables,
            hash,
            plan,
        },
    }
}

/// Proves `trace` in both modes (plain, zk with public input, zk with private input) with the
/// owner's keys and returns whether each verifier accepted (the claimed output is the trace's).
pub(crate) fn verdicts(keys: &OwnerKeys, input: &[i64], trace: &Trace) -> [bool; 3] {
    let (pk, vk) = &keys.plain;
    let data = WeightData::Owned(Box::new(keys.prepared.commit(pk).unwrap()));
    let plain = match prove_trace(pk, &keys.prepared, data, input, trace.clone()) {
        Ok((out, proof, _)) => verify(vk, input, &out, &proof).map(|_| ()),
        Err(e) => Err(e),
    };
    let (pk, vk) = &keys.zk;
    let zk = prove_zk_trace(pk, &keys.prepared, input, false, trace.clone())
        .and_then(|z| verify_zk(vk, input, &z.output, &z.proof).map(|_| ()));
    let private = prove_zk_trace(pk, &keys.prepared, input, true, trace.clone())
        .and_then(|z| verify_zk_private(vk, &z.output, &z.proof).map(|_| ()));
    for (mode, r) in [("plain", &plain), ("zk", &zk), ("zk private", &private)] {
        if let Err(e) = r {
            eprintln!("{mode}: refused: {e}");
        }
    }
    let [plain, zk, private] = [plain, zk, private].map(|r| r.is_ok());
    [plain, zk, private]
}
