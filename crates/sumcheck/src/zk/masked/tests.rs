//! Completeness of the masked-factor sumcheck and tests that its masks are in effect, with the
//! honest-proof helpers that soundness_tests.rs shares.

use proptest::prelude::*;
use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_poly::{MultilinearPoly, eq_table};
use zkinfer_transcript::{FiatShamir, Transcript};

use super::{
    DeferredMaskClaim, Factor, FactorKind, MaskedFactor, MaskedInstance, MaskedProverOutput,
    MaskedSumcheckProof, Table, prove, verify, verify_final,
};
use crate::test_util::{Rng, transcript};
use crate::zk::tests::{Mask, seeded_mask};
use crate::zk::{LABEL_MASK_RHO, LABEL_MASK_SUM};
use crate::{ProductSum, SumcheckError, interpolate_at};

pub(super) type Terms = Vec<(EF, Vec<usize>)>;

/// How a test builds factor `i`.
#[derive(Clone, Copy, Debug)]
pub(super) enum Spec {
    PubBase,
    PubEq,
    MaskBase,
    MaskExt,
}

pub(super) struct Honest {
    pub(super) seed: u64,
    pub(super) instance: MaskedInstance<EF>,
    pub(super) factors: Vec<Factor<F, EF>>,
    pub(super) hidden: EF,
    /// The public value `v = sum_x f(x) + K`.
    pub(super) claim: EF,
    /// Whether the Libra mask is `seeded_mask(seed)` (else zero).
    pub(super) masked: bool,
    pub(super) out: MaskedProverOutput<EF>,
    pub(super) transcript: Transcript,
}

/// An honest proof; with `random` false, every `c`, offset, `K` and the mask are zero.
pub(super) fn honest(seed: u64, n: usize, terms: Terms, specs: &[Spec], random: bool) -> Honest {
    let mut rng = Rng(seed);
    let kinds = specs
        .iter()
        .map(|s| match s {
            Spec::PubBase | Spec::PubEq => FactorKind::Public,
            Spec::MaskBase | Spec::MaskExt => FactorKind::Masked,
        })
        .collect();
    let instance = MaskedInstance::new(n, terms, kinds);
    // Drawn either way, so that the tables do not depend on `random`.
    let rand = |rng: &mut Rng| {
        let v = rng.ext();
        if random { v } else { EF::ZERO }
    };
    let factors: Vec<Factor<F, EF>> = specs
        .iter()
        .map(|s| {
            let base = Table::Base(rng.tables(1, n).remove(0));
            let ext = Table::Ext((0..1 << n).map(|_| rng.ext()).collect());
            let masked = |table, rng: &mut Rng| {
                let offset = rand(rng);
                let coeffs = (0..n).map(|_| rand(rng)).collect();
                Factor::Masked(MaskedFactor {
                    table,
                    offset,
                    coeffs,
                })
            };
            match s {
                Spec::PubBase => Factor::Public(base),
                Spec::PubEq => Factor::Public(Table::Ext(eq_table(
                    &(0..n).map(|_| rng.ext()).collect::<Vec<_>>(),
                ))),
                Spec::MaskBase => masked(base, &mut rng),
                Spec::MaskExt => masked(ext, &mut rng),
            }
        })
        .collect();
    let hidden = rand(&mut rng);
    let claim = cube_sum(&instance, &factors) + hidden;
    let d = instance.degree();
    let mask = if random {
        seeded_mask(seed, n, d)
    } else {
        Mask::zero(n, d)
    };
    let mut t = transcript("test");
    let out = prove(&instance, factors.clone(), hidden, mask, &mut t);
    Honest {
        seed,
        instance,
        factors,
        hidden,
        claim,
        masked: random,
        out,
        transcript: t,
    }
}

