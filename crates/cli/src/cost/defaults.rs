//! The built-in calibrations: what `zkinfer estimate` uses when no calibration file exists, one per
//! build profile, each measured with a binary of that profile (`cargo build --release`, and the
//! `cargo build`/`cargo test` profile with debug assertions, whose binary the end-to-end tests
//! compare against). Both were measured with `zkinfer estimate --calibrate --runs 3
//! --max-open-vars 22` on 2026-12-07 on the development machine (AMD EPYC, 2 cores; shared with other
//! builds, load average 2-4 during the runs) at commit afc862d plus this change (WHIR folding factor
//! 4, rate 1/2, 10 grinding bits). Another machine, or other commitment parameters, should run
//! `zkinfer estimate --calibrate`.

use super::{Calibration, FORMAT, Fitted, Target};

/// When the coefficients were measured.
const DATE: &str = "2026-12-07";
/// The machine measured.
const MACHINE: &str = "AMD EPYC, 2 cores (built-in calibration)";

/// Coefficients per target, in [`Target::ALL`] order, of a release build: ns per feature unit
/// (times), bytes per feature unit (memory).
const RELEASE: [&[f64]; 14] = [
    // witness (fit within 83%): fixed, macs, trace_elems, witness_elems
    &[238700.0, 14.41, 33.15, 0.0],
    // commit (fit within 19%): commitments, witness_stacked_elems, weight_stacked_elems, weight_elems
    &[2462000.0, 132.7, 98.74, 0.0],
    // sumchecks (fit within 45%): fixed, sumcheck_rounds, matmul_mults, sumcheck_elems, wiring_entries, weight_elems
    &[212300.0, 461.1, 1.316, 6.696, 40.36, 0.0],
    // lookups (fit within 17%): sumcheck_rounds, lookup_entries, table_rows, zerocheck_elems, wiring_work
    &[25620.0, 367.8, 396.0, 0.0, 0.0],
    // openings (fit within 22%): fixed, stacked_elems, point_elems, value_elems, reduction_elems, opened_points
    &[0.0, 155.2, 0.0, 186.2, 34.87, 373000.0],
    // verify (fit within 72%): fixed, sumcheck_rounds, wiring_entries, wiring_elems, claims, stacked_vars
    &[0.0, 18960.0, 28.6, 0.0, 0.0, 113300.0],
    // memory (fit within 2%): fixed, stacked_elems, largest_buffer, held_elems
    &[13140000.0, 31.04, 9.505, 0.2193],
    // zk_witness (fit within 39%): fixed, macs, trace_elems, hash_state_elems, witness_elems
    &[2166000.0, 0.0, 929.6, 24.03, 0.0],
    // zk_commit (fit within 40%): fixed, q_len, random_elems
    &[0.0, 121.5, 0.0],
    // zk_sumchecks (fit within 29%): fixed, sumchecks, rounds, matmul_mults, masked_work, wiring_entries, hash_work
    &[0.0, 0.0, 12630.0, 0.0, 0.0, 0.0, 16.66],
    // zk_lookups (fit within 39%): sumchecks, rounds, lookup_entries, range_leaves, table_rows, masked_work, wiring_entries
    &[0.0, 13410.0, 1595.0, 0.0, 0.0, 13.69, 8511.0],
    // zk_openings (fit within 16%): fixed, q_len, claimed_elems, groups
    &[94920000.0, 663.0, 2.52, 225000.0],
    // zk_verify (fit within 6%): fixed, sumchecks, rounds, wiring_entries, q_vars, hash_perms
    &[0.0, 0.0, 12110.0, 0.0, 2088000.0, 630.9],
    // zk_memory (fit within 6%): fixed, q_len, hash_state_elems, largest_buffer, held_elems
    &[24310000.0, 44.7, 3.701, 0.0, 99.57],
];

