//! Tests of the cost model: the predicted proof size against real proofs, the built-in
//! calibration, and calibration files that cannot be used.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use zkinfer_protocol::ProofMode;
use zkinfer_protocol::cost::{CommitmentCost, cost_profile};
use zkinfer_protocol::test_support::{Rng, cnn, input_len, maxpool, mlp, proven};

use super::synth::series;
use super::{Calibration, Profile, Target, defaults};

/// The plain profile of a model.
fn plain(model: &zkinfer_ir::QModel) -> Profile {
    Profile {
        plain: cost_profile(model).unwrap(),
        zk: None,
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("zkinfer-cost-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn proof_size_is_predicted_within_ten_percent() {
    let cal = defaults::builtin();
    for (model, seed) in [(mlp(1), 2), (cnn(3), 4), (maxpool(5), 6)] {
        let profile = cost_profile(&model).unwrap();
        let input = Rng(seed).vec(input_len(&model), 127);
        let (_, _, _, proof) = proven(model, &input);
        let actual = postcard::to_allocvec(&proof).unwrap().len() as f64;
        let predicted = cal
            .predict(
                &Profile {
                    plain: profile.clone(),
                    zk: None,
                },
                ProofMode::Plain,
            )
            .proof_bytes;
        let err = (predicted - actual).abs() / actual;
        assert!(err < 0.10, "predicted {predicted} bytes, actual {actual}");
        // Each opening on its own, against the built-in table.
        let weights = proof.weight_opening.to_bytes().len() as f64;
        let predicted = cal.opening_bytes(&profile.weights);
        assert!(
            (predicted - weights).abs() / weights < 0.10,
            "{predicted} vs {weights}"
        );
    }
}

#[test]
fn builtin_calibration_is_usable_and_predicts_growing_costs() {
    let cal = defaults::builtin();
    cal.check().unwrap();
    let small = cal.predict(&plain(&mlp(1)), ProofMode::Plain);
    let big = cal.predict(&plain(&series()[4].build().unwrap()), ProofMode::Plain);
    for (s, b) in [
        (small.prove_ms, big.prove_ms),
        (small.peak_mb, big.peak_mb),
        (small.proof_bytes, big.proof_bytes),
    ] {
        assert!(s > 0.0 && b > s, "{s} vs {b}");
    }
    assert_eq!(small.prove_ms, small.phases_ms.iter().sum::<f64>());
}

#[test]
fn opening_sizes_interpolate_and_count_claims() {
    let mut cal = defaults::builtin();
    cal.opening_bytes = vec![[4, 1000], [6, 2000], [8, 3000]];
    (cal.point_bytes, cal.value_bytes) = (20.0, 10.0);
    let c = |stacked_vars, opened_points, opened_values| CommitmentCost {
        columns: 1,
        stacked_vars,
        opened_points,
        opened_values,
        ..CommitmentCost::default()
    };
    assert_eq!(cal.opening_bytes(&c(6, 1, 1)), 2000.0);
    assert_eq!(cal.opening_bytes(&c(5, 2, 4)), 1500.0 + 20.0 + 2.0 * 10.0);
    assert_eq!(cal.opening_bytes(&c(10, 1, 1)), 4000.0);
    assert_eq!(cal.opening_bytes(&c(3, 1, 1)), 500.0);
    assert_eq!(cal.opening_bytes(&CommitmentCost::default()), 0.0);
}

#[test]
fn calibration_files_round_trip() {
    let dir = scratch("round-trip");
    let path = dir.join("nested/calibration.json");
    let cal = defaults::builtin();
    cal.save(&path).unwrap();
    assert_eq!(Calibration::load(&path).unwrap(), cal);
}

#[test]
fn unusable_calibration_files_name_the_path_and_the_problem() {
    let dir = scratch("bad");
    let missing = dir.join("missing.json");
    let msg = format!("{:#}", Calibration::load(&missing).unwrap_err());
    assert!(
        msg.contains("missing.json") && msg.contains("cannot read"),
        "{msg}"
    );

    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "{not json").unwrap();
    let msg = format!("{:#}", Calibration::load(&garbage).unwrap_err());
    assert!(
        msg.contains("garbage.json") && msg.contains("not a calibration file"),
        "{msg}"
    );

    type Breaker = fn(&mut Calibration);
    let cases: [(&str, Breaker); 4] = [
        ("format 7", |c| c.format = 7),
        ("features", |c| {
            c.targets[2].features.pop();
        }),
        ("negative", |c| c.targets[0].coefficients[0] = -1.0),
        ("no coefficients for 'memory'", |c| {
            c.targets.retain(|f| f.target != Target::Memory.name())
        }),
    ];
    for (want, break_it) in cases {
        let mut cal = defaults::builtin();
        break_it(&mut cal);
        let path = dir.join("broken.json");
        cal.save(&path).unwrap();
        let msg = format!("{:#}", Calibration::load(&path).unwrap_err());
        assert!(
            msg.contains("broken.json") && msg.contains(want),
            "{want}: {msg}"
        );
    }
}

#[test]
fn every_synthetic_model_is_provable() {
    // Profiling runs the setup's checks (validation, plan compilation) without committing.
    for s in series() {
        let model = s.build().unwrap();
        assert_eq!(
            zkinfer_protocol::test_support::input_len(&model),
            s.input_len()
        );
        let p = cost_profile(&model).unwrap();
        assert!(p.macs > 0 && p.witness.columns > 0, "{}", s.name());
    }
}

#[test]
fn zk_proof_size_is_predicted_within_ten_percent() {
    use zkinfer_protocol::zk::zk_cost_profile;
    let cal = defaults::builtin();
    for (model, seed) in [(mlp(1), 2), (cnn(3), 4), (maxpool(5), 6)] {
        let (plain, zk) = zk_cost_profile(&model).unwrap();
        let input = Rng(seed).vec(input_len(&model), 127);
        let (pk, _) = zkinfer_protocol::setup(model, ProofMode::ZeroKnowledge).unwrap();
        let (_, proof) = zkinfer_protocol::prove_zk(&pk, &input).unwrap();
        let actual = postcard::to_allocvec(&proof).unwrap().len() as f64;
        let opening = postcard::to_allocvec(&proof.opening.opening).unwrap().len() as f64;
        let profile = Profile {
            plain,
            zk: Some(zk.clone()),
        };
        let e = cal.predict(&profile, ProofMode::ZeroKnowledge);
        assert!(
            (e.proof_bytes - actual).abs() / actual < 0.10,
            "predicted {} bytes, actual {actual}",
            e.proof_bytes
        );
        let table = cal.zk_opening_bytes(zk.q_vars);
        assert!(
            (table - opening).abs() / opening < 0.10,
            "{table} vs {opening}"
        );
        // A zero-knowledge proof costs more than the plain one in every phase but the witness.
        let p = cal.predict(&profile, ProofMode::Plain);
        assert!(
            e.prove_ms > p.prove_ms && e.peak_mb > p.peak_mb,
            "{e:?} vs {p:?}"
        );
    }
}
