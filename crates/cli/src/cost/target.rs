//! The predicted quantities of each proof mode and the profile features each is linear in.

use serde::Serialize;
use zkinfer_protocol::ProofMode;
use zkinfer_protocol::cost::CostProfile;
use zkinfer_protocol::zk::ZkCost;

/// What the cost model reads: the plan's plain counts, and its zero-knowledge counts when those
/// were asked for (a model the zero-knowledge prover refuses has none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The plain proof's counts (most of them are the same work in both modes).
    pub plain: CostProfile,
    /// The zero-knowledge proof's counts.
    pub zk: Option<ZkCost>,
}

/// A predicted quantity, linear in its features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Prover phase: reference evaluation and witness columns (ns).
    Witness,
    /// Prover phase: weight and witness commitments (ns).
    Commit,
    /// Prover phase, the layer proofs outside requantizations and max poolings: wiring and matmul
    /// sumchecks, and building the weight tables they read (ns).
    Sumchecks,
    /// Prover phase, second part of the layer proofs: requantization and max-pooling proofs
    /// (range checks, zero-checks, pooling taps) (ns).
    Lookups,
    /// Prover phase: the two batched openings (ns).
    Openings,
    /// Verification (ns).
    Verify,
    /// Peak resident memory of a `prove` process (bytes).
    Memory,
    /// Zero knowledge: evaluation, witness columns and the weight tree's trace (ns).
    ZkWitness,
    /// Zero knowledge: sampling the masks and committing `Q` (ns).
    ZkCommit,
    /// Zero knowledge: masked wiring and matmul sumchecks, and the weight hash's 29 (ns).
    ZkSumchecks,
    /// Zero knowledge: blinded range checks, masked zero-checks and pooling taps, the weights'
    /// width checks (ns).
    ZkLookups,
    /// Zero knowledge: the back end, its batching sumcheck over `Q` and the HVZK-WHIR opening (ns).
    ZkOpenings,
    /// Zero knowledge: verification (ns).
    ZkVerify,
    /// Zero knowledge: peak resident memory of a `prove` process (bytes).
    ZkMemory,
}

impl Target {
    /// The plain targets, prover phases first (in [`zkinfer_protocol::ProveTiming`] order).
    pub const PLAIN: [Target; 7] = [
        Target::Witness,
        Target::Commit,
        Target::Sumchecks,
        Target::Lookups,
        Target::Openings,
        Target::Verify,
        Target::Memory,
    ];
    /// The zero-knowledge targets, in the same order.
    pub const ZK: [Target; 7] = [
        Target::ZkWitness,
        Target::ZkCommit,
        Target::ZkSumchecks,
        Target::ZkLookups,
        Target::ZkOpenings,
        Target::ZkVerify,
        Target::ZkMemory,
    ];
    /// Every target: plain, then zero knowledge.
    pub const ALL: [Target; 14] = {
        let mut all = [Target::Witness; 14];
        let mut i = 0;
        while i < 7 {
            all[i] = Target::PLAIN[i];
            all[i + 7] = Target::ZK[i];
            i += 1;
        }
        all
    };

    /// The targets of a proof mode: witness, commit, sumchecks, lookups, openings, verify, memory.
    pub fn of(mode: ProofMode) -> [Target; 7] {
        match mode {
            ProofMode::Plain => Self::PLAIN,
            ProofMode::ZeroKnowledge => Self::ZK,
        }
    }

    /// The proof mode this target predicts.
    pub fn mode(self) -> ProofMode {
        if Self::ZK.contains(&self) {
            ProofMode::ZeroKnowledge
        } else {
            ProofMode::Plain
        }
    }

