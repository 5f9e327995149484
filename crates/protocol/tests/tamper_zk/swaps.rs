//! Category 3 of the zero-knowledge battery: sub-proofs swapped between layers of one proof and
//! between proofs (of the same statement, another input, other weights, other models), steps
//! dropped and duplicated, weight evaluations dropped and added, and keys of other models.

use std::time::Instant;

use zkinfer_protocol::{ZkModelProof, ZkStepProof};

use super::fixture::{Tally, ZkFixture, fixtures, kind};

/// The proofs a sub-proof is taken from: (name, proof).
fn donors(fx: &ZkFixture) -> [(&'static str, &ZkModelProof); 3] {
    [
        ("the same statement's other proof", &fx.again),
        ("the other input's proof", &fx.other_proof),
        ("the other weights' proof", &fx.other_weights_proof),
    ]
}

/// Sub-proofs exchanged inside one step (same types, different roles).
fn inner_swaps(step: &ZkStepProof, all: &[ZkStepProof]) -> Vec<(String, ZkStepProof)> {
    let mut out = vec![];
    match step {
        ZkStepProof::MatMul {
            to_prod,
            matmul,
            patches,
        } => {
            out.push((
                "to_prod and patches swapped".into(),
                ZkStepProof::MatMul {
                    to_prod: patches.clone(),
                    matmul: matmul.clone(),
                    patches: to_prod.clone(),
                },
            ));
            for (j, s) in all.iter().enumerate() {
                if let ZkStepProof::MatMul { matmul: m, .. } = s
                    && m != matmul
                {
                    out.push((
                        format!("matmul from step {j}"),
                        ZkStepProof::MatMul {
                            to_prod: to_prod.clone(),
                            matmul: m.clone(),
                            patches: patches.clone(),
                        },
                    ));
                }
            }
        }
        ZkStepProof::Requant { range, .. } | ZkStepProof::MaxPool { range, .. } => {
            for (j, s) in all.iter().enumerate() {
                let other = match s {
                    ZkStepProof::Requant { range: r, .. }
                    | ZkStepProof::MaxPool { range: r, .. } => r,
                    _ => continue,
                };
                if other == range {
                    continue;
                }
                let mut bad = step.clone();
                match &mut bad {
                    ZkStepProof::Requant { range, .. } | ZkStepProof::MaxPool { range, .. } => {
                        *range = other.clone()
                    }
                    _ => unreachable!(),
                }
                out.push((format!("range check from step {j} ({})", kind(s)), bad));
            }
            if let ZkStepProof::Requant {
                zero_check: Some(_),
                ..
            } = step
            {
                out.push((
                    "zero-check removed".into(),
                    ZkStepProof::Requant {
                        range: range.clone(),
                        zero_check: None,
                    },
                ));
            }
        }
        _ => {}
    }
    if let ZkStepProof::MaxPool { range, pool, taps } = step
        && taps.len() >= 2
    {
        let mut t = taps.clone();
        t.swap(0, 1);
        out.push((
            "taps 0 and 1 swapped".into(),
            ZkStepProof::MaxPool {
                range: range.clone(),
                pool: pool.clone(),
                taps: t,
            },
        ));
    }
    out
}

#[test]
fn swapped_steps_proofs_and_keys_are_rejected() {
    let start = Instant::now();
    let all = fixtures();
    for fx in all {
        let mut tally = Tally::default();
        let (vk, x, y, p) = (&fx.vk, &fx.input, &fx.output, &fx.proof);
        let mut check = |group: &str, what: String, bad: &ZkModelProof| {
            tally.check(group, || what, vk, x, y, bad)
        };
        let steps = &p.steps;
        for i in 0..steps.len() {
            for j in i + 1..steps.len() {
                let mut bad = p.clone();
                bad.steps.swap(i, j);
                let what = format!(
                    "steps {i} ({}) and {j} ({}) swapped",
                    kind(&steps[i]),
                    kind(&steps[j])
                );
                check("steps swapped", what, &bad);
            }
            for (name, donor) in donors(fx) {
                let mut bad = p.clone();
                bad.steps[i] = donor.steps[i].clone();
                check(
                    "step from another proof",
                    format!("step {i} from {name}"),
                    &bad,
                );
            }
            for other in all.iter().filter(|o| o.name != fx.name) {
                if let Some(s) = other
                    .proof
                    .steps
                    .iter()
                    .find(|s| kind(s) == kind(&steps[i]))
                {
                    let mut bad = p.clone();
                    bad.steps[i] = s.clone();
                    let what = format!("step {i} ({}) from {}", kind(s), other.name);
                    check("step from another model", what, &bad);
                }
            }
            for (what, s) in inner_swaps(&steps[i], steps) {
                let mut bad = p.clone();
                bad.steps[i] = s;
                check("inside a step", format!("step {i}: {what}"), &bad);
            }
            let mut bad = p.clone();
            bad.steps.remove(i);
            check("step dropped", format!("step {i} dropped"), &bad);
            let mut bad = p.clone();
            bad.steps.insert(i, steps[i].clone());
            check("step duplicated", format!("step {i} duplicated"), &bad);
        }
        let mut bad = p.clone();
        bad.steps.push(fx.again.steps[0].clone());
        check(
            "step added",
            "a step of the other proof appended".into(),
            &bad,
        );
        let mut bad = p.clone();
        bad.steps.clear();
        check("step dropped", "every step dropped".into(), &bad);

        // The weight hash's rounds dropped, repeated, reordered.
        let rounds = &p.weight_hash.rounds;
        let mut bad = p.clone();
        bad.weight_hash.rounds.pop();
        check("weight_hash", "the last round dropped".into(), &bad);
        let mut bad = p.clone();
        bad.weight_hash.rounds.push(rounds[0].clone());
        check("weight_hash", "a round repeated".into(), &bad);
        let mut bad = p.clone();
        bad.weight_hash.rounds.swap(0, rounds.len() - 1);
        check("weight_hash", "first and last rounds swapped".into(), &bad);
        let mut bad = p.clone();
        bad.weight_hash.rounds.swap(10, 11);
        check("weight_hash", "two partial rounds swapped".into(), &bad);

        // The weights' range checks swapped between columns, and a layer's range check in place
        // of one.
        let checks = &p.weight_range;
        if checks.len() > 1 && checks[0] != checks[1] {
            let mut bad = p.clone();
            bad.weight_range.swap(0, 1);
            check("weight_range", "the first two swapped".into(), &bad);
        }
        let layer_range = p.steps.iter().find_map(|s| match s {
            ZkStepProof::Requant { range, .. } | ZkStepProof::MaxPool { range, .. } => Some(range),
            _ => None,
        });
        if let (Some(i), Some(r)) = (checks.iter().position(Option::is_some), layer_range) {
            let mut bad = p.clone();
            bad.weight_range[i] = Some(r.clone());
            check("weight_range", format!("check {i} from a layer"), &bad);
        }

        // Whole parts from another proof: of the same statement, another input, other weights.
        for (name, donor) in donors(fx) {
            type Part = fn(&mut ZkModelProof, &ZkModelProof);
            let parts: [(&str, Part); 11] = [
                ("hidden_commitment", |b, d| {
                    b.hidden_commitment = d.hidden_commitment.clone()
                }),
                ("output_view", |b, d| b.output_view = d.output_view.clone()),
                ("weight_range", |b, d| {
                    b.weight_range = d.weight_range.clone()
                }),
                ("weight_hash", |b, d| b.weight_hash = d.weight_hash.clone()),
                ("opening", |b, d| b.opening = d.opening.clone()),
                ("opening.batch", |b, d| {
                    b.opening.batch = d.opening.batch.clone()
                }),
                ("opening.q_at_z", |b, d| b.opening.q_at_z = d.opening.q_at_z),
                ("opening.companions", |b, d| {
                    b.opening.companions = d.opening.companions.clone()
                }),
                ("opening.mask", |b, d| {
                    b.opening.mask = d.opening.mask.clone()
                }),
                ("opening.opening", |b, d| {
                    b.opening.opening = d.opening.opening.clone()
                }),
                ("hidden_commitment and opening", |b, d| {
                    b.hidden_commitment = d.hidden_commitment.clone();
                    b.opening = d.opening.clone();
                }),
            ];
            for (part, take) in parts {
                let mut bad = p.clone();
                take(&mut bad, donor);
                if postcard::to_allocvec(&bad).unwrap() == postcard::to_allocvec(p).unwrap() {
                    continue; // the same part in both proofs (an empty list): nothing to test
                }
                check(
                    "part from another proof",
                    format!("{part} from {name}"),
                    &bad,
                );
            }
            if !std::ptr::eq(donor, &fx.again) {
                check("another proof", format!("all of {name}"), donor);
            }
        }
        for other in all.iter().filter(|o| o.name != fx.name) {
            let mut bad = p.clone();
            bad.hidden_commitment = other.proof.hidden_commitment.clone();
            check(
                "part from another model",
                format!("hidden_commitment of {}", other.name),
                &bad,
            );
            let mut bad = p.clone();
            bad.opening = other.proof.opening.clone();
            check(
                "part from another model",
                format!("opening of {}", other.name),
                &bad,
            );
        }
        let _ = check;

        // Other keys and statements: the proof of another model, with its own statement or ours.
        let mut check_with = |group: &str, what: String, vk, x: &[i64], y: &[i64], p| {
            tally.check(group, || what, vk, x, y, p)
        };
        check_with(
            "other key",
            "vk of other weights".into(),
            &fx.other_weights_vk,
            x,
            y,
            p,
        );
        let ow = &fx.other_weights_output;
        check_with(
            "other key",
            "vk of other weights, its output".into(),
            &fx.other_weights_vk,
            x,
            ow,
            p,
        );
        let owp = &fx.other_weights_proof;
        check_with(
            "other statement",
            "other weights' proof, its output".into(),
            vk,
            x,
            ow,
            owp,
        );
        let op = &fx.other_proof;
        check_with(
            "other statement",
            "other input's proof, its statement".into(),
            vk,
            &fx.other_input,
            y,
            op,
        );
        check_with(
            "other statement",
            "this proof, other input's statement".into(),
            vk,
            &fx.other_input,
            &fx.other_output,
            p,
        );
        for other in all.iter().filter(|o| o.name != fx.name) {
            let (ovk, ox, oy, op) = (&other.vk, &other.input, &other.output, &other.proof);
            check_with(
                "another model",
                format!("{}'s proof, its own statement, our key", other.name),
                vk,
                ox,
                oy,
                op,
            );
            check_with(
                "another model",
                format!("{}'s key and statement, our proof", other.name),
                ovk,
                ox,
                oy,
                p,
            );
            if ox.len() == x.len() && oy.len() == y.len() {
                check_with(
                    "another model",
                    format!("{}'s proof, our statement", other.name),
                    vk,
                    x,
                    y,
                    op,
                );
            }
        }
        tally.assert_all_rejected(&format!("{} swaps", fx.name), 30);
    }
    eprintln!("swaps: {:?}", start.elapsed());
}
