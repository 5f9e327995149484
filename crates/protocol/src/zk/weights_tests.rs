//! The weight tree's layout and the output claim that starts the hash proof.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;

use super::*;

fn rand_f(seed: &mut u64) -> F {
    let mut s = zkinfer_field::SplitMix64(*seed);
    let v = s.next_u64();
    *seed = s.0;
    F::from_u64(v >> 33)
}

fn mle<T: Copy>(table: &[T], point: &[EF]) -> EF
where
    EF: std::ops::Mul<T, Output = EF>,
{
    eq_table(point)
        .iter()
        .zip(table)
        .map(|(&e, &v)| e * v)
        .sum()
}

#[test]
fn columns_sit_at_aligned_offsets_with_the_salt_last() {
    let tree = WeightTree::new(&[3, 5, 0, 5]).unwrap();
    // 8 + 32 + 1 + 32 + 16 salt = 89 -> 128 entries.
    assert_eq!(tree.leaf_vars(), 7);
    let tables: Vec<Vec<F>> = [3usize, 5, 0, 5]
        .iter()
        .enumerate()
        .map(|(j, &v)| {
            (0..1u64 << v)
                .map(|i| F::from_u64(100 * j as u64 + i + 1))
                .collect()
        })
        .collect();
    let salt = [F::from_u64(7); SALT_LEN];
    let leaves = tree.leaves(&tables, &salt).unwrap();
    assert_eq!(&leaves[128 - 16..], &salt);
    // Every column's extension is IN's at its weight point (IN's upper half is the leaves).
    let mut in_table = vec![F::ZERO; 128];
    in_table.extend_from_slice(&leaves);
    let mut seed = 5;
    for (j, t) in tables.iter().enumerate() {
        let point: Vec<EF> = (0..t.len().trailing_zeros())
            .map(|_| EF::from(rand_f(&mut seed)))
            .collect();
        let p = tree.weight_point(j, &point).unwrap();
        assert_eq!(mle(&in_table, &p), mle(t, &point), "column {j}");
    }
    assert!(tree.weight_point(0, &[EF::ONE]).is_err());
    assert!(tree.weight_point(9, &[]).is_err());
    assert!(tree.leaves(&tables[..2], &salt).is_err());
}

#[test]
fn the_output_claim_is_the_output_states_extension() {
    for vars in [vec![2usize], vec![6, 4, 3], vec![9, 8]] {
        let tree = WeightTree::new(&vars).unwrap();
        let mut seed = vars.len() as u64;
        let tables: Vec<Vec<F>> = vars
            .iter()
            .map(|&v| (0..1usize << v).map(|_| rand_f(&mut seed)).collect())
            .collect();
        let salt: [F; SALT_LEN] = std::array::from_fn(|_| rand_f(&mut seed));
        let leaves = tree.leaves(&tables, &salt).unwrap();
        let digest = zkinfer_poseidon2::tree::digest(&leaves).unwrap();
        let hash = hash_witness(&leaves, &digest).unwrap();
        let out = hash.states.last().unwrap();
        let r: Vec<EF> = (0..tree.claim_vars())
            .map(|_| EF::from(rand_f(&mut seed)))
            .collect();
        let claim = top_claim(&tree, &r, &digest, &padding_digest(), 0).unwrap();
        assert_eq!(claim.point.len(), tree.in_vars());
        let vectors = [hash.in_table.as_slice()];
        let hidden = claim
            .value
            .hidden
            .evaluate::<F>(|id| vectors.get(id).copied())
            .unwrap();
        assert_eq!(
            claim.value.public + hidden,
            mle(out, &claim.point),
            "{vars:?}"
        );
        // Another digest gives another value.
        let mut wrong = digest;
        wrong[0] += F::ONE;
        let claim = top_claim(&tree, &r, &wrong, &padding_digest(), 0).unwrap();
        assert_ne!(claim.value.public + hidden, mle(out, &claim.point));
        assert!(hash_witness(&leaves, &wrong).is_err());
    }
}

