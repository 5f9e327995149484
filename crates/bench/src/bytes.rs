//! Where a proof's bytes go: each part of a plain or zero-knowledge model proof encoded on its own
//! (postcard, as the proof file encodes the whole), grouped into the same categories for both modes
//! so the two can be compared line by line.

use serde::{Deserialize, Serialize};
use zkinfer_protocol::{ModelProof, StepProof, ZkModelProof, ZkStepProof};

/// Encoded bytes of a proof's parts. Every field is a sum of whole parts' encodings; `total` is
/// the whole proof's, so `total` minus the parts is the containers' length prefixes and tags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bytes {
    /// Plain: the witness commitment. Zero knowledge: the hidden commitment `Q` (and a private
    /// input's commitment).
    pub commitments: u64,
    /// Wiring and matmul sumchecks, the output view and max-pooling taps (masked in zero knowledge).
    pub sumchecks: u64,
    /// The requantizations', max-poolings' and weights' range checks (LogUp-GKR).
    pub range_checks: u64,
    /// The requantizations' and max-poolings' zero-checks with their evaluations.
    pub zero_checks: u64,
    /// Claim reductions before the openings (plain: witness and weights; zero knowledge: the
    /// private input's link value).
    pub reductions: u64,
    /// Plain: the weight commitment's opening (WHIR). Zero knowledge: the proof that the hidden
    /// weights hash to the digest (masked Poseidon2 round sumchecks).
    pub weight_opening: u64,
    /// Plain: the witness opening (WHIR). Zero knowledge: the back end's HVZK-WHIR opening of `Q`
    /// (and a private input's opening).
    pub witness_opening: u64,
    /// Zero knowledge only: the back end's batching and mask sumchecks and their values.
    pub back_end_sumchecks: u64,
    /// The whole proof.
    pub total: u64,
}

impl Bytes {
    /// The parts' sum.
    pub fn parts(&self) -> u64 {
        self.commitments
            + self.sumchecks
            + self.range_checks
            + self.zero_checks
            + self.reductions
            + self.weight_opening
            + self.witness_opening
            + self.back_end_sumchecks
    }

    /// Container overhead: `total` minus the parts.
    pub fn other(&self) -> u64 {
        self.total.saturating_sub(self.parts())
    }

    /// The rows of a breakdown table: label and bytes, `other` last.
    pub fn rows(&self) -> [(&'static str, u64); 9] {
        [
            ("commitments", self.commitments),
            ("witness / hiding opening (WHIR)", self.witness_opening),
            (
                "weights: opening (plain) / hash proof (zk)",
                self.weight_opening,
            ),
            (
                "back end: batching + mask sumchecks",
                self.back_end_sumchecks,
            ),
            ("layer sumchecks (masked in zk)", self.sumchecks),
            ("range checks", self.range_checks),
            ("zero-checks", self.zero_checks),
            ("reductions, weight evals", self.reductions),
            ("lengths, tags", self.other()),
        ]
    }
}

/// Postcard length of `v` (0 if it cannot be encoded, which the proof types never hit).
fn len<T: Serialize + ?Sized>(v: &T) -> u64 {
    postcard::to_allocvec(v).map_or(0, |b| b.len() as u64)
}

/// The breakdown of a plain proof.
pub fn plain(p: &ModelProof) -> Bytes {
    let mut b = Bytes {
        commitments: len(&p.witness_commitment),
        sumchecks: len(&p.output_view),
        reductions: len(&p.witness_reduction) + len(&p.weight_reduction),
        weight_opening: len(&p.weight_opening),
        witness_opening: len(&p.witness_opening),
        range_checks: len(&p.weight_range),
        total: len(p),
        ..Bytes::default()
    };
    for s in &p.steps {
        match s {
            StepProof::Linear(w) => b.sumchecks += len(w),
            StepProof::MatMul {
                to_prod,
                matmul,
                patches,
            } => b.sumchecks += len(to_prod) + len(matmul) + len(patches),
            StepProof::Requant(r) => {
                b.range_checks += len(&r.range);
                b.zero_checks += len(&r.zero_check) + len(&r.zero_evals);
            }
            StepProof::MaxPool { pool, taps } => {
                b.range_checks += len(&pool.range);
                b.zero_checks += len(&pool.zerocheck) + len(&pool.diff_evals) + len(&pool.evals);
                b.sumchecks += len(taps);
            }
        }
    }
    b
}

/// The breakdown of a zero-knowledge proof.
pub fn zk(p: &ZkModelProof) -> Bytes {
    let o = &p.opening;
    let mut b = Bytes {
        commitments: len(&p.hidden_commitment) + len(&p.input_commitment),
        sumchecks: len(&p.output_view),
        reductions: len(&p.input_value),
        weight_opening: len(&p.weight_hash),
        witness_opening: len(&o.opening) + len(&p.input_opening),
        back_end_sumchecks: len(&o.batch)
            + len(&o.q_at_z)
            + len(&o.companions)
            + len(&o.mask)
            + len(&o.v_at_z),
        range_checks: len(&p.weight_range),
        total: len(p),
        ..Bytes::default()
    };
    for s in &p.steps {
        match s {
            ZkStepProof::Linear(w) => b.sumchecks += len(w),
            ZkStepProof::MatMul {
                to_prod,
                matmul,
                patches,
            } => b.sumchecks += len(to_prod) + len(matmul) + len(patches),
            ZkStepProof::Requant { range, zero_check } => {
                b.range_checks += len(range);
                b.zero_checks += len(zero_check);
            }
            ZkStepProof::MaxPool { range, pool, taps } => {
                b.range_checks += len(range);
                b.zero_checks += len(pool);
                b.sumchecks += len(taps);
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkinfer_protocol::test_support;

    /// A model with a convolution, a requantization and a max pooling, and an input for it.
    fn keys(mode: zkinfer_protocol::ProofMode) -> (zkinfer_protocol::ProverKey, Vec<i64>) {
        let model = test_support::maxpool(7);
        let x = test_support::Rng(3).vec(test_support::input_len(&model), 100);
        (zkinfer_protocol::setup(model, mode).unwrap().0, x)
    }

    /// The parts account for the whole proof: only length prefixes and tags are left over (a
    /// few bytes per step), so no part was missed or counted twice.
    fn accounts_for(b: &Bytes, steps: usize) {
        let other = b.other();
        let parts = b.total - other;
        assert!(parts <= b.total, "{b:?}");
        assert!(
            other <= 8 + 4 * steps as u64,
            "{other} bytes unaccounted: {b:?}"
        );
    }

    #[test]
    fn plain_parts_sum_to_the_proof() {
        let (pk, x) = keys(zkinfer_protocol::ProofMode::Plain);
        let (_, proof) = zkinfer_protocol::prove(&pk, &x).unwrap();
        let b = plain(&proof);
        accounts_for(&b, proof.steps.len());
        assert!(b.range_checks > 0 && b.zero_checks > 0 && b.witness_opening > 0);
        assert_eq!(b.back_end_sumchecks, 0);
    }

    #[test]
    fn zk_parts_sum_to_the_proof() {
        let (pk, x) = keys(zkinfer_protocol::ProofMode::ZeroKnowledge);
        let (_, proof) = zkinfer_protocol::prove_zk(&pk, &x).unwrap();
        let b = zk(&proof);
        accounts_for(&b, proof.steps.len());
        assert!(b.range_checks > 0 && b.zero_checks > 0 && b.back_end_sumchecks > 0);
        assert!(b.witness_opening > b.weight_opening / 4);
    }
}