    /// Name in calibration files.
    pub fn name(self) -> &'static str {
        match self {
            Target::Witness => "witness",
            Target::Commit => "commit",
            Target::Sumchecks => "sumchecks",
            Target::Lookups => "lookups",
            Target::Openings => "openings",
            Target::Verify => "verify",
            Target::Memory => "memory",
            Target::ZkWitness => "zk_witness",
            Target::ZkCommit => "zk_commit",
            Target::ZkSumchecks => "zk_sumchecks",
            Target::ZkLookups => "zk_lookups",
            Target::ZkOpenings => "zk_openings",
            Target::ZkVerify => "zk_verify",
            Target::ZkMemory => "zk_memory",
        }
    }

    /// Feature names, in the order of [`Target::features`].
    pub fn feature_names(self) -> &'static [&'static str] {
        match self {
            Target::Witness => &["fixed", "macs", "trace_elems", "witness_elems"],
            Target::Commit => &[
                "commitments",
                "witness_stacked_elems",
                "weight_stacked_elems",
                "weight_elems",
            ],
            Target::Sumchecks => &[
                "fixed",
                "sumcheck_rounds",
                "matmul_mults",
                "sumcheck_elems",
                "wiring_entries",
                "weight_elems",
            ],
            Target::Lookups => &[
                "sumcheck_rounds",
                "lookup_entries",
                "table_rows",
                "zerocheck_elems",
                "wiring_work",
            ],
            Target::Openings => &[
                "fixed",
                "stacked_elems",
                "point_elems",
                "value_elems",
                "reduction_elems",
                "opened_points",
            ],
            Target::Verify => &[
                "fixed",
                "sumcheck_rounds",
                "wiring_entries",
                "wiring_elems",
                "claims",
                "stacked_vars",
            ],
            Target::Memory => &["fixed", "stacked_elems", "largest_buffer", "held_elems"],
            Target::ZkWitness => &[
                "fixed",
                "macs",
                "trace_elems",
                "hash_state_elems",
                "witness_elems",
            ],
            Target::ZkCommit => &["fixed", "q_len", "random_elems"],
            Target::ZkSumchecks => &[
                "fixed",
                "sumchecks",
                "rounds",
                "matmul_mults",
                "masked_work",
                "wiring_entries",
                "hash_work",
            ],
            Target::ZkLookups => &[
                "sumchecks",
                "rounds",
                "lookup_entries",
                "range_leaves",
                "table_rows",
                "masked_work",
                "wiring_entries",
            ],
            Target::ZkOpenings => &["fixed", "q_len", "claimed_elems", "groups"],
            Target::ZkVerify => &[
                "fixed",
                "sumchecks",
                "rounds",
                "wiring_entries",
                "q_vars",
                "hash_perms",
            ],
            Target::ZkMemory => &[
                "fixed",
                "q_len",
                "hash_state_elems",
                "largest_buffer",
                "held_elems",
            ],
        }
    }

    /// The feature values of a profile.
    pub fn features(self, profile: &Profile) -> Vec<f64> {
        let p = &profile.plain;
        if self.mode() == ProofMode::ZeroKnowledge {
            return zk_features(self, p, &profile.zk.clone().unwrap_or_default());
        }
        let both = [&p.witness, &p.weights];
        let stacked: u64 = both.iter().map(|c| c.stacked_elems()).sum();
        let f = |v: u64| v as f64;
        match self {
            Target::Witness => vec![1.0, f(p.macs), f(p.trace_elems), f(p.witness.elems)],
            Target::Commit => vec![
                both.iter().filter(|c| c.columns > 0).count() as f64,
                f(p.witness.stacked_elems()),
                f(p.weights.stacked_elems()),
                f(p.weights.elems),
            ],
            Target::Sumchecks => vec![
                1.0,
                f(p.sumcheck_rounds - p.lookup_step_rounds),
                f(p.matmul_mults),
                f(p.matmul_fold_elems + p.wiring_elems - p.lookup_step_wiring_elems),
                f(p.wiring_entries - p.lookup_step_wiring_entries),
                f(p.weights.elems),
            ],
            Target::Lookups => vec![
                f(p.lookup_step_rounds),
                f(p.lookup_entries),
                f(p.table_rows),
                f(p.zerocheck_elems),
                f(p.lookup_step_wiring_elems + p.lookup_step_wiring_entries),
            ],
            Target::Openings => vec![
                1.0,
                f(stacked),
                both.iter().map(|c| f(c.point_elems)).sum(),
                both.iter().map(|c| f(c.value_elems)).sum(),
                both.iter().map(|c| f(c.reduction_elems)).sum(),
                both.iter().map(|c| c.opened_points as f64).sum(),
            ],
            Target::Verify => vec![
                1.0,
                f(p.sumcheck_rounds),
                f(p.wiring_entries),
                f(p.wiring_elems),
                both.iter().map(|c| c.claims as f64).sum(),
                both.iter().map(|c| c.stacked_vars as f64).sum(),
            ],
            _ => vec![
                1.0,
                f(stacked),
                f(p.largest_buffer),
                f(p.trace_elems + p.witness.elems + p.weights.elems),
            ],
        }
    }
}

/// The zero-knowledge targets' features.
fn zk_features(t: Target, p: &CostProfile, z: &ZkCost) -> Vec<f64> {
    let f = |v: u64| v as f64;
    // The weight tree's trace: the input states and one state table per Poseidon2 round.
    let hash_states = (z.hash.sumchecks + 1) * z.in_elems;
    let wiring_entries = p.wiring_entries - p.lookup_step_wiring_entries;
    let all_sumchecks = z.layers.sumchecks + z.lookup_layers.sumchecks + z.range_layers.sumchecks;
    let all_rounds = z.layers.rounds + z.lookup_layers.rounds + z.range_layers.rounds;
    match t {
        Target::ZkWitness => vec![
            1.0,
            f(p.macs),
            f(p.trace_elems),
            f(hash_states),
            f(z.witness_elems),
        ],
        Target::ZkCommit => vec![1.0, f(z.q_len()), f(z.random_elems)],
        Target::ZkSumchecks => vec![
            1.0,
            f(z.layers.sumchecks + z.hash.sumchecks),
            f(z.layers.rounds + z.hash.rounds),
            f(p.matmul_mults),
            f(z.layers.work + p.matmul_fold_elems),
            f(wiring_entries),
            f(z.hash.work),
        ],
        Target::ZkLookups => vec![
            f(z.lookup_layers.sumchecks + z.range_layers.sumchecks),
            f(z.lookup_layers.rounds + z.range_layers.rounds),
            f(p.lookup_entries),
            f(z.range_leaves),
            f(p.table_rows),
            f(z.lookup_layers.work + z.range_layers.work),
            f(p.lookup_step_wiring_entries),
        ],
        Target::ZkOpenings => vec![
            1.0,
            f(z.q_len()),
            f(z.witness_elems + z.in_elems),
            z.groups as f64,
        ],
        Target::ZkVerify => vec![
            1.0,
            f(all_sumchecks + z.hash.sumchecks),
            f(all_rounds + z.hash.rounds),
            f(p.wiring_entries),
            z.q_vars as f64,
            f(z.hash_perms),
        ],
        _ => vec![
            1.0,
            f(z.q_len()),
            f(hash_states),
            f(p.largest_buffer),
            f(p.trace_elems + z.witness_elems + p.weights.elems),
        ],
    }
}
