//! The soundness error of a proof, as a union bound: the probability that a false statement is
//! accepted is at most the **sum** of every part's error, and the figure reported is `-log2` of that
//! sum. (Taking the weakest part's bits, as an earlier version did, overstates it: ten parts of 100
//! bits are 96.7 bits together.)
//!
//! The parts, each computed by the verifier from public quantities only:
//! - every polynomial-commitment opening (WHIR's own bound for each);
//! - the interactive part: every sumcheck and fraction-tree round of degree `d` fails with
//!   probability `d / |EF|`; the verifier bounds the sum of degrees from the proof's size (each
//!   round sends at least as many 16-byte values as its degree);
//! - every LogUp instance: `(2^n + 2^bits) / |EF|` for `2^n` lookups into a table of `2^bits`
//!   (Haböck 2022; the challenge must avoid the poles of the rational identity).
//!
//! Not included, and stated in docs/security.md: Poseidon2 collisions (Merkle trees, the weight
//! digest, the transcript sponge).

use serde::Serialize;

use crate::plan::{Plan, Step};

/// One part of the error: `2^-bits`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoundnessTerm {
    /// What the term covers.
    pub part: String,
    /// `-log2` of its error probability.
    pub bits: f64,
}

/// The terms of one proof's soundness error.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ErrorBudget {
    terms: Vec<SoundnessTerm>,
}

impl ErrorBudget {
    /// Adds a part whose error is `2^-bits`.
    pub fn add(&mut self, part: impl Into<String>, bits: f64) {
        self.terms.push(SoundnessTerm {
            part: part.into(),
            bits,
        });
    }

    /// Adds the LogUp term of `2^lookup_vars` lookups into a table of `2^table_bits` entries.
    pub fn add_logup(&mut self, part: impl Into<String>, lookup_vars: usize, table_bits: usize) {
        let size = 2f64.powi(lookup_vars as i32) + 2f64.powi(table_bits as i32);
        self.add(part, zkinfer_field::challenge_field_bits() - size.log2());
    }

    /// Adds the LogUp term of every range check the plan runs: its layers' and the weights'.
    pub fn add_plan_lookups(&mut self, plan: &Plan) {
        for (id, step) in plan.steps.iter().enumerate() {
            let spec = match step {
                Step::Requant { spec, .. } => spec
                    .layout()
                    .ok()
                    .map(|layout| layout.range_spec(spec.num_vars)),
                Step::MaxPool { spec, .. } => Some(spec.range_spec()),
                _ => None,
            };
            if let Some(r) = spec {
                let vars = r.num_vars + r.segment_vars();
                self.add_logup(format!("node {id}: LogUp"), vars, r.bits);
            }
        }
        // The weights' width checks (crate::weight_range): a LogUp each, or for a zero column
        // one evaluation at a random point (`num_vars / |EF|`).
        for c in &plan.weight_checks {
            let part = format!("weight column {}", c.col);
            match c.spec.layout().ok().and_then(|l| l.range_spec(&c.spec)) {
                Some(r) => {
                    let vars = r.num_vars + r.segment_vars();
                    self.add_logup(format!("{part}: LogUp"), vars, r.bits);
                }
                None => {
                    let n = c.spec.num_vars.max(1) as f64;
                    self.add(part, zkinfer_field::challenge_field_bits() - n.log2());
                }
            }
        }
    }

    /// The terms and `-log2` of their sum.
    pub fn finish(self) -> (f64, Vec<SoundnessTerm>) {
        (total_bits(&self.terms), self.terms)
    }
}

/// `-log2(sum 2^-bits)` over the terms; infinite for none.
pub fn total_bits(terms: &[SoundnessTerm]) -> f64 {
    // Factor out the weakest term so the sum neither underflows nor loses precision.
    let min = terms.iter().map(|t| t.bits).fold(f64::INFINITY, f64::min);
    if !min.is_finite() {
        return min;
    }
    let sum: f64 = terms.iter().map(|t| 2f64.powf(min - t.bits)).sum();
    min - sum.log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_is_the_union_bound_not_the_weakest_part() {
        let mut b = ErrorBudget::default();
        for _ in 0..10 {
            b.add("part", 100.0);
        }
        let (bits, terms) = b.finish();
        assert_eq!(terms.len(), 10);
        // 10 * 2^-100 = 2^-(100 - log2 10).
        assert!((bits - (100.0 - 10f64.log2())).abs() < 1e-9, "{bits}");
        let mut b = ErrorBudget::default();
        b.add("weak", 90.0);
        b.add("strong", 120.0);
        let (bits, _) = b.finish();
        assert!(bits < 90.0 && bits > 89.99, "{bits}");
    }

    #[test]
    fn logup_term_counts_lookups_and_table() {
        let mut b = ErrorBudget::default();
        b.add_logup("t", 20, 16);
        let (bits, _) = b.finish();
        let expected = zkinfer_field::challenge_field_bits() - (2f64.powi(20) + 65536.0).log2();
        assert!((bits - expected).abs() < 1e-9);
    }
}