/// The three shapes of the brief: masked * masked; eq * masked * masked; public * masked + masked.
pub(super) fn shapes(rng: &mut Rng) -> Vec<(Terms, Vec<Spec>)> {
    use Spec::*;
    vec![
        (vec![(EF::ONE, vec![0, 1])], vec![MaskBase, MaskBase]),
        (
            vec![(rng.ext(), vec![0, 1, 2])],
            vec![PubEq, MaskBase, MaskExt],
        ),
        (
            vec![(rng.ext(), vec![0, 1]), (rng.ext(), vec![2, 1])],
            vec![PubBase, MaskBase, MaskExt],
        ),
    ]
}

fn table_at(table: &Table<F, EF>, r: &[EF]) -> EF {
    match table {
        Table::Base(t) => MultilinearPoly::new(t.clone())
            .unwrap()
            .evaluate(r)
            .unwrap(),
        Table::Ext(t) => MultilinearPoly::new(t.clone())
            .unwrap()
            .evaluate(r)
            .unwrap(),
    }
}

/// `offset + sum_k c_k r_k (1 - r_k)`, from the definition.
fn randomizer_at(m: &MaskedFactor<F, EF>, r: &[EF]) -> EF {
    m.offset
        + m.coeffs
            .iter()
            .zip(r)
            .map(|(&c, &x)| c * x * (EF::ONE - x))
            .sum::<EF>()
}

/// `sum_x f(x)` with each masked factor `T + offset` on the cube, straight from the definition.
fn cube_sum(instance: &MaskedInstance<EF>, factors: &[Factor<F, EF>]) -> EF {
    let entry = |t: &Table<F, EF>, x: usize| match t {
        Table::Base(t) => EF::from(t[x]),
        Table::Ext(t) => t[x],
    };
    (0..1usize << instance.num_vars())
        .map(|x| {
            let values: Vec<EF> = factors
                .iter()
                .map(|f| match f {
                    Factor::Public(t) | Factor::Hidden(t) | Factor::Revealed(t) => entry(t, x),
                    Factor::Masked(m) => entry(&m.table, x) + m.offset,
                })
                .collect();
            instance.sum.combine(&values).unwrap()
        })
        .sum()
}

impl Honest {
    pub(super) fn public_evals(&self, r: &[EF]) -> Vec<EF> {
        let public = self.factors.iter().filter_map(|f| match f {
            Factor::Public(t) | Factor::Hidden(t) => Some(table_at(t, r)),
            Factor::Masked(_) | Factor::Revealed(_) => None,
        });
        public.collect()
    }

    /// `rho * g(r) + K / 2^n` for the claim's point and `rho`, with the mask the prover used.
    pub(super) fn truth(&self, claim: &DeferredMaskClaim<EF>) -> EF {
        let (n, d) = (self.instance.num_vars(), self.instance.degree());
        let g = if self.masked {
            seeded_mask(self.seed, n, d).eval(&claim.point)
        } else {
            EF::ZERO
        };
        let two_n = EF::from_u64(1 << n);
        claim.rho * g + self.hidden * two_n.inverse()
    }

    /// Verifies `proof` for the value `v`; `Ok(true)` if the deferred claim holds for the honest mask
    /// and hidden constant.
    pub(super) fn outcome(
        &self,
        v: EF,
        proof: &MaskedSumcheckProof<EF>,
    ) -> Result<bool, SumcheckError> {
        let sub = verify(&self.instance, v, proof, &mut transcript("test"))?;
        let claim = verify_final(&self.instance, &sub, &self.public_evals(&sub.point))?;
        Ok(claim.value == self.truth(&claim))
    }