/// The review's forgery with only the verifier key: invert the permutation from the public digest
/// down to a full set of leaves. Under the old node function `P(x)[..8]` those leaves hashed to the
/// digest (checked, so the attack is real) and `verify_zk` accepted a model the key never held; under
/// the feed-forward node they do not, and the prover refuses them before proving.
#[test]
fn a_tree_forged_from_the_public_digest_does_not_hash_to_it() {
    use zkinfer_poseidon2::inverse::inverse_permute;
    use zkinfer_poseidon2::{DIGEST, permute};
    let tree = WeightTree::new(&[5, 3]).unwrap();
    let mut seed = 17;
    let tables: Vec<Vec<F>> = [5usize, 3]
        .iter()
        .map(|&v| (0..1usize << v).map(|_| rand_f(&mut seed)).collect())
        .collect();
    let salt: [F; SALT_LEN] = std::array::from_fn(|_| rand_f(&mut seed));
    let digest = zkinfer_poseidon2::tree::digest(&tree.leaves(&tables, &salt).unwrap()).unwrap();

    // Top-down: each node's input is a preimage of its digest, its halves the children's digests.
    let leaves_n = 1usize << (tree.leaf_vars() - 4);
    let mut level: Vec<[F; DIGEST]> = vec![digest];
    let mut inputs = vec![];
    while level.len() <= leaves_n {
        inputs = level
            .iter()
            .map(|h| {
                let y: [F; 16] =
                    std::array::from_fn(|l| if l < DIGEST { h[l] } else { rand_f(&mut seed) });
                inverse_permute(&y)
            })
            .collect();
        level = inputs
            .iter()
            .flat_map(|x| [0, 1].map(|k| std::array::from_fn(|l| x[k * DIGEST + l])))
            .collect();
    }
    let forged: Vec<F> = inputs.iter().flatten().copied().collect();
    assert_eq!(forged.len(), 1 << tree.leaf_vars());

    // The old node function is fooled.
    let old = |x: &[F; 16]| -> [F; DIGEST] { std::array::from_fn(|l| permute(x)[l]) };
    let mut nodes: Vec<[F; DIGEST]> = inputs.iter().map(old).collect();
    while nodes.len() > 1 {
        nodes = nodes
            .chunks(2)
            .map(|p| old(&std::array::from_fn(|l| p[l / DIGEST][l % DIGEST])))
            .collect();
    }
    assert_eq!(nodes[0], digest, "the forgery fools the bare permutation");

    // The tree is not, and the prover refuses the forged weights.
    assert_ne!(zkinfer_poseidon2::tree::digest(&forged).unwrap(), digest);
    assert!(hash_witness(&forged, &digest).is_err());
}

/// The gaps cover exactly the leaves between the last column and the salt, in aligned blocks,
/// and a block's extension at a point is zero iff the block is (w.h.p.): what the weight range
/// check's gap claims rely on.
#[test]
fn gaps_cover_the_leaves_between_the_columns_and_the_salt() {
    let tree = WeightTree::new(&[3, 5, 0, 5]).unwrap();
    // Columns fill 32 + 32 + 8 + 1 = 73 leaves; the salt takes 112..128.
    let blocks = tree.gaps();
    assert_eq!(blocks, vec![(0, 73), (1, 74), (2, 76), (4, 80), (4, 96)]);
    let mut at = 73;
    for &(vars, offset) in &blocks {
        assert_eq!((offset, offset % (1 << vars)), (at, 0));
        at += 1 << vars;
    }
    assert_eq!(at, 128 - SALT_LEN);
    // Full trees have none.
    assert!(WeightTree::new(&[4, 4, 4]).unwrap().gaps().is_empty());
    let mut in_table = vec![F::ZERO; 256];
    let mut seed = 9;
    for v in &mut in_table[..128] {
        *v = rand_f(&mut seed);
    }
    let point: Vec<EF> = (0..4).map(|_| EF::from(rand_f(&mut seed))).collect();
    let at_block = |t: &[F]| mle(t, &tree.region_point(4, 96, &point).unwrap());
    assert_eq!(at_block(&in_table), EF::ZERO);
    in_table[128 + 100] = F::ONE;
    assert_ne!(at_block(&in_table), EF::ZERO);
    assert!(tree.region_point(4, 97, &point).is_err());
    assert!(tree.region_point(3, 96, &point).is_err());
}
