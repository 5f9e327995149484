//! The built-in calibration: what `zkinfer estimate` uses when no calibration file exists. Measured
//! with `zkinfer estimate --calibrate --runs 7 --max-open-vars 24` on 2026-11-25 on the development
//! machine (AMD EPYC, 2 cores; shared with other builds, load average 2.0-2.9 during the run) at
//! commit 9a3da46 (WHIR folding factor 4, rate 1/2, 8 grinding bits). Another machine, or other
//! commitment parameters, should run `zkinfer estimate --calibrate`.

use super::{Calibration, FORMAT, Fitted, Target};

/// When the coefficients were measured.
const DATE: &str = "2026-11-25";
/// The machine measured.
const MACHINE: &str = "AMD EPYC, 2 cores (built-in calibration)";

/// Coefficients per target, in [`Target::ALL`] order: ns per feature unit (times), bytes per
/// feature unit (memory).
const COEFFICIENTS: [&[f64]; 7] = [
    // witness (fit within 32%):
    // fixed, macs, trace_elems, witness_elems
    &[2.348e5, 9.246, 42.0, 6.522],
    // commit (fit within 7%):
    // commitments, witness_stacked_elems, weight_stacked_elems, weight_elems
    &[4.942e5, 62.09, 65.75, 0.0],
    // sumchecks (fit within 17%):
    // fixed, sumcheck_rounds, matmul_mults, sumcheck_elems, wiring_entries, weight_elems
    &[0.0, 9120.0, 0.2801, 7.66, 21.78, 14.09],
    // lookups (fit within 11%):
    // sumcheck_rounds, lookup_entries, table_rows, zerocheck_elems, wiring_work
    &[1.3e4, 205.8, 161.6, 0.0, 91.16],
    // openings (fit within 14%):
    // fixed, stacked_elems, point_elems, value_elems, reduction_elems, opened_points
    &[1.2e6, 153.2, 0.0, 0.0, 23.82, 3.904e5],
    // verify (fit within 45%):
    // fixed, sumcheck_rounds, wiring_entries, wiring_elems, claims, stacked_vars
    &[0.0, 2.384e4, 31.19, 0.0, 0.0, 1.031e5],
    // memory (fit within 8%):
    // fixed, stacked_elems, largest_buffer, held_elems
    &[9.83e6, 29.25, 1.84, 28.83],
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
    [11, 47625],
    [12, 53546],
    [13, 61867],
    [14, 71755],
    [15, 115612],
    [16, 127932],
    [17, 141532],
    [18, 155660],
    [19, 212524],
    [20, 231100],
    [21, 249484],
    [22, 267660],
    [23, 335532],
    [24, 355404],
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
