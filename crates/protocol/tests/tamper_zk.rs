//! Soundness battery of the zero-knowledge model proof ("every tamper test from the
//! end-to-end proofs also passes in zero-knowledge mode"): every tampered proof, statement, key or
//! arrangement of sub-proofs below must be rejected by `verify_zk` with an error, never accepted
//! and never a panic. Plus two properties of the proofs themselves: two proofs of one statement
//! share no revealed masked value, and two models of one architecture give proofs of one shape.
//!
//! The proof is walked generically through its serde tree ([`serde_walk`]): every extension-field
//! element outside the PCS parts is tampered in place in the proof's postcard encoding, every
//! sequence is shortened, lengthened and reordered, every `Some` removed, and the bytes are decoded
//! as a verifier would (a refused decoding counts as a rejection). No proof type is named, so a
//! field added to any sub-proof is covered without a change here. The PCS parts (the hidden
//! commitment, the weight opening and the hiding opening inside the back end's proof) are p3 types
//! tampered at spread byte positions and re-decoded by their own codecs.
//!
//! Models: mlp, cnn, maxpool and linear of `test_support`, plus `twin` (two weight tensors of one
//! size, the only one whose proof has a weight reduction). `tamper_zk/private.rs` runs a sampled
//! battery on proofs with a private input. Each test fails with the list of accepted or panicking
//! mutants, and prints (with `--nocapture`) how many mutants each field gave and why they were
//! rejected. Run time: ~40-80 s in the dev profile on 2 cores, most of it the exhaustive walk.

use std::time::Instant;

use zkinfer_field::PrimeCharacteristicRing;
use zkinfer_pcs::{Commitment, HidingOpeningProof};
use zkinfer_protocol::{WeightBinding, ZkModelProof, model_hash};

#[path = "tamper_zk/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "tamper/harness.rs"]
mod harness;
#[path = "tamper_zk/mutants.rs"]
mod mutants;
#[path = "tamper_zk/private.rs"]
mod private;
#[path = "tamper_zk/serde_walk.rs"]
mod serde_walk;
#[path = "tamper_zk/shape.rs"]
mod shape;
#[path = "tamper_zk/swaps.rs"]
mod swaps;
#[path = "tamper_zk/tracker.rs"]
mod tracker;

use fixture::{Tally, by_name, fixtures};
use harness::{architecture_mutants, json_numbers, spread};
use mutants::{Mutation, element_mutants, structure_mutants};
use serde_walk::Map;

/// The PCS parts of a [`ZkModelProof`], tampered by their own codecs, not walked as field elements.
const PCS_PATHS: [&str; 4] = [
    "input_commitment",
    "input_opening",
    "hidden_commitment",
    "opening.opening",
];

fn map(p: &ZkModelProof) -> Map {
    Map::of(p, &PCS_PATHS)
}

/// The harness can fail: the honest proof, checked as a proof and as bytes, is reported accepted.
#[test]
fn the_tally_reports_an_accepted_proof() {
    let fx = by_name("linear");
    let mut tally = Tally::default();
    tally.check(
        "",
        || "honest".into(),
        &fx.vk,
        &fx.input,
        &fx.output,
        &fx.proof,
    );
    assert_eq!(tally.accepted.len(), 1);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tally.assert_all_rejected("control", 1)
    }));
    assert!(caught.is_err(), "an accepted mutant must fail the test");
    let honest = postcard::to_allocvec(&fx.proof).unwrap();
    let mut tally = Tally::default();
    tally.check_bytes(
        "",
        || "honest bytes".into(),
        &fx.vk,
        &fx.input,
        &fx.output,
        &honest,
    );
    assert_eq!(
        tally.accepted.len(),
        1,
        "the byte path decodes and verifies"
    );
}