/// The same, of a build with debug assertions (the tests' binary).
const DEBUG_ASSERTIONS: [&[f64]; 14] = [
    // witness (fit within 66%): fixed, macs, trace_elems, witness_elems
    &[343900.0, 20.55, 0.0, 0.0],
    // commit (fit within 37%): commitments, witness_stacked_elems, weight_stacked_elems, weight_elems
    &[904600.0, 82.16, 68.72, 36.57],
    // sumchecks (fit within 20%): fixed, sumcheck_rounds, matmul_mults, sumcheck_elems, wiring_entries, weight_elems
    &[383500.0, 657.6, 0.5924, 5.379, 55.39, 4.018],
    // lookups (fit within 16%): sumcheck_rounds, lookup_entries, table_rows, zerocheck_elems, wiring_work
    &[13250.0, 361.4, 683.4, 0.0, 0.0],
    // openings (fit within 14%): fixed, stacked_elems, point_elems, value_elems, reduction_elems, opened_points
    &[5649000.0, 18.51, 0.0, 0.0, 109.7, 235200.0],
    // verify (fit within 44%): fixed, sumcheck_rounds, wiring_entries, wiring_elems, claims, stacked_vars
    &[0.0, 15690.0, 27.52, 0.0, 0.0, 284500.0],
    // memory (fit within 3%): fixed, stacked_elems, largest_buffer, held_elems
    &[14460000.0, 35.33, 8.788, 0.0],
    // zk_witness (fit within 12%): fixed, macs, trace_elems, hash_state_elems, witness_elems
    &[1258000.0, 0.0, 0.0, 26.19, 0.0],
    // zk_commit (fit within 14%): fixed, q_len, random_elems
    &[5076000.0, 76.59, 0.0],
    // zk_sumchecks (fit within 39%): fixed, sumchecks, rounds, matmul_mults, masked_work, wiring_entries, hash_work
    &[7505000.0, 0.0, 0.0, 51.44, 0.0, 0.0, 19.69],
    // zk_lookups (fit within 13%): sumchecks, rounds, lookup_entries, range_leaves, table_rows, masked_work, wiring_entries
    &[0.0, 20780.0, 0.0, 1071.0, 244.5, 0.0, 0.0],
    // zk_openings (fit within 22%): fixed, q_len, claimed_elems, groups
    &[112400000.0, 202.0, 518.0, 0.0],
    // zk_verify (fit within 25%): fixed, sumchecks, rounds, wiring_entries, q_vars, hash_perms
    &[0.0, 0.0, 2729.0, 57.57, 2594000.0, 340.1],
    // zk_memory (fit within 7%): fixed, q_len, hash_state_elems, largest_buffer, held_elems
    &[25770000.0, 44.92, 3.737, 0.0, 98.17],
];

/// `[stacked variables, bytes]` of a one-claim opening (deterministic for the parameters).
const OPENING_BYTES: &[[u64; 2]] = &[
    [4, 307],
    [5, 487],
    [6, 811],
    [7, 1427],
    [8, 2627],
    [9, 4995],
    [10, 9700],
    [11, 46690],
    [12, 52803],
    [13, 60164],
    [14, 70692],
    [15, 112051],
    [16, 126035],
    [17, 140051],
    [18, 154499],
    [19, 209089],
    [20, 227089],
    [21, 244481],
    [22, 262273],
];
/// `[variables of Q, bytes]` of the HVZK-WHIR opening of `Q` at two points (the zero-knowledge
/// back end's; varies by a few hundred bytes between runs).
const ZK_OPENING_BYTES: &[[u64; 2]] = &[
    [12, 272954],
    [13, 276378],
    [14, 275546],
    [15, 420441],
    [16, 435973],
    [17, 451365],
    [18, 470187],
    [19, 635823],
    [20, 647709],
    [21, 673965],
    [22, 693355],
];
/// Bytes each further opened point adds (with its first value).
const POINT_BYTES: f64 = 18.0;
/// Bytes each further value at an opened point adds.
const VALUE_BYTES: f64 = 16.0;

/// The built-in calibration of this build profile.
pub fn builtin() -> Calibration {
    let (coefficients, profile) = if cfg!(debug_assertions) {
        (DEBUG_ASSERTIONS, "debug assertions")
    } else {
        (RELEASE, "release")
    };
    Calibration {
        format: FORMAT,
        machine: format!("{MACHINE}, {profile} build"),
        date: DATE.into(),
        targets: Target::ALL
            .iter()
            .zip(coefficients)
            .map(|(t, c)| Fitted {
                target: t.name().into(),
                features: t.feature_names().iter().map(|s| s.to_string()).collect(),
                coefficients: c.to_vec(),
                max_fit_error: 0.0,
            })
            .collect(),
        opening_bytes: OPENING_BYTES.to_vec(),
        point_bytes: POINT_BYTES,
        value_bytes: VALUE_BYTES,
        zk_opening_bytes: ZK_OPENING_BYTES.to_vec(),
    }
}
