//! The built-in calibration: what `zkinfer estimate` uses when no calibration file exists. Measured
//! with `zkinfer estimate --calibrate --runs 7 --max-open-vars 24` on 2026-11-25 on the development
//! machine (AMD EPYC, 2 cores; shared with other builds, load average 2.2-2.4 during the run) at
//! commit 7c37f20 (WHIR folding factor 4, rate 1/2, 10 grinding bits). Another machine, or other
//! commitment parameters, should run `zkinfer estimate --calibrate`.

use super::{Calibration, FORMAT, Fitted, Target};

/// When the coefficients were measured.
const DATE: &str = "2026-11-25";
/// The machine measured.
const MACHINE: &str = "AMD EPYC, 2 cores (built-in calibration)";

/// Coefficients per target, in [`Target::ALL`] order: ns per feature unit (times), bytes per
/// feature unit (memory).
const COEFFICIENTS: [&[f64]; 7] = [
    // witness (fit within 29%):
    // fixed, macs, trace_elems, witness_elems
    &[2.137e5, 9.732, 100.6, 0.0],
    // commit (fit within 11%):
    // commitments, witness_stacked_elems, weight_stacked_elems, weight_elems
    &[4.282e5, 61.39, 66.63, 9.632],
    // sumchecks (fit within 17%):
    // fixed, sumcheck_rounds, matmul_mults, sumcheck_elems, wiring_entries, weight_elems
    &[9.365e4, 7197.0, 0.0, 5.623, 33.13, 20.66],
    // lookups (fit within 14%):
    // sumcheck_rounds, lookup_entries, table_rows, zerocheck_elems, wiring_work
    &[1.165e4, 191.4, 322.1, 198.0, 0.0],
    // openings (fit within 21%):
    // fixed, stacked_elems, point_elems, value_elems, reduction_elems, opened_points
    &[8.43e5, 133.9, 44.36, 0.0, 30.23, 4.26e5],
    // verify (fit within 40%):
    // fixed, sumcheck_rounds, wiring_entries, wiring_elems, claims, stacked_vars
    &[0.0, 1.778e4, 42.52, 0.0, 0.0, 1.636e5],
    // memory (fit within 9%):
    // fixed, stacked_elems, largest_buffer, held_elems
    &[9.763e6, 29.01, 1.809, 29.25],
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
    [11, 46818],
    [12, 52931],
    [13, 60772],
    [14, 70692],
    [15, 113267],
    [16, 127123],
    [17, 140915],
    [18, 155843],
    [19, 209825],
    [20, 227281],
    [21, 245857],
    [22, 263745],
    [23, 328863],
    [24, 350047],
];
/// Bytes each further opened point adds (with its first value).
const POINT_BYTES: f64 = 18.0;
/// Bytes each further value at an opened point adds.
const VALUE_BYTES: f64 = 16.0;

/// The built-in calibration.
pub fn builtin() -> Calibration {
    Calibration {
        format: FORMAT,
        machine: MACHINE.into(),
        date: DATE.into(),
        targets: Target::ALL
            .iter()
            .zip(COEFFICIENTS)
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
    }
}
