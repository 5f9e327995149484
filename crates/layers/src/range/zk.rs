//! The zero-knowledge batched range check of a [`RangeSpec`]: a thin wrapper over
//! `zkinfer_lookup::zk`, which holds the protocol (merged blinded LogUp tree, masked layer
//! sumchecks) and its docs. The proof reveals nothing about the columns or the multiplicities; it
//! ends in [`FormClaim`]s that the caller proves on its one hiding commitment (crates/settle).
//!
//! Use: `let zs = spec.zk();` then `zs.shape()` / `zs.sample(rng)` for the randomness to commit
//! (`ZkRangeRandomness::vectors`), commit columns, multiplicities and randomness under the ids of a
//! [`ZkRangeIds`], observe the commitment, then [`prove`] / [`verify`].

use zkinfer_field::{EF, F};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_transcript::FiatShamir;

pub use zkinfer_lookup::zk::{
    ZkRangeError, ZkRangeIds, ZkRangeProof, ZkRangeRandomness, ZkRangeShape, ZkRangeSpec, ZkSegment,
};

use super::RangeSpec;

use zkinfer_lookup::zk::ProvedAt;

impl RangeSpec {
    /// The same check as a zero-knowledge spec: same columns, segments, shifts and table.
    pub fn zk(&self) -> ZkRangeSpec {
        ZkRangeSpec {
            column_vars: self.num_vars,
            bits: self.bits,
            num_columns: self.columns,
            segments: self
                .segments
                .iter()
                .map(|s| ZkSegment {
                    column: s.column,
                    shift: s.shift,
                })
                .collect(),
        }
    }
}

/// [`RangeSpec::check`] (which caps the table at [`super::MAX_RANGE_BITS`]) as a
/// [`ZkRangeError`].
fn checked(spec: &RangeSpec) -> Result<ZkRangeSpec, ZkRangeError> {
    spec.check()
        .map_err(|e| ZkRangeError::Spec(e.to_string()))?;
    Ok(spec.zk())
}

/// Proves the range check of `columns` in zero knowledge; see `zkinfer_lookup::zk::prove`.
pub fn prove(
    spec: &RangeSpec,
    columns: &[&[F]],
    mults: &[F],
    randomness: ZkRangeRandomness,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkRangeProof, Vec<FormClaim<EF>>), ZkRangeError> {
    zkinfer_lookup::zk::prove(&checked(spec)?, columns, mults, randomness, ids, transcript)
}

/// [`prove`], also returning the point where the claims read the columns (the caller's identities
/// on the same columns are stated there).
pub fn prove_at(
    spec: &RangeSpec,
    columns: &[&[F]],
    mults: &[F],
    randomness: ZkRangeRandomness,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<ProvedAt, ZkRangeError> {
    zkinfer_lookup::zk::prove_at(&checked(spec)?, columns, mults, randomness, ids, transcript)
}

/// [`verify`], also returning the point where the claims read the columns.
pub fn verify_at(
    spec: &RangeSpec,
    proof: &ZkRangeProof,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(Vec<FormClaim<EF>>, Vec<EF>), ZkRangeError> {
    zkinfer_lookup::zk::verify_at(&checked(spec)?, proof, ids, transcript)
}

/// Verifies a zero-knowledge range check; see `zkinfer_lookup::zk::verify`.
pub fn verify(
    spec: &RangeSpec,
    proof: &ZkRangeProof,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, ZkRangeError> {
    zkinfer_lookup::zk::verify(&checked(spec)?, proof, ids, transcript)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use zkinfer_field::{PrimeCharacteristicRing, PrimeField64};

    use super::*;
    use crate::range::Segment;
    use crate::test_util::{Rng, transcript};

    /// The wrapper proves the layer's check (same virtual column and multiplicities as the plain
    /// range check), its claims hold on the hidden data, and an out-of-range limb is rejected.
    #[test]
    fn range_spec_round_trips_in_zero_knowledge() {
        let spec = RangeSpec {
            num_vars: 3,
            bits: 4,
            columns: 2,
            segments: vec![
                Segment {
                    column: 0,
                    shift: 0,
                },
                Segment {
                    column: 1,
                    shift: 2,
                },
            ],
        };
        let mut rng = Rng(3);
        let mut cols: Vec<Vec<F>> = [16, 4]
            .map(|b| (0..8).map(|_| F::from_u64(rng.below(b))).collect())
            .to_vec();
        let ids = ZkRangeIds {
            columns: vec![0, 1],
            multiplicities: 2,
            blinder: 3,
            first_random: 10,
        };
        for bad in [false, true] {
            if bad {
                cols[1][3] = F::from_u64(4); // 2^2 * 4 = 16 is out of range
            }
            let refs: Vec<&[F]> = cols.iter().map(Vec::as_slice).collect();
            // Honest counts of the in-range entries (all of them when `bad` is false).
            let mut mults = vec![F::ZERO; 16];
            for x in spec.virtual_column(&refs).unwrap() {
                if let Some(c) = mults.get_mut(x.as_canonical_u64() as usize) {
                    *c += F::ONE;
                }
            }
            if !bad {
                assert_eq!(mults, spec.multiplicities(&refs).unwrap());
                assert_eq!(mults, spec.zk().multiplicities(&refs).unwrap());
            }
            let r = spec.zk().trivial_randomness();
            let mut hidden: HashMap<usize, Vec<F>> = r.vectors(&ids).into_iter().collect();
            hidden.extend([
                (0, cols[0].clone()),
                (1, cols[1].clone()),
                (2, mults.clone()),
            ]);
            // Stand-in for the one hiding commitment, observed before alpha (bug 3).
            let committed = || {
                let mut t = transcript("z");
                for id in 0..10 + 5 * (spec.zk().depth() - 1) {
                    if let Some(v) = hidden.get(&id) {
                        t.observe_base("commit", v);
                    }
                }
                t
            };
            let (proof, claims) = prove(&spec, &refs, &mults, r, &ids, &mut committed()).unwrap();
            let verified = verify(&spec, &proof, &ids, &mut committed());
            if bad {
                assert_eq!(verified, Err(ZkRangeError::RootSum));
                continue;
            }
            assert_eq!(verified.unwrap(), claims);
            for c in &claims {
                let got = c
                    .form
                    .evaluate::<F>(|id| hidden.get(&id).map(Vec::as_slice));
                assert_eq!(got, Ok(c.value));
            }
        }
        let too_wide = RangeSpec { bits: 17, ..spec };
        assert!(matches!(
            verify(
                &too_wide,
                &ZkRangeProof {
                    root: [EF::ONE; 4],
                    layers: vec![]
                },
                &ids,
                &mut transcript("z")
            ),
            Err(ZkRangeError::Spec(_))
        ));
    }
}
