//! Zero-knowledge Poseidon2 rounds on random rounds: completeness (every form claim holds on the
//! honest hidden vectors, the input claim is the true `states[0]~(s)`), masks in effect, and a
//! timing run (ignored); the shared fixtures of [`super::soundness_tests`].

use std::collections::HashMap;
use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};
use zkinfer_poseidon2::{Round, RoundKind, WIDTH};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Form, FormClaim, Symbolic};

use super::*;
use crate::test_util::{Rng, mle, transcript};
use crate::zk::{SymClaim, ZkIds, ZkSecrets};

/// The prover's hidden vectors by id.
pub(super) type Store = HashMap<usize, Vec<F>>;

/// The committed output table, which the top claim's hidden part names.
const OUT_ID: usize = 1;

use RoundKind::{Full, Linear, Partial};
pub(super) const KINDS: [RoundKind; 8] =
    [Linear, Full, Full, Partial, Partial, Partial, Full, Full];

fn random_round(rng: &mut Rng, kind: RoundKind) -> Round {
    let mut f = || F::from_u64(rng.next_u64());
    Round {
        kind,
        constants: std::array::from_fn(|_| if kind == Linear { F::ZERO } else { f() }),
        matrix: std::array::from_fn(|_| std::array::from_fn(|_| f())),
    }
}

/// `states[0] = inputs`, `states[i + 1]` = round `i` applied to every permutation of `states[i]`.
fn trace(rounds: &[Round], inputs: Vec<F>) -> Vec<Vec<F>> {
    let mut states = vec![inputs];
    for round in rounds {
        let next = apply_round(round, states.last().unwrap());
        states.push(next);
    }
    states
}

pub(super) fn apply_round(round: &Round, state: &[F]) -> Vec<F> {
    state
        .chunks_exact(WIDTH)
        .flat_map(|x| round.apply(x.try_into().unwrap()))
        .collect()
}

fn coords(c: &[EF]) -> Vec<F> {
    c.iter()
        .flat_map(|x| x.as_basis_coefficients_slice().to_vec())
        .collect()
}

fn value_of(v: &Symbolic<EF>, store: &Store) -> EF {
    v.public
        + v.hidden
            .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
            .unwrap()
}

fn holds(c: &FormClaim<EF>, store: &Store) -> bool {
    c.form
        .evaluate::<F>(|id| store.get(&id).map(Vec::as_slice))
        .unwrap()
        == c.value
}

#[derive(Clone)]
pub(super) struct Case {
    pub(super) rounds: Vec<Round>,
    pub(super) perm_vars: usize,
    pub(super) states: Vec<Vec<F>>,
}

pub(super) fn case(kinds: &[RoundKind], perm_vars: usize, seed: u64) -> Case {
    let mut rng = Rng(seed);
    let rounds: Vec<Round> = kinds.iter().map(|&k| random_round(&mut rng, k)).collect();
    let inputs = (0..WIDTH << perm_vars)
        .map(|_| F::from_u64(rng.next_u64()))
        .collect();
    let states = trace(&rounds, inputs);
    Case {
        rounds,
        perm_vars,
        states,
    }
}

/// A proof with everything the checks need.
pub(super) struct Run {
    pub(super) top: SymClaim,
    pub(super) proof: ZkHashProof,
    pub(super) claims: ZkHashClaims,
    pub(super) store: Store,
}

impl Case {
    fn n(&self) -> usize {
        num_vars(self.perm_vars)
    }

    pub(super) fn ids(&self) -> Vec<ZkIds> {
        (0..self.rounds.len())
            .map(|i| ZkIds {
                mask: 100 + 2 * i,
                randomizers: vec![101 + 2 * i],
            })
            .collect()
    }

    /// Secrets for every round (seeded, or all zero), stored in `store` under [`Self::ids`].
    fn secrets(&self, seed: u64, random: bool, store: &mut Store) -> Vec<ZkSecrets> {
        let mut rng = Rng(seed ^ 0x5eed);
        let shapes = shape(&self.rounds, self.perm_vars);
        shapes
            .iter()
            .zip(self.ids())
            .enumerate()
            .map(|(i, (s, ids))| {
                let mask = if random {
                    MaskPoly::random(
                        s.num_vars,
                        s.degree,
                        &mut StdRng::seed_from_u64(seed + i as u64),
                    )
                } else {
                    MaskPoly::zero(s.num_vars, s.degree)
                };
                assert_eq!(mask.coeffs().len(), s.mask_len());
                store.insert(ids.mask, mask.coeffs());
                let c: Vec<EF> = (0..s.randomizers[0])
                    .map(|_| if random { rng.ext() } else { EF::ZERO })
                    .collect();
                store.insert(ids.randomizers[0], coords(&c));
                ZkSecrets {
                    mask,
                    randomizers: vec![c],
                }
            })
            .collect()
    }

