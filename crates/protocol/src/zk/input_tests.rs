//! The private input against an attacker who sees only what a verifier sees (docs/pitfalls.md, 12).
//!
//! The link value `v` is the one revealed value that depends on `C_x`'s table: it is the opening of
//! `C_x` (HVZK-WHIR reveals nothing else) and a form claim on `Q`'s copies of `x` and `r_x`, which
//! no other claim mentions for `r_x`. So the attacker replays the transcript from the verifier key,
//! the output and the proof to get the link point, writes `v = sum_i X[i] eq(point, i)` as four
//! base-field equations in the table's unknown entries (the input's values and the blinder; the
//! input's padding is public zeros), and solves for the input.

use zkinfer_field::{
    BasedVectorSpace, EF, F, Field, PrimeCharacteristicRing, decode_signed, encode_signed,
};
use zkinfer_ir::{ModelBuilder, Op, QModel, QuantConfig};
use zkinfer_layers::mle_eval;
use zkinfer_pcs::HidingPcs;
use zkinfer_transcript::Transcript;

use super::hidden;
use super::input::{blinder_coords, blinder_vars, commitment_vars, input_range_spec, link_point};
use super::schedule;
use super::weights::WeightTree;
use crate::plan::Plan;
use crate::statement::{ZkInput, hiding_params, zk_statement};
use crate::test_support::Rng;
use crate::{VerifierKey, ZkModelProof, prove_zk_private, setup, verify_zk_private};

/// Input `[1, k]` -> Pad to `[1, 8]` -> Dense `8 -> 2` (a dense layer on one value has a masked
/// factor over no variables, which the zero-knowledge prover refuses).
fn tiny(k: usize, seed: u64) -> QModel {
    let mut r = Rng(seed);
    let mut b = ModelBuilder::new("tiny", QuantConfig::default());
    let x = b.input("x", vec![1, k], 1.0, 127).unwrap();
    let pad = Op::Pad {
        pads: vec![[0, 0], [0, 8 - k]],
        value: 0,
    };
    let p = b.push("pad", pad, vec![x], vec![1, 8], 1.0).unwrap();
    let dense = Op::Dense {
        weight: r.vec(16, 127),
        in_features: 8,
        out_features: 2,
    };
    let out = b.push("d", dense, vec![p], vec![1, 2], 1.0).unwrap();
    b.finish(vec![out])
}

/// Replays the verifier's transcript up to the link point: `(point, v)`.
fn replay(vk: &VerifierKey, output: &[i64], proof: &ZkModelProof) -> (Vec<EF>, EF) {
    let arch = &vk.architecture;
    let plan = Plan::compile(arch).unwrap();
    let node_inputs: Vec<Vec<usize>> = arch.nodes.iter().map(|n| n.inputs.clone()).collect();
    let input_vars = plan.node_vars[plan.input];
    let spec = input_range_spec(input_vars, arch.nodes[plan.input].bound).unwrap();
    let weight_vars: Vec<usize> = plan.weight_cols.iter().map(|c| c.num_vars).collect();
    let tree = WeightTree::new(&weight_vars).unwrap();
    let groups = schedule::groups(&plan, &node_inputs, output.len(), Some(&spec), &tree).unwrap();
    let mut base_vars: Vec<usize> = plan.witness_cols.iter().map(|c| c.num_vars).collect();
    base_vars.push(tree.in_vars());
    base_vars.extend([
        input_vars,
        blinder_vars(input_vars),
        input_vars,
        input_vars,
        spec.bits,
    ]);
    let layout = hidden::layout(&base_vars, &groups).unwrap();
    let c = proof.input_commitment.as_ref().unwrap();
    let statement = zk_statement(
        &vk.model_hash,
        vk.weight_digest().unwrap(),
        ZkInput::Committed(c),
        output,
    );
    let mut t = Transcript::new(&statement.unwrap());
    let hpcs = HidingPcs::new(hiding_params());
    hpcs.observe_commitment(c, commitment_vars(input_vars), &mut t)
        .unwrap();
    zkinfer_settle::observe_commitment(&hpcs, &layout, &proof.hidden_commitment, &mut t).unwrap();
    (link_point(&mut t, input_vars), proof.input_value.unwrap())
}

/// `eq(point, i)` for every index `i` of a table on `point.len()` variables (coordinate 0 the most
/// significant bit).
fn eq_table(point: &[EF]) -> Vec<EF> {
    let mut t = vec![EF::ONE];
    for &p in point {
        t = t.iter().flat_map(|&e| [e * (EF::ONE - p), e * p]).collect();
    }
    t
}

/// `v = sum_i X[i] eq(point, i)` as four equations over `F`, in the unknowns the attacker does not
/// know: the `k` input values (the first `k` entries) and the blinder (the second half). The rest
/// of the first half is the input's zero padding.
struct LinkSystem {
    /// Row `c`: coordinate `c` of each input value's coefficient.
    a_x: Vec<Vec<F>>,
    /// Row `c`: coordinate `c` of each blinder entry's coefficient.
    a_r: Vec<Vec<F>>,
    rhs: Vec<F>,
}