/// The walk is exhaustive: outside the PCS parts, the proof's tree holds no number that is not a
/// coordinate of an extension-field element the walk found (counted independently in the JSON
/// encoding: 4 coordinates per element), and no other leaf (a length, a flag) it would not tamper.
/// It finds every part of the proof the battery must cover.
#[test]
fn the_serde_walk_finds_every_field_element() {
    let mut fields = std::collections::BTreeSet::new();
    let public = fixtures()
        .iter()
        .flat_map(|fx| [(fx.name, &fx.proof), (fx.name, &fx.other_proof)]);
    let private = private::fixtures().iter().map(|fx| (fx.name, &fx.proof));
    for (name, p) in public.chain(private) {
        let m = map(p);
        assert!(
            m.others.is_empty(),
            "{name}: untampered leaves {:?}",
            m.others
        );
        let mut json = serde_json::to_value(p).unwrap();
        // A skipped part is present unless it is a `None` (one zero byte).
        let present: Vec<&str> = m
            .skipped
            .iter()
            .filter(|(_, r)| m.bytes[r.clone()] != [0])
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(m.skipped.len(), PCS_PATHS.len(), "{name}");
        for path in PCS_PATHS {
            let mut v = &mut json;
            for key in path.split('.') {
                v = &mut v[key];
            }
            assert_eq!(!v.is_null(), present.contains(&path), "{name}: {path}");
            v.take();
        }
        assert_eq!(json_numbers(&json), 4 * m.elems.len(), "{name}");
        fields.extend(m.elems.iter().map(|e| mutants::strip_indices(&e.path)));
        fields.extend(m.seqs.iter().map(|s| mutants::strip_indices(&s.path)));
        fields.extend(present.iter().map(|p| p.to_string()));
    }
    let required = [
        "output_view.sumcheck.mask_sum",
        "output_view.sumcheck.rounds.round_polys[][]",
        "output_view.sumcheck.final_values",
        "steps[].Linear.sumcheck.final_values[]",
        "steps[].MatMul.to_prod.sumcheck.rounds.round_polys[][]",
        "steps[].MatMul.matmul.sumcheck.mask_sum",
        "steps[].MatMul.matmul.sumcheck.final_values[]",
        "steps[].MatMul.patches.sumcheck.rounds.round_polys[][]",
        "steps[].Requant.range.root[]",
        "steps[].Requant.range.layers[].rounds.round_polys[][]",
        "steps[].Requant.range.layers[].final_values[]",
        "steps[].Requant.range.layers[].mask_sum",
        "steps[].Requant.zero_check.sumcheck.mask_sum",
        "steps[].Requant.zero_check.sumcheck.final_values[]",
        "steps[].MaxPool.range.root[]",
        "steps[].MaxPool.range.layers[].final_values[]",
        "steps[].MaxPool.pool.sumcheck.rounds.round_polys[][]",
        "steps[].MaxPool.pool.sumcheck.final_values[]",
        "steps[].MaxPool.taps[].sumcheck.rounds.round_polys[][]",
        "weight_range[].root[]",
        "weight_range[].layers[].rounds.round_polys[][]",
        "weight_range[].layers[].mask_sum",
        "weight_range[].layers[].final_values[]",
        "weight_hash.rounds[].mask_sum",
        "weight_hash.rounds[].rounds.round_polys[][]",
        "weight_hash.rounds[].final_values[]",
        "opening.batch.mask_sum",
        "opening.batch.mask_eval",
        "opening.batch.rounds.round_polys[][]",
        "opening.q_at_z",
        "opening.companions[]",
        "opening.mask.round_polys[][]",
        "opening.v_at_z",
        "input_value",
        "input_range.root[]",
        "input_range.layers[].rounds.round_polys[][]",
        "input_commitment",
        "input_opening",
        "hidden_commitment",
        "opening.opening",
    ];
    let missing: Vec<&str> = required
        .iter()
        .filter(|f| !fields.contains(**f))
        .copied()
        .collect();
    assert!(
        missing.is_empty(),
        "not found: {missing:?}\nfound: {fields:#?}"
    );
}

/// Category 1: every extension-field element outside the PCS parts, each way (+1, 0, -1, swapped
/// with its neighbour in its sequence or array), in every proof of the four models.
#[test]
fn every_proof_element_tampered_is_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let m = map(&fx.proof);
        let list = element_mutants(&m);
        let mut tally = Tally::default();
        for mt in &list {
            let bytes = serde_walk::splice(&m.bytes, &mt.edits);
            assert_ne!(
                bytes, m.bytes,
                "{} {} {:?} changes nothing",
                fx.name, mt.path, mt.what
            );
            // An element mutant is a canonical encoding: the verifier sees exactly this change.
            let bad: ZkModelProof = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(postcard::to_allocvec(&bad).unwrap(), bytes, "{}", mt.path);
            tally.check(
                &mt.field(),
                || format!("{} {:?}", mt.path, mt.what),
                &fx.vk,
                &fx.input,
                &fx.output,
                &bad,
            );
        }
        let elems = list.iter().filter(|m| m.what == Mutation::Add1).count();
        eprintln!("{}: {elems} field elements", fx.name);
        assert_eq!(elems, m.elems.len());
        tally.assert_all_rejected(&format!("{} proof elements", fx.name), 4 * elems / 2);
    }
    eprintln!("proof elements: {:?}", start.elapsed());
}

/// Category 1, structure: every sequence of the tree (round polynomials, rounds, final values,
/// range-check layers, taps, steps, weight evaluations, companions, reductions) one shorter, one
/// longer (its last item repeated, or a zero element appended), adjacent items swapped, and every
/// optional part removed.
#[test]
fn every_list_and_option_tampered_is_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let m = map(&fx.proof);
        let list = structure_mutants(&m);
        let mut tally = Tally::default();
        for mt in &list {
            let bytes = serde_walk::splice(&m.bytes, &mt.edits);
            assert_ne!(
                bytes, m.bytes,
                "{} {} {:?} changes nothing",
                fx.name, mt.path, mt.what
            );
            tally.check_bytes(
                &format!("{} {:?}", mt.field(), kind_of(mt.what)),
                || format!("{} {:?}", mt.path, mt.what),
                &fx.vk,
                &fx.input,
                &fx.output,
                &bytes,
            );
        }
        tally.assert_all_rejected(&format!("{} lists and options", fx.name), 20);
    }
    eprintln!("lists and options: {:?}", start.elapsed());
}

