//! Properties of zero-knowledge proofs that are not tampering: two proofs of one statement share
//! no masked value, and proofs for two models of one architecture have one shape.

use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_protocol::{ZkModelProof, verify_zk};

use super::fixture::fixtures;
use super::map;
use super::serde_walk::Map;

/// Two proofs of one statement (fresh prover randomness) reveal different values wherever a value
/// is masked: every masked sumcheck's `mask_sum` (of every layer, range-check layer, zero-check,
/// tap and the back end), `Q~(z)` and the hidden commitment. Beyond these, no extension-field
/// element of the proof outside the PCS parts repeats at the same position, except structural
/// zeros: a value that depends on the prover's randomness is zero with probability 2^-124, so a
/// zero in both proofs is public by construction (seen: the back end's mask-region sumcheck, first
/// round at 1, zero because the mask's linear form `l_z` fills less than half of its slot).
#[test]
fn two_proofs_of_one_statement_share_no_masked_value() {
    for fx in fixtures() {
        let (a, b) = (map(&fx.proof), map(&fx.again));
        let paths = |m: &Map| m.elems.iter().map(|e| e.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&a), paths(&b), "{}: two shapes", fx.name);
        let mut masks = 0;
        let mut same = vec![];
        for (x, y) in a.elems.iter().zip(&b.elems) {
            let (u, v) = (a.ef(x), b.ef(y));
            if x.path.ends_with("mask_sum") || x.path == "opening.q_at_z" {
                masks += 1;
                assert_ne!(u, v, "{}: {} repeats", fx.name, x.path);
            }
            if u == v {
                same.push((x.path.clone(), u));
            }
        }
        let sums = fx.proof.steps.len() + 2;
        assert!(masks >= sums, "{}: {masks} masked values compared", fx.name);
        assert_ne!(fx.proof.hidden_commitment, fx.again.hidden_commitment);
        eprintln!(
            "{}: {masks} masked values differ; of {} elements, {} repeat: {same:?}",
            fx.name,
            a.elems.len(),
            same.len()
        );
        assert!(
            same.iter().all(|(_, v)| *v == EF::ZERO),
            "{}: repeated values {same:?}",
            fx.name
        );
    }
}

/// Two models of one architecture with different weights (mlp(1) and the next seed whose constants
/// have the same declared widths: the widths are part of the architecture, see docs/security.md)
/// on one input give proofs of one shape: outside the PCS parts, the same steps, the same length of every sequence,
/// the same options and the same encoded size. Inside the PCS openings (walked too, without
/// skipping) every sequence has the same length except the Merkle multiproofs' sibling lists
/// (`*.proof.sibling_hashes`): p3 sends the digests shared between queries once, so their count
/// depends on the queried positions, which are Fiat-Shamir challenges. All of the encoded size
/// difference lies there, and two proofs of the same statement differ the same way (printed), so
/// the total encoded size varies with the prover's randomness (by ~1%), not with the weights.
#[test]
fn proofs_for_other_weights_have_the_same_shape_and_size() {
    use zkinfer_protocol::test_support::{Rng, input_len, mlp};
    let input = Rng(5).vec(input_len(&mlp(1)), 127);
    let widths = |m: &zkinfer_ir::QModel| m.nodes.iter().map(|n| n.value_bits).collect::<Vec<_>>();
    let other = (2..).find(|&s| widths(&mlp(s)) == widths(&mlp(1))).unwrap();
    // mlp(1), mlp(other), and mlp(1) again (the same statement, for comparison).
    let proofs: Vec<ZkModelProof> = [1, other, 1]
        .iter()
        .map(|&seed| {
            let (pk, vk) =
                zkinfer_protocol::setup(mlp(seed), zkinfer_protocol::ProofMode::ZeroKnowledge)
                    .unwrap();
            let (out, p) = zkinfer_protocol::prove_zk(&pk, &input).unwrap();
            verify_zk(&vk, &input, &out, &p).unwrap();
            p
        })
        .collect();
    let (a, b) = (map(&proofs[0]), map(&proofs[1]));
    assert_ne!(a.bytes, b.bytes);
    assert_eq!(proofs[0].steps.len(), proofs[1].steps.len());
    let paths = |m: &Map| m.elems.iter().map(|e| e.path.clone()).collect::<Vec<_>>();
    let lens = |m: &Map| {
        let seqs = m.seqs.iter().map(|s| (s.path.clone(), s.items.len()));
        seqs.collect::<Vec<_>>()
    };
    let somes = |m: &Map| m.somes.iter().map(|s| s.path.clone()).collect::<Vec<_>>();
    let outside = |m: &Map| m.bytes.len() - m.skipped.iter().map(|(_, r)| r.len()).sum::<usize>();
    first_difference("element paths", &paths(&a), &paths(&b));
    first_difference("sequence lengths", &lens(&a), &lens(&b));
    first_difference("options present", &somes(&a), &somes(&b));
    assert_eq!(outside(&a), outside(&b), "sizes outside the PCS parts");
    // The whole tree, PCS parts included.
    let full = |p| Map::of(p, &[]);
    let is_siblings = |path: &str| path.ends_with(".proof.sibling_hashes");
    let shape = |m: &Map| {
        let seqs = m.seqs.iter().map(|s| (s.path.clone(), s.items.len()));
        seqs.map(|(p, n)| if is_siblings(&p) { (p, 0) } else { (p, n) })
            .collect::<Vec<_>>()
    };
    let without_siblings = |m: &Map| {
        let siblings = m.seqs.iter().filter(|s| is_siblings(&s.path));
        let sizes =
            siblings.map(|s| s.items.last().map_or(s.len_at.end, |r| r.end) - s.len_at.start);
        m.bytes.len() - sizes.sum::<usize>()
    };
    let (fa, fb, fc) = (full(&proofs[0]), full(&proofs[1]), full(&proofs[2]));
    first_difference(
        "sequence lengths, PCS parts included",
        &shape(&fa),
        &shape(&fb),
    );
    assert!(
        fa.seqs.iter().any(|s| is_siblings(&s.path)),
        "no multiproof found"
    );
    assert_eq!(
        without_siblings(&fa),
        without_siblings(&fb),
        "sizes without multiproofs"
    );
    eprintln!(
        "encoded sizes: mlp(1) {} bytes, mlp({other}) {}, mlp(1) again {}; without the \
         multiproofs' siblings {} each; outside the PCS parts {} each",
        fa.bytes.len(),
        fb.bytes.len(),
        fc.bytes.len(),
        without_siblings(&fa),
        outside(&a)
    );
}

/// Fails naming the first entry where two lists differ (the lists themselves are long).
fn first_difference<T: PartialEq + std::fmt::Debug>(what: &str, a: &[T], b: &[T]) {
    if let Some(i) = (0..a.len().min(b.len())).find(|&i| a[i] != b[i]) {
        panic!("{what}: entry {i} differs: {:?} vs {:?}", a[i], b[i]);
    }
    assert_eq!(
        a.len(),
        b.len(),
        "{what}: {} vs {} entries",
        a.len(),
        b.len()
    );
}