    /// Proves the case's trace for a top claim `out~(r) = 0 + out~(r)` on the committed output.
    pub(super) fn prove(&self, seed: u64, random: bool) -> Run {
        let point = Rng(seed ^ 0x70b).point(self.n());
        let top = SymClaim {
            value: Symbolic {
                public: EF::ZERO,
                hidden: Form::eval(EF::ONE, OUT_ID, point.clone()),
            },
            point,
        };
        let mut store = Store::new();
        store.insert(OUT_ID, self.states.last().unwrap().clone());
        let secrets = self.secrets(seed, random, &mut store);
        let get = |id: usize| store.get(&id).map(Vec::as_slice);
        let (proof, claims) = prove(
            &self.rounds,
            self.perm_vars,
            &self.states,
            &top,
            &self.ids(),
            secrets,
            &get,
            &mut transcript("zkhash"),
        )
        .unwrap();
        Run {
            top,
            proof,
            claims,
            store,
        }
    }

    pub(super) fn verify(
        &self,
        top: &SymClaim,
        proof: &ZkHashProof,
    ) -> Result<ZkHashClaims, LayerError> {
        verify(
            &self.rounds,
            self.perm_vars,
            top,
            &self.ids(),
            proof,
            &mut transcript("zkhash"),
        )
    }

    /// Every mask claim holds on `store` and the input claim on the true inputs `inputs`.
    fn all_hold(&self, claims: &ZkHashClaims, store: &Store, inputs: &[F]) -> bool {
        claims.masks.iter().all(|c| holds(c, store))
            && value_of(&claims.input.value, store) == mle(inputs, &claims.input.point)
    }

    /// Whether the verifier accepts `proof` with claims that hold on `run`'s (honest) store and
    /// the inputs `inputs`.
    pub(super) fn accepts(&self, run: &Run, proof: &ZkHashProof, inputs: &[F]) -> bool {
        self.verify(&run.top, proof)
            .is_ok_and(|c| self.all_hold(&c, &run.store, inputs))
    }
}

#[test]
fn shapes_have_one_mask_and_one_randomizer_per_round() {
    let c = case(&KINDS, 2, 1);
    let shapes = shape(&c.rounds, 2);
    let degrees: Vec<usize> = shapes.iter().map(|s| s.degree).collect();
    assert_eq!(degrees, [3, 7, 7, 7, 7, 7, 7, 7]);
    assert!(
        shapes
            .iter()
            .all(|s| s.num_vars == 6 && s.randomizers == [6])
    );
}

#[test]
fn honest_proofs_verify_and_every_claim_holds() {
    for (perm_vars, seed) in [(2, 1), (3, 2), (0, 3), (2, 4)] {
        let c = case(&KINDS, perm_vars, seed);
        for random in [true, false] {
            let run = c.prove(seed, random);
            let claims = c.verify(&run.top, &run.proof).unwrap();
            assert_eq!(
                claims, run.claims,
                "the prover derives the verifier's claims"
            );
            assert_eq!(claims.masks.len(), KINDS.len());
            assert!(
                c.all_hold(&claims, &run.store, &c.states[0]),
                "p = {perm_vars}"
            );
        }
    }
}

/// Proving each suffix of the rounds makes the input claim the revealed value of the suffix's
/// first round: with zero randomizers it is the true `states[k]~(s)` in the clear, with random
/// ones it is not.
#[test]
fn masks_are_in_effect() {
    let full = case(&KINDS, 2, 31);
    for k in 0..full.rounds.len() {
        let c = Case {
            rounds: full.rounds[k..].to_vec(),
            perm_vars: 2,
            states: full.states[k..].to_vec(),
        };
        for random in [false, true] {
            let run = c.prove(37, random);
            let input = &run.claims.input;
            let truth = mle(&c.states[0], &input.point);
            assert_eq!(value_of(&input.value, &run.store), truth);
            assert_eq!(
                input.value.public == truth,
                !random,
                "round {k}, random {random}"
            );
        }
    }
}

/// Prove time for 2^13 permutations of 29 random rounds (the real round pattern); run with
/// `cargo test -p zkinfer-layers hash::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    let kinds: Vec<RoundKind> = std::iter::once(Linear)
        .chain([Full; 4])
        .chain([Partial; 20])
        .chain([Full; 4])
        .collect();
    let c = case(&kinds, 13, 41);
    let start = Instant::now();
    let run = c.prove(43, true);
    let prove_time = start.elapsed();
    let start = Instant::now();
    let claims = c.verify(&run.top, &run.proof).unwrap();
    println!(
        "zk poseidon2, 2^13 permutations x 29 rounds: prove {prove_time:?}, verify {:?}",
        start.elapsed()
    );
    assert_eq!(claims, run.claims);
}
