//! Soundness battery: every tampered proof, statement, key or step arrangement below must
//! be rejected by `zkinfer_protocol::verify` with an error, never accepted and never a panic.
//!
//! The proofs are walked structurally (a typed visitor over every extension-field element and every
//! list in the layer proofs), so each element is tampered in place with a value that is still a
//! valid field element: the checks exercised are the verifier's algebra, not a decoder. The PCS
//! openings (p3 types) are tampered at the byte level and re-decoded with their canonical decoder,
//! as a verifier receiving bytes would; a refused decoding counts as a rejection.
//!
//! Each test fails with the list of accepted or panicking mutants (path in the proof and mutation).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_pcs::{Commitment, OpeningProof, PcsParams};
use zkinfer_protocol::test_support::{Rng, linear, mlp, proven};
use zkinfer_protocol::{ModelProof, WeightBinding, model_hash, pcs_params, verify};
use zkinfer_transcript::{Statement, Transcript};

#[path = "tamper/harness.rs"]
mod harness;
#[path = "tamper/walk.rs"]
mod walk;

use harness::{
    Tally, architecture_mutants, fixture, fixtures, json_numbers, kind, spread, statement_with,
};
use walk::{Mutation, Slot, apply, mutants, walk};

/// The harness can fail: the honest proof, run through it, is reported as accepted.
#[test]
fn the_tally_reports_an_accepted_proof() {
    let fx = fixture("mlp", mlp);
    let mut tally = Tally::default();
    tally.check(|| "honest".into(), &fx.vk, &fx.input, &fx.output, &fx.proof);
    assert_eq!(tally.accepted.len(), 1);
    let caught = catch_unwind(AssertUnwindSafe(|| tally.assert_all_rejected("control", 1)));
    assert!(caught.is_err(), "an accepted mutant must fail the test");
}

/// Category 1: every extension-field element of every layer proof, each way (+1, 0, -1, swapped
/// with its neighbour), every list made longer and shorter, every list of sub-proofs reordered.
#[test]
fn every_proof_element_tampered_is_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let list = mutants(&fx.proof);
        let honest = postcard::to_allocvec(&fx.proof).unwrap();
        let mut tally = Tally::default();
        for (slot, path, m) in &list {
            let mut bad = fx.proof.clone();
            apply(&mut bad, *slot, m);
            let bytes = postcard::to_allocvec(&bad).unwrap();
            assert_ne!(bytes, honest, "{} {path} {m:?} changes nothing", fx.name);
            tally.check(
                || format!("{path} {m:?}"),
                &fx.vk,
                &fx.input,
                &fx.output,
                &bad,
            );
        }
        let elems = list
            .iter()
            .filter(|(_, _, m)| matches!(m, Mutation::Add1(_)))
            .count();
        eprintln!("{}: {elems} field elements in the layer proofs", fx.name);
        let min = if fx.name == "mlp" { 500 } else { 1000 };
        tally.assert_all_rejected(&format!("{} proof elements", fx.name), min);
    }
    eprintln!("proof elements: {:?}", start.elapsed());
}

/// The walk is exhaustive: the layer proofs hold no number that is not a coordinate of a field
/// element it visits (each EF is 4 base-field coordinates in the serde encoding). A field added to
/// a proof type without a visit here fails this test.
#[test]
fn the_walk_visits_every_field_element() {
    for fx in fixtures() {
        let mut visited = 0;
        walk(&mut fx.proof.clone(), &mut |_, s| match s {
            Slot::List(v) => visited += v.len(),
            Slot::Fixed(v) => visited += v.len(),
            Slot::Items(_) => {}
        });
        let p = &fx.proof;
        let json = serde_json::to_value((
            &p.witness_reduction,
            &p.weight_reduction,
            &p.output_view,
            &p.steps,
            &p.weight_range,
        ))
        .unwrap();
        assert_eq!(json_numbers(&json), 4 * visited, "{}", fx.name);
    }
}

