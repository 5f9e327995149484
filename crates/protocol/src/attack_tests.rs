//! Adversarial review (branch review/attacks): cheating provers against the weight digest's
//! in-proof relation, the zero-knowledge and plain verifiers, and the soundness figure.
//!
//! Every test asserts the verifier REJECTS, except the ones named `forgery_...`, which assert that
//! a false statement is ACCEPTED (a demonstrated break; see the test's comment for its scope).

use zkinfer_field::{EF, F, PrimeCharacteristicRing, PrimeField64, decode_signed};
use zkinfer_ir::{Op, evaluate};
use zkinfer_poly::eq_table;
use zkinfer_poseidon2::inverse::inverse_permute;
use zkinfer_poseidon2::{DIGEST, LEAF_TAG, WIDTH, permute};

use crate::keys::weight_digest;
use crate::plan::Plan;
use crate::prove::Prepared;
use crate::test_support::{Rng, input_len, linear, mlp};
use crate::zk::weights::{SALT_LEN, WeightTree, padding_digest, top_claim};
use crate::zk::{ZkStepProof, prove_zk_trace};
use crate::{
    ProofMode, ProtocolError, ProverBinding, ProverKey, VerifierKey, WeightBinding, model_hash,
    prove_zk, setup, strip_weights, verify_zk, verify_zk_private,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn rand_f(seed: &mut u64) -> F {
    let mut s = zkinfer_field::SplitMix64(*seed);
    let v = s.next_u64();
    *seed = s.0;
    F::from_u64(v >> 33)
}

fn rand_point(seed: &mut u64, n: usize) -> Vec<EF> {
    (0..n)
        .map(|_| {
            EF::from(rand_f(seed)) + EF::from(rand_f(seed)) * EF::from(rand_f(seed))
                - EF::from(rand_f(seed))
        })
        .collect()
}

fn mle(table: &[F], point: &[EF]) -> EF {
    eq_table(point)
        .iter()
        .zip(table)
        .map(|(&e, &v)| e * v)
        .sum()
}

/// `IN` (heap order, flattened) of the honest tree over `leaves` (as `zk::weights` builds it).
fn honest_in(leaves: &[F]) -> Vec<[F; WIDTH]> {
    zkinfer_poseidon2::tree::tree_trace(leaves).unwrap().inputs
}

/// The relation the hash proof enforces on a committed `IN`: at a random point, the output states'
/// extension (`OUT = P(IN)`, which the round-by-round GKR pins to `IN`) equals `top_claim`'s
/// value (public part plus the hidden form evaluated on `IN`). Checked at `trials` random points;
/// true iff it holds at all of them (what a cheating prover needs).
fn relation_holds(tree: &WeightTree, ins: &[[F; WIDTH]], digest: &[F; DIGEST], seed: u64) -> bool {
    let in_table: Vec<F> = ins.iter().flatten().copied().collect();
    let out_table: Vec<F> = ins.iter().flat_map(permute).collect();
    let mut s = seed;
    (0..3).all(|_| {
        let r = rand_point(&mut s, tree.claim_vars());
        let claim = top_claim(tree, &r, digest, &padding_digest(), 0).unwrap();
        let vectors = [in_table.as_slice()];
        let hidden = claim
            .value
            .hidden
            .evaluate::<F>(|id| vectors.get(id).copied())
            .unwrap();
        claim.value.public + hidden == mle(&out_table, &claim.point)
    })
}

struct TreeCase {
    tree: WeightTree,
    leaves: Vec<F>,
    digest: [F; DIGEST],
}

fn tree_case(vars: &[usize], seed: u64) -> TreeCase {
    let tree = WeightTree::new(vars).unwrap();
    let mut s = seed;
    let tables: Vec<Vec<F>> = vars
        .iter()
        .map(|&v| (0..1usize << v).map(|_| rand_f(&mut s)).collect())
        .collect();
    let salt: [F; SALT_LEN] = std::array::from_fn(|_| rand_f(&mut s));
    let leaves = tree.leaves(&tables, &salt).unwrap();
    let digest = zkinfer_poseidon2::tree::digest(&leaves).unwrap();
    TreeCase {
        tree,
        leaves,
        digest,
    }
}

// ---------------------------------------------------------------------------------------------
// 1/2. The weight digest's in-proof relation (`top_claim` + the permutation proof)
// ---------------------------------------------------------------------------------------------

/// Control: the honest `IN` satisfies the relation (so the checks below are meaningful), for a
/// one-leaf tree (m = 0) and deeper ones.
#[test]
fn attack_tree_relation_control_honest_in_holds() {
    for vars in [vec![], vec![2], vec![5, 3], vec![7, 6, 2]] {
        let c = tree_case(&vars, 1 + vars.len() as u64);
        assert!(
            relation_holds(&c.tree, &honest_in(&c.leaves), &c.digest, 3),
            "{vars:?}"
        );
    }
}

/// Other weights, an honest subtree over them, and the root's input spliced back to the honest
/// one (so the root relation `P(IN[1])[..8] + IN[1][..8] = D` holds): the link from the root to
/// its children breaks, and the relation catches it.
#[test]
fn attack_forged_leaves_with_honest_root_input_rejected() {
    for vars in [vec![5, 3], vec![7, 6, 2]] {
        let c = tree_case(&vars, 7);
        let honest = honest_in(&c.leaves);
        let mut leaves = c.leaves.clone();
        leaves[3] += F::ONE; // one weight changed
        let mut forged = honest_in(&leaves);
        forged[1] = honest[1];
        assert!(!relation_holds(&c.tree, &forged, &c.digest, 11), "{vars:?}");
        // Splicing every ancestor back instead just moves the broken link down to the leaf.
        let n = forged.len() / 2;
        let leaf = n + 3 / WIDTH;
        let mut f2 = honest.clone();
        f2[leaf] = forged[leaf];
        assert!(!relation_holds(&c.tree, &f2, &c.digest, 12), "{vars:?}");
    }
}

/// Lanes 8..16 of an internal node's input (its right child's digest) are constrained: changing
/// them alone is caught. Lanes 8..16 of the OUTPUTS are not claimed, and need not be (the node
/// function truncates), which this checks from the other side: the relation only reads `IN`.
#[test]
fn attack_internal_node_upper_lanes_are_bound() {
    let c = tree_case(&[7, 6, 2], 13);
    let honest = honest_in(&c.leaves);
    for (node, lane) in [(1usize, 8usize), (1, 15), (2, 9), (3, 0), (5, 12)] {
        let mut forged = honest.clone();
        forged[node][lane] += F::ONE;
        assert!(
            !relation_holds(&c.tree, &forged, &c.digest, 17),
            "node {node} lane {lane}"
        );
    }
}

/// Slot 0 (padding): its input is not fixed to zero by the relation, only its output's first 8
/// lanes (`P(IN[0])[..8] = P(0)[..8]`). A cheater can put any such preimage there (found with the
/// inverse permutation), and it holds, but slot 0 is read by nothing else (not a leaf, its lanes
/// as "parent" of nodes 0 and 1 cancel), so the weights and the digest are unchanged: no false
/// statement. Anything else in slot 0 is caught.
#[test]
fn attack_slot0_input_is_free_but_binds_nothing() {
    for vars in [vec![], vec![5, 3]] {
        let c = tree_case(&vars, 19);
        let honest = honest_in(&c.leaves);
        let pad = permute(&[F::ZERO; WIDTH]);
        let mut s = 23;
        let y: [F; WIDTH] =
            std::array::from_fn(|l| if l < DIGEST { pad[l] } else { rand_f(&mut s) });
        let other = inverse_permute(&y);
        assert_ne!(other, [F::ZERO; WIDTH]);
        let mut forged = honest.clone();
        forged[0] = other;
        assert!(relation_holds(&c.tree, &forged, &c.digest, 29), "{vars:?}");
        // The leaves (weights + salt) are the honest ones: slot 0 lies outside them.
        let n = forged.len() / 2;
        let leaves: Vec<F> = forged[n..].iter().flatten().copied().collect();
        assert_eq!(leaves, c.leaves);
        // A slot 0 that is not such a preimage fails.
        let mut bad = honest.clone();
        bad[0][3] = F::ONE;
        assert!(!relation_holds(&c.tree, &bad, &c.digest, 31), "{vars:?}");
    }
}

/// The review's old attack, now at the relation level: invert the permutation top-down from the
/// public digest (the bare truncation's free preimages). Under the feed-forward node the
/// resulting `IN` fails the relation.
#[test]
fn attack_inverted_tree_from_digest_fails_the_relation() {
    for vars in [vec![], vec![5, 3]] {
        let c = tree_case(&vars, 37);
        let n = 1usize << (c.tree.leaf_vars() - 4);
        let mut s = 41;
        let mut ins = vec![[F::ZERO; WIDTH]; 2 * n];
        let mut digests = vec![[F::ZERO; DIGEST]; 2 * n];
        digests[1] = c.digest;
        for node in 1..2 * n {
            let leaf = node >= n;
            // Try to absorb the feed-forward too: guess x[..8] = 0, so node = P(x)[..8] + tag.
            let h = digests[node];
            let y: [F; WIDTH] = std::array::from_fn(|l| {
                if l < DIGEST {
                    h[l] - if leaf { LEAF_TAG[l] } else { F::ZERO }
                } else {
                    rand_f(&mut s)
                }
            });
            ins[node] = inverse_permute(&y);
            if !leaf {
                for k in 0..2 {
                    digests[2 * node + k] = std::array::from_fn(|l| ins[node][k * DIGEST + l]);
                }
            }
        }
        assert!(!relation_holds(&c.tree, &ins, &c.digest, 43), "{vars:?}");
    }
}

/// Leaf / inner-node confusion and a tree of a different depth: the same leaves read one level
/// higher (a leaf's input placed as an inner node, so no tag) and a digest of a deeper tree over
/// the same weights (zeros appended) do not satisfy the key's relation.
#[test]
fn attack_depth_and_tag_confusion_rejected() {
    let c = tree_case(&[5, 3], 47);
    let honest = honest_in(&c.leaves);
    // The root's input as the single leaf of a one-leaf tree: its digest differs by the tag.
    let one = zkinfer_poseidon2::tree::digest(&honest[1]).unwrap();
    let diff: Vec<F> = (0..DIGEST).map(|l| one[l] - c.digest[l]).collect();
    assert_eq!(diff, LEAF_TAG.to_vec());
    // One-leaf tree whose leaf is the root input, checked against the key's digest.
    let t1 = WeightTree::new(&[]).unwrap();
    let ins = vec![[F::ZERO; WIDTH], honest[1]];
    assert!(!relation_holds(&t1, &ins, &c.digest, 53));
    // The key's tree checked with a digest computed without the leaf tag (leaves as inner nodes).
    let mut wrong = c.digest;
    wrong[0] -= F::ONE;
    assert!(!relation_holds(&c.tree, &honest, &wrong, 59));
    // Deeper tree: same weights and salt with the leaves doubled by zeros.
    let mut deeper = vec![F::ZERO; c.leaves.len()];
    deeper.extend_from_slice(&c.leaves);
    let d2 = zkinfer_poseidon2::tree::digest(&deeper).unwrap();
    assert_ne!(d2, c.digest);
    assert!(!relation_holds(&c.tree, &honest, &d2, 61));
}

/// Weight columns never overlap each other or the salt, and every weight point lands in the
/// leaves (upper half of `IN`), for layouts with equal, tiny and mixed sizes.
#[test]
fn attack_weight_columns_do_not_alias() {
    for vars in [
        vec![0, 0, 0, 0, 0],
        vec![3, 3, 3],
        vec![4, 0, 4, 1],
        vec![10, 2, 9, 9, 0],
    ] {
        let tree = WeightTree::new(&vars).unwrap();
        let size = 1usize << tree.leaf_vars();
        let mut used = vec![usize::MAX; size];
        // Mark each column's entries by probing its weight points at hypercube points.
        for (j, &v) in vars.iter().enumerate() {
            for i in 0..1usize << v {
                let bits: Vec<EF> = (0..v)
                    .map(|b| {
                        if (i >> (v - 1 - b)) & 1 == 1 {
                            EF::ONE
                        } else {
                            EF::ZERO
                        }
                    })
                    .collect();
                let p = tree.weight_point(j, &bits).unwrap();
                assert_eq!(p[0], EF::ONE, "column {j} reaches below the leaves");
                let idx = p[1..]
                    .iter()
                    .fold(0usize, |a, &b| 2 * a + usize::from(b == EF::ONE));
                assert_eq!(
                    used[idx],
                    usize::MAX,
                    "{vars:?}: column {j} overlaps {}",
                    used[idx]
                );
                used[idx] = j;
            }
        }
        assert!(
            used[size - SALT_LEN..].iter().all(|&u| u == usize::MAX),
            "{vars:?}: salt overlaps"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// End-to-end cheating provers against verify_zk / verify_zk_private / verify
// ---------------------------------------------------------------------------------------------

fn mlp_case() -> (ProverKey, VerifierKey, Vec<i64>) {
    let model = mlp(3);
    let input = Rng(4).vec(input_len(&model), 127);
    let (pk, vk) = setup(model, ProofMode::ZeroKnowledge).unwrap();
    (pk, vk, input)
}

/// The same architecture and weights under a second setup (another salt, another digest): a
/// proof made with one key does not verify under the other, in either direction.
#[test]
fn attack_proof_under_another_digest_rejected() {
    let (pk, vk, input) = mlp_case();
    let (_, vk2) = setup(pk.model.clone(), ProofMode::ZeroKnowledge).unwrap();
    assert_ne!(vk.weight_digest().unwrap(), vk2.weight_digest().unwrap());
    assert_eq!(vk.model_hash, vk2.model_hash);
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    verify_zk(&vk, &input, &out, &proof).unwrap();
    assert!(verify_zk(&vk2, &input, &out, &proof).is_err());
}

/// Other weights (one weight changed), proven honestly for their own digest, checked against the
/// original key: rejected.
#[test]
fn attack_other_weights_same_key_rejected() {
    let (pk, vk, input) = mlp_case();
    let mut pk2 = pk.clone();
    let id = pk2
        .model
        .nodes
        .iter()
        .position(|n| matches!(n.op, Op::Dense { .. }))
        .unwrap();
    if let Op::Dense { weight, .. } = &mut pk2.model.nodes[id].op {
        weight[0] += 1;
    }
    let plan = Plan::compile(&pk2.model).unwrap();
    let (salt, _) = pk2.weight_salt_and_digest().unwrap();
    let salt = *salt;
    pk2.binding = ProverBinding::ZeroKnowledge {
        weight_salt: salt,
        weight_digest: weight_digest(&pk2.model, &plan, &salt).unwrap(),
    };
    let (out, proof) = prove_zk(&pk2, &input).unwrap();
    assert!(verify_zk(&vk, &input, &out, &proof).is_err());
    // And with the original digest kept in the prover key, the prover itself refuses.
    let mut pk3 = pk2.clone();
    pk3.binding = pk.binding.clone();
    assert!(prove_zk(&pk3, &input).is_err());
}

/// Sub-proofs swapped between the two matmul steps, and a requantization's proof moved: rejected.
#[test]
fn attack_swapped_step_proofs_rejected() {
    let (pk, vk, input) = mlp_case();
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    let mm: Vec<usize> = proof
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, ZkStepProof::MatMul { .. }))
        .map(|(i, _)| i)
        .collect();
    assert!(mm.len() >= 2);
    let mut swapped = proof.clone();
    swapped.steps.swap(mm[0], mm[1]);
    assert!(verify_zk(&vk, &input, &out, &swapped).is_err());
    // Matmul parts swapped across the two layers (to_prod of one with the other's matmul).
    let mut mixed = proof.clone();
    let a = proof.steps[mm[0]].clone();
    if let (ZkStepProof::MatMul { patches: pa, .. }, ZkStepProof::MatMul { patches: pb, .. }) =
        (&a, &mut mixed.steps[mm[1]])
    {
        *pb = pa.clone();
    }
    assert!(verify_zk(&vk, &input, &out, &mixed).is_err());
    // Steps dropped or duplicated.
    let mut fewer = proof.clone();
    fewer.steps.pop();
    assert!(verify_zk(&vk, &input, &out, &fewer).is_err());
    let mut more = proof.clone();
    more.steps.push(proof.steps[0].clone());
    assert!(verify_zk(&vk, &input, &out, &more).is_err());
}

/// Output encodings: `y + p` (the same field element), a trailing extra value, a missing value,
/// and the true output under the private-input verifier with a public-input proof: rejected.
#[test]
fn attack_output_encodings_rejected() {
    let (pk, vk, input) = mlp_case();
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    let p = F::ORDER_U64 as i64;
    for (i, &v) in out.iter().enumerate() {
        for alias in [v + p, v - p, v + 2 * p] {
            let mut y = out.clone();
            y[i] = alias;
            assert!(
                verify_zk(&vk, &input, &y, &proof).is_err(),
                "y[{i}] = {alias}"
            );
        }
    }
    let mut longer = out.clone();
    longer.push(0);
    assert!(verify_zk(&vk, &input, &longer, &proof).is_err());
    assert!(verify_zk(&vk, &input, &out[..out.len() - 1], &proof).is_err());
    assert!(verify_zk_private(&vk, &out, &proof).is_err());
    // The input too: `x + p` (same field element) is refused.
    let mut x = input.clone();
    x[0] += p;
    assert!(verify_zk(&vk, &x, &out, &proof).is_err());
}

/// A weight claim without a hidden part would reveal a weight evaluation and a claim the back end
/// does not bind: refused by the shared `weight_claim`.
#[test]
fn attack_weight_claim_without_hidden_part_refused() {
    use zkinfer_layers::Claim;
    use zkinfer_layers::zk::SymClaim;
    let tree = WeightTree::new(&[3]).unwrap();
    let claim = SymClaim::public(Claim {
        point: vec![EF::ONE; 3],
        value: EF::ZERO,
    });
    assert!(matches!(
        tree.weight_claim(0, &claim, 0),
        Err(ProtocolError::Malformed(_))
    ));
}

/// The soundness figure is computed by the verifier: the same for two proofs of the same
/// statement, below the field's 124 bits, with one LogUp term per requantization or max pooling
/// and a term for the hiding opening; and re-serializing a proof cannot pad it (postcard re-encodes).
#[test]
fn attack_soundness_figure_terms() {
    let (pk, vk, input) = mlp_case();
    let (out, proof) = prove_zk(&pk, &input).unwrap();
    let (_, proof2) = prove_zk(&pk, &input).unwrap();
    let a = verify_zk(&vk, &input, &out, &proof).unwrap();
    let b = verify_zk(&vk, &input, &out, &proof2).unwrap();
    assert!(a.soundness_bits < 124.0 && a.soundness_bits > 90.0);
    assert!(
        (a.soundness_bits - b.soundness_bits).abs() < 0.05,
        "{a:?} {b:?}"
    );
    let plan = Plan::compile(&vk.architecture).unwrap();
    let lookups = plan
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s,
                crate::plan::Step::Requant { .. } | crate::plan::Step::MaxPool { .. }
            )
        })
        .count();
    let logup = a
        .soundness_terms
        .iter()
        .filter(|t| t.part.contains("LogUp"))
        .count();
    let weight_lookups = plan
        .weight_checks
        .iter()
        .filter(|c| {
            c.spec
                .layout()
                .is_ok_and(|l| l.range_spec(&c.spec).is_some())
        })
        .count();
    assert!(weight_lookups > 0);
    assert_eq!(logup, lookups + weight_lookups);
    assert!(a.soundness_terms.iter().any(|t| t.part == "hiding opening"));
    let min = a
        .soundness_terms
        .iter()
        .map(|t| t.bits)
        .fold(f64::INFINITY, f64::min);
    assert!(a.soundness_bits <= min);
    // The interactive term counts proof bytes / 16 as round values: an EF is always 16 bytes
    // (fixed-width, not varints), so a cheating prover cannot shrink values to inflate the figure.
    for v in [EF::ZERO, EF::ONE, rand_point(&mut 5, 1)[0]] {
        assert_eq!(postcard::to_allocvec(&v).unwrap().len(), 16);
    }
}

