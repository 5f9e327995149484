//! Fixed-point requantization and the one rounding rule of the IR: round half up (toward +infinity).

use serde::{Deserialize, Serialize};

use crate::limits::BOUND_LIMIT;

/// `q = clamp(floor((x * multiplier + 2^(shift-1)) / 2^shift), min, max)`; with `shift == 0` the
/// offset is 0. `floor` is toward -infinity, so ties round up: 2.5 -> 3, -2.5 -> -2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requant {
    /// Positive integer multiplier m.
    pub multiplier: i64,
    /// Right shift s (division by 2^s with the rounding above).
    pub shift: u32,
    /// Lower clamp (0 fuses a ReLU).
    pub min: i64,
    /// Upper clamp.
    pub max: i64,
}

impl Requant {
    /// The rounding offset 2^(s-1) (0 when s = 0).
    pub fn offset(&self) -> i64 {
        if self.shift == 0 {
            0
        } else {
            1i64 << (self.shift - 1)
        }
    }

    /// Applies the rescale to one value. Callers guarantee `|x| * m + offset < 2^62` (static bounds
    /// keep it below 2^30).
    pub fn apply(&self, x: i64) -> i64 {
        ((x * self.multiplier + self.offset()) >> self.shift).clamp(self.min, self.max)
    }

    /// Largest intermediate `|x| * m + offset` for inputs bounded by `in_bound`.
    pub fn product_bound(&self, in_bound: i64) -> i128 {
        in_bound as i128 * self.multiplier as i128 + self.offset() as i128
    }
}

/// `a / d` rounded half up, `floor((2a + d) / (2d))`, for `d > 0`.
pub fn div_round_half_up(a: i64, d: i64) -> i64 {
    (2 * a + d).div_euclid(2 * d)
}

/// Picks `(m, s)` with `m / 2^s <= real_multiplier` as close as possible, `1 <= m <= 2^max_mult_bits`
/// and `acc_bound * m + 2^(s-1) < BOUND_LIMIT`. Choosing the ratio from below means the output scale
/// `acc_scale * 2^s / m` is at least the target, so the calibrated range is never clipped. Returns
/// `None` when no such pair exists (the accumulator is too wide for the field).
pub fn choose_requant(
    acc_bound: i64,
    real_multiplier: f64,
    max_mult_bits: u32,
) -> Option<(i64, u32)> {
    if !(real_multiplier.is_finite() && real_multiplier > 0.0) {
        return None;
    }
    let max_m = 1i64 << max_mult_bits;
    let mut best = None;
    for s in 0..=62u32 {
        let m_f = (real_multiplier * 2f64.powi(s as i32)).floor();
        if m_f < 1.0 {
            continue;
        }
        if m_f > max_m as f64 {
            break;
        }
        let m = m_f as i64;
        let offset = if s == 0 { 0 } else { 1i128 << (s - 1) };
        if (acc_bound as i128) * (m as i128) + offset < BOUND_LIMIT as i128 {
            best = Some((m, s));
        } else if best.is_some() {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up() {
        let r = Requant {
            multiplier: 1,
            shift: 1,
            min: -100,
            max: 100,
        };
        assert_eq!(r.apply(5), 3); // 2.5 -> 3
        assert_eq!(r.apply(-5), -2); // -2.5 -> -2
        assert_eq!(r.apply(-7), -3); // -3.5 -> -3
        assert_eq!(r.apply(3), 2); // 1.5 -> 2
        assert_eq!(div_round_half_up(5, 2), 3);
        assert_eq!(div_round_half_up(-5, 2), -2);
        assert_eq!(div_round_half_up(1, 3), 0);
        assert_eq!(div_round_half_up(2, 3), 1);
    }

    #[test]
    fn clamps() {
        let r = Requant {
            multiplier: 3,
            shift: 0,
            min: 0,
            max: 10,
        };
        assert_eq!(r.apply(-4), 0);
        assert_eq!(r.apply(4), 10);
    }

    #[test]
    fn chosen_multiplier_respects_field_and_target() {
        for &(bound, real) in &[
            (1000i64, 0.0123f64),
            (1 << 24, 0.37),
            (5, 3.5),
            (1 << 29, 1e-3),
        ] {
            let (m, s) = choose_requant(bound, real, 16).expect("feasible");
            assert!((m as f64) / 2f64.powi(s as i32) <= real);
            let offset = if s == 0 { 0 } else { 1i128 << (s - 1) };
            assert!(bound as i128 * m as i128 + offset < BOUND_LIMIT as i128);
        }
        // A bound at the limit leaves no room even for m = 1.
        assert_eq!(choose_requant(BOUND_LIMIT, 1.0, 16), None);
    }
}
