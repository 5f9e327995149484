//! Completeness of the masked sumcheck, the mask's algebra, and tests that the masks are in
//! effect: a zero mask reproduces the unmasked messages, a random one changes all of them.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::{FiatShamir, Transcript};

use super::{
    LABEL_MASK_RHO, LABEL_MASK_SUM, MaskPoly, ZkProverOutput, ZkSumcheckProof, prove,
    verify_with_evals,
};
use crate::test_util::{Rng, brute_force_evals, brute_force_sum, transcript};
use crate::{ProductSum, SumcheckProof};

pub type Mask = MaskPoly<F, EF>;

/// The mask a test with this seed uses; calling it twice gives the same mask.
pub fn seeded_mask(seed: u64, n: usize, degree: usize) -> Mask {
    Mask::random(n, degree, &mut StdRng::seed_from_u64(seed ^ 0x6d61_736b))
}

/// An honest masked proof of a random instance.
pub struct ZkHonest {
    pub instance: ProductSum<EF>,
    pub tables: Vec<Vec<F>>,
    pub claim: EF,
    pub out: ZkProverOutput<EF>,
    /// The prover's transcript after the proof.
    pub transcript: Transcript,
}

pub fn zk_honest(seed: u64, n: usize, degree: usize) -> ZkHonest {
    let mut rng = Rng(seed);
    let num_polys = 1 + rng.below(4);
    let instance = rng.instance(n, degree, num_polys);
    let tables = rng.tables(num_polys, n);
    let claim = brute_force_sum(&instance, &tables);
    let mut t = transcript("test");
    let out = prove(
        &instance,
        tables.clone(),
        seeded_mask(seed, n, degree),
        &mut t,
    );
    ZkHonest {
        instance,
        tables,
        claim,
        out,
        transcript: t,
    }
}

/// The unmasked proof on the masked protocol's transcript prefix (`G` observed, `rho` drawn), so
/// the two differ only by the mask's share of the messages.
fn unmasked(instance: &ProductSum<EF>, tables: &[Vec<F>], g_sum: EF) -> SumcheckProof<EF> {
    let mut t = transcript("test");
    t.observe(LABEL_MASK_SUM, &[g_sum]);
    let _rho = t.challenge(LABEL_MASK_RHO);
    crate::prove(instance, tables.to_vec(), &mut t).0
}

/// The binary expansion of `x` as a point, MSB first.
fn cube_point(x: usize, n: usize) -> Vec<EF> {
    (0..n)
        .map(|i| EF::from_usize((x >> (n - 1 - i)) & 1))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random n in 0..=8, degree 1..=3: the proof verifies, the mask claim is g(r) of the mask that
    /// was used, the final evaluations are the tables', and both transcripts end in one state.
    #[test]
    fn honest_masked_proofs_verify(seed: u64, n in 0usize..=8, degree in 1usize..=3) {
        let mut h = zk_honest(seed, n, degree);
        let out = &h.out;
        prop_assert_eq!(&out.final_evals, &brute_force_evals(&h.tables, &out.point));
        let g_r = seeded_mask(seed, n, degree).eval(&out.point);
        prop_assert_eq!(out.mask_claim.value, g_r);
        prop_assert_eq!(out.proof.mask_eval, g_r);
        let mut vt = transcript("test");
        let got = verify_with_evals(&h.instance, h.claim, &out.proof, &out.final_evals, &mut vt);
        prop_assert_eq!(got, Ok(out.mask_claim.clone()));
        prop_assert_eq!(out.mask_claim.point.clone(), out.point.clone());
        prop_assert_eq!(h.transcript.challenge("next"), vt.challenge("next"));
    }

    /// <eval_as_linear_form(r), coeffs()> = g(r), and G is the sum of g over the cube.
    #[test]
    fn mask_linear_form_and_cube_sum(seed: u64, n in 0usize..=5, degree in 1usize..=4) {
        let mask = seeded_mask(seed, n, degree);
        let coeffs = mask.coeffs();
        prop_assert_eq!(coeffs.len(), Mask::num_coeffs(n, degree));
        let mut rng = Rng(seed);
        let r: Vec<EF> = (0..n).map(|_| rng.ext()).collect();
        let form = mask.eval_as_linear_form(&r);
        prop_assert_eq!(form.len(), coeffs.len());
        let inner: EF = form.iter().zip(&coeffs).map(|(&l, &c)| l * c).sum();
        prop_assert_eq!(inner, mask.eval(&r));
        let cube: EF = (0..1 << n).map(|x| mask.eval(&cube_point(x, n))).sum();
        prop_assert_eq!(mask.sum_over_cube(), cube);
    }
}