// ---------------------------------------------------------------------------------------------
// Weight magnitudes (docs/pitfalls.md, 11): proven by the weights' range checks
// ---------------------------------------------------------------------------------------------

/// Once a FORGERY, when setup was trusted for the weights' magnitudes: the model owner commits a
/// weight that is a field element far beyond its declared width, here `w = (p + 1) / 3` (the
/// field's `1/3`), and keeps the honest model's bounds in the key (the key is weight-stripped, so
/// no verifier can tell). The proof computes in the field: `y_0 = w * 3 = 1`, while the exact
/// integer reference evaluator on the committed weights gives `y_0 = 3 w = p + 1`. `verify_zk`
/// accepted `y_0 = 1`; now every proof range-checks every weight column against its declared
/// width (`weight_range.rs`), and the verifier rejects it.
#[test]
fn attack_weight_beyond_its_width_wraps_in_the_field_rejected() {
    let honest = linear(3);
    let (pk0, vk0) = setup(honest.clone(), ProofMode::ZeroKnowledge).unwrap();
    let w = (F::ORDER_U64 as i64 + 1) / 3;
    let mut model = pk0.model.clone();
    let d = model.outputs[0];
    let k = match &mut model.nodes[d].op {
        Op::Dense {
            weight,
            in_features,
            ..
        } => {
            // Row 0 = [w, 0, 0, 0].
            for (i, v) in weight[..*in_features].iter_mut().enumerate() {
                *v = if i == 0 { w } else { 0 };
            }
            *in_features
        }
        _ => unreachable!(),
    };
    let plan = Plan::compile(&model).unwrap();
    let salt = *pk0.weight_salt_and_digest().unwrap().0;
    let forged_digest = weight_digest(&model, &plan, &salt).unwrap();
    let pk = ProverKey {
        model: model.clone(),
        binding: ProverBinding::ZeroKnowledge {
            weight_salt: salt,
            weight_digest: forged_digest,
        },
    };
    // The verifier key: the honest architecture (its bounds), the forged weights' digest.
    let architecture = strip_weights(&model);
    assert_eq!(
        architecture, vk0.architecture,
        "the key reveals nothing about the weights"
    );
    let vk = VerifierKey {
        model_hash: model_hash(&architecture),
        architecture,
        binding: WeightBinding::ZeroKnowledge {
            weight_digest: forged_digest,
        },
    };
    let mut input = Rng(9).vec(input_len(&model), 100);
    input[0] = 3;
    // The exact integer reference evaluator refuses the committed weights outright (beyond the
    // weight width): no run of the bound model gives any output. Over the integers,
    // y_0 = 3 w = p + 1.
    assert!(matches!(
        evaluate(&model, std::slice::from_ref(&input)),
        Err(zkinfer_ir::IrError::Param { detail, .. }) if detail.contains("weight width")
    ));
    let true_y0 = 3 * w;
    assert_eq!(true_y0, F::ORDER_U64 as i64 + 1);
    // The cheating prover: the honest model's trace (same shapes), with the dense output computed
    // in the field from the committed weights.
    let field_out = |model: &zkinfer_ir::QModel| -> Vec<i64> {
        let Op::Dense {
            weight,
            in_features,
            ..
        } = &model.nodes[d].op
        else {
            unreachable!()
        };
        let enc = |v: i64| zkinfer_field::encode_signed::<F>(v).unwrap();
        weight
            .chunks(*in_features)
            .map(|row| {
                decode_signed(
                    row.iter()
                        .zip(&input)
                        .map(|(&a, &b)| enc(a) * enc(b))
                        .sum::<F>(),
                )
            })
            .collect()
    };
    let mut trace = evaluate(&honest, std::slice::from_ref(&input)).unwrap();
    trace.values[d] = field_out(&model);
    assert_eq!(trace.values[d][0], 1);
    let forged_trace = trace.clone();
    // The honest prover refuses the weights (beyond their declared width); the cheater builds its
    // state by hand.
    assert!(Prepared::new(&pk).is_err());
    let prepared = Prepared {
        weights: crate::keys::weight_tables(&model, &plan).unwrap(),
        hash: vk.model_hash,
        plan: plan.clone(),
    };
    let z = prove_zk_trace(&pk, &prepared, &input, false, trace).unwrap();
    assert_eq!(z.output[0], 1);
    assert_ne!(z.output[0], true_y0);
    let bound = vk.architecture.nodes[d].bound;
    assert!(bound >= 1 && bound < true_y0 && k == 4);
    // Once ACCEPTED (y_0 = 1, though the weights bound by the digest give p + 1): now the weight
    // range check rejects it, with a public or a private input.
    assert!(verify_zk(&vk, &input, &z.output, &z.proof).is_err());
    let z = prove_zk_trace(&pk, &prepared, &input, true, forged_trace).unwrap();
    assert!(verify_zk_private(&vk, &z.output, &z.proof).is_err());
}
