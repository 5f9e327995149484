//! A prover for one model that commits to the weights once and then proves any number of inputs:
//! what a service proving a stream of inferences wants. [`crate::prove`] recommits the weights
//! every time (the commitment's prover data, a codeword and Merkle tree twice the weights' size,
//! is not stored in the key).

use std::time::Instant;

use zkinfer_pcs::ProverData;

use crate::prove::{Prepared, WeightData, prove_with};
use crate::{ModelProof, ProtocolError, ProveTiming, ProverKey};

/// A prover bound to one prover key, holding the weight commitment's prover data.
pub struct Prover<'a> {
    pk: &'a ProverKey,
    prepared: Prepared,
    weight_data: ProverData,
    setup: ProveTiming,
}

impl<'a> Prover<'a> {
    /// Compiles the plan and commits to the weights (checking the commitment against the key's).
    pub fn new(pk: &'a ProverKey) -> Result<Self, ProtocolError> {
        let clock = Instant::now();
        let prepared = Prepared::new(pk)?;
        let mut setup = ProveTiming {
            witness: clock.elapsed(),
            ..ProveTiming::default()
        };
        let clock = Instant::now();
        let weight_data = prepared.commit(pk)?;
        setup.commit = clock.elapsed();
        Ok(Self {
            pk,
            prepared,
            weight_data,
            setup,
        })
    }

    /// The time [`Prover::new`] took: plan and weight tables (`witness`) and the weight commitment
    /// (`commit`); the rest is zero.
    pub fn setup_timing(&self) -> ProveTiming {
        self.setup
    }

    /// Proves `input` (already quantized); the output is the reference evaluator's.
    pub fn prove(&self, input: &[i64]) -> Result<(Vec<i64>, ModelProof), ProtocolError> {
        self.prove_timed(input).map(|(out, proof, _)| (out, proof))
    }

    /// [`Prover::prove`], also returning the time of each phase (without the weight commitment).
    pub fn prove_timed(
        &self,
        input: &[i64],
    ) -> Result<(Vec<i64>, ModelProof, ProveTiming), ProtocolError> {
        prove_with(
            self.pk,
            &self.prepared,
            WeightData::Shared(&self.weight_data),
            input,
        )
    }
}