    /// The full completeness check of the brief.
    fn check_complete(mut self) {
        let out = &self.out;
        let r = &out.point;
        let mut vt = transcript("test");
        let sub = verify(&self.instance, self.claim, &out.proof, &mut vt).unwrap();
        assert_eq!((&sub.point, sub.rho), (r, out.deferred.rho));
        let claim = verify_final(&self.instance, &sub, &self.public_evals(r)).unwrap();
        assert_eq!(claim, out.deferred);
        assert_eq!(claim.value, self.truth(&claim), "rho g(r) + K / 2^n != e");
        // The same claim through the linear forms on the committed data.
        let (n, d) = (r.len(), self.instance.degree());
        let mask = if self.masked {
            seeded_mask(self.seed, n, d)
        } else {
            Mask::zero(n, d)
        };
        let coeffs = mask.coeffs();
        let form = claim.mask_form::<F>();
        assert_eq!(form.len(), coeffs.len());
        let lhs: EF = form.iter().zip(&coeffs).map(|(&l, &c)| l * c).sum::<EF>()
            + claim.hidden_coeff() * self.hidden;
        assert_eq!(lhs, claim.value);
        // Each masked final value is T^(r), by the definition and by the linear form.
        let masked = self.factors.iter().filter_map(|f| match f {
            Factor::Masked(m) => Some(m),
            Factor::Public(_) | Factor::Hidden(_) | Factor::Revealed(_) => None,
        });
        let form = MaskedFactor::<F, EF>::final_value_form(r);
        let mut count = 0;
        for (m, &value) in masked.zip(&out.proof.final_values) {
            let t = table_at(&m.table, r);
            assert_eq!(value, t + randomizer_at(m, r));
            let dot: EF = form.iter().zip(&m.coeffs).map(|(&l, &c)| l * c).sum();
            assert_eq!(value, t + m.offset + dot);
            count += 1;
        }
        assert_eq!(count, self.instance.num_sent());
        assert_eq!(out.proof.final_values.len(), count);
        assert_eq!(self.transcript.challenge("next"), vt.challenge("next"));
    }
}

#[test]
fn honest_proofs_of_the_three_shapes_verify() {
    for n in [1, 3, 5] {
        for (i, (terms, specs)) in shapes(&mut Rng(n as u64)).into_iter().enumerate() {
            honest(10 * n as u64 + i as u64, n, terms, &specs, true).check_complete();
        }
    }
}

#[test]
fn masked_degree_counts_two_per_masked_factor() {
    let degrees: Vec<usize> = shapes(&mut Rng(1))
        .into_iter()
        .map(|(terms, specs)| honest(1, 2, terms, &specs, true).instance.degree())
        .collect();
    assert_eq!(degrees, [4, 5, 4]);
}

#[test]
fn large_tables_take_the_parallel_path() {
    let n = zkinfer_poly::PAR_MIN_LOG + 1;
    let (terms, specs) = shapes(&mut Rng(2)).remove(2);
    honest(2, n, terms, &specs, true).check_complete();
}

/// With all randomness zero the masked prover runs the plain sumcheck: on the same transcript
/// prefix, the plain prover with the degree raised to the masked one sends the same messages and
/// reaches the same point; the plain prover of native degree has the same first round polynomial.
#[test]
fn zero_randomness_reproduces_the_plain_sumcheck() {
    let n = 4;
    for (terms, specs) in shapes(&mut Rng(3)) {
        let h = honest(3, n, terms, &specs, false);
        h.check_complete_zero();
    }
}

impl Honest {
    fn check_complete_zero(&self) {
        let tables: Vec<Vec<EF>> = self
            .factors
            .iter()
            .map(|f| match f {
                Factor::Public(t)
                | Factor::Hidden(t)
                | Factor::Revealed(t)
                | Factor::Masked(MaskedFactor { table: t, .. }) => match t {
                    Table::Base(t) => t.iter().map(|&v| EF::from(v)).collect(),
                    Table::Ext(t) => t.clone(),
                },
            })
            .collect();
        let plain = |degree: Option<usize>| {
            let mut t = transcript("test");
            t.observe(LABEL_MASK_SUM, &[EF::ZERO]);
            let _rho = t.challenge(LABEL_MASK_RHO);
            let mut sum =
                ProductSum::new(self.instance.num_vars(), self.instance.sum.terms.clone());
            sum.degree = degree.unwrap_or(sum.degree);
            crate::prove::<EF, EF>(&sum, tables.clone(), &mut t)
        };
        let out = &self.out;
        assert_eq!(out.proof.mask_sum, EF::ZERO);
        let (raised, point, evals) = plain(Some(self.instance.degree()));
        assert_eq!(out.proof.rounds, raised);
        assert_eq!((&out.point, &out.evals), (&point, &evals));

        let (native, _, _) = plain(None);
        let (m0, p0) = (&out.proof.rounds.round_polys[0], &native.round_polys[0]);
        assert!(p0.len() < m0.len(), "the masked degree is higher");
        for z in [0u32, 1, 2, 7, 1000] {
            let z = EF::from_u32(z);
            assert_eq!(interpolate_at(m0, z), interpolate_at(p0, z));
        }
        // With the randomness switched on, the same tables give other round messages.
        assert_ne!(out.proof.rounds, honest_random_of(self).out.proof.rounds);
    }
}

