//! Adversarial review 4: wiring and matmul written once over the proof mode (`Plain` | `Zk`), the
//! masked engine's clear run and its `Revealed` role.
//!
//! The cheating provers here build internally consistent layer proofs of FALSE claims (round
//! messages that sum to the false value, final values chosen freely after the last challenge). A
//! plain layer now solves its last input's value from the final check instead of checking it, so
//! such a proof is *accepted by the layer verifier*; what must hold is that the error cannot be
//! laundered away: at least one returned claim is false (and the caller's settlement refuses it),
//! or the verifier refuses outright. Every test asserts that.

use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::zk::masked::{self, ClearSumcheckProof, FactorKind, MaskedInstance};
use zkinfer_sumcheck::{
    LABEL_CHALLENGE, LABEL_ROUND, SumcheckError, SumcheckProof, interpolate_at, observe_final_evals,
};
use zkinfer_transcript::FiatShamir;

use crate::matmul::{self, MatMulProof, MatMulShape};
use crate::test_util::{Rng, mle, transcript};
use crate::wiring::{self, WiringProof};
use crate::zk::split_extended;
use crate::{Claim, LayerError, Plain, SparseMap, combine, no_hidden, padded_len};

// ---------------------------------------------------------------------------------------------
// A cheating clear-run prover for `sum_x sum_i P_i(x) T_i(x) = claim` (MSB-first tables)
// ---------------------------------------------------------------------------------------------

/// Runs the rounds of a clear product sumcheck of degree 2 for an arbitrary `claim`: each round is
/// the honest message plus `c (1 - X)` with `c` what makes `s(0) + s(1)` the running claim. Returns
/// the rounds, the point, the last round's value `e` and the honest `T_i(point)`. Observes exactly
/// what the verifier observes (rounds, challenges); the caller observes the final values.
fn cheat_rounds(
    pairs: &[(Vec<EF>, Vec<EF>)],
    claim: EF,
    t: &mut impl FiatShamir<EF>,
) -> (SumcheckProof<EF>, Vec<EF>, EF, Vec<EF>) {
    let mut tabs: Vec<(Vec<EF>, Vec<EF>)> = pairs.to_vec();
    let n = tabs[0].0.len().trailing_zeros() as usize;
    let mut running = claim;
    let mut rounds = Vec::new();
    let mut point = Vec::new();
    for _ in 0..n {
        let half = tabs[0].0.len() / 2;
        let mut h = [EF::ZERO; 3];
        for (p, q) in &tabs {
            for j in 0..half {
                for (ti, hv) in h.iter_mut().enumerate() {
                    let tt = EF::from(F::from_u64(ti as u64));
                    let pv = p[j] + tt * (p[half + j] - p[j]);
                    let qv = q[j] + tt * (q[half + j] - q[j]);
                    *hv += pv * qv;
                }
            }
        }
        let c = running - (h[0] + h[1]);
        let s = vec![h[0] + c, h[1], h[2] - c];
        t.observe(LABEL_ROUND, &s);
        let r = t.challenge(LABEL_CHALLENGE);
        running = interpolate_at(&s, r);
        rounds.push(s);
        point.push(r);
        for (p, q) in tabs.iter_mut() {
            for tab in [p, q] {
                let folded: Vec<EF> = (0..half)
                    .map(|j| tab[j] + r * (tab[half + j] - tab[j]))
                    .collect();
                *tab = folded;
            }
        }
    }
    let finals = tabs.iter().map(|(_, q)| q[0]).collect();
    (
        SumcheckProof {
            round_polys: rounds,
        },
        point,
        running,
        finals,
    )
}

