//! Adversarial review (branch review/attacks): preimage and confusion attempts on the weight
//! tree's node function `(P(x) + x)[..8] + tag`. Each asserts the attack FAILS.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use zkinfer_field::{F, PrimeCharacteristicRing};

use crate::inverse::inverse_permute;
use crate::tree::{DIGEST, LEAF_TAG, digest, node_digest, tree_trace};
use crate::{WIDTH, permute};

fn target(seed: u64) -> [F; DIGEST] {
    let mut rng = StdRng::seed_from_u64(seed);
    let values: Vec<F> = (0..WIDTH * 4).map(|_| rng.random()).collect();
    digest(&values).unwrap()
}

/// Inversion with the feed-forward guessed: `x_{k+1} = P^-1((t - tag - x_k[..8]) ++ z)` is a
/// preimage iff it is a fixed point on the first 8 lanes; iterating it (the natural way to "absorb"
/// the feed-forward through the inverse) never lands on one.
#[test]
fn attack_inverse_fixed_point_iteration_finds_no_preimage() {
    let mut rng = StdRng::seed_from_u64(1);
    for leaf in [true, false] {
        let t = target(2 + leaf as u64);
        let tag = |l: usize| if leaf { LEAF_TAG[l] } else { F::ZERO };
        let mut x = [F::ZERO; WIDTH];
        for _ in 0..2000 {
            let y: [F; WIDTH] = std::array::from_fn(|l| {
                if l < DIGEST {
                    t[l] - tag(l) - x[l]
                } else {
                    rng.random()
                }
            });
            x = inverse_permute(&y);
            assert_ne!(node_digest(&x, &permute(&x), leaf), t);
        }
    }
}

/// Fixing the free lanes instead (`z = 0`, or `z` equal to the target) changes nothing.
#[test]
fn attack_inverse_with_structured_free_lanes_finds_no_preimage() {
    let t = target(5);
    for z in [[F::ZERO; DIGEST], t, LEAF_TAG] {
        for shift in [F::ZERO, F::ONE, -F::ONE] {
            let y: [F; WIDTH] = std::array::from_fn(|l| {
                if l < DIGEST {
                    t[l] + shift
                } else {
                    z[l - DIGEST]
                }
            });
            let x = inverse_permute(&y);
            for leaf in [true, false] {
                assert_ne!(node_digest(&x, &permute(&x), leaf), t);
            }
        }
    }
}

/// Leaf / inner-node confusion: an inner node's input hashed as a leaf (a tree one level
/// shallower) differs by exactly the tag; a tree one level deeper over the same values padded
/// with zeros, or with the values swapped between halves, gives another digest; and the padding
/// slot's zero input is never a leaf (a zero leaf hashes differently from `P(0)`).
#[test]
fn attack_depth_tag_and_padding_confusion() {
    let mut rng = StdRng::seed_from_u64(7);
    let values: Vec<F> = (0..WIDTH * 4).map(|_| rng.random()).collect();
    let t = tree_trace(&values).unwrap();
    let root_as_leaf = digest(&t.inputs[1]).unwrap();
    let diff: Vec<F> = (0..DIGEST).map(|l| root_as_leaf[l] - t.digest[l]).collect();
    assert_eq!(diff, LEAF_TAG.to_vec());
    let mut deeper = values.clone();
    deeper.extend(std::iter::repeat_n(F::ZERO, values.len()));
    assert_ne!(digest(&deeper).unwrap(), t.digest);
    let mut swapped = values[2 * WIDTH..].to_vec();
    swapped.extend_from_slice(&values[..2 * WIDTH]);
    assert_ne!(digest(&swapped).unwrap(), t.digest);
    let zero_leaf = digest(&[F::ZERO; WIDTH]).unwrap();
    let pad = permute(&[F::ZERO; WIDTH]);
    assert_ne!(zero_leaf[..], pad[..DIGEST]);
}