/// Category 1, PCS part: the openings and the witness commitment, byte by byte at spread
/// positions, re-decoded by their canonical decoders.
#[test]
fn pcs_opening_and_commitment_bytes_tampered_are_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let mut tally = Tally::default();
        type Field = fn(&mut ModelProof) -> &mut OpeningProof;
        let openings: [(&str, Field); 2] = [
            ("weight_opening", |p| &mut p.weight_opening),
            ("witness_opening", |p| p.witness_opening.as_mut().unwrap()),
        ];
        for (name, field) in openings {
            let bytes = field(&mut fx.proof.clone()).to_bytes();
            for pos in spread(bytes.len(), 200) {
                for flip in [0x01u8, 0x80] {
                    let mut b = bytes.clone();
                    b[pos] ^= flip;
                    let Ok(o) = OpeningProof::from_bytes(&b) else {
                        tally.refused_by_decoder += 1;
                        continue;
                    };
                    let mut bad = fx.proof.clone();
                    *field(&mut bad) = o;
                    let label = || format!("{name} byte {pos}/{} ^ {flip:#x}", bytes.len());
                    tally.check(label, &fx.vk, &fx.input, &fx.output, &bad);
                }
            }
        }
        let bytes = fx.proof.witness_commitment.as_ref().unwrap().to_bytes();
        for pos in 0..bytes.len() {
            let mut b = bytes.clone();
            b[pos] ^= 1;
            let Ok(c) = Commitment::from_bytes(&b) else {
                tally.refused_by_decoder += 1;
                continue;
            };
            let mut bad = fx.proof.clone();
            bad.witness_commitment = Some(c);
            let label = || format!("witness_commitment byte {pos} ^ 1");
            tally.check(label, &fx.vk, &fx.input, &fx.output, &bad);
        }
        tally.assert_all_rejected(&format!("{} PCS bytes", fx.name), 800);
    }
    eprintln!("PCS bytes: {:?}", start.elapsed());
}

/// Category 2, statement fields: model hash, weight commitment, input, output, architecture.
#[test]
fn changed_statement_fields_are_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let mut tally = Tally::default();
        let (vk, x, y, p) = (&fx.vk, &fx.input, &fx.output, &fx.proof);
        for i in 0..32 {
            let mut bad = vk.clone();
            bad.model_hash[i] ^= 1;
            tally.check(|| format!("model_hash byte {i}"), &bad, x, y, p);
        }
        let bytes = vk.weight_commitment().unwrap().to_bytes();
        for pos in 0..bytes.len() {
            let mut b = bytes.clone();
            b[pos] ^= 1;
            let Ok(c) = Commitment::from_bytes(&b) else {
                tally.refused_by_decoder += 1;
                continue;
            };
            let mut bad = vk.clone();
            bad.binding = WeightBinding::Plain {
                weight_commitment: c,
            };
            tally.check(
                || format!("weight_commitment byte {pos} ^ 1"),
                &bad,
                x,
                y,
                p,
            );
        }
        let mut bad = vk.clone();
        bad.binding = fx.other_weights_vk.binding.clone();
        tally.check(
            || "weight commitment of other weights".into(),
            &bad,
            x,
            y,
            p,
        );
        for i in 0..x.len() {
            let mut bad = x.clone();
            bad[i] += if bad[i] < 127 { 1 } else { -1 };
            tally.check(
                || format!("input[{i}] {} -> {}", x[i], bad[i]),
                vk,
                &bad,
                y,
                p,
            );
        }
        for i in 0..y.len() {
            for d in [1, -1] {
                let mut bad = y.clone();
                bad[i] += d;
                tally.check(|| format!("output[{i}] {d:+}"), vk, x, &bad, p);
            }
        }
        let archs = architecture_mutants(&vk.architecture);
        for (what, arch) in &archs {
            let mut bad = vk.clone();
            bad.architecture = arch.clone();
            tally.check(|| format!("{what}, stale hash"), &bad, x, y, p);
            bad.model_hash = model_hash(arch);
            tally.check(|| format!("{what}, hash recomputed"), &bad, x, y, p);
        }
        assert!(
            archs.len() >= 10,
            "{}: {} architecture mutants",
            fx.name,
            archs.len()
        );
        tally.assert_all_rejected(&format!("{} statement", fx.name), 50);
    }
    eprintln!("statement: {:?}", start.elapsed());
}