fn kind_of(m: Mutation) -> Mutation {
    match m {
        Mutation::SwapItems(_) => Mutation::SwapItems(0),
        m => m,
    }
}

/// Category 1, PCS part: the hiding opening of the back end, byte by byte at spread positions, and every byte of the hidden commitment, re-decoded by their codecs.
#[test]
fn pcs_opening_and_commitment_bytes_tampered_are_rejected() {
    let start = Instant::now();
    for fx in fixtures()
        .iter()
        .filter(|f| matches!(f.name, "mlp" | "cnn" | "maxpool"))
    {
        let mut tally = Tally::default();
        let (vk, x, y) = (&fx.vk, &fx.input, &fx.output);
        let bytes = fx.proof.opening.opening.to_bytes();
        for pos in spread(bytes.len(), 120) {
            for flip in [0x01u8, 0x80] {
                let mut b = bytes.clone();
                b[pos] ^= flip;
                let Ok(o) = HidingOpeningProof::from_bytes(&b) else {
                    tally.refused_by_decoder += 1;
                    continue;
                };
                let mut bad = fx.proof.clone();
                bad.opening.opening = o;
                let label = || format!("opening.opening byte {pos}/{} ^ {flip:#x}", bytes.len());
                tally.check("opening.opening", label, vk, x, y, &bad);
            }
        }
        let bytes = fx.proof.hidden_commitment.to_bytes();
        for pos in 0..bytes.len() {
            let mut b = bytes.clone();
            b[pos] ^= 1;
            let Ok(c) = Commitment::from_bytes(&b) else {
                tally.refused_by_decoder += 1;
                continue;
            };
            let mut bad = fx.proof.clone();
            bad.hidden_commitment = c;
            let label = || format!("hidden_commitment byte {pos} ^ 1");
            tally.check("hidden_commitment", label, vk, x, y, &bad);
        }
        tally.assert_all_rejected(&format!("{} PCS bytes", fx.name), 250);
    }
    eprintln!("PCS bytes: {:?}", start.elapsed());
}

/// Category 2, statement fields: model hash, weight commitment (bytes, and the commitment of other
/// weights of the same architecture), every input and output entry, their lengths, and the
/// architecture (each parameter, hash stale or recomputed).
#[test]
fn changed_statement_fields_are_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let mut tally = Tally::default();
        let (vk, x, y, p) = (&fx.vk, &fx.input, &fx.output, &fx.proof);
        for i in 0..32 {
            let mut bad = vk.clone();
            bad.model_hash[i] ^= 1;
            tally.check(
                "model_hash",
                || format!("model_hash byte {i}"),
                &bad,
                x,
                y,
                p,
            );
        }
        // The zero-knowledge statement binds the salted weight digest (the plain commitment
        // C_W is for plain proofs only).
        let digest = *vk.weight_digest().unwrap();
        for i in 0..digest.len() {
            let mut bad = vk.clone();
            let mut d = digest;
            d[i] += zkinfer_field::F::ONE;
            bad.binding = WeightBinding::ZeroKnowledge { weight_digest: d };
            let label = || format!("weight_digest[{i}] + 1");
            tally.check("weight_digest", label, &bad, x, y, p);
        }
        let mut bad = vk.clone();
        bad.binding = fx.other_weights_vk.binding.clone();
        let label = || "weight digest of other weights".into();
        tally.check("weight_digest", label, &bad, x, y, p);
        for i in 0..x.len() {
            let mut bad = x.clone();
            bad[i] += if bad[i] < 127 { 1 } else { -1 };
            let label = || format!("input[{i}] {} -> {}", x[i], bad[i]);
            tally.check("input", label, vk, &bad, y, p);
        }
        for i in 0..y.len() {
            for d in [1, -1] {
                let mut bad = y.clone();
                bad[i] += d;
                tally.check("output", || format!("output[{i}] {d:+}"), vk, x, &bad, p);
            }
        }
        let (mut longer, mut shorter) = (x.clone(), x.clone());
        longer.push(0);
        shorter.pop();
        tally.check("input", || "input one longer".into(), vk, &longer, y, p);
        tally.check("input", || "input one shorter".into(), vk, &shorter, y, p);
        let (mut longer, mut shorter) = (y.clone(), y.clone());
        longer.push(0);
        shorter.pop();
        tally.check("output", || "output one longer".into(), vk, x, &longer, p);
        tally.check("output", || "output one shorter".into(), vk, x, &shorter, p);
        let archs = architecture_mutants(&vk.architecture);
        for (what, arch) in &archs {
            let mut bad = vk.clone();
            bad.architecture = arch.clone();
            tally.check(
                "architecture",
                || format!("{what}, stale hash"),
                &bad,
                x,
                y,
                p,
            );
            bad.model_hash = model_hash(arch);
            tally.check(
                "architecture",
                || format!("{what}, hash recomputed"),
                &bad,
                x,
                y,
                p,
            );
        }
        assert!(
            archs.len() >= 3,
            "{}: {} architecture mutants",
            fx.name,
            archs.len()
        );
        tally.assert_all_rejected(&format!("{} statement", fx.name), 40);
    }
    eprintln!("statement: {:?}", start.elapsed());
}
