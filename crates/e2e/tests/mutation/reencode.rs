//! Keys mutated as values, then written by the key writer: the key's serde form (JSON) edited by
//! the JSON mutators, read back, its model hash recomputed (a verifier key) and encoded with a
//! fresh digest. This is what a forger who knows the format would hand over, and it reaches the
//! model's validation, the plan compiler, the verifier and the prover with keys that are well
//! formed in every byte.

use serde::Serialize;
use serde::de::DeserializeOwned;
use zkinfer_protocol::{ProverKey, VerifierKey, model_hash};

use super::json;
use super::rng::Rng;

/// Tries this many edits for one that reads back as a key before giving up.
const TRIES: usize = 16;

fn edited<K: Serialize + DeserializeOwned + PartialEq>(
    original: &K,
    rng: &mut Rng,
    fix: impl Fn(&mut K),
) -> Option<(K, String)> {
    let text = serde_json::to_vec(original).ok()?;
    for _ in 0..TRIES {
        // One to three edits.
        let (mut m, mut descs) = (text.clone(), vec![]);
        for _ in 0..rng.between(1, 3) {
            if let Some((e, d)) = json::edit(&m, rng) {
                m = e;
                descs.push(d);
            }
        }
        let desc = descs.join("; ");
        if let Ok(mut key) = serde_json::from_slice::<K>(&m) {
            fix(&mut key);
            if key != *original {
                return Some((key, desc));
            }
        }
    }
    None
}

/// A verifier key file whose value differs from `original`'s, with a consistent model hash.
pub fn verifier_key(original: &VerifierKey, rng: &mut Rng) -> Option<(Vec<u8>, String)> {
    edited(original, rng, |vk: &mut VerifierKey| {
        vk.model_hash = model_hash(&vk.architecture)
    })
    .map(|(vk, desc)| (vk.to_bytes(), desc))
}

/// A prover key file whose value differs from `original`'s.
pub fn prover_key(original: &ProverKey, rng: &mut Rng) -> Option<(Vec<u8>, String)> {
    edited(original, rng, |_: &mut ProverKey| {}).map(|(pk, desc)| (pk.to_bytes(), desc))
}