fn honest_random_of(h: &Honest) -> Honest {
    let specs: Vec<Spec> = h
        .factors
        .iter()
        .map(|f| match f {
            Factor::Public(Table::Ext(_)) | Factor::Hidden(Table::Ext(_)) => Spec::PubEq,
            Factor::Public(_) | Factor::Hidden(_) | Factor::Revealed(_) => Spec::PubBase,
            Factor::Masked(MaskedFactor {
                table: Table::Base(_),
                ..
            }) => Spec::MaskBase,
            Factor::Masked(_) => Spec::MaskExt,
        })
        .collect();
    honest(
        h.seed,
        h.instance.num_vars(),
        h.instance.sum.terms.clone(),
        &specs,
        true,
    )
}

/// The masks are in effect: with random `c` no masked final value is `T~(r)`, nor `T~(r) + offset`.
#[test]
fn random_coeffs_mask_the_final_values() {
    for (i, (terms, specs)) in shapes(&mut Rng(4)).into_iter().enumerate() {
        let h = honest(40 + i as u64, 4, terms, &specs, true);
        let r = &h.out.point;
        let masked = h.factors.iter().filter_map(|f| match f {
            Factor::Masked(m) => Some(m),
            Factor::Public(_) | Factor::Hidden(_) | Factor::Revealed(_) => None,
        });
        for (m, &value) in masked.zip(&h.out.proof.final_values) {
            let t = table_at(&m.table, r);
            assert_ne!(value, t);
            assert_ne!(value, t + m.offset);
        }
    }
}

#[test]
fn proof_and_instance_serde_round_trip() {
    let (terms, specs) = shapes(&mut Rng(6)).remove(2);
    let h = honest(6, 3, terms, &specs, true);
    let bytes = postcard::to_allocvec(&h.out.proof).unwrap();
    let back: MaskedSumcheckProof<EF> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, h.out.proof);
    let bytes = postcard::to_allocvec(&h.instance).unwrap();
    let back: MaskedInstance<EF> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, h.instance);
}

#[test]
fn masked_factor_debug_hides_the_table() {
    let m = MaskedFactor::<F, EF> {
        table: Table::Base(vec![F::from_u32(12345)]),
        offset: EF::ZERO,
        coeffs: vec![],
    };
    let shown = format!("{m:?}");
    assert!(
        shown.contains("MaskedFactor") && !shown.contains("12345"),
        "{shown}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random shapes on 0..5 variables: 1 to 4 factors of random kinds and fields, 1 to 3 random
    /// terms of 1 to 3 factors, plus a one-factor term for each factor.
    #[test]
    fn random_shapes_are_complete(seed: u64, n in 0usize..5) {
        let mut rng = Rng(seed);
        let num = 1 + rng.below(4);
        let all = [Spec::PubBase, Spec::PubEq, Spec::MaskBase, Spec::MaskExt];
        let specs: Vec<Spec> = (0..num).map(|_| all[rng.below(4)]).collect();
        let mut terms: Terms = (0..1 + rng.below(3))
            .map(|_| (rng.ext(), (0..1 + rng.below(3)).map(|_| rng.below(num)).collect()))
            .collect();
        terms.extend((0..num).map(|i| (rng.ext(), vec![i])));
        honest(seed, n, terms, &specs, true).check_complete();
    }
}