/// Category 3: cross-model and cross-layer swaps.
#[test]
fn swapped_keys_steps_and_openings_are_rejected() {
    let start = Instant::now();
    let all = fixtures();
    for fx in &all {
        let mut tally = Tally::default();
        let (vk, x, y, p) = (&fx.vk, &fx.input, &fx.output, &fx.proof);
        let check = |t: &mut Tally, what: String, bad: &ModelProof| t.check(|| what, vk, x, y, bad);
        // Other keys: same architecture with other weights, other architectures.
        tally.check(
            || "vk of other weights".into(),
            &fx.other_weights_vk,
            x,
            y,
            p,
        );
        for other in all.iter().filter(|o| o.name != fx.name) {
            let what = || format!("vk of {}", other.name);
            tally.check(what, &other.vk, &other.input, &other.output, p);
            let what = || format!("vk of {}, own statement", other.name);
            tally.check(what, &other.vk, x, y, p);
        }
        // The other proof for this statement, and this proof for the other statement.
        check(
            &mut tally,
            "proof of the other input".into(),
            &fx.other_proof,
        );
        tally.check(
            || "proof for the other input".into(),
            vk,
            &fx.other_input,
            &fx.other_output,
            p,
        );
        let steps = &p.steps;
        for i in 0..steps.len() {
            for j in i + 1..steps.len() {
                if kind(&steps[i]) == kind(&steps[j]) {
                    let mut bad = p.clone();
                    bad.steps.swap(i, j);
                    check(
                        &mut tally,
                        format!("steps {i} and {j} ({}) swapped", kind(&steps[i])),
                        &bad,
                    );
                }
            }
            let mut bad = p.clone();
            bad.steps[i] = fx.other_proof.steps[i].clone();
            check(&mut tally, format!("step {i} from the other proof"), &bad);
            let mut bad = p.clone();
            bad.steps.remove(i);
            check(&mut tally, format!("step {i} dropped"), &bad);
            let mut bad = p.clone();
            bad.steps.insert(i, steps[i].clone());
            check(&mut tally, format!("step {i} duplicated"), &bad);
        }
        let mut bad = p.clone();
        bad.output_view = fx.other_proof.output_view.clone();
        check(&mut tally, "output view from the other proof".into(), &bad);
        // The weights' range checks: each from the other proof (its challenges differ), and the
        // first two swapped.
        for (i, other) in fx.other_proof.weight_range.iter().enumerate() {
            if p.weight_range.get(i) != Some(other) {
                let mut bad = p.clone();
                bad.weight_range[i] = other.clone();
                check(
                    &mut tally,
                    format!("weight range {i} from the other proof"),
                    &bad,
                );
            }
        }
        if p.weight_range.len() > 1 {
            let mut bad = p.clone();
            bad.weight_range.swap(0, 1);
            check(&mut tally, "weight ranges 0 and 1 swapped".into(), &bad);
        }
        let mut bad = p.clone();
        bad.witness_opening = fx.other_proof.witness_opening.clone();
        check(
            &mut tally,
            "witness opening from the other proof".into(),
            &bad,
        );
        let mut bad = p.clone();
        bad.weight_opening = fx.other_proof.weight_opening.clone();
        check(
            &mut tally,
            "weight opening from the other proof".into(),
            &bad,
        );
        let mut bad = p.clone();
        bad.witness_commitment = fx.other_proof.witness_commitment.clone();
        check(
            &mut tally,
            "witness commitment from the other proof".into(),
            &bad,
        );
        let mut bad = p.clone();
        bad.witness_commitment = Some(vk.weight_commitment().unwrap().clone());
        check(
            &mut tally,
            "weight commitment as witness commitment".into(),
            &bad,
        );
        let mut bad = p.clone();
        bad.witness_commitment = None;
        check(&mut tally, "witness commitment removed".into(), &bad);
        bad.witness_opening = None;
        check(
            &mut tally,
            "witness commitment and opening removed".into(),
            &bad,
        );
        let mut bad = p.clone();
        bad.witness_opening = None;
        check(&mut tally, "witness opening removed".into(), &bad);
        let mut bad = p.clone();
        std::mem::swap(
            &mut bad.weight_opening,
            bad.witness_opening.as_mut().unwrap(),
        );
        check(
            &mut tally,
            "weight and witness openings swapped".into(),
            &bad,
        );
        tally.assert_all_rejected(&format!("{} swaps", fx.name), 20);
    }
    // A purely linear model has no witness commitment: adding one (with an opening) is refused.
    let input = Rng(3).vec(4, 127);
    let (_, vk, out, proof) = proven(linear(1), &input);
    verify(&vk, &input, &out, &proof).expect("the honest linear proof verifies");
    let mut tally = Tally::default();
    let mut bad = proof.clone();
    bad.witness_commitment = all[0].proof.witness_commitment.clone();
    tally.check(
        || "witness commitment added".into(),
        &vk,
        &input,
        &out,
        &bad,
    );
    bad.witness_opening = all[0].proof.witness_opening.clone();
    tally.check(
        || "witness commitment and opening added".into(),
        &vk,
        &input,
        &out,
        &bad,
    );
    let mut bad = proof.clone();
    bad.witness_opening = all[0].proof.witness_opening.clone();
    tally.check(|| "witness opening added".into(), &vk, &input, &out, &bad);
    tally.assert_all_rejected("linear: witness added", 3);
    eprintln!("swaps: {:?}", start.elapsed());
}