fn coords(e: EF) -> Vec<F> {
    e.as_basis_coefficients_slice().to_vec()
}

impl LinkSystem {
    fn new(point: &[EF], v: EF, k: usize) -> Self {
        let eq = eq_table(point);
        let half = eq.len() / 2;
        let rows = |cols: &[EF]| -> Vec<Vec<F>> {
            let c: Vec<Vec<F>> = cols.iter().map(|&e| coords(e)).collect();
            (0..4)
                .map(|row| c.iter().map(|col| col[row]).collect())
                .collect()
        };
        Self {
            a_x: rows(&eq[..k]),
            a_r: rows(&eq[half..]),
            rhs: coords(v),
        }
    }

    /// The input, if the equations determine it.
    fn recover(&self) -> Option<Vec<i64>> {
        let k = self.a_x[0].len();
        let m = self.a_r[0].len();
        let aug: Vec<Vec<F>> = (0..4)
            .map(|i| [&self.a_r[i][..], &self.a_x[i][..], &[self.rhs[i]]].concat())
            .collect();
        let r_rank = rref(self.a_r.clone()).1;
        let (reduced, rank) = rref(aug.clone());
        let full_rank = rref(aug.iter().map(|row| row[..m + k].to_vec()).collect()).1;
        if full_rank != rank || full_rank - r_rank < k {
            return None;
        }
        // Every input column is a pivot; its row is zero on the blinder and the other inputs.
        let mut x = vec![F::ZERO; k];
        for row in &reduced[..rank] {
            if let Some(p) = row.iter().position(|&e| e != F::ZERO)
                && p >= m
                && p < m + k
            {
                x[p - m] = row[m + k];
            }
        }
        Some(x.iter().map(|&f| decode_signed(f)).collect())
    }

    /// Whether some blinder makes `x` consistent with the revealed value.
    fn consistent(&self, x: &[i64]) -> bool {
        let x: Vec<F> = x.iter().map(|&v| encode_signed(v).unwrap()).collect();
        let rows: Vec<Vec<F>> = (0..4)
            .map(|i| {
                let known: F = self.a_x[i].iter().zip(&x).map(|(&a, &b)| a * b).sum();
                [&self.a_r[i][..], &[self.rhs[i] - known]].concat()
            })
            .collect();
        rref(rows).1 == rref(self.a_r.clone()).1
    }
}

/// Reduced row echelon form over `F` and the rank.
fn rref(mut m: Vec<Vec<F>>) -> (Vec<Vec<F>>, usize) {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for col in 0..cols {
        let Some(p) = (rank..m.len()).find(|&r| m[r][col] != F::ZERO) else {
            continue;
        };
        m.swap(rank, p);
        let inv = m[rank][col].inverse();
        m[rank].iter_mut().for_each(|e| *e *= inv);
        let pivot = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            let f = row[col];
            if r != rank && f != F::ZERO {
                row.iter_mut().zip(&pivot).for_each(|(e, &p)| *e -= f * p);
            }
        }
        rank += 1;
    }
    (m, rank)
}

/// The attack works where the blinding is too small: a table `[x, r_x]` of one input value and
/// one blinder entry (the layout that leaked) gives the input back.
#[test]
fn the_attack_recovers_an_under_blinded_input() {
    let mut r = Rng(31);
    for (k, n) in [(1, 0), (2, 1)] {
        let x = r.vec(k, 127);
        let other = {
            let mut o = x.clone();
            o[0] += 1;
            o
        };
        let mut table: Vec<F> = x.iter().map(|&v| encode_signed(v).unwrap()).collect();
        table.resize(1 << n, F::ZERO);
        let mut uniform = || encode_signed::<F>(r.small(1 << 29)).unwrap();
        table.extend((0..1 << n).map(|_| uniform()));
        let point: Vec<EF> = (0..=n)
            .map(|_| EF::from_basis_coefficients_fn(|_| uniform()))
            .collect();
        let sys = LinkSystem::new(&point, mle_eval(&table, &point), k);
        assert_eq!(sys.recover(), Some(x));
        assert!(!sys.consistent(&other));
    }
}