fn lift(t: &[F], len: usize) -> Vec<EF> {
    let mut v: Vec<EF> = t.iter().map(|&x| EF::from(x)).collect();
    v.resize(len, EF::ZERO);
    v
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------

struct Wiring {
    maps: Vec<SparseMap>,
    inputs: Vec<Vec<F>>,
    out: Vec<F>,
}

/// Inputs of the given sizes mapped into one output of 11 entries.
fn wiring_case(seed: u64, in_lens: &[usize]) -> Wiring {
    let mut rng = Rng(seed);
    let out_len = 11;
    let maps: Vec<SparseMap> = in_lens
        .iter()
        .map(|&in_len| {
            let entries = (0..20)
                .map(|_| {
                    (
                        rng.below(out_len as u64) as u32,
                        rng.below(in_len as u64) as u32,
                        rng.small(3) as i32,
                    )
                })
                .collect();
            SparseMap::new(out_len, in_len, entries).unwrap()
        })
        .collect();
    let inputs: Vec<Vec<F>> = in_lens
        .iter()
        .map(|&l| (0..padded_len(l)).map(|_| rng.field(100)).collect())
        .collect();
    let mut out = vec![F::ZERO; padded_len(out_len)];
    for (m, x) in maps.iter().zip(&inputs) {
        for (o, v) in out.iter_mut().zip(m.apply(x)) {
            *o += v;
        }
    }
    Wiring { maps, inputs, out }
}

/// How the cheating wiring prover spends its freedom in the final values.
#[derive(Clone, Copy, Debug)]
enum Steer {
    /// Sends the honest values: the error lands on the last (solved) input.
    Honest,
    /// Chooses input `0`'s sent value so that the last input's solved claim is TRUE.
    LastTrue,
}

/// A plain wiring proof of `claim` (false or not) over the honest inputs; returns the proof.
fn cheat_wiring(c: &Wiring, claim: &Claim, steer: Steer, tag: &str) -> WiringProof<Plain> {
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let mut t = transcript(tag);
    let out_vars = maps[0].out_vars();
    let (weights, combined) =
        combine("wiring", std::slice::from_ref(claim), out_vars, &mut t).unwrap();
    let n = maps.iter().map(|m| m.in_vars()).max().unwrap();
    let pairs: Vec<(Vec<EF>, Vec<EF>)> = maps
        .iter()
        .zip(&c.inputs)
        .map(|(m, x)| {
            let mut pb = m.pull_back(&weights);
            pb.resize(1 << n, EF::ZERO);
            (pb, lift(x, 1 << n))
        })
        .collect();
    let (rounds, s, e, finals) = cheat_rounds(&pairs, combined, &mut t);
    let k = maps.len();
    let mut sent: Vec<EF> = finals[..k - 1].to_vec();
    if let Steer::LastTrue = steer {
        // known + coeff * true_last = e, solved for sent[0].
        let (zl, sl) = split_extended("t", &s, maps[k - 1].in_vars()).unwrap();
        let coeff = zl * zl * maps[k - 1].bilinear(&weights, &eq_table(sl));
        let true_last = mle(&c.inputs[k - 1], sl);
        let mut others = EF::ZERO;
        for i in 1..k - 1 {
            let (z, lo) = split_extended("t", &s, maps[i].in_vars()).unwrap();
            others += z * maps[i].bilinear(&weights, &eq_table(lo)) * sent[i];
        }
        let (z0, lo0) = split_extended("t", &s, maps[0].in_vars()).unwrap();
        let m0 = z0 * maps[0].bilinear(&weights, &eq_table(lo0));
        sent[0] = (e - others - coeff * true_last) * m0.inverse();
    }
    // Plain proofs send the deferred (last) input's value too, and the verifier checks the final
    // equation: the cheater sends the value that closes it, `(e - known) / M_last'(s)`.
    let mut known = EF::ZERO;
    for (i, &v) in sent.iter().enumerate() {
        let (z, lo) = split_extended("t", &s, maps[i].in_vars()).unwrap();
        known += z * maps[i].bilinear(&weights, &eq_table(lo)) * v;
    }
    let (zl, sl) = split_extended("t", &s, maps[k - 1].in_vars()).unwrap();
    let m_last = zl * maps[k - 1].bilinear(&weights, &eq_table(sl));
    sent.push((e - known) * m_last.inverse());
    observe_final_evals(&mut t, &sent);
    WiringProof {
        sumcheck: ClearSumcheckProof {
            rounds,
            final_values: sent,
        },
    }
}

fn verify_wiring(
    c: &Wiring,
    claim: &Claim,
    proof: &WiringProof<Plain>,
    tag: &str,
) -> Result<Vec<Claim>, LayerError> {
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    wiring::verify::<Plain>(
        &maps,
        std::slice::from_ref(claim),
        &(),
        proof,
        &mut transcript(tag),
    )
}

fn all_true(claims: &[Claim], inputs: &[Vec<F>]) -> bool {
    claims
        .iter()
        .zip(inputs)
        .all(|(cl, x)| cl.value == mle(x, &cl.point))
}

fn out_claim(c: &Wiring, seed: u64, delta: EF) -> Claim {
    let point = Rng(seed).point(c.maps[0].out_vars());
    Claim {
        value: mle(&c.out, &point) + delta,
        point,
    }
}

/// The cheating prover itself is right: on a TRUE claim its proof verifies and every claim holds.
#[test]
fn cheating_wiring_prover_is_faithful_on_true_claims() {
    for in_lens in [&[13usize, 6][..], &[6, 13], &[5, 5, 9], &[1, 16]] {
        let c = wiring_case(7, in_lens);
        let claim = out_claim(&c, 3, EF::ZERO);
        let proof = cheat_wiring(&c, &claim, Steer::Honest, "r4w");
        let cl = verify_wiring(&c, &claim, &proof, "r4w").unwrap();
        assert!(all_true(&cl, &c.inputs), "{in_lens:?}");
    }
}

/// A false output claim, with the error pushed to the solved input or steered onto a sent one:
/// the layer verifier accepts (nothing is checked at the final point any more) but some input
/// claim is false, for inputs of equal and different sizes (zero-extended), and in either order.
#[test]
fn false_wiring_claim_always_leaves_a_false_input_claim() {
    for in_lens in [&[13usize, 6][..], &[6, 13], &[5, 5, 9], &[1, 16], &[16, 1]] {
        let c = wiring_case(11, in_lens);
        let claim = out_claim(&c, 5, EF::ONE);
        for steer in [Steer::Honest, Steer::LastTrue] {
            let proof = cheat_wiring(&c, &claim, steer, "r4w");
            // The layer verifier accepts the proof of the false claim (nothing is checked at
            // the final point any more); the lie is in the claims it returns.
            let cl = verify_wiring(&c, &claim, &proof, "r4w").unwrap();
            assert!(
                !all_true(&cl, &c.inputs),
                "{in_lens:?} {steer:?}: laundered"
            );
            if let Steer::LastTrue = steer {
                let last = cl.last().unwrap();
                assert_eq!(last.value, mle(c.inputs.last().unwrap(), &last.point));
                assert_ne!(cl[0].value, mle(&c.inputs[0], &cl[0].point));
            }
        }
    }
}

/// One input only (every model's output view and most wirings): there is no sent value at all, so
/// the verifier checks nothing beyond the round sums; a false claim must still leave a false claim.
#[test]
fn single_input_wiring_false_claim_is_a_false_input_claim() {
    for len in [1usize, 2, 7, 16] {
        let c = wiring_case(3, &[len]);
        let claim = out_claim(&c, 9, EF::from(F::from_u64(5)));
        let proof = cheat_wiring(&c, &claim, Steer::Honest, "r4w1");
        let cl = verify_wiring(&c, &claim, &proof, "r4w1").unwrap();
        assert!(!all_true(&cl, &c.inputs), "len {len}");
    }
}

/// The verifier counts the final values: one too many or too few, or a round too many or too
/// few, is refused (never read as another input's value).
#[test]
fn wiring_final_value_and_round_counts_are_checked() {
    let c = wiring_case(21, &[13, 6]);
    let claim = out_claim(&c, 2, EF::ZERO);
    let honest = cheat_wiring(&c, &claim, Steer::Honest, "r4c");
    assert!(verify_wiring(&c, &claim, &honest, "r4c").is_ok());
    let mut more = honest.clone();
    more.sumcheck.final_values.push(EF::ONE);
    let mut fewer = honest.clone();
    fewer.sumcheck.final_values.clear();
    let mut short = honest.clone();
    short.sumcheck.rounds.round_polys.pop();
    let mut long = honest.clone();
    long.sumcheck
        .rounds
        .round_polys
        .push(vec![EF::ZERO, EF::ZERO, EF::ZERO]);
    let mut high = honest.clone();
    for s in &mut high.sumcheck.rounds.round_polys {
        s.push(EF::ZERO);
    }
    for (what, p) in [
        ("more", more),
        ("fewer", fewer),
        ("short", short),
        ("long", long),
        ("degree 3", high),
    ] {
        assert!(verify_wiring(&c, &claim, &p, "r4c").is_err(), "{what}");
    }
}

/// Sub-proofs swapped: a proof for the inputs in one order checked against the maps in the other
/// order, and one layer's proof replayed at another layer (other maps, same claim). Either refused
/// or leaves a false claim.
#[test]
fn swapped_wiring_sub_proofs_do_not_verify_into_true_claims() {
    let c = wiring_case(31, &[13, 6]);
    let swapped = Wiring {
        maps: vec![c.maps[1].clone(), c.maps[0].clone()],
        inputs: vec![c.inputs[1].clone(), c.inputs[0].clone()],
        out: c.out.clone(),
    };
    let claim = out_claim(&c, 4, EF::ZERO);
    let proof = cheat_wiring(&c, &claim, Steer::Honest, "r4s");
    if let Ok(cl) = verify_wiring(&swapped, &claim, &proof, "r4s") {
        assert!(!all_true(&cl, &swapped.inputs));
    }
    // Another layer: same sizes, other maps, whose true output differs.
    let other = wiring_case(32, &[13, 6]);
    let claim_other = Claim {
        point: claim.point.clone(),
        value: claim.value,
    };
    if let Ok(cl) = verify_wiring(&other, &claim_other, &proof, "r4s") {
        // `claim` is false for `other`'s output (other maps): some input claim must be false.
        assert_ne!(mle(&other.out, &claim.point), claim.value);
        assert!(!all_true(&cl, &other.inputs));
    }
}

/// An input whose map never reads it (no entries) is never the deferred one (its pulled-back table
/// vanishes, nothing could be solved from it): with the zero map last, the honest proof still
/// verifies in both modes with true claims, and a false output claim leaves a false claim.
#[test]
fn a_zero_map_input_is_never_deferred() {
    let mut c = wiring_case(41, &[13, 6]);
    c.maps[1] = SparseMap::new(11, 6, vec![]).unwrap();
    c.out = c.maps[0].apply(&c.inputs[0]);
    c.out.resize(16, F::ZERO);
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let ins: Vec<&[F]> = c.inputs.iter().map(Vec::as_slice).collect();
    for delta in [EF::ZERO, EF::ONE] {
        let claim = out_claim(&c, 8, delta);
        let mut t = transcript("r4z");
        let proven = wiring::prove::<Plain>(
            &maps,
            &ins,
            std::slice::from_ref(&claim),
            &(),
            (),
            &no_hidden,
            &mut t,
        );
        let honest = delta == EF::ZERO;
        match proven {
            Ok((proof, _)) => {
                let got = verify_wiring(&c, &claim, &proof, "r4z");
                assert_eq!(got.is_ok_and(|cl| all_true(&cl, &c.inputs)), honest);
            }
            Err(e) => assert!(!honest, "the honest prover failed: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Matmul
// ---------------------------------------------------------------------------------------------

struct Mm {
    shape: MatMulShape,
    w: Vec<F>,
    x: Vec<F>,
    bias: Option<Vec<F>>,
    prod: Vec<F>,
}

fn mm_case(seed: u64, shape: MatMulShape, zero_w: bool) -> Mm {
    let mut rng = Rng(seed);
    let (o, k, p) = (
        1usize << shape.o_vars,
        1usize << shape.k_vars,
        1usize << shape.p_vars,
    );
    let w: Vec<F> = (0..o * k)
        .map(|_| if zero_w { F::ZERO } else { rng.field(50) })
        .collect();
    let x: Vec<F> = (0..k * p).map(|_| rng.field(50)).collect();
    let bias: Option<Vec<F>> = shape
        .has_bias
        .then(|| (0..o).map(|_| rng.field(50)).collect());
    let mut prod = vec![F::ZERO; o * p];
    for i in 0..o {
        for j in 0..p {
            let mut acc = bias.as_ref().map_or(F::ZERO, |b| b[i]);
            for l in 0..k {
                acc += w[i * k + l] * x[l * p + j];
            }
            prod[i * p + j] = acc;
        }
    }
    Mm {
        shape,
        w,
        x,
        bias,
        prod,
    }
}

/// `Honest`: sends the true `w(r_o, r_k)` (the error lands on `x`); `LastTrue`: sends the weight
/// value that makes `x`'s solved claim true (the error lands on `w`).
fn cheat_matmul(c: &Mm, claim: &Claim, steer: Steer, send: Option<EF>) -> MatMulProof<Plain> {
    let mut t = transcript("r4m");
    let (o, k, p) = (c.shape.o_vars, c.shape.k_vars, c.shape.p_vars);
    t.observe(crate::LABEL_CLAIM_VALUES, &[claim.value]);
    let (r_o, r_p) = claim.point.split_at(o);
    let bias_eval = c.bias.as_ref().map(|b| mle(b, r_o));
    if let Some(b) = bias_eval {
        t.observe(matmul::LABEL_BIAS, &[b]);
    }
    let eq_o = eq_table(r_o);
    let eq_p = eq_table(r_p);
    let mut w_r = vec![EF::ZERO; 1 << k];
    for (row, &e) in c.w.chunks(1 << k).zip(&eq_o) {
        for (acc, &v) in w_r.iter_mut().zip(row) {
            *acc += e * v;
        }
    }
    let x_r: Vec<EF> =
        c.x.chunks(1 << p)
            .map(|row| row.iter().zip(&eq_p).map(|(&v, &e)| e * v).sum())
            .collect();
    let claimed = claim.value - bias_eval.unwrap_or(EF::ZERO);
    // Factor order of the engine's instance: [w (sent), x (deferred)]; as a pair (x, w) the
    // cheater's "T" is w.
    let (rounds, r_k, e, finals) = cheat_rounds(&[(x_r, w_r)], claimed, &mut t);
    let sent = match (send, steer) {
        (Some(v), _) => v,
        (None, Steer::Honest) => finals[0],
        (None, Steer::LastTrue) => {
            let xt = mle(&c.x, &[&r_k[..], r_p].concat());
            e * xt.inverse()
        }
    };
    // Plain proofs send x's value too (the final check is made): the one that closes it, or
    // anything when the sent weight value is zero (the check then reads `0 = e`).
    let x_sent = sent.try_inverse().map_or(EF::ZERO, |inv| e * inv);
    observe_final_evals(&mut t, &[sent, x_sent]);
    MatMulProof {
        bias_eval,
        sumcheck: ClearSumcheckProof {
            rounds,
            final_values: vec![sent, x_sent],
        },
    }
}

fn mm_claim(c: &Mm, seed: u64, delta: EF) -> Claim {
    let point = Rng(seed).point(c.shape.o_vars + c.shape.p_vars);
    Claim {
        value: mle(&c.prod, &point) + delta,
        point,
    }
}

const SHAPES: [MatMulShape; 4] = [
    MatMulShape {
        o_vars: 2,
        k_vars: 3,
        p_vars: 1,
        has_bias: true,
    },
    MatMulShape {
        o_vars: 0,
        k_vars: 2,
        p_vars: 0,
        has_bias: false,
    },
    // K = 1: no rounds at all; the solved x is (v - bias) / w(r_o).
    MatMulShape {
        o_vars: 1,
        k_vars: 0,
        p_vars: 2,
        has_bias: true,
    },
    MatMulShape {
        o_vars: 3,
        k_vars: 1,
        p_vars: 0,
        has_bias: false,
    },
];

#[test]
fn false_matmul_claim_always_leaves_a_false_claim() {
    for shape in SHAPES {
        let c = mm_case(5, shape, false);
        let truth = mm_claim(&c, 6, EF::ZERO);
        let proof = cheat_matmul(&c, &truth, Steer::Honest, None);
        let mc =
            matmul::verify::<Plain>(shape, &truth, &(), &proof, &mut transcript("r4m")).unwrap();
        assert_eq!(
            mc.input.value,
            mle(&c.x, &mc.input.point),
            "{shape:?} honest"
        );
        assert_eq!(mc.weight.value, mle(&c.w, &mc.weight.point));
        let lie = mm_claim(&c, 6, EF::from(F::from_u64(3)));
        for steer in [Steer::Honest, Steer::LastTrue] {
            let proof = cheat_matmul(&c, &lie, steer, None);
            let mc =
                matmul::verify::<Plain>(shape, &lie, &(), &proof, &mut transcript("r4m")).unwrap();
            let x_ok = mc.input.value == mle(&c.x, &mc.input.point);
            let w_ok = mc.weight.value == mle(&c.w, &mc.weight.point);
            let b_ok = mc
                .bias
                .as_ref()
                .is_none_or(|b| b.value == mle(c.bias.as_ref().unwrap(), &b.point));
            assert!(!(x_ok && w_ok && b_ok), "{shape:?} {steer:?}: laundered");
        }
    }
}

/// All-zero weights: `w(r_o, r_k) = 0` for every point, so `x`'s solved value would be
/// unconstrained. A cheater sending the true zero is refused (the coefficient vanishes); one
/// sending a nonzero weight value makes the weight claim false.
#[test]
fn zero_weights_leave_no_unconstrained_input() {
    for shape in SHAPES {
        let c = mm_case(9, shape, true);
        let lie = mm_claim(&c, 6, EF::from(F::from_u64(3)));
        let proof = cheat_matmul(&c, &lie, Steer::Honest, Some(EF::ZERO));
        let got = matmul::verify::<Plain>(shape, &lie, &(), &proof, &mut transcript("r4m"));
        assert!(got.is_err(), "{shape:?}: zero weight value accepted");
        let proof = cheat_matmul(&c, &lie, Steer::Honest, Some(EF::ONE));
        if let Ok(mc) = matmul::verify::<Plain>(shape, &lie, &(), &proof, &mut transcript("r4m")) {
            assert_ne!(mc.weight.value, mle(&c.w, &mc.weight.point));
        }
    }
}

/// Completeness, not soundness: an honest plain proof of a matmul whose weights are all zero
/// (e.g. a pruned layer). The old plain matmul checked `0 * x = e`; the new one solves for `x`
/// and refuses the vanishing coefficient, so the honest prover fails.
#[test]
fn honest_zero_weight_matmul_proves() {
    let shape = SHAPES[0];
    let c = mm_case(9, shape, true);
    let claim = mm_claim(&c, 6, EF::ZERO);
    let got = matmul::prove::<Plain>(
        shape,
        &c.w,
        &c.x,
        c.bias.as_deref(),
        &claim,
        &(),
        (),
        &no_hidden,
        &mut transcript("r4m"),
    );
    assert!(got.is_ok(), "{got:?}");
}

// ---------------------------------------------------------------------------------------------
// The engine's roles: a clear run takes no masked factor, a masked run no revealed one
// ---------------------------------------------------------------------------------------------

#[test]
fn runs_refuse_the_other_runs_role() {
    let revealed = MaskedInstance::new(
        1,
        vec![(EF::ONE, vec![0, 1])],
        vec![FactorKind::Revealed, FactorKind::Public],
    );
    let masked_inst = MaskedInstance::new(
        1,
        vec![(EF::ONE, vec![0, 1])],
        vec![FactorKind::Masked, FactorKind::Public],
    );
    let zk_proof = masked::MaskedSumcheckProof {
        mask_sum: EF::ZERO,
        rounds: SumcheckProof {
            round_polys: vec![vec![EF::ZERO; 4]],
        },
        final_values: vec![EF::ZERO],
    };
    let clear_proof = ClearSumcheckProof {
        rounds: SumcheckProof {
            round_polys: vec![vec![EF::ZERO; 3]],
        },
        final_values: vec![EF::ZERO],
    };
    assert!(matches!(
        masked::verify(&revealed, EF::ZERO, &zk_proof, &mut transcript("r4k")),
        Err(SumcheckError::FactorKindForRun { .. })
    ));
    assert!(matches!(
        masked::verify_clear(&masked_inst, EF::ZERO, &clear_proof, &mut transcript("r4k")),
        Err(SumcheckError::FactorKindForRun { .. })
    ));
    // The layers build their instances from the mode, never from the proof.
    assert_eq!(<Plain as crate::Mode>::SENT, FactorKind::Revealed);
    assert_eq!(<crate::Zk as crate::Mode>::SENT, FactorKind::Masked);
}

/// Schedule: the verifier's transcript after a layer equals the prover's (the next layer's
/// challenges depend on every value the verifier used, final values included).
#[test]
fn plain_wiring_and_matmul_bind_their_final_values() {
    let c = wiring_case(51, &[13, 6]);
    let claim = out_claim(&c, 2, EF::ZERO);
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let ins: Vec<&[F]> = c.inputs.iter().map(Vec::as_slice).collect();
    let mut tp = transcript("r4t");
    let (proof, _) = wiring::prove::<Plain>(
        &maps,
        &ins,
        std::slice::from_ref(&claim),
        &(),
        (),
        &no_hidden,
        &mut tp,
    )
    .unwrap();
    let mut tv = transcript("r4t");
    wiring::verify::<Plain>(&maps, std::slice::from_ref(&claim), &(), &proof, &mut tv).unwrap();
    assert_eq!(
        FiatShamir::<EF>::challenge(&mut tp, "x"),
        FiatShamir::<EF>::challenge(&mut tv, "x")
    );
    // A different sent value no longer closes the final check (plain proofs check it).
    for i in 0..proof.sumcheck.final_values.len() {
        let mut other = proof.clone();
        other.sumcheck.final_values[i] += EF::ONE;
        let mut tv2 = transcript("r4t");
        let got =
            wiring::verify::<Plain>(&maps, std::slice::from_ref(&claim), &(), &other, &mut tv2);
        assert!(got.is_err(), "changed sent value {i} accepted");
    }
}

/// The bias moves the claim before the sumcheck: a cheater that puts the whole lie into
/// `bias(r_o)` (so the sumcheck and every solved value are honest) leaves a false bias claim.
#[test]
fn false_matmul_claim_moved_into_the_bias_leaves_a_false_bias_claim() {
    for shape in SHAPES.into_iter().filter(|s| s.has_bias) {
        let c = mm_case(13, shape, false);
        let lie_by = EF::from(F::from_u64(7));
        let lie = mm_claim(&c, 6, lie_by);
        let mut t = transcript("r4m");
        let mut proof = cheat_matmul(&c, &lie, Steer::Honest, None);
        // Rebuild with the shifted bias (the schedule observes it before the rounds).
        let bias = proof.bias_eval.unwrap() + lie_by;
        t.observe(crate::LABEL_CLAIM_VALUES, &[lie.value]);
        t.observe(matmul::LABEL_BIAS, &[bias]);
        let (r_o, r_p) = lie.point.split_at(shape.o_vars);
        let eq_o = eq_table(r_o);
        let eq_p = eq_table(r_p);
        let k = shape.k_vars;
        let mut w_r = vec![EF::ZERO; 1 << k];
        for (row, &e) in c.w.chunks(1 << k).zip(&eq_o) {
            for (acc, &v) in w_r.iter_mut().zip(row) {
                *acc += e * v;
            }
        }
        let x_r: Vec<EF> =
            c.x.chunks(1 << shape.p_vars)
                .map(|row| row.iter().zip(&eq_p).map(|(&v, &e)| e * v).sum())
                .collect();
        let (rounds, r_k, _, finals) = cheat_rounds(&[(x_r, w_r)], lie.value - bias, &mut t);
        let x_value = mle(&c.x, &[&r_k[..], r_p].concat());
        proof.bias_eval = Some(bias);
        proof.sumcheck = ClearSumcheckProof {
            rounds,
            final_values: vec![finals[0], x_value],
        };
        let mc = matmul::verify::<Plain>(shape, &lie, &(), &proof, &mut transcript("r4m")).unwrap();
        assert_eq!(mc.input.value, mle(&c.x, &mc.input.point), "{shape:?}");
        assert_eq!(mc.weight.value, mle(&c.w, &mc.weight.point));
        let b = mc.bias.unwrap();
        assert_ne!(
            b.value,
            mle(c.bias.as_ref().unwrap(), &b.point),
            "{shape:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Zero knowledge: what the generic layers reveal in `Zk` mode
// ---------------------------------------------------------------------------------------------

/// `Zk` wiring and matmul through the generic code: each sent value is the true `T~(s)` plus
/// `<(s_k (1 - s_k))_k, c>` for that layer's randomizer `c` (one `EF` equation against `n`
/// fresh `EF` unknowns), never the value itself: the randomizer is always in effect (the weight's
/// too), and the deferred input is never sent.
#[test]
fn zk_sent_values_are_blinded_by_their_randomizers() {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use zkinfer_sumcheck::zk::MaskPoly;

    use crate::Zk;
    use crate::zk::{SymClaim, ZkIds, ZkSecrets};

    let blind = |c: &[EF], s: &[EF]| -> EF {
        c.iter()
            .zip(s)
            .map(|(&ci, &si)| ci * si * (EF::ONE - si))
            .sum()
    };
    // Wiring: two inputs of 8 entries (n = 3, no extension), input 0 sent and masked.
    let c = wiring_case(61, &[8, 8]);
    let maps: Vec<&SparseMap> = c.maps.iter().collect();
    let ins: Vec<&[F]> = c.inputs.iter().map(Vec::as_slice).collect();
    let shape = wiring::shape(&maps).unwrap();
    let mut rng = Rng(62);
    let rand_c: Vec<EF> = (0..shape.num_vars).map(|_| rng.ext()).collect();
    let secrets = ZkSecrets {
        mask: MaskPoly::random(shape.num_vars, shape.degree, &mut StdRng::seed_from_u64(63)),
        randomizers: vec![rand_c.clone()],
    };
    let ids = ZkIds {
        mask: 1,
        randomizers: vec![2],
    };
    let claim = SymClaim::public(out_claim(&c, 64, EF::ZERO));
    let (proof, claims) = wiring::prove::<Zk>(
        &maps,
        &ins,
        std::slice::from_ref(&claim),
        &ids,
        secrets,
        &no_hidden,
        &mut transcript("r4zk"),
    )
    .unwrap();
    assert_eq!(proof.sumcheck.final_values.len(), 1, "only input 0 is sent");
    let s = &claims[1].point;
    let sent = proof.sumcheck.final_values[0];
    let truth = mle(&c.inputs[0], s);
    assert_ne!(sent, truth);
    assert_eq!(sent - blind(&rand_c, s), truth);
    assert!(
        !claims[1].value.hidden.is_empty(),
        "deferred input is symbolic"
    );

    // Matmul: the weight's sent value.
    let shape = SHAPES[0];
    let m = mm_case(
        65,
        MatMulShape {
            has_bias: false,
            ..shape
        },
        false,
    );
    let zshape = matmul::shape(m.shape);
    assert_eq!(
        zshape.randomizers,
        vec![m.shape.k_vars],
        "the weight is always randomized"
    );
    let rand_w: Vec<EF> = (0..m.shape.k_vars).map(|_| rng.ext()).collect();
    let secrets = ZkSecrets {
        mask: MaskPoly::random(
            zshape.num_vars,
            zshape.degree,
            &mut StdRng::seed_from_u64(66),
        ),
        randomizers: vec![rand_w.clone()],
    };
    let claim = SymClaim::public(mm_claim(&m, 67, EF::ZERO));
    let (proof, mc) = matmul::prove::<Zk>(
        m.shape,
        &m.w,
        &m.x,
        None,
        &claim,
        &ids,
        secrets,
        &no_hidden,
        &mut transcript("r4zk"),
    )
    .unwrap();
    let r_k = &mc.input.point[..m.shape.k_vars];
    let sent = proof.sumcheck.final_values[0];
    let truth = mle(&m.w, &mc.weight.point);
    assert_ne!(sent, truth);
    assert_eq!(sent - blind(&rand_w, r_k), truth);
    // Without its randomizer the zk matmul refuses to run (it would send w in the clear).
    let no_rand = ZkSecrets {
        mask: MaskPoly::random(
            zshape.num_vars,
            zshape.degree,
            &mut StdRng::seed_from_u64(68),
        ),
        randomizers: vec![],
    };
    assert!(
        matmul::prove::<Zk>(
            m.shape,
            &m.w,
            &m.x,
            None,
            &claim,
            &ZkIds {
                mask: 1,
                randomizers: vec![],
            },
            no_rand,
            &no_hidden,
            &mut transcript("r4zk"),
        )
        .is_err()
    );
}