/// Category 4, parameters: `prove` and `verify` both take the PCS parameters from `pcs_params()`
/// (code, not key or proof), so a proof under other parameters cannot be made without editing the prover.
/// What this test pins instead: the statement every transcript starts from is exactly
/// `pcs_params()` plus the public data, and changing any parameter changes the statement and hence
/// every Fiat-Shamir challenge, so a proof made under other parameters fails the first check that
/// depends on a challenge.
#[test]
fn the_statement_binds_the_verifiers_parameters() {
    let fx = fixture("mlp", mlp);
    let real = zkinfer_protocol::statement(
        &fx.vk.model_hash,
        fx.vk.weight_commitment().unwrap(),
        &fx.input,
        &fx.output,
    )
    .unwrap();
    let ours = pcs_params();
    assert_eq!(
        real,
        statement_with(&ours, &fx),
        "statement is not pcs_params() + public data"
    );
    let first_challenge = |s: &Statement| Transcript::new(s).sample_ext("probe");
    type Edit = fn(&mut PcsParams);
    let edits: [(&str, Edit); 6] = [
        ("security_level + 1", |p| p.security_level += 1),
        ("security_level - 10", |p| p.security_level -= 10),
        ("pow_bits - 1", |p| p.pow_bits -= 1),
        ("folding_factor + 1", |p| p.folding_factor += 1),
        ("starting_log_inv_rate + 1", |p| {
            p.starting_log_inv_rate += 1
        }),
        ("min_soundness_bits - 20", |p| p.min_soundness_bits -= 20.0),
    ];
    for (what, edit) in edits {
        let mut p = ours.clone();
        edit(&mut p);
        let other = statement_with(&p, &fx);
        assert_ne!(other, real, "{what}: same statement");
        assert_ne!(
            first_challenge(&other),
            first_challenge(&real),
            "{what}: same challenges"
        );
    }
    let v = verify(&fx.vk, &fx.input, &fx.output, &fx.proof).unwrap();
    assert!(
        v.soundness_bits >= ours.min_soundness_bits,
        "{}",
        v.soundness_bits
    );
    // Sanity: the probe is a real challenge, not a constant.
    assert_ne!(first_challenge(&real), EF::ZERO);
}
