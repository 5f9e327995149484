//! The built-in calibrations: what `zkinfer estimate` uses when no calibration file exists, one per
//! build profile, each measured with a binary of that profile (`cargo build --release`, and the
//! `cargo build`/`cargo test` profile with debug assertions, whose binary the end-to-end tests
//! compare against). Both were measured with `zkinfer estimate --calibrate --runs 3
//! --max-open-vars 22` on 2026-12-07 on the development machine (AMD EPYC, 2 cores, nothing else
//! running) at commit 56446c3 (WHIR folding factor 4, rate 1/2, 10 grinding bits). Another machine, or other commitment parameters, should run
//! `zkinfer estimate --calibrate`.

use super::{Calibration, FORMAT, Fitted, Target};

/// When the coefficients were measured.
const DATE: &str = "2026-12-07";
/// The machine measured.
const MACHINE: &str = "AMD EPYC, 2 cores (built-in calibration)";

/// Coefficients per target, in [`Target::ALL`] order, of a release build: ns per feature unit
/// (times), bytes per feature unit (memory).
const RELEASE: [&[f64]; 14] = [
    // witness (fit within 70%): fixed, macs, trace_elems, witness_elems
    &[2.988e+05, 13.71, 0.0, 0.0],
    // commit (fit within 12%): commitments, witness_stacked_elems, weight_stacked_elems, weight_elems
    &[3.522e+05, 69.08, 59.16, 4.369],
    // sumchecks (fit within 29%): fixed, sumcheck_rounds, matmul_mults, sumcheck_elems, wiring_entries, weight_elems
    &[9.442e+04, 749.6, 0.0, 6.586, 25.14, 0.0],
    // lookups (fit within 22%): sumcheck_rounds, lookup_entries, table_rows, zerocheck_elems, wiring_work
    &[1.044e+04, 179.3, 421.7, 131.3, 0.0],
    // openings (fit within 31%): fixed, stacked_elems, point_elems, value_elems, reduction_elems, opened_points
    &[2.817e+05, 132.3, 0.0, 71.72, 0.0, 5.507e+05],
    // verify (fit within 35%): fixed, sumcheck_rounds, wiring_entries, wiring_elems, claims, stacked_vars
    &[0.0, 1.311e+04, 25.26, 7.742, 0.0, 9.564e+04],
    // memory (fit within 2%): fixed, stacked_elems, largest_buffer, held_elems
    &[1.329e+07, 30.99, 9.475, 0.0],
    // zk_witness (fit within 11%): fixed, macs, trace_elems, hash_state_elems, witness_elems
    &[7.195e+05, 0.0, 243.6, 12.08, 0.0],
    // zk_commit (fit within 6%): fixed, q_len, random_elems
    &[0.0, 69.71, 11.3],
    // zk_sumchecks (fit within 14%): fixed, sumchecks, rounds, matmul_mults, masked_work, wiring_entries, hash_work
    &[0.0, 8.704e+04, 0.0, 0.0, 0.0, 0.0, 9.329],
    // zk_lookups (fit within 16%): sumchecks, rounds, lookup_entries, range_leaves, table_rows, masked_work, wiring_entries
    &[0.0, 9983.0, 0.0, 446.1, 302.2, 0.0, 3452.0],
    // zk_openings (fit within 17%): fixed, q_len, claimed_elems, groups
    &[3.803e+07, 325.6, 0.0, 3.897e+05],
    // zk_verify (fit within 9%): fixed, sumchecks, rounds, wiring_entries, q_vars, hash_perms
    &[1.566e+07, 0.0, 1.395e+04, 42.91, 0.0, 0.0],
    // zk_memory (fit within 6%): fixed, q_len, hash_state_elems, largest_buffer, held_elems
    &[2.445e+07, 41.28, 3.822, 0.0, 102.8],
];

/// The same, of a build with debug assertions (the tests' binary).
const DEBUG_ASSERTIONS: [&[f64]; 14] = [
    // witness (fit within 68%): fixed, macs, trace_elems, witness_elems
    &[3.179e+05, 18.4, 0.0, 0.0],
    // commit (fit within 13%): commitments, witness_stacked_elems, weight_stacked_elems, weight_elems
    &[6.221e+05, 65.42, 67.49, 0.4601],
    // sumchecks (fit within 25%): fixed, sumcheck_rounds, matmul_mults, sumcheck_elems, wiring_entries, weight_elems
    &[8.338e+04, 1366.0, 1.095, 6.188, 45.56, 0.0],
    // lookups (fit within 33%): sumcheck_rounds, lookup_entries, table_rows, zerocheck_elems, wiring_work
    &[6259.0, 238.5, 835.4, 159.0, 0.0],
    // openings (fit within 35%): fixed, stacked_elems, point_elems, value_elems, reduction_elems, opened_points
    &[3.589e+06, 2.885, 0.0, 298.4, 0.0, 4.728e+05],
    // verify (fit within 28%): fixed, sumcheck_rounds, wiring_entries, wiring_elems, claims, stacked_vars
    &[0.0, 1.843e+04, 40.61, 0.0, 0.0, 1.126e+05],
    // memory (fit within 2%): fixed, stacked_elems, largest_buffer, held_elems
    &[1.429e+07, 30.88, 9.537, 0.0],
    // zk_witness (fit within 7%): fixed, macs, trace_elems, hash_state_elems, witness_elems
    &[9.236e+05, 0.0, 0.0, 18.96, 6.114],
    // zk_commit (fit within 20%): fixed, q_len, random_elems
    &[3.033e+06, 65.5, 0.0],
    // zk_sumchecks (fit within 15%): fixed, sumchecks, rounds, matmul_mults, masked_work, wiring_entries, hash_work
    &[0.0, 0.0, 2.813e+04, 0.0, 0.0, 0.0, 15.58],
    // zk_lookups (fit within 17%): sumchecks, rounds, lookup_entries, range_leaves, table_rows, masked_work, wiring_entries
    &[0.0, 2.746e+04, 1604.0, 0.0, 1377.0, 0.0, 0.0],
    // zk_openings (fit within 7%): fixed, q_len, claimed_elems, groups
    &[5.943e+07, 281.4, 180.4, 5.3e+05],
    // zk_verify (fit within 12%): fixed, sumchecks, rounds, wiring_entries, q_vars, hash_perms
    &[2.051e+07, 1.837e+05, 0.0, 53.78, 0.0, 0.0],
    // zk_memory (fit within 6%): fixed, q_len, hash_state_elems, largest_buffer, held_elems
    &[2.567e+07, 41.1, 3.85, 0.0, 102.5],
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