/// With all tables zero the messages are `rho` times the mask's round polynomials alone: each must
/// equal `rho * sum_{x'} g(r_0, .., r_{k-1}, t, x')`, summed over the cube by brute force.
#[test]
fn mask_rounds_match_brute_force() {
    for (n, degree) in [(1, 1), (3, 2), (5, 3)] {
        let instance = ProductSum::<EF>::product(n, degree);
        let tables = vec![vec![F::ZERO; 1 << n]; degree];
        let out = prove(
            &instance,
            tables,
            seeded_mask(7, n, degree),
            &mut transcript("t"),
        );
        let mask = seeded_mask(7, n, degree);
        let mut t = transcript("t");
        t.observe(LABEL_MASK_SUM, &[mask.sum_over_cube()]);
        let rho = t.challenge(LABEL_MASK_RHO);
        for (k, msg) in out.proof.rounds.round_polys.iter().enumerate() {
            let free = n - k - 1;
            for (tv, &got) in msg.iter().enumerate() {
                let want: EF = (0..1 << free)
                    .map(|x| {
                        let mut p = out.point[..k].to_vec();
                        p.push(EF::from_usize(tv));
                        p.extend(cube_point(x, free));
                        mask.eval(&p)
                    })
                    .sum();
                assert_eq!(got, rho * want, "n {n}, round {k}, t {tv}");
            }
        }
    }
}

/// Issue 6: with the masking randomness fixed to zero the round messages, point and final
/// evaluations are exactly the unmasked protocol's (on the same transcript prefix); with a random
/// mask no value of any round message is.
#[test]
fn zero_mask_reproduces_unmasked_and_random_mask_changes_every_message() {
    let (n, degree) = (6, 3);
    let mut rng = Rng(77);
    let instance = rng.instance(n, degree, 3);
    let tables = rng.tables(3, n);
    let zero = prove(
        &instance,
        tables.clone(),
        Mask::zero(n, degree),
        &mut transcript("test"),
    );
    assert_eq!(zero.proof.mask_sum, EF::ZERO);
    let mut t = transcript("test");
    t.observe(LABEL_MASK_SUM, &[EF::ZERO]);
    let _rho = t.challenge(LABEL_MASK_RHO);
    let (plain, point, evals) = crate::prove(&instance, tables.clone(), &mut t);
    assert_eq!(zero.proof.rounds, plain);
    assert_eq!((zero.point, zero.final_evals), (point, evals));
    assert_eq!(zero.proof.mask_eval, EF::ZERO);

    let masked = prove(
        &instance,
        tables.clone(),
        seeded_mask(1, n, degree),
        &mut transcript("test"),
    );
    let plain_same_prefix = unmasked(&instance, &tables, masked.proof.mask_sum);
    for reference in [&plain, &plain_same_prefix] {
        for (k, (m, p)) in masked
            .proof
            .rounds
            .round_polys
            .iter()
            .zip(&reference.round_polys)
            .enumerate()
        {
            for (t, (a, b)) in m.iter().zip(p).enumerate() {
                assert_ne!(a, b, "round {k}, t {t} is unmasked");
            }
        }
    }
}

/// Two proofs of one instance with fresh masks differ in every value of the first round message,
/// and over 32 proofs no value repeats: the message is not a function of the witness.
#[test]
fn first_round_message_is_not_a_function_of_the_witness() {
    let (n, degree) = (5, 2);
    let mut rng = Rng(88);
    let instance = rng.instance(n, degree, 2);
    let tables = rng.tables(2, n);
    let claim = brute_force_sum(&instance, &tables);
    let mut os = rand::rng();
    let firsts: Vec<Vec<EF>> = (0..32)
        .map(|_| {
            let mask = Mask::random(n, degree, &mut os);
            let out = prove(&instance, tables.clone(), mask, &mut transcript("test"));
            let mut vt = transcript("test");
            verify_with_evals(&instance, claim, &out.proof, &out.final_evals, &mut vt).unwrap();
            out.proof.rounds.round_polys[0].clone()
        })
        .collect();
    for (i, a) in firsts.iter().enumerate() {
        for b in &firsts[..i] {
            for t in 0..=degree {
                assert_ne!(a[t], b[t], "s_0({t}) repeats across proofs");
            }
        }
    }
}

#[test]
fn large_tables_take_the_parallel_path() {
    let n = zkinfer_poly::PAR_MIN_LOG + 1;
    let h = zk_honest(5, n, 2);
    assert_eq!(
        h.out.final_evals,
        brute_force_evals(&h.tables, &h.out.point)
    );
    let got = verify_with_evals(
        &h.instance,
        h.claim,
        &h.out.proof,
        &h.out.final_evals,
        &mut transcript("test"),
    );
    assert_eq!(got, Ok(h.out.mask_claim));
}

#[test]
fn proof_serde_round_trip() {
    let h = zk_honest(9, 4, 2);
    let bytes = postcard::to_allocvec(&h.out.proof).unwrap();
    let back: ZkSumcheckProof<EF> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, h.out.proof);
}

#[test]
fn mask_debug_hides_coefficients() {
    let mask = seeded_mask(3, 2, 2);
    let shown = format!("{mask:?}");
    assert!(shown.contains("num_vars: 2"));
    for c in mask.coeffs() {
        assert!(!shown.contains(&format!("{c:?}")), "{shown}");
    }
}