/// The attack on real proofs: for inputs of 1 to 4 values the revealed link value determines
/// nothing, both the input and another one are consistent with it.
#[test]
fn a_small_private_input_is_not_recovered_from_the_link_value() {
    let mut recovered = vec![];
    for k in 1..=4 {
        let (pk, vk) = setup(tiny(k, 40 + k as u64), crate::ProofMode::ZeroKnowledge).unwrap();
        let input = Rng(50 + k as u64).vec(k, 127);
        let (out, proof, opening) = prove_zk_private(&pk, &input).unwrap();
        verify_zk_private(&vk, &out, &proof).unwrap();
        let (point, v) = replay(&vk, &out, &proof);
        // The replay found the link point: the owner's table evaluates to `v` there.
        assert_eq!(mle_eval(&opening.table().unwrap(), &point), v);
        let sys = LinkSystem::new(&point, v, k);
        assert!(sys.consistent(&input), "{k} values: the true input");
        match sys.recover() {
            Some(x) => recovered.push((k, x == input)),
            None => {
                let mut other = input.clone();
                other[0] = if other[0] == 0 { 1 } else { -other[0] };
                assert!(sys.consistent(&other), "{k} values: another input");
            }
        }
    }
    assert!(
        recovered.is_empty(),
        "(input length, recovered exactly) from the link value alone: {recovered:?}"
    );
}

/// The fixed block coordinates `w*` make the four blinder blocks' coefficients an `F`-basis of
/// `EF`: the reason the link value is uniform for every input size, and the link binding.
#[test]
fn the_blinder_blocks_coefficients_are_a_basis() {
    let eq = eq_table(&blinder_coords());
    let rows: Vec<Vec<F>> = (0..4)
        .map(|row| eq.iter().map(|&e| coords(e)[row]).collect())
        .collect();
    assert_eq!(rref(rows).1, 4);
    assert_ne!(eq[0], EF::ZERO);
}

/// Binding: a committed table with anything but zeros next to the input (where the layout has
/// the blocks `w = 01, 10, 11` of the first half) does not satisfy the link identity, for any
/// blinder; with block coordinates in `F` (F-dependent coefficients) it could.
#[test]
fn entries_next_to_the_input_break_the_link() {
    let mut r = Rng(77);
    let n = 2;
    let mut uniform = || encode_signed::<F>(r.small(1 << 29)).unwrap();
    let x: Vec<F> = (0..1 << n).map(|_| uniform()).collect();
    let blinder: Vec<F> = (0..4 << n).map(|_| uniform()).collect();
    let beta = EF::from_basis_coefficients_fn(|_| uniform());
    let z: Vec<EF> = (0..n)
        .map(|_| EF::from_basis_coefficients_fn(|_| uniform()))
        .collect();
    let link = |w: [EF; 2], table: &[F]| {
        let point = [&[beta][..], &w, &z].concat();
        let eq00 = (EF::ONE - w[0]) * (EF::ONE - w[1]);
        let claimed =
            (EF::ONE - beta) * eq00 * mle_eval(&x, &z) + beta * mle_eval(&blinder, &point[1..]);
        mle_eval(table, &point) == claimed
    };
    let honest = super::input::committed_table(&x, &blinder);
    assert!(link(blinder_coords(), &honest));
    // Move part of x[0] into block w = 01, keeping the value at w = (2, 3) in F: there
    // eq(w, 00) x[0] = eq(w, 00) (x[0] - d) + eq(w, 01) d' for a suitable d', and the forged table
    // passes; at w* no such d' exists.
    let (w0, w1) = (F::from_u32(2), F::from_u32(3));
    let (e00, e01) = ((F::ONE - w0) * (F::ONE - w1), (F::ONE - w0) * w1);
    let d = F::ONE;
    let mut forged = honest.clone();
    forged[0] -= d;
    forged[1 << n] += e00 * d * e01.inverse();
    let w_in_f = [EF::from(w0), EF::from(w1)];
    assert!(link(w_in_f, &forged), "the forgery works for w in F");
    for d_prime in [F::ONE, e00 * e01.inverse(), uniform()] {
        let mut forged = honest.clone();
        forged[0] -= d;
        forged[1 << n] += d_prime;
        assert!(!link(blinder_coords(), &forged));
    }
}

/// An opening file of the old layout (no version field, `2^n` blinder entries) or another
/// version is refused with an error naming it, not read as the new layout.
#[test]
fn openings_of_another_layout_are_refused() {
    use super::input::{INPUT_OPENING_VERSION, InputOpening};
    let opening = InputOpening {
        version: INPUT_OPENING_VERSION,
        input: vec![1, -2, 3],
        num_vars: 2,
        blinder: (0..16).collect(),
        seed: "ab".repeat(32),
    };
    assert_eq!(opening.table().unwrap().len(), 32);
    opening.commitment().unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&opening).unwrap();
    json.as_object_mut().unwrap().remove("version");
    json["blinder"] = (0..4).collect::<Vec<u32>>().into();
    let old: InputOpening = serde_json::from_value(json).unwrap();
    assert_eq!(old.version, 1);
    let err = old.table().unwrap_err().to_string();
    assert!(err.contains("version 1"), "{err}");
    let short = InputOpening {
        blinder: (0..4).collect(),
        ..opening
    };
    assert!(short.table().is_err());
}
